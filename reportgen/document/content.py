"""The report's paragraphs in GB/T 9704 form: title lines, headings, body text, sign-off."""

from __future__ import annotations

import re
from typing import Literal

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from reportgen.document.ooxml import char_twips, clean_text
from reportgen.profile.style import HEADING_LEVELS, StyleSettings

TITLE_LINE_MAX_CHARS = 20  # 20 × 二号 fills the 156 mm text block
SIGN_OFF_BLANK_LINES = {"sealed": 2, "unsealed": 1}

_YEAR = re.compile(r"\d{4}年")
# a title line may break after the name of an administrative unit or organ ...
_PHRASE_ENDS = ("委员会", "办公室", "中心", "街道", "省", "市", "区", "县", "旗", "镇", "乡", "局", "厅")
# ... unless that character starts a word that is common in agency names (市场监督管理局)
_WORDS_ACROSS_PHRASE_END = ("市场", "区域")


def _add_paragraph(doc: Document, text: str, style_id: str) -> Paragraph:
    """doc.add_paragraph with a GW-* style set by id: python-docx would look its name up in styles.xml.

    python-docx finds the body's closing sectPr by scanning every paragraph before it on each insert, which
    makes a 200,000-line narrative take hours; the sectPr is the body's last child, reached at once.
    """
    body = doc.element.body
    p = OxmlElement("w:p")
    last = next(body.iterchildren(reversed=True), None)
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)
    else:
        body.append(p)
    paragraph = Paragraph(p, doc._body)
    if text:
        paragraph.add_run(text)
    p.get_or_add_pPr().style = style_id
    return paragraph


# --- title -------------------------------------------------------------------------------------


def _last_phrase_end(text: str, limit: int) -> int | None:
    """The largest cut ≤ limit that ends an administrative unit or organ name, if any."""
    for cut in range(limit, 0, -1):
        if text[:cut].endswith(_PHRASE_ENDS) and text[cut - 1 : cut + 1] not in _WORDS_ACROSS_PHRASE_END:
            return cut
    return None


def _wrap_at_phrases(text: str, limit: int = TITLE_LINE_MAX_CHARS) -> list[str]:
    lines = []
    while len(text) > limit:
        cut = _last_phrase_end(text, limit) or limit
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text]


def title_lines(agency: str, title_text: str) -> list[str]:
    """The title broken as agency name / "YYYY年政府信息公开工作年度报告", no line over 20 characters."""
    agency, title_text = agency.strip(), clean_text(title_text).strip()
    if agency and title_text.startswith(agency):
        parts = [agency, title_text[len(agency) :]]
    elif year := _YEAR.search(title_text):
        parts = [title_text[: year.start()], title_text[year.start() :]]
    else:
        parts = [title_text]
    return [line for part in parts for line in _wrap_at_phrases(part.strip()) if line]


def add_title(doc: Document, agency: str, title_text: str) -> None:
    for line in title_lines(agency, title_text):
        _add_paragraph(doc, line, "GW-Title")
    _add_paragraph(doc, "", "GW-Body")


# --- headings and body -------------------------------------------------------------------------


def add_heading(doc: Document, level: int, text: str, body: str | None = None) -> Paragraph:
    """A standalone heading, or with `body` a run-in heading: only the heading span in the heading font."""
    if level not in HEADING_LEVELS:
        raise ValueError(f"heading level must be 1–4, not {level}")
    if body is None:
        return _add_paragraph(doc, clean_text(text), f"GW-H{level}")
    paragraph = _add_paragraph(doc, "", "GW-Body")
    paragraph.add_run(clean_text(text))._r.get_or_add_rPr().style = f"GW-HeadingSpan-{level}"
    paragraph.add_run(clean_text(body))
    return paragraph


def add_body(doc: Document, text: str, style: str = "GW-Body") -> Paragraph:
    return _add_paragraph(doc, clean_text(text), style)


# --- sign-off ----------------------------------------------------------------------------------


def em_width(text: str) -> float:
    """Printed width in characters of the body font: CJK characters 1, ASCII (digits) ½."""
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def sign_off_indents(
    agency: str, date_text: str, layout: Literal["sealed", "unsealed"]
) -> tuple[float, float]:
    """Right indents in characters of the (name, date) lines, per GB/T 9704 §7.3.5."""
    name_width, date_width = em_width(agency), em_width(date_text)
    if layout == "sealed":
        # date 4 characters from the right; the name centred over it (never past the margin)
        return max(0.0, 4 + (date_width - name_width) / 2), 4.0
    # unsealed: name 2 from the right, the date's first character 2 right of the name's first
    date_indent = name_width - date_width
    if date_indent >= 2:
        return 2.0, date_indent
    # the date would reach past the name's line end: it takes 2, and the name moves left to match
    return 4 - date_indent, 2.0


def _set_right_indent(paragraph: Paragraph, chars: float, body_size_pt: float) -> None:
    # Word reads rightChars; consumers that ignore it fall back to the twips
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:rightChars"), str(round(chars * 100)))
    ind.set(qn("w:right"), str(round(chars * char_twips(body_size_pt))))


def add_sign_off(doc: Document, agency: str, date_text: str, style: StyleSettings) -> None:
    """Agency name over the date at the end of the report, in the profile's sealed/unsealed layout."""
    agency, date_text = clean_text(agency).strip(), clean_text(date_text).strip()
    name_indent, date_indent = sign_off_indents(agency, date_text, style.sign_off_layout)
    # GB/T 9704 7.3.5.5: no page may carry the signature alone, so the last paragraph goes with it
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(SIGN_OFF_BLANK_LINES[style.sign_off_layout]):
        _add_paragraph(doc, "", "GW-Body").paragraph_format.keep_with_next = True
    _set_right_indent(_add_paragraph(doc, agency, "GW-Sign"), name_indent, style.body_size_pt)
    _set_right_indent(_add_paragraph(doc, date_text, "GW-Date"), date_indent, style.body_size_pt)
