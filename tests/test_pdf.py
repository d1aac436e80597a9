"""Tests of reportgen.document.pdf: DOCX → PDF through LibreOffice with the preview font aliases."""

from __future__ import annotations

import os
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reportgen.document.pdf import SOFFICE_ENV, convert_to_pdf, fontconfig_env
from reportgen.exceptions import OutputError, PdfConversionError
from tests import pdftools
from tests.pdftools import needs_soffice

HEADING = "一、总体情况"
SENTENCE = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息2024条，"
BODY_PARAGRAPHS = 24


def _set_fonts(run, east_asia: str, size_pt: float = 16, latin: str = "Times New Roman") -> None:
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    run.font.size = Pt(size_pt)


def _paragraph(container, text: str, east_asia: str = "仿宋_GB2312"):
    paragraph = container.add_paragraph()
    spacing = paragraph.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = Pt(28.95)
    spacing.space_before = spacing.space_after = Pt(0)
    # As in the style spec: without this a two-line paragraph moves whole to the next page.
    spacing.widow_control = False
    if text:
        _set_fonts(paragraph.add_run(text), east_asia)
    return paragraph


def _field_run(paragraph, char_type: str | None = None, instruction: str | None = None):
    run = paragraph.add_run()
    _set_fonts(run, "宋体", 14, latin="宋体")
    if char_type:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), char_type)
    else:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
    run._element.append(element)


def _add_page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    _set_fonts(paragraph.add_run("— "), "宋体", 14, latin="宋体")
    _field_run(paragraph, "begin")
    _field_run(paragraph, instruction=" PAGE ")
    _field_run(paragraph, "separate")
    _set_fonts(paragraph.add_run("1"), "宋体", 14, latin="宋体")
    _field_run(paragraph, "end")
    _set_fonts(paragraph.add_run(" —"), "宋体", 14, latin="宋体")


def _add_table(document) -> None:
    table = document.add_table(rows=3, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:w"), "8844")
    width.set(qn("w:type"), "dxa")
    for row in table.rows:
        for cell in row.cells:
            cell.width = Mm(39)
            _set_fonts(cell.paragraphs[0].add_run("信息内容"), "仿宋_GB2312", 10.5)


def build_docx(path: Path) -> Path:
    """A small A4 report: 黑体 heading, 仿宋_GB2312 body over several pages, a page-number footer, a table."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    _add_page_number_footer(section)
    _paragraph(document, HEADING, "黑体")
    for number in range(1, BODY_PARAGRAPHS + 1):
        _paragraph(document, f"{number}. {SENTENCE}依申请公开办理完毕。")
    _paragraph(document, "")
    _add_table(document)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    start = time.monotonic()
    pdf = convert_to_pdf(build_docx(folder / "report.docx"), folder / "report.pdf")
    print(f"conversion took {time.monotonic() - start:.1f} s")
    return pdf


@needs_soffice
def test_conversion_writes_a_pdf(converted: Path) -> None:
    assert converted.is_file()
    assert converted.read_bytes()[:5] == b"%PDF-"
    assert pdftools.page_count(converted) >= 2


@needs_soffice
def test_official_fonts_render_with_their_substitutes(converted: Path) -> None:
    names = pdftools.font_names(converted)
    assert any(name.startswith("FandolFang") for name in names), names
    assert any(name.startswith("NotoSansCJK") for name in names), names
    assert any(name.startswith("FandolSong") for name in names), names
    assert any(name.startswith("LiberationSerif") for name in names), names


@needs_soffice
def test_chinese_text_is_extractable(converted: Path) -> None:
    lines = pdftools.page_text_lines(converted, 1)
    texts = [line.text for line in lines]
    assert texts[0] == HEADING
    assert any("《中华人民共和国政府信息公开条" in text for text in texts), texts
    heading = lines[0]
    # The heading starts at the left margin (28 mm) near the top of the text block (37 mm).
    assert heading.x0 == pytest.approx(28, abs=0.5)
    assert 37 <= heading.top < 45


@needs_soffice
def test_full_page_has_22_body_lines_and_page_numbers(converted: Path) -> None:
    assert pdftools.body_line_count(converted, 1) == 22
    footers = pdftools.footer_texts(converted)
    assert footers == [f"— {number} —" for number in range(1, len(footers) + 1)]


@needs_soffice
def test_table_lies_inside_text_block(converted: Path) -> None:
    pytest.importorskip("pdfplumber")
    last = pdftools.page_count(converted)
    boxes = pdftools.table_boxes(converted, last)
    assert len(boxes) == 1, boxes
    x0, x1, top, bottom = boxes[0]
    block = pdftools.A4_TEXT_BLOCK
    assert x0 == pytest.approx(block.left, abs=0.5)
    assert x1 == pytest.approx(block.right, abs=0.5)
    assert block.top <= top < bottom <= block.bottom


@needs_soffice
def test_render_png_gives_one_image_per_page(converted: Path, tmp_path: Path) -> None:
    images = pdftools.render_png(converted, tmp_path / "png")
    assert len(images) == pdftools.page_count(converted)
    assert all(image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for image in images)


@needs_soffice
def test_fontconfig_env_maps_official_names() -> None:
    expected = {
        "仿宋_GB2312": "FandolFang",
        "楷体_GB2312": "FandolKai",
        "黑体": "Noto Sans CJK SC",
        "方正小标宋简体": "Noto Serif CJK SC",
        "宋体": "FandolSong",
        "Times New Roman": "Liberation Serif",
    }
    with fontconfig_env() as env:
        for official, substitute in expected.items():
            family = subprocess.run(
                ["fc-match", official, "family"], env=env, capture_output=True, text=True, check=True
            ).stdout
            assert family.startswith(substitute), (official, family)


@needs_soffice
def test_parallel_conversions_do_not_collide(tmp_path: Path) -> None:
    docx = build_docx(tmp_path / "report.docx")
    targets = [tmp_path / f"out{index}.pdf" for index in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda target: convert_to_pdf(docx, target), targets))
    assert results == targets
    assert all(pdftools.page_count(target) >= 2 for target in targets)


@needs_soffice
def test_existing_output_kept_when_libreoffice_fails(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    broken = folder / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip archive")
    target = folder / "report.pdf"
    target.write_bytes(b"previous pdf")
    with pytest.raises(PdfConversionError, match="LibreOffice") as caught:
        convert_to_pdf(broken, target)
    assert "could not be loaded" in str(caught.value)
    assert target.read_bytes() == b"previous pdf"
    # No staging file or LibreOffice lock file is left next to the target.
    assert set(folder.iterdir()) == {broken, target}


def test_missing_soffice_named_by_env(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous pdf")
    with pytest.raises(PdfConversionError, match="LibreOffice"):
        convert_to_pdf(tmp_path / "report.docx", target)
    assert target.read_bytes() == b"previous pdf"


def test_missing_soffice_on_path_says_how_to_install(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PdfConversionError, match="LibreOffice") as caught:
        convert_to_pdf(tmp_path / "report.docx", tmp_path / "report.pdf")
    assert "apt-get install libreoffice-writer-nogui" in str(caught.value)


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_failure_reports_stderr_tail_and_keeps_output(monkeypatch, tmp_path: Path) -> None:
    script = _fake_soffice(tmp_path, "echo 'javaldx noise' >&2\necho 'fatal: crashed in filter' >&2\nexit 81")
    monkeypatch.setenv(SOFFICE_ENV, str(script))
    docx = build_docx(tmp_path / "report.docx")
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous pdf")
    with pytest.raises(PdfConversionError, match="LibreOffice") as caught:
        convert_to_pdf(docx, target)
    assert "fatal: crashed in filter" in str(caught.value)
    assert "81" in str(caught.value)
    assert target.read_bytes() == b"previous pdf"


def test_success_exit_without_pdf_is_a_failure(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(_fake_soffice(tmp_path, "echo 'Error: source file could not be loaded'")))
    with pytest.raises(PdfConversionError, match="could not be loaded"):
        convert_to_pdf(build_docx(tmp_path / "report.docx"), tmp_path / "report.pdf")
    assert not (tmp_path / "report.pdf").exists()


def test_timeout_kills_the_whole_process_group(monkeypatch, tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    # The child stands in for soffice.bin, which the soffice wrapper script starts.
    script = _fake_soffice(tmp_path, f"sleep 60 &\necho $! > '{pid_file}'\nwait")
    monkeypatch.setenv(SOFFICE_ENV, str(script))
    start = time.monotonic()
    with pytest.raises(PdfConversionError, match="LibreOffice") as caught:
        convert_to_pdf(build_docx(tmp_path / "report.docx"), tmp_path / "report.pdf", timeout=1)
    assert time.monotonic() - start < 10
    assert re.search(r"1 秒", str(caught.value))
    child = int(pid_file.read_text())
    _assert_gone(child)


def _assert_gone(pid: int) -> None:
    # The killed child may linger briefly as a zombie until init reaps it.
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if _is_zombie(pid):
            return
        time.sleep(0.1)
    pytest.fail(f"process {pid} still running after the timeout")


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_missing_output_folder_is_reported_before_converting(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(_fake_soffice(tmp_path, "exit 99")))
    with pytest.raises(OutputError):
        convert_to_pdf(build_docx(tmp_path / "report.docx"), tmp_path / "missing" / "report.pdf")
