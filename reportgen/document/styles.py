"""styles.xml of the report: document defaults and the GW-* paragraph and character styles."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from reportgen.document.ooxml import char_twips, pt_to_twips, w_element
from reportgen.profile.style import HEADING_LEVELS, StyleSettings

SINGLE_LINE = 240  # w:line with lineRule auto: 240 = single spacing
FIRST_LINE_CHARS = 2

_THEME_FONT_ATTRIBUTES = tuple(
    qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
)


def define_report_styles(styles: BaseOxmlElement, style: StyleSettings) -> None:
    """Make the template's styles.xml the report's: body-font defaults, no theme fonts, GW-* styles."""
    _rewrite_doc_defaults(styles, style)
    _strip_theme_fonts(styles)
    _drop_table_styles(styles)
    _define_styles(styles, style)


# --- properties --------------------------------------------------------------------------------


def _fonts(east_asia: str, latin: str) -> BaseOxmlElement:
    # hint eastAsia: Word then sets ambiguous characters (“”、……、—) in the Chinese font
    return w_element("rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def _run_props(
    fonts: BaseOxmlElement, size_pt: float, *, bold: bool = False, spacing_pt: float = 0
) -> BaseOxmlElement:
    half_points = round(size_pt * 2)
    return w_element(
        "rPr",
        fonts,
        w_element("b") if bold else None,
        w_element("bCs") if bold else None,
        w_element("spacing", val=pt_to_twips(spacing_pt)) if spacing_pt else None,
        w_element("sz", val=half_points),
        w_element("szCs", val=half_points),
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
    return w_element(
        "pPr",
        w_element("keepNext") if keep_next else None,
        # widow control would move single lines and break the fixed 22 lines per page
        w_element("widowControl", val=0) if widow_control_off else None,
        w_element("autoSpaceDE", val=0) if autospace_off else None,
        w_element("autoSpaceDN", val=0) if autospace_off else None,
        w_element("spacing", before=0, after=0, line=line_twips, lineRule="exact" if exact else "auto"),
        w_element("ind", firstLineChars=FIRST_LINE_CHARS * 100, firstLine=first_line_twips)
        if first_line_twips
        else None,
        w_element("jc", val=jc) if jc else None,
        w_element("outlineLvl", val=outline_level) if outline_level is not None else None,
    )


# --- GW-* styles -------------------------------------------------------------------------------


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
    name = w_element("name", val=style_id)
    return w_element("style", name, w_element("qFormat"), *props, type=kind, customStyle=1, styleId=style_id)


def _define_styles(styles: BaseOxmlElement, style: StyleSettings) -> None:
    for style_id, (ppr, rpr) in _paragraph_styles(style).items():
        styles.append(_style_element("paragraph", style_id, ppr, rpr))
    for level in HEADING_LEVELS:
        span_props = _heading_run_props(style, level)
        styles.append(_style_element("character", f"GW-HeadingSpan-{level}", span_props))


# --- the template's own styles -----------------------------------------------------------------


def _rewrite_doc_defaults(styles: BaseOxmlElement, style: StyleSettings) -> None:
    latin = style.latin_font
    half_points = round(style.body_size_pt * 2)
    line = pt_to_twips(style.line_spacing_pt)
    defaults = w_element(
        "docDefaults",
        w_element(
            "rPrDefault",
            w_element(
                "rPr",
                w_element("rFonts", ascii=latin, hAnsi=latin, eastAsia=style.body_font, cs=latin),
                w_element("sz", val=half_points),
                w_element("szCs", val=half_points),
                w_element("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"),
            ),
        ),
        w_element(
            "pPrDefault",
            w_element("pPr", w_element("spacing", before=0, after=0, line=line, lineRule="exact")),
        ),
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
