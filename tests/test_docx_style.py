"""The DOCX layout: every check reads the XML of a document saved to disk and opened again."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from lxml import etree
from pydantic import ValidationError

from reportgen import docx_style as ds
from reportgen.settings import StyleSettings

AGENCY = "福州高新技术产业开发区"
TITLE = f"{AGENCY}2020年政府信息公开工作年度报告"
LONG_AGENCY = "中国（福建）自由贸易试验区福州片区管理委员会办公室"  # 25 characters
SIGN_NAME = "福田区企业发展服务中心"
SIGN_DATE = "2021年1月19日"


def reopen(doc, tmp_path: Path):
    path = tmp_path / "report.docx"
    doc.save(path)
    return docx.Document(str(path))


def part_xml(doc, tmp_path: Path, name: str):
    path = tmp_path / "parts.docx"
    doc.save(path)
    with zipfile.ZipFile(path) as package:
        return parse_xml(package.read(name))


def xpath(element, path: str) -> list:
    """XPath with the w: prefix on any element, python-docx's own classes or plain lxml."""
    return etree.XPath(path, namespaces=nsmap)(element)


def attr(element, path: str, name: str) -> str | None:
    found = xpath(element, path)
    assert found, f"{path} missing"
    return found[0].get(qn(f"w:{name}"))


def style_el(doc, style_id: str):
    (style,) = doc.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')
    return style


def paragraphs_in(doc, style_id: str):
    return [p for p in doc.paragraphs if p.style.style_id == style_id]


@pytest.fixture
def settings() -> StyleSettings:
    return StyleSettings()


@pytest.fixture
def doc(settings):
    return ds.new_document(settings)


# --- page, defaults, package settings ----------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins_and_no_grid(doc, tmp_path):
    sect_pr = reopen(doc, tmp_path).sections[0]._sectPr
    assert (attr(sect_pr, "w:pgSz", "w"), attr(sect_pr, "w:pgSz", "h")) == ("11906", "16838")
    margins = {side: attr(sect_pr, "w:pgMar", side) for side in ("top", "bottom", "left", "right", "footer")}
    assert margins == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474", "footer": "1417"}
    assert attr(sect_pr, "w:docGrid", "linePitch") == "579"
    assert attr(sect_pr, "w:docGrid", "type") is None
    assert not sect_pr.xpath("w:titlePg")


def test_doc_defaults_name_the_body_font_in_chinese(doc, tmp_path):
    styles = reopen(doc, tmp_path).styles.element
    fonts = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")[0]
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert attr(styles, "w:docDefaults/w:rPrDefault/w:rPr/w:sz", "val") == "32"
    assert attr(styles, "w:docDefaults/w:rPrDefault/w:rPr/w:lang", "eastAsia") == "zh-CN"
    assert attr(styles, "w:docDefaults/w:pPrDefault/w:pPr/w:spacing", "line") == "579"
    assert attr(styles, "w:docDefaults/w:pPrDefault/w:pPr/w:spacing", "lineRule") == "exact"


def test_no_theme_font_attribute_is_left_in_styles(doc, tmp_path):
    styles = part_xml(doc, tmp_path, "word/styles.xml")
    theme_attributes = {
        name
        for element in styles.iter()
        for name in element.attrib
        if re.search(r"}(\w+Theme|cstheme)$", name)
    }
    assert theme_attributes == set()


def test_settings_declare_odd_even_footers_and_chinese_theme_language(doc, tmp_path):
    settings = reopen(doc, tmp_path).settings.element
    assert settings.xpath("w:evenAndOddHeaders")
    assert attr(settings, "w:themeFontLang", "eastAsia") == "zh-CN"
    assert attr(settings, "w:characterSpacingControl", "val") == "doNotCompress"


def test_font_table_names_fallbacks_for_the_official_fonts(doc, tmp_path):
    fonts = part_xml(doc, tmp_path, "word/fontTable.xml")
    alt_names = {
        font.get(qn("w:name")): attr(font, "w:altName", "val")
        for font in xpath(fonts, "w:font[w:charset/@w:val='86']")
    }
    assert alt_names == {
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "黑体": "SimHei",
        "方正小标宋简体": "FZXiaoBiaoSong-B05S",
        "宋体": "SimSun",
    }


def test_stale_styles_with_effects_part_is_not_written(doc, tmp_path):
    path = tmp_path / "report.docx"
    doc.save(path)
    assert "word/stylesWithEffects.xml" not in zipfile.ZipFile(path).namelist()


# --- paragraph styles --------------------------------------------------------------------------


def test_body_style_has_exact_line_char_spacing_and_two_char_indent(doc, tmp_path):
    body = style_el(reopen(doc, tmp_path), "GW-Body")
    assert attr(body, "w:pPr/w:spacing", "line") == "579"
    assert attr(body, "w:pPr/w:spacing", "lineRule") == "exact"
    assert attr(body, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(body, "w:pPr/w:ind", "firstLine") == "640"
    assert attr(body, "w:pPr/w:widowControl", "val") == "0"
    assert attr(body, "w:pPr/w:jc", "val") == "both"
    assert attr(body, "w:rPr/w:spacing", "val") == "-5"
    assert attr(body, "w:rPr/w:sz", "val") == "32"
    assert attr(body, "w:rPr/w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert attr(body, "w:rPr/w:rFonts", "ascii") == "Times New Roman"


def test_first_line_indent_scales_with_body_size(tmp_path):
    body = style_el(reopen(ds.new_document(StyleSettings(body_size_pt=15)), tmp_path), "GW-Body")
    assert attr(body, "w:pPr/w:ind", "firstLine") == "600"
    assert attr(body, "w:rPr/w:sz", "val") == "30"


def test_title_style_is_centred_22pt_exact_35pt_not_bold(doc, tmp_path):
    title = style_el(reopen(doc, tmp_path), "GW-Title")
    assert attr(title, "w:pPr/w:jc", "val") == "center"
    assert attr(title, "w:pPr/w:spacing", "line") == "700"
    assert title.xpath("w:pPr/w:keepNext")
    assert attr(title, "w:rPr/w:sz", "val") == "44"
    assert attr(title, "w:rPr/w:rFonts", "eastAsia") == "方正小标宋简体"
    assert attr(title, "w:rPr/w:rFonts", "ascii") == "方正小标宋简体"  # digits stay in the title font
    assert not title.xpath("w:rPr/w:b")


@pytest.mark.parametrize(
    ("level", "font"), [(1, "黑体"), (2, "楷体_GB2312"), (3, "仿宋_GB2312"), (4, "仿宋_GB2312")]
)
def test_heading_styles_use_the_level_font_and_outline_level(doc, tmp_path, level, font):
    reopened = reopen(doc, tmp_path)
    for style_id in (f"GW-H{level}", f"GW-HeadingSpan-{level}"):
        style = style_el(reopened, style_id)
        assert attr(style, "w:rPr/w:rFonts", "eastAsia") == font
        assert attr(style, "w:rPr/w:sz", "val") == "32"
        assert not style.xpath("w:rPr/w:b")
    heading = style_el(reopened, f"GW-H{level}")
    assert attr(heading, "w:pPr/w:outlineLvl", "val") == str(level - 1)
    assert attr(heading, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(heading, "w:pPr/w:spacing", "line") == "579"
    assert heading.xpath("w:pPr/w:keepNext")


def test_heading_bold_is_configurable_per_level(tmp_path):
    doc = reopen(ds.new_document(StyleSettings(heading_bold={2: True}, table_header_bold=True)), tmp_path)
    assert style_el(doc, "GW-H2").xpath("w:rPr/w:b")
    assert style_el(doc, "GW-HeadingSpan-2").xpath("w:rPr/w:b")
    assert not style_el(doc, "GW-H1").xpath("w:rPr/w:b")
    assert not style_el(doc, "GW-H3").xpath("w:rPr/w:b")
    assert style_el(doc, "GW-TableHeader").xpath("w:rPr/w:b")
    assert not style_el(doc, "GW-Table").xpath("w:rPr/w:b")


def test_table_styles_are_single_spaced_at_table_size(doc, tmp_path):
    table_style = style_el(reopen(doc, tmp_path), "GW-Table")
    assert attr(table_style, "w:rPr/w:sz", "val") == "21"
    assert attr(table_style, "w:pPr/w:spacing", "line") == "240"
    assert attr(table_style, "w:pPr/w:spacing", "lineRule") == "auto"
    assert not table_style.xpath("w:pPr/w:ind")


# --- title ---------------------------------------------------------------------------------------


def test_title_splits_agency_from_year_text(doc, tmp_path):
    ds.add_title(doc, AGENCY, TITLE)
    reopened = reopen(doc, tmp_path)
    assert [p.text for p in paragraphs_in(reopened, "GW-Title")] == [AGENCY, "2020年政府信息公开工作年度报告"]
    first_after_title = reopened.paragraphs[2]
    assert first_after_title.style.style_id == "GW-Body"
    assert first_after_title.text == ""


def test_long_agency_name_breaks_after_an_administrative_unit(doc, tmp_path):
    ds.add_title(doc, LONG_AGENCY, f"{LONG_AGENCY}2021年政府信息公开工作年度报告")
    lines = [p.text for p in paragraphs_in(reopen(doc, tmp_path), "GW-Title")]
    assert lines == ["中国（福建）自由贸易试验区福州片区", "管理委员会办公室", "2021年政府信息公开工作年度报告"]
    assert all(len(line) <= 20 for line in lines)


def test_title_without_agency_prefix_splits_at_the_year():
    assert ds.title_lines("某某局", "福州市某某局2022年政府信息公开工作年度报告") == [
        "福州市某某局",
        "2022年政府信息公开工作年度报告",
    ]


def test_title_without_break_point_is_cut_at_20_characters():
    lines = ds.title_lines("", "政" * 45)
    assert [len(line) for line in lines] == [20, 20, 5]


def test_title_does_not_break_inside_market_supervision():
    # the 17th character 市 starts 市场, so the last break within 20 characters is after 区
    assert ds.title_lines("", "某某市某某区某某某某某某某某某某市场监督管理局") == [
        "某某市某某区",
        "某某某某某某某某某某市场监督管理局",
    ]


# --- headings and body ---------------------------------------------------------------------------


def test_run_in_heading_puts_only_the_heading_span_in_the_heading_font(doc, tmp_path):
    ds.add_heading(doc, 2, "（一）主动公开。", "全年主动公开政府信息1234条。")
    reopened = reopen(doc, tmp_path)
    (paragraph,) = paragraphs_in(reopened, "GW-Body")
    heading_run, body_run = paragraph.runs
    assert heading_run.style.style_id == "GW-HeadingSpan-2"
    assert heading_run.text == "（一）主动公开。"
    assert attr(style_el(reopened, "GW-HeadingSpan-2"), "w:rPr/w:rFonts", "eastAsia") == "楷体_GB2312"
    assert body_run.style.style_id == "DefaultParagraphFont"
    assert body_run._r.rPr is None
    assert body_run.text == "全年主动公开政府信息1234条。"


def test_standalone_heading_uses_the_level_style(doc, tmp_path):
    ds.add_heading(doc, 1, "一、总体情况")
    (paragraph,) = paragraphs_in(reopen(doc, tmp_path), "GW-H1")
    assert paragraph.text == "一、总体情况"


@pytest.mark.parametrize("level", [0, 5])
def test_heading_level_outside_1_to_4_is_rejected(doc, level):
    with pytest.raises(ValueError):
        ds.add_heading(doc, level, "五级标题")


def test_control_characters_do_not_break_the_package(doc, tmp_path):
    ds.add_title(doc, AGENCY, TITLE + "\x00")
    ds.add_body(doc, "响铃\x07换行\x0b制表\t结束\x1f\ufffe")
    ds.add_heading(doc, 3, "1.\x08", "正文\x0c")
    reopened = reopen(doc, tmp_path)
    assert "响铃换行 制表 结束" in [p.text for p in reopened.paragraphs]


def test_lead_style_can_be_chosen(doc, tmp_path):
    ds.add_body(doc, "本报告根据条例编制。", style="GW-Lead")
    assert [p.text for p in paragraphs_in(reopen(doc, tmp_path), "GW-Lead")] == ["本报告根据条例编制。"]


# --- sign-off ------------------------------------------------------------------------------------


def sign_off_xml(doc, tmp_path):
    paragraphs = reopen(doc, tmp_path).paragraphs
    styles = [p.style.style_id for p in paragraphs]
    name, date = paragraphs[styles.index("GW-Sign")], paragraphs[styles.index("GW-Date")]
    before_name = [p.text for p in paragraphs[: styles.index("GW-Sign")]]
    blank_before = next(count for count, text in enumerate(reversed(before_name)) if text)
    indents = [
        (attr(p._p, "w:pPr/w:ind", "rightChars"), attr(p._p, "w:pPr/w:ind", "right")) for p in (name, date)
    ]
    return name.text, date.text, blank_before, indents


def test_sealed_sign_off_centres_the_name_over_the_date(doc, settings, tmp_path):
    ds.add_body(doc, "正文最后一段。")
    ds.add_sign_off(doc, SIGN_NAME, SIGN_DATE, settings)
    name, date, blank_before, indents = sign_off_xml(doc, tmp_path)
    assert (name, date, blank_before) == (SIGN_NAME, SIGN_DATE, 2)
    # date 6.5 em, name 11 em: name indent 4 + (6.5 − 11) / 2 = 1.75 characters
    assert indents == [("175", "560"), ("400", "1280")]


def test_sealed_sign_off_never_indents_negatively():
    assert ds.sign_off_indents("中华人民共和国某某省某某市人民政府办公室", SIGN_DATE, "sealed") == (0.0, 4.0)


def test_unsealed_sign_off_shifts_the_date_two_characters_right_of_the_name(tmp_path):
    settings = StyleSettings(sign_off_layout="unsealed")
    doc = ds.new_document(settings)
    ds.add_body(doc, "正文最后一段。")
    ds.add_sign_off(doc, SIGN_NAME, SIGN_DATE, settings)
    name, date, blank_before, indents = sign_off_xml(doc, tmp_path)
    assert (name, date, blank_before) == (SIGN_NAME, SIGN_DATE, 1)
    # name 2 from the right; date 2 + 11 − 6.5 − 2 = 4.5
    assert indents == [("200", "640"), ("450", "1440")]


def test_unsealed_sign_off_with_a_long_date_keeps_the_date_two_from_the_margin():
    name_indent, date_indent = ds.sign_off_indents("某某局", SIGN_DATE, "unsealed")
    assert date_indent == 2
    # the date's first character stays 2 characters right of the name's first character
    assert (name_indent + ds.em_width("某某局")) - (date_indent + ds.em_width(SIGN_DATE)) == 2


def test_sign_off_lines_switch_off_cjk_latin_autospace(doc, tmp_path):
    reopened = reopen(doc, tmp_path)
    for style_id in ("GW-Sign", "GW-Date"):
        assert attr(style_el(reopened, style_id), "w:pPr/w:autoSpaceDN", "val") == "0"


# --- footers -------------------------------------------------------------------------------------


def test_odd_and_even_footers_carry_the_page_number_on_the_outer_side(doc, tmp_path):
    section = reopen(doc, tmp_path).sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        (paragraph,) = footer.paragraphs
        p = paragraph._p
        texts = [t.text for t in p.xpath("w:r/w:t")]
        assert texts[0] == "— " and texts[-1] == " —"
        assert [i.text for i in p.xpath("w:r/w:instrText")] == [" PAGE "]
        assert p.xpath("w:r/w:fldChar/@w:fldCharType") == ["begin", "separate", "end"]
        assert paragraph.style.style_id == "GW-Footer"
        assert attr(p, "w:pPr/w:jc", "val") == side
        assert attr(p, "w:pPr/w:ind", side) == "280"
        assert attr(p, "w:pPr/w:ind", "firstLine") == "0"


def test_footer_style_is_songti_14pt(doc, tmp_path):
    footer = style_el(reopen(doc, tmp_path), "GW-Footer")
    assert attr(footer, "w:rPr/w:rFonts", "eastAsia") == "宋体"
    assert attr(footer, "w:rPr/w:rFonts", "ascii") == "宋体"
    assert attr(footer, "w:rPr/w:sz", "val") == "28"


# --- settings ------------------------------------------------------------------------------------


def test_partial_heading_bold_table_is_completed():
    assert StyleSettings(heading_bold={"3": True}).heading_bold == {1: False, 2: False, 3: True, 4: False}


@pytest.mark.parametrize(
    "bad",
    [
        {"heading_bold": {5: True}},
        {"body_size_pt": 0},
        {"table_size_pt": 10.3},
        {"margin_left_mm": 120, "margin_right_mm": 100},
        {"footer_distance_mm": 40},
        {"body_font": ""},
        {"sign_off_layout": "stamped"},
        {"unknown_setting": 1},
    ],
)
def test_invalid_style_settings_are_rejected(bad):
    with pytest.raises(ValidationError):
        StyleSettings(**bad)


def test_every_setting_is_described_in_chinese():
    for name, field in StyleSettings.model_fields.items():
        assert field.description and re.search(r"[\u4e00-\u9fff]", field.description), name
