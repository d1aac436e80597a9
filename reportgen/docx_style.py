"""Lays out python-docx documents as GB/T 9704 official documents (docs: document-style.md)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import accumulate
from typing import Literal

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

from reportgen.settings import A4_HEIGHT_MM, A4_WIDTH_MM, HEADING_LEVELS, StyleSettings

TWIPS_PER_PT = 20
MM_PER_INCH = 25.4
TWIPS_PER_INCH = 1440
SINGLE_LINE = 240  # w:line with lineRule auto: 240 = single spacing
HEADER_DISTANCE_TWIPS = 851  # Word's 1.5 cm; the report has no header content
FIRST_LINE_CHARS = 2
TITLE_LINE_MAX_CHARS = 20  # 20 × 二号 fills the 156 mm text block
TABLE_CELL_MARGIN_TWIPS = 108
TIGHT_TABLE_CELL_MARGIN_TWIPS = 57  # 1 mm: lets 2 五号 characters fit the 10.4 mm columns of table 四
SIGN_OFF_BLANK_LINES = {"sealed": 2, "unsealed": 1}

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_WHITESPACE_CONTROLS = str.maketrans("\t\n\r\x0b\x0c", "     ")
# what is left that XML 1.0 forbids (lxml raises on these); DEL and C1 controls are legal XML
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_YEAR = re.compile(r"\d{4}年")
# a title line may break after the name of an administrative unit or organ ...
_PHRASE_ENDS = ("委员会", "办公室", "中心", "街道", "省", "市", "区", "县", "旗", "镇", "乡", "局", "厅")
# ... unless that character starts a word that is common in agency names (市场监督管理局)
_WORDS_ACROSS_PHRASE_END = ("市场", "区域")
# Word tries altName before metric matching when the official (commercial) font is missing
_FONT_ALT_NAMES = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "方正小标宋简体": "FZXiaoBiaoSong-B05S",
    "宋体": "SimSun",
}
_THEME_FONT_ATTRIBUTES = tuple(
    qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
)
# python-docx has no constant for it; the part is Word 2010's copy of styles.xml
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_TBL_PR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
    "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
_W_NSMAP = {"w": nsmap["w"]}


# --- units -------------------------------------------------------------------------------------


def mm_to_twips(mm: float) -> int:
    return round(mm / MM_PER_INCH * TWIPS_PER_INCH)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def char_twips(size_pt: float) -> int:
    """One character (1 em) of a CJK font at this size, the unit of w:*Chars indents."""
    return pt_to_twips(size_pt)


def em_width(text: str) -> float:
    """Printed width in characters of the body font: CJK characters 1, ASCII (digits) ½."""
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def clean_text(text: str) -> str:
    """Text safe for a w:t: control characters that break or alter the DOCX become spaces or go."""
    return _XML_ILLEGAL.sub("", text.translate(_WHITESPACE_CONTROLS))


# --- XML building blocks -----------------------------------------------------------------------


def _w(tag: str, *children: BaseOxmlElement | None, **attributes: object) -> BaseOxmlElement:
    """A w: element with w: attributes and the given children (None children are skipped)."""
    # what OxmlElement does, minus parsing the prefixed names on every call
    attrib = {_w_name(name): str(value) for name, value in attributes.items()}
    element = oxml_parser.makeelement(_w_name(tag), attrib, nsmap=_W_NSMAP)
    element.extend(child for child in children if child is not None)
    return element


@cache
def _w_name(name: str) -> str:
    return qn(f"w:{name}")


def _text_element(tag: str, text: str) -> BaseOxmlElement:
    element = _w(tag)
    element.text = text
    element.set(_XML_SPACE, "preserve")
    return element


def _run(text: str) -> BaseOxmlElement:
    return _w("r", _text_element("t", text))


def _field_char(kind: str) -> BaseOxmlElement:
    return _w("r", _w("fldChar", fldCharType=kind))


def _put_in_order(parent: BaseOxmlElement, element: BaseOxmlElement, order: tuple[str, ...]) -> None:
    """Replace parent's child of element's tag, keeping the schema sequence `order`."""
    for old in parent.findall(element.tag):
        parent.remove(old)
    ranks = _ranks(order)
    rank = ranks[element.tag]
    # one pass over the few children; python-docx's insert_element_before searches once per successor tag
    successor = next((child for child in parent if ranks.get(child.tag, -1) > rank), None)
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)


@cache
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    return {qn(tag): index for index, tag in enumerate(order)}


def _add_paragraph(doc: Document, text: str, style_id: str) -> Paragraph:
    """doc.add_paragraph with a GW-* style set by id: python-docx would look its name up in styles.xml."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _fonts(east_asia: str, latin: str) -> BaseOxmlElement:
    # hint eastAsia: Word then sets ambiguous characters (“”、……、—) in the Chinese font
    return _w("rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def _run_props(
    fonts: BaseOxmlElement, size_pt: float, *, bold: bool = False, spacing_pt: float = 0
) -> BaseOxmlElement:
    half_points = round(size_pt * 2)
    return _w(
        "rPr",
        fonts,
        _w("b") if bold else None,
        _w("bCs") if bold else None,
        _w("spacing", val=pt_to_twips(spacing_pt)) if spacing_pt else None,
        _w("sz", val=half_points),
        _w("szCs", val=half_points),
    )


def _para_props(
    *,
    line_twips: int,
    exact: bool = True,
    jc: str | None = None,
    first_line_twips: int = 0,
    keep_next: bool = False,
    widow_control_off: bool = False,
    autospace_off: bool = False,
    outline_level: int | None = None,
) -> BaseOxmlElement:
    return _w(
        "pPr",
        _w("keepNext") if keep_next else None,
        # widow control would move single lines and break the fixed 22 lines per page
        _w("widowControl", val=0) if widow_control_off else None,
        _w("autoSpaceDE", val=0) if autospace_off else None,
        _w("autoSpaceDN", val=0) if autospace_off else None,
        _w("spacing", before=0, after=0, line=line_twips, lineRule="exact" if exact else "auto"),
        _w("ind", firstLineChars=FIRST_LINE_CHARS * 100, firstLine=first_line_twips)
        if first_line_twips
        else None,
        _w("jc", val=jc) if jc else None,
        _w("outlineLvl", val=outline_level) if outline_level is not None else None,
    )


# --- styles ------------------------------------------------------------------------------------


def _heading_run_props(style: StyleSettings, level: int) -> BaseOxmlElement:
    east_asia = {1: style.heading1_font, 2: style.heading2_font}.get(level, style.body_font)
    # a 黑体 heading keeps its digits in 黑体; the other levels use the Latin font like the body
    latin = style.heading1_font if level == 1 else style.latin_font
    bold = style.heading_bold[level]
    fonts = _fonts(east_asia, latin)
    return _run_props(fonts, style.body_size_pt, bold=bold, spacing_pt=style.char_spacing_pt)


def _paragraph_styles(style: StyleSettings) -> dict[str, tuple[BaseOxmlElement, BaseOxmlElement]]:
    """Style id → (pPr, rPr) of every paragraph style the report uses."""
    line = pt_to_twips(style.line_spacing_pt)
    indent = FIRST_LINE_CHARS * char_twips(style.body_size_pt)

    def text_block(**extra: object) -> BaseOxmlElement:
        return _para_props(
            line_twips=line, jc="both", first_line_twips=indent, widow_control_off=True, **extra
        )

    def body_run(spacing_pt: float = style.char_spacing_pt) -> BaseOxmlElement:
        fonts = _fonts(style.body_font, style.latin_font)
        return _run_props(fonts, style.body_size_pt, spacing_pt=spacing_pt)

    def table_run(bold: bool) -> BaseOxmlElement:
        return _run_props(_fonts(style.body_font, style.latin_font), style.table_size_pt, bold=bold)

    title_line = pt_to_twips(style.title_line_spacing_pt)
    styles = {
        "GW-Title": (
            _para_props(line_twips=title_line, jc="center", keep_next=True),
            _run_props(_fonts(style.title_font, style.title_font), style.title_size_pt),
        ),
        "GW-Lead": (text_block(), body_run()),
        "GW-Body": (text_block(), body_run()),
        "GW-Table": (_para_props(line_twips=SINGLE_LINE, exact=False, jc="center"), table_run(False)),
        "GW-TableHeader": (
            _para_props(line_twips=SINGLE_LINE, exact=False, jc="center"),
            table_run(style.table_header_bold),
        ),
        # no character spacing and no extra space between CJK and digits: the sign-off indents
        # are computed from widths of 1 em per character and ½ em per digit
        "GW-Sign": (
            _para_props(line_twips=line, jc="right", keep_next=True, autospace_off=True),
            body_run(0),
        ),
        "GW-Date": (_para_props(line_twips=line, jc="right", autospace_off=True), body_run(0)),
        "GW-Footer": (
            _para_props(line_twips=SINGLE_LINE, exact=False),
            _run_props(_fonts(style.footer_font, style.footer_font), style.footer_size_pt),
        ),
    }
    for level in HEADING_LEVELS:
        styles[f"GW-H{level}"] = (
            text_block(keep_next=True, outline_level=level - 1),
            _heading_run_props(style, level),
        )
    return styles


def _style_element(kind: str, style_id: str, *props: BaseOxmlElement) -> BaseOxmlElement:
    name = _w("name", val=style_id)
    return _w("style", name, _w("qFormat"), *props, type=kind, customStyle=1, styleId=style_id)


def _define_styles(styles: BaseOxmlElement, style: StyleSettings) -> None:
    for style_id, (ppr, rpr) in _paragraph_styles(style).items():
        styles.append(_style_element("paragraph", style_id, ppr, rpr))
    for level in HEADING_LEVELS:
        span_props = _heading_run_props(style, level)
        styles.append(_style_element("character", f"GW-HeadingSpan-{level}", span_props))


def _rewrite_doc_defaults(styles: BaseOxmlElement, style: StyleSettings) -> None:
    latin = style.latin_font
    half_points = round(style.body_size_pt * 2)
    line = pt_to_twips(style.line_spacing_pt)
    defaults = _w(
        "docDefaults",
        _w(
            "rPrDefault",
            _w(
                "rPr",
                _w("rFonts", ascii=latin, hAnsi=latin, eastAsia=style.body_font, cs=latin),
                _w("sz", val=half_points),
                _w("szCs", val=half_points),
                _w("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"),
            ),
        ),
        _w("pPrDefault", _w("pPr", _w("spacing", before=0, after=0, line=line, lineRule="exact"))),
    )
    styles.replace(styles.find(qn("w:docDefaults")), defaults)


def _strip_theme_fonts(styles: BaseOxmlElement) -> None:
    # theme attributes override explicit font names at the same level and resolve to a Japanese font
    for rfonts in styles.iter(qn("w:rFonts")):
        for attribute in _THEME_FONT_ATTRIBUTES:
            rfonts.attrib.pop(attribute, None)


def _drop_table_styles(styles: BaseOxmlElement) -> None:
    # the template's 99 table styles are 300 KB of styles.xml that every report would parse, write and
    # compress; the report's tables are formatted directly, so only the default (Table Normal) stays
    for element in styles.findall(qn("w:style")):
        if element.get(qn("w:type")) == "table" and element.get(qn("w:default")) != "1":
            styles.remove(element)


def _drop_styles_with_effects(doc: Document) -> None:
    # a stale copy of the template's styles (theme fonts included) that no longer matches styles.xml
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rel_id)


# --- package-level settings --------------------------------------------------------------------


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
            _w(
                "font",
                _w("altName", val=alt_name) if alt_name else None,
                _w("charset", val="86"),  # GB2312
                _w("family", val="modern"),
                _w("pitch", val="fixed"),
                name=name,
            )
        )
    # python-docx loads fontTable.xml as an opaque part, so its bytes are replaced
    part._blob = serialize_part_xml(fonts)


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


def _write_page_number(
    paragraph: Paragraph, side: Literal["left", "right"], indent: int, sample: str
) -> None:
    """Make the paragraph "— N —" on the outer side, indented one character from the margin."""
    p = paragraph._p
    for child in list(p):
        p.remove(child)
    indent_from_margin = _w("ind", **{side: indent}, firstLine=0)
    p.append(_w("pPr", _w("pStyle", val="GW-Footer"), indent_from_margin, _w("jc", val=side)))
    p.extend(
        [
            _run("— "),
            _field_char("begin"),
            _w("r", _text_element("instrText", " PAGE ")),
            _field_char("separate"),
            _run(sample),  # cached result, replaced by the page number when rendered
            _field_char("end"),
            _run(" —"),
        ]
    )


def _add_page_number_footers(section: Section, style: StyleSettings) -> None:
    indent = char_twips(style.footer_size_pt)
    section.different_first_page_header_footer = False  # page 1 is numbered too
    _write_page_number(section.footer.paragraphs[0], "right", indent, "1")
    _write_page_number(section.even_page_footer.paragraphs[0], "left", indent, "2")


def new_document(style: StyleSettings) -> Document:
    """An empty A4 document carrying the page setup, defaults, GW-* styles and page-number footers."""
    return docx.Document(io.BytesIO(_blank_document(style.model_dump_json())))


@lru_cache(maxsize=8)
def _blank_document(style_json: str) -> bytes:
    # set up once per style and reopened from its bytes: a batch build makes hundreds of reports
    style = StyleSettings.model_validate_json(style_json)
    doc = docx.Document()
    _set_page_geometry(doc.sections[0], style)
    _drop_styles_with_effects(doc)
    styles = doc.styles.element
    _rewrite_doc_defaults(styles, style)
    _strip_theme_fonts(styles)
    _drop_table_styles(styles)
    _define_styles(styles, style)
    _configure_settings(doc)
    _add_font_table_hints(doc, style)
    _add_page_number_footers(doc.sections[0], style)
    blank = io.BytesIO()
    doc.save(blank)
    return blank.getvalue()


# --- content -----------------------------------------------------------------------------------


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


# --- tables ------------------------------------------------------------------------------------


def _text_width_twips(table: Table) -> int:
    section = table.part.document.sections[-1]
    width_mm = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    # margins are set in mm and each was rounded to twips; undo that drift (156 mm → 8844, not 8845)
    return mm_to_twips(round(width_mm, 1))


def _fit_column_widths(widths_mm: Sequence[float], total_twips: int) -> list[int]:
    """Column widths in twips, proportional to widths_mm and summing exactly to total_twips."""
    whole = sum(widths_mm)
    edges = [0, *(round(total_twips * edge / whole) for edge in accumulate(widths_mm))]
    return [right - left for left, right in zip(edges, edges[1:])]


def _table_props(tbl_pr: BaseOxmlElement, width: int, cell_margin: int) -> None:
    border = {"val": "single", "sz": 4, "space": 0, "color": "auto"}  # sz in eighths: ½ pt
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    for element in (
        _w("tblW", w=width, type="dxa"),
        _w("jc", val="center"),
        _w("tblInd", w=0, type="dxa"),
        _w("tblBorders", *(_w(side, **border) for side in sides)),
        # fixed: column widths hold whatever the text, so table 四 stays inside the text block
        _w("tblLayout", type="fixed"),
        _w(
            "tblCellMar",
            _w("top", w=0, type="dxa"),
            _w("left", w=cell_margin, type="dxa"),
            _w("bottom", w=0, type="dxa"),
            _w("right", w=cell_margin, type="dxa"),
        ),
    ):
        _put_in_order(tbl_pr, element, _TBL_PR_ORDER)


def style_table(table: Table, col_widths_mm: Sequence[float], tight_margins: bool = False) -> list[int]:
    """Rule and size a table to span the text block; returns the column widths in twips.

    col_widths_mm are scaled to the text-block width (156 mm by default); tight_margins narrows the
    cell padding for the 15 columns of table 四.
    """
    tbl = table._tbl
    grid_cols = tbl.tblGrid.gridCol_lst
    if len(col_widths_mm) != len(grid_cols) or min(col_widths_mm) <= 0:
        raise ValueError(f"need {len(grid_cols)} positive column widths, got {list(col_widths_mm)}")
    widths = _fit_column_widths(col_widths_mm, _text_width_twips(table))
    margin = TIGHT_TABLE_CELL_MARGIN_TWIPS if tight_margins else TABLE_CELL_MARGIN_TWIPS
    _table_props(tbl.tblPr, sum(widths), margin)
    for grid_col, width in zip(grid_cols, widths):
        grid_col.w = Twips(width)
    return widths
