"""WordprocessingML basics shared by the document modules: units, safe text, w: elements, schema order."""

from __future__ import annotations

import re
from functools import cache

from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement

TWIPS_PER_PT = 20
MM_PER_INCH = 25.4
TWIPS_PER_INCH = 1440

_WHITESPACE_CONTROLS = str.maketrans("\t\n\r\x0b\x0c", "     ")
# what is left that XML 1.0 forbids (lxml raises on these); DEL and C1 controls are legal XML
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_W_NSMAP = {"w": nsmap["w"]}


# --- units -------------------------------------------------------------------------------------


def mm_to_twips(mm: float) -> int:
    return round(mm / MM_PER_INCH * TWIPS_PER_INCH)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def char_twips(size_pt: float) -> int:
    """One character (1 em) of a CJK font at this size, the unit of w:*Chars indents."""
    return pt_to_twips(size_pt)


# --- text and elements -------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text safe for a w:t: control characters that break or alter the DOCX become spaces or go."""
    return _XML_ILLEGAL.sub("", text.translate(_WHITESPACE_CONTROLS))


def w_element(tag: str, *children: BaseOxmlElement | None, **attributes: object) -> BaseOxmlElement:
    """A w: element with w: attributes and the given children (None children are skipped)."""
    # what OxmlElement does, minus parsing the prefixed names on every call
    attrib = {_w_name(name): str(value) for name, value in attributes.items()}
    element = oxml_parser.makeelement(_w_name(tag), attrib, nsmap=_W_NSMAP)
    element.extend(child for child in children if child is not None)
    return element


@cache
def _w_name(name: str) -> str:
    return qn(f"w:{name}")
