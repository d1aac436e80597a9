"""The report's styles.xml: document defaults and GW-* styles, read back from a saved DOCX; style settings."""

from __future__ import annotations

import re

import pytest
from docx.oxml.ns import qn
from pydantic import ValidationError

from reportgen.document.blank import new_document
from reportgen.profile.style import StyleSettings
from tests.docxparts import attr, part_xml, reopen, style_el

# --- document defaults -------------------------------------------------------------------------


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


# --- paragraph and character styles ------------------------------------------------------------


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
    body = style_el(reopen(new_document(StyleSettings(body_size_pt=15)), tmp_path), "GW-Body")
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
    doc = reopen(new_document(StyleSettings(heading_bold={2: True}, table_header_bold=True)), tmp_path)
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


def test_sign_off_lines_switch_off_cjk_latin_autospace(doc, tmp_path):
    reopened = reopen(doc, tmp_path)
    for style_id in ("GW-Sign", "GW-Date"):
        assert attr(style_el(reopened, style_id), "w:pPr/w:autoSpaceDN", "val") == "0"


def test_footer_style_is_songti_14pt(doc, tmp_path):
    footer = style_el(reopen(doc, tmp_path), "GW-Footer")
    assert attr(footer, "w:rPr/w:rFonts", "eastAsia") == "宋体"
    assert attr(footer, "w:rPr/w:rFonts", "ascii") == "宋体"
    assert attr(footer, "w:rPr/w:sz", "val") == "28"


# --- settings ----------------------------------------------------------------------------------


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
