"""The blank report document: page, settings, font table, footers, read back from a saved DOCX."""

from __future__ import annotations

import zipfile

from docx.oxml.ns import qn

from tests.docxparts import attr, part_xml, reopen, xpath


def test_page_is_a4_with_gbt9704_margins_and_no_grid(doc, tmp_path):
    sect_pr = reopen(doc, tmp_path).sections[0]._sectPr
    assert (attr(sect_pr, "w:pgSz", "w"), attr(sect_pr, "w:pgSz", "h")) == ("11906", "16838")
    margins = {side: attr(sect_pr, "w:pgMar", side) for side in ("top", "bottom", "left", "right", "footer")}
    assert margins == {"top": "2098", "bottom": "1984", "left": "1587", "right": "1474", "footer": "1417"}
    assert attr(sect_pr, "w:docGrid", "linePitch") == "579"
    assert attr(sect_pr, "w:docGrid", "type") is None
    assert not sect_pr.xpath("w:titlePg")


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
