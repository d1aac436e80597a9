"""Title, headings, body and sign-off: every check reads the XML of a document saved to disk and opened again."""

from __future__ import annotations

import pytest

from reportgen.document.blank import new_document
from reportgen.document.content import (
    add_body,
    add_heading,
    add_sign_off,
    add_title,
    em_width,
    sign_off_indents,
    title_lines,
)
from reportgen.profile.style import StyleSettings
from tests.docxparts import attr, paragraphs_in, reopen, style_el

AGENCY = "福州高新技术产业开发区"
TITLE = f"{AGENCY}2020年政府信息公开工作年度报告"
LONG_AGENCY = "中国（福建）自由贸易试验区福州片区管理委员会办公室"  # 25 characters
SIGN_NAME = "福田区企业发展服务中心"
SIGN_DATE = "2021年1月19日"


# --- title -------------------------------------------------------------------------------------


def test_title_splits_agency_from_year_text(doc, tmp_path):
    add_title(doc, AGENCY, TITLE)
    reopened = reopen(doc, tmp_path)
    assert [p.text for p in paragraphs_in(reopened, "GW-Title")] == [AGENCY, "2020年政府信息公开工作年度报告"]
    first_after_title = reopened.paragraphs[2]
    assert first_after_title.style.style_id == "GW-Body"
    assert first_after_title.text == ""


def test_long_agency_name_breaks_after_an_administrative_unit(doc, tmp_path):
    add_title(doc, LONG_AGENCY, f"{LONG_AGENCY}2021年政府信息公开工作年度报告")
    lines = [p.text for p in paragraphs_in(reopen(doc, tmp_path), "GW-Title")]
    assert lines == ["中国（福建）自由贸易试验区福州片区", "管理委员会办公室", "2021年政府信息公开工作年度报告"]
    assert all(len(line) <= 20 for line in lines)


def test_title_without_agency_prefix_splits_at_the_year():
    assert title_lines("某某局", "福州市某某局2022年政府信息公开工作年度报告") == [
        "福州市某某局",
        "2022年政府信息公开工作年度报告",
    ]


def test_title_without_break_point_is_cut_at_20_characters():
    lines = title_lines("", "政" * 45)
    assert [len(line) for line in lines] == [20, 20, 5]


def test_title_does_not_break_inside_market_supervision():
    # the 17th character 市 starts 市场, so the last break within 20 characters is after 区
    assert title_lines("", "某某市某某区某某某某某某某某某某市场监督管理局") == [
        "某某市某某区",
        "某某某某某某某某某某市场监督管理局",
    ]


# --- headings and body -------------------------------------------------------------------------


def test_run_in_heading_puts_only_the_heading_span_in_the_heading_font(doc, tmp_path):
    add_heading(doc, 2, "（一）主动公开。", "全年主动公开政府信息1234条。")
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
    add_heading(doc, 1, "一、总体情况")
    (paragraph,) = paragraphs_in(reopen(doc, tmp_path), "GW-H1")
    assert paragraph.text == "一、总体情况"


@pytest.mark.parametrize("level", [0, 5])
def test_heading_level_outside_1_to_4_is_rejected(doc, level):
    with pytest.raises(ValueError):
        add_heading(doc, level, "五级标题")


def test_control_characters_do_not_break_the_package(doc, tmp_path):
    add_title(doc, AGENCY, TITLE + "\x00")
    add_body(doc, "响铃\x07换行\x0b制表\t结束\x1f\ufffe")
    add_heading(doc, 3, "1.\x08", "正文\x0c")
    reopened = reopen(doc, tmp_path)
    assert "响铃换行 制表 结束" in [p.text for p in reopened.paragraphs]


def test_lead_style_can_be_chosen(doc, tmp_path):
    add_body(doc, "本报告根据条例编制。", style="GW-Lead")
    assert [p.text for p in paragraphs_in(reopen(doc, tmp_path), "GW-Lead")] == ["本报告根据条例编制。"]


# --- sign-off ----------------------------------------------------------------------------------


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
    add_body(doc, "正文最后一段。")
    add_sign_off(doc, SIGN_NAME, SIGN_DATE, settings)
    name, date, blank_before, indents = sign_off_xml(doc, tmp_path)
    assert (name, date, blank_before) == (SIGN_NAME, SIGN_DATE, 2)
    # date 6.5 em, name 11 em: name indent 4 + (6.5 − 11) / 2 = 1.75 characters
    assert indents == [("175", "560"), ("400", "1280")]


def test_sealed_sign_off_never_indents_negatively():
    assert sign_off_indents("中华人民共和国某某省某某市人民政府办公室", SIGN_DATE, "sealed") == (0.0, 4.0)


def test_unsealed_sign_off_shifts_the_date_two_characters_right_of_the_name(tmp_path):
    settings = StyleSettings(sign_off_layout="unsealed")
    doc = new_document(settings)
    add_body(doc, "正文最后一段。")
    add_sign_off(doc, SIGN_NAME, SIGN_DATE, settings)
    name, date, blank_before, indents = sign_off_xml(doc, tmp_path)
    assert (name, date, blank_before) == (SIGN_NAME, SIGN_DATE, 1)
    # name 2 from the right; date 2 + 11 − 6.5 − 2 = 4.5
    assert indents == [("200", "640"), ("450", "1440")]


def test_unsealed_sign_off_with_a_long_date_keeps_the_date_two_from_the_margin():
    name_indent, date_indent = sign_off_indents("某某局", SIGN_DATE, "unsealed")
    assert date_indent == 2
    # the date's first character stays 2 characters right of the name's first character
    assert (name_indent + em_width("某某局")) - (date_indent + em_width(SIGN_DATE)) == 2
