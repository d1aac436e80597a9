"""The built report as an issued official document: style facts in the DOCX, and the PDF LibreOffice makes of it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from reportgen.api import build_report, create_template
from reportgen.cli import main
from reportgen.profile.templates import load_profile
from tests import pdftools
from tests.pdftools import needs_soffice
from tests.seeds import SAMPLE_2021, sample_path, seed_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_BLOCK_TOLERANCE_MM = 0.3  # a ½ pt border is drawn centred on the table edge


@pytest.fixture(scope="session")
def fuzhou_docx(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("fuzhou") / "福州高新区-2020.docx"
    assert build_report(sample_path("003"), output).output == output
    return output


@pytest.fixture(scope="session")
def fuzhou_pdf(fuzhou_docx) -> Path:
    """The 福州 sample converted once per session: LibreOffice takes seconds."""
    from reportgen.document.pdf import convert_to_pdf

    return convert_to_pdf(fuzhou_docx, fuzhou_docx.with_suffix(".pdf"))


def _style(document, style_id: str):
    return document.styles.element.find(f"{W}style[@{W}styleId='{style_id}']")


def _attr(element, path: str, name: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{W}{name}")


def test_page_size_margins_and_footer_distance(fuzhou_docx):
    section = docx.Document(str(fuzhou_docx)).sections[0]._sectPr
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert {key: margins.get(f"{W}{key}") for key in ("top", "bottom", "left", "right", "footer")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474", "footer": "1417"}
    assert section.find(f"{W}titlePg") is None


def test_fonts_sizes_spacing_and_indent_live_in_named_styles(fuzhou_docx):
    document = docx.Document(str(fuzhou_docx))
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert _attr(defaults, f"{W}rFonts", "eastAsia") == "仿宋_GB2312"
    assert _attr(defaults, f"{W}rFonts", "ascii") == "Times New Roman"
    assert _attr(defaults, f"{W}lang", "eastAsia") == "zh-CN"
    assert "Theme=" not in styles.xml  # theme fonts would override the named ones
    body = _style(document, "GW-Body")
    assert _attr(body, f"{W}pPr/{W}spacing", "line") == "579"
    assert _attr(body, f"{W}pPr/{W}spacing", "lineRule") == "exact"
    assert _attr(body, f"{W}pPr/{W}ind", "firstLineChars") == "200"
    assert _attr(body, f"{W}rPr/{W}spacing", "val") == "-5"
    assert _attr(body, f"{W}rPr/{W}sz", "val") == "32"
    fonts = {sid: _attr(_style(document, sid), f"{W}rPr/{W}rFonts", "eastAsia")
             for sid in ("GW-Title", "GW-H1", "GW-H2", "GW-H3", "GW-H4", "GW-Table")}
    assert fonts == {"GW-Title": "方正小标宋简体", "GW-H1": "黑体", "GW-H2": "楷体_GB2312", "GW-H3": "仿宋_GB2312",
                     "GW-H4": "仿宋_GB2312", "GW-Table": "仿宋_GB2312"}
    title = _style(document, "GW-Title")
    assert _attr(title, f"{W}rPr/{W}sz", "val") == "44"
    assert title.find(f"{W}rPr/{W}b") is None or _attr(title, f"{W}rPr/{W}b", "val") in ("0", "false")
    assert _attr(_style(document, "GW-Table"), f"{W}rPr/{W}sz", "val") == "21"


def test_every_paragraph_uses_a_named_style(fuzhou_docx):
    document = docx.Document(str(fuzhou_docx))
    used = {p.style.style_id for p in document.paragraphs}
    assert used <= {"GW-Title", "GW-Lead", "GW-Body", "GW-H1", "GW-H2", "GW-H3", "GW-H4", "GW-Sign", "GW-Date"}
    assert not document.element.body.findall(f".//{W}r/{W}rPr/{W}rFonts")  # no direct font formatting


def test_title_is_split_at_the_agency_name_and_never_longer_than_20(fuzhou_docx):
    document = docx.Document(str(fuzhou_docx))
    title = [p.text for p in document.paragraphs if p.style.style_id == "GW-Title"]
    assert title == ["福州高新技术产业开发区", "2020年政府信息公开工作年度报告"]
    assert all(len(line) <= 20 for line in title)


def test_odd_and_even_footers_carry_the_page_field(fuzhou_docx):
    document = docx.Document(str(fuzhou_docx))
    assert document.settings.element.find(f"{W}evenAndOddHeaders") is not None
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert "PAGE" in "".join(node.text for node in paragraph._p.iter(f"{W}instrText"))
        assert _attr(paragraph._p, f"{W}pPr/{W}jc", "val") == alignment
        assert _attr(paragraph._p, f"{W}pPr/{W}rPr/{W}rFonts", "eastAsia") in (None, "宋体")


def test_tables_are_156mm_centred_with_repeated_headers_and_rows_kept_whole(fuzhou_docx):
    document = docx.Document(str(fuzhou_docx))
    for table, header_rows in zip(document.tables, (0, 3, 3)):
        properties = table._tbl.tblPr
        assert _attr(properties, f"{W}tblW", "w") == "8844" and _attr(properties, f"{W}tblW", "type") == "dxa"
        assert _attr(properties, f"{W}jc", "val") == "center"
        rows = table._tbl.tr_lst
        repeated = [row.trPr is not None and row.trPr.find(qn("w:tblHeader")) is not None for row in rows]
        assert repeated == [index < header_rows for index in range(len(rows))]
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst) == 8844


def test_narrow_figure_columns_get_narrow_cell_margins(fuzhou_docx):
    """Tables 三 and 四 have figure columns about 10.5 mm wide: 1 mm margins keep two characters a line."""
    margins = [_attr(table._tbl.tblPr, f"{W}tblCellMar/{W}left", "w") for table in docx.Document(str(fuzhou_docx)).tables]
    assert margins == ["108", "57", "57"]


def test_zero_is_printed_as_0(fuzhou_docx):
    table4 = docx.Document(str(fuzhou_docx)).tables[2]
    assert [cell.text for cell in table4.rows[3].cells][5:10] == ["0", "0", "0", "0", "0"]


# --- sentences generated from the figures -------------------------------------------------------------------------


def _built_texts(tmp_path: Path, number: str, profile=None, leads=None) -> list[str]:
    report = seed_report(number)
    if leads:
        report.leads.update(leads)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    workbook = folder / f"{number}.xlsx"
    create_template(workbook, year=report.info.year, agency=report.info.agency, report=report)
    output = folder / f"{number}.docx"
    assert build_report(workbook, output, profile=profile).output == output
    return [p.text for p in docx.Document(str(output)).paragraphs]


def test_sentences_for_an_agency_with_no_applications_and_no_cases(tmp_path):
    texts = _built_texts(tmp_path, "002")
    assert "2020年，固原市投资促进服务中心未收到政府信息公开申请，无上年结转申请。" in texts
    assert "2020年，固原市投资促进服务中心未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。" in texts


def test_sentences_for_applications_without_carry_over(tmp_path):
    texts = _built_texts(tmp_path, "000")
    assert ("2020年，福田区企业发展服务中心新收政府信息公开申请3件，无上年结转申请；本年度办结3件，"
            "无结转下年度办理的申请。具体情况见下表。") in texts


def test_the_clerks_own_lead_wins(tmp_path):
    texts = _built_texts(tmp_path, "003", leads={"t3": "本年度依申请公开情况如下。"})
    assert "本年度依申请公开情况如下。" in texts
    assert not any(text.startswith("2020年，福州高新技术产业开发区新收") for text in texts)


def test_summary_in_section_one_is_optional(tmp_path):
    assert not any("共新收政府信息公开申请" in text for text in _built_texts(tmp_path, "003"))
    profile_dir = tmp_path / "summary-profile"
    profile_dir.mkdir()
    (profile_dir / "profile.toml").write_text('name = "概述"\nsection1_summary = true\n', encoding="utf-8")
    texts = _built_texts(tmp_path, "003", profile=load_profile(profile_dir))
    summary = ("2020年，福州高新技术产业开发区共新收政府信息公开申请40件、上年结转11件，办结38件，其中予以公开22件、"
               "部分公开8件；因政府信息公开工作被申请行政复议2件、提起行政诉讼1件。")
    assert texts[texts.index("一、总体情况") + 1] == summary


# --- the PDF a clerk would print ----------------------------------------------------------------------------------


@needs_soffice
def test_a_full_page_of_body_text_holds_22_lines(fuzhou_pdf):
    assert pdftools.body_line_count(fuzhou_pdf, 2) == 22


@needs_soffice
def test_page_numbers_on_every_page_odd_right_even_left(fuzhou_pdf):
    pages = pdftools.page_count(fuzhou_pdf)
    assert pdftools.footer_texts(fuzhou_pdf) == [f"— {n} —" for n in range(1, pages + 1)]
    for page in range(1, pages + 1):
        footer = next(line for line in pdftools.page_text_lines(fuzhou_pdf, page) if re.fullmatch(r"— \d+ —", line.text))
        assert (footer.x0 > 105) if page % 2 else (footer.x1 < 105), page


@needs_soffice
def test_every_table_lies_inside_the_text_block(fuzhou_pdf):
    boxes = [box for page in range(1, pdftools.page_count(fuzhou_pdf) + 1)
             for box in pdftools.table_boxes(fuzhou_pdf, page)]
    assert len(boxes) >= 3
    block = pdftools.A4_TEXT_BLOCK
    for left, right, top, bottom in boxes:
        assert left >= block.left - TEXT_BLOCK_TOLERANCE_MM and right <= block.right + TEXT_BLOCK_TOLERANCE_MM
        assert top >= block.top - TEXT_BLOCK_TOLERANCE_MM and bottom <= block.bottom + TEXT_BLOCK_TOLERANCE_MM


@needs_soffice
def test_each_role_renders_in_its_preview_substitute(fuzhou_pdf):
    fonts = pdftools.font_names(fuzhou_pdf)
    assert {"FandolFang-Regular", "FandolKai-Regular", "FandolSong-Regular"} <= fonts  # 仿宋, 楷体, 宋体 page numbers
    assert any(name.startswith("NotoSansCJK") for name in fonts)  # 黑体 headings
    assert any(name.startswith("NotoSerifCJK") and "SemiBold" in name for name in fonts)  # 方正小标宋简体 title


@needs_soffice
def test_build_pdf_writes_a_pdf_beside_the_docx(tmp_path):
    output = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["build", str(sample_path("000")), "-o", str(output), "--pdf"])
    assert result.exit_code == 0, result.output
    assert output.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_build_pdf_without_libreoffice_keeps_the_docx_and_explains(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_SOFFICE", str(tmp_path / "no-soffice"))
    output = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["build", str(sample_path("000")), "-o", str(output), "--pdf"])
    assert result.exit_code == 3
    assert "LibreOffice" in result.output and "已生成报告" in result.output
    assert output.exists() and not output.with_suffix(".pdf").exists()


def test_the_signature_never_stands_alone_on_a_page(fuzhou_docx):
    """GB/T 9704 7.3.5.5: the last paragraph, the blank lines and the name all keep with the next line."""
    paragraphs = docx.Document(str(fuzhou_docx)).paragraphs
    name = max(index for index, p in enumerate(paragraphs) if p.style.style_id == "GW-Sign")
    last_text = max(index for index, p in enumerate(paragraphs[:name]) if p.text)
    chain = paragraphs[last_text:name]
    assert all(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next for p in chain)


@needs_soffice
def test_the_last_page_carries_body_text_with_the_signature(tmp_path):
    """The 2021 sample's last paragraph used to end just too low for the sign-off to fit below it."""
    from reportgen.document.pdf import convert_to_pdf

    output = tmp_path / "临澜.docx"
    assert build_report(SAMPLE_2021, output).output == output
    pdf = convert_to_pdf(output, output.with_suffix(".pdf"))
    last = pdftools.body_lines(pdf, pdftools.page_count(pdf))
    assert [line.text for line in last][-2:] == ["临澜市人民政府", "2026年1月16日"]
    assert len(last) > 2


def test_the_sentence_before_a_table_stays_whole_and_with_its_table(fuzhou_docx):
    paragraphs = docx.Document(str(fuzhou_docx)).paragraphs
    lead = next(p for p in paragraphs if p.text.startswith("2020年，福州高新技术产业开发区新收"))
    assert lead.paragraph_format.keep_with_next and lead.paragraph_format.keep_together
