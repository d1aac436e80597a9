"""The blank report document: A4 page, GW-* styles, settings, font fallbacks, page-number footers."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Literal

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from reportgen.atomic import marker
from reportgen.document.body import BlankPackage, ReportDocument
from reportgen.document.ooxml import char_twips, mm_to_twips, pt_to_twips, w_element
from reportgen.document.styles import define_report_styles
from reportgen.profile.style import A4_HEIGHT_MM, A4_WIDTH_MM, StyleSettings

HEADER_DISTANCE_TWIPS = 851  # Word's 1.5 cm; the report has no header content
REPORT_KIND = "report"  # the marker in docProps that lets a later build replace the DOCX without --force

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Word tries altName before metric matching when the official (commercial) font is missing
_FONT_ALT_NAMES = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "方正小标宋简体": "FZXiaoBiaoSong-B05S",
    "宋体": "SimSun",
}
# python-docx has no constant for it; the part is Word 2010's copy of styles.xml
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def new_document(style: StyleSettings) -> ReportDocument:
    """An empty A4 document carrying the page setup, defaults, GW-* styles and page-number footers."""
    return ReportDocument(_blank_package(style.model_dump_json()))


@lru_cache(maxsize=8)
def _blank_package(style_json: str) -> BlankPackage:
    # set up once per style (per profile): a batch build makes hundreds of reports from it
    style = StyleSettings.model_validate_json(style_json)
    doc = docx.Document()
    _set_page_geometry(doc.sections[0], style)
    _drop_styles_with_effects(doc)
    define_report_styles(doc.styles.element, style)
    _configure_settings(doc)
    _add_font_table_hints(doc, style)
    _add_page_number_footers(doc.sections[0], style)
    doc.core_properties.identifier = marker(REPORT_KIND)
    blank = io.BytesIO()
    doc.save(blank)
    return BlankPackage.from_docx(blank.getvalue(), _text_width_twips(doc.sections[0]))


# --- package -----------------------------------------------------------------------------------


def _drop_styles_with_effects(doc: Document) -> None:
    # a stale copy of the template's styles (theme fonts included) that no longer matches styles.xml
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rel_id)


def _configure_settings(doc: Document) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    # zh-CN gives Chinese line breaking (避头尾) and keeps minorEastAsia off the template's ja-JP
    doc.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")


def _add_font_table_hints(doc: Document, style: StyleSettings) -> None:
    part = doc.part.part_related_by(RT.FONT_TABLE)
    fonts = parse_xml(part.blob)
    known = {font.get(qn("w:name")) for font in fonts.iterfind(qn("w:font"))}
    used = (style.title_font, style.body_font, style.heading1_font, style.heading2_font, style.footer_font)
    for name in [name for name in dict.fromkeys(used) if name not in known]:
        alt_name = _FONT_ALT_NAMES.get(name)
        fonts.append(
            w_element(
                "font",
                w_element("altName", val=alt_name) if alt_name else None,
                w_element("charset", val="86"),  # GB2312
                w_element("family", val="modern"),
                w_element("pitch", val="fixed"),
                name=name,
            )
        )
    # python-docx loads fontTable.xml as an opaque part, so its bytes are replaced
    part._blob = serialize_part_xml(fonts)


# --- page --------------------------------------------------------------------------------------


def _text_width_twips(section: Section) -> int:
    width_mm = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    # margins are set in mm and each was rounded to twips; undo that drift (156 mm → 8844, not 8845)
    return mm_to_twips(round(width_mm, 1))


def _set_page_geometry(section: Section, style: StyleSettings) -> None:
    section.page_width = Twips(mm_to_twips(A4_WIDTH_MM))
    section.page_height = Twips(mm_to_twips(A4_HEIGHT_MM))
    section.top_margin = Twips(mm_to_twips(style.margin_top_mm))
    section.bottom_margin = Twips(mm_to_twips(style.margin_bottom_mm))
    section.left_margin = Twips(mm_to_twips(style.margin_left_mm))
    section.right_margin = Twips(mm_to_twips(style.margin_right_mm))
    section.header_distance = Twips(HEADER_DISTANCE_TWIPS)
    section.footer_distance = Twips(mm_to_twips(style.footer_distance_mm))
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    # no w:type means no character or line grid, so exact line spacing and char spacing rule alone
    grid.attrib.pop(qn("w:type"), None)
    grid.set(qn("w:linePitch"), str(pt_to_twips(style.line_spacing_pt)))


def _add_page_number_footers(section: Section, style: StyleSettings) -> None:
    indent = char_twips(style.footer_size_pt)
    section.different_first_page_header_footer = False  # page 1 is numbered too
    _write_page_number(section.footer.paragraphs[0], "right", indent, "1")
    _write_page_number(section.even_page_footer.paragraphs[0], "left", indent, "2")


def _write_page_number(
    paragraph: Paragraph, side: Literal["left", "right"], indent: int, sample: str
) -> None:
    """Make the paragraph "— N —" on the outer side, indented one character from the margin."""
    p = paragraph._p
    for child in list(p):
        p.remove(child)
    indent_from_margin = w_element("ind", **{side: indent}, firstLine=0)
    footer_style = w_element("pStyle", val="GW-Footer")
    p.append(w_element("pPr", footer_style, indent_from_margin, w_element("jc", val=side)))
    p.extend(
        [
            _run("— "),
            _field_char("begin"),
            w_element("r", _text_element("instrText", " PAGE ")),
            _field_char("separate"),
            _run(sample),  # cached result, replaced by the page number when rendered
            _field_char("end"),
            _run(" —"),
        ]
    )


def _text_element(tag: str, text: str) -> BaseOxmlElement:
    element = w_element(tag)
    element.text = text
    element.set(_XML_SPACE, "preserve")
    return element


def _run(text: str) -> BaseOxmlElement:
    return w_element("r", _text_element("t", text))


def _field_char(kind: str) -> BaseOxmlElement:
    return w_element("r", w_element("fldChar", fldCharType=kind))
