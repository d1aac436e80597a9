"""The page in a real browser (Debian's Chromium driven by Playwright) against `reportgen serve` on 127.0.0.1."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from reportgen.formats import get_format
from tests.pdftools import needs_soffice
from tests.seeds import seed_report
from tests.webserver import DESKTOP, PHONE, launch_chromium, live_server, needs_chromium, table_row
from tests.workbooks import SAMPLE, cell_of, edited_copy, set_figure, unit_cell_of

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server() -> str:
    with live_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, java_script_enabled=False,
                                  locale="zh-CN")
    yield context.new_page()
    context.close()


def _download(page, click: str, folder: Path) -> Path:
    with page.expect_download() as started:
        page.click(click)
    download = started.value
    assert download.failure() is None
    target = folder / download.suggested_filename
    download.save_as(target)
    return target


def _fill_with_seed(path: Path, number: str) -> None:
    """Type a real report's figures into the downloaded workbook, as a clerk would."""
    report = seed_report(number)
    book = openpyxl.load_workbook(path)
    for key, value in report.figures.items():
        sheet, cell = cell_of(key, report.info.format_id)
        book[sheet][cell] = int(value) if value == int(value) else float(value)
    for key, unit in report.units.items():
        sheet, cell = unit_cell_of(key, report.info.format_id)
        book[sheet][cell] = unit
    book.save(path)


def _upload(page, path: Path | list[Path], button: str) -> None:
    page.set_input_files("#file", [str(item) for item in path] if isinstance(path, list) else str(path))
    with page.expect_navigation():  # the answer page, fully loaded, before anything looks at it
        page.click(f"button:has-text('{button}')")


def test_clerk_flow_template_fill_findings_fix_download(page, server, tmp_path):
    page.goto(server)
    page.fill("#year", "2020")
    page.fill("#agency", "福州高新技术产业开发区")
    workbook = _download(page, "button[type=submit]", tmp_path)
    assert workbook.name == "福州高新技术产业开发区-2020.xlsx"
    _fill_with_seed(workbook, "003")
    sheet, cell = cell_of("t3.new.natural")
    book = openpyxl.load_workbook(workbook)
    book[sheet][cell] = "三十九"  # a clerk writes the number in words
    book.save(workbook)

    page.goto(f"{server}/check")
    _upload(page, workbook, "校验并生成报告")
    row = page.locator("table.findings tr", has_text="count-not-number")
    assert f"{sheet}!{cell}" in row.inner_text() and "三十九" in row.inner_text()
    assert page.locator("a[download]").count() == 0

    book[sheet][cell] = 39
    book.save(workbook)
    _upload(page, workbook, "校验并生成报告")
    assert "校验通过，已生成报告" in page.inner_text("main")
    report = _download(page, "a[download$='.docx']", tmp_path)
    assert report.name == "福州高新技术产业开发区-2020.docx"
    tables = Document(str(report)).tables
    assert table_row(tables[1], "一、本年新收")[-7:] == ["39", "1", "0", "0", "0", "0", "40"]
    assert table_row(tables[1], "二、上年结转")[-7:] == ["11", "0", "0", "0", "0", "0", "11"]
    assert table_row(tables[2], "行政复议")  # table 四 is there
    fmt = get_format("2019")
    assert len(tables) == len(fmt.tables)


@needs_soffice
def test_pdf_comes_with_the_docx_when_asked(page, server, tmp_path):
    page.goto(f"{server}/check")
    page.check("#pdf")
    _upload(page, SAMPLE, "校验并生成报告")
    pdf = _download(page, "a[download$='.pdf']", tmp_path)
    assert pdf.name == "福州高新技术产业开发区-2020.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page.locator("a[download$='.docx']").count() == 1


def test_error_flow_shows_the_broken_balance_with_its_cell_and_no_download(page, server, tmp_path):
    broken = edited_copy(SAMPLE, tmp_path / "福州高新区.xlsx", set_figure("t3.new.natural", 44))
    page.goto(f"{server}/check")
    _upload(page, broken, "校验并生成报告")
    assert "存在错误，未生成报告" in page.inner_text("main")
    row = page.locator("table.findings tr", has_text="t3-balance").first
    text = row.inner_text()
    assert "三、依申请公开!" in text and "应为 55" in text and "填写为 50" in text
    assert page.locator("a[download]").count() == 0


def test_strict_mode_holds_back_the_report_for_a_warning(page, server, tmp_path):
    warned = edited_copy(SAMPLE, tmp_path / "福州高新区.xlsx", set_figure("t2.normative.published", 10))
    page.goto(f"{server}/check")
    page.check("#strict")
    _upload(page, warned, "校验并生成报告")
    assert "严格模式下未生成报告" in page.inner_text("[role=alert]")
    assert "t2-published-exceeds-total" in page.inner_text("table.findings")
    assert page.locator("a[download]").count() == 0
    assert page.is_checked("#strict")  # the choice is kept for the next upload


def test_random_file_gets_a_chinese_message_and_no_stack_trace(page, server, tmp_path):
    junk = tmp_path / "年报.xlsx"
    junk.write_bytes(b"\x00\x17" + random.Random(12).randbytes(3000))
    page.goto(f"{server}/check")
    _upload(page, junk, "校验并生成报告")
    alert = page.inner_text("[role=alert]")
    assert "“年报.xlsx”" in alert and "不是 Excel 工作簿" in alert
    body = page.inner_text("body")
    assert "Traceback" not in body and "Internal Server Error" not in body and str(tmp_path) not in body


def test_batch_flow_summary_table_and_downloads(page, server, tmp_path):
    good = edited_copy(SAMPLE, tmp_path / "甲.xlsx", lambda book: None)
    broken = edited_copy(SAMPLE, tmp_path / "乙.xlsx", set_figure("t3.new.natural", 44))
    page.goto(f"{server}/batch")
    _upload(page, [good, broken], "批量校验并生成报告")
    rows = page.locator("table.summary tbody tr")
    assert rows.count() == 2
    assert "甲.xlsx" in rows.nth(0).inner_text() and "通过" in rows.nth(0).inner_text()
    assert "乙.xlsx" in rows.nth(1).inner_text() and "有错误" in rows.nth(1).inner_text()
    summary = _download(page, "a[download$='.xlsx']", tmp_path)
    statuses = [row[5] for row in openpyxl.load_workbook(summary).active.iter_rows(min_row=2, values_only=True)]
    assert statuses == ["通过", "有错误"]
    reports = _download(page, "a[download$='.zip']", tmp_path)
    with zipfile.ZipFile(reports) as bundle:
        assert bundle.namelist() == ["福州高新技术产业开发区-2020.docx"]
        tables = Document(io.BytesIO(bundle.read(bundle.namelist()[0]))).tables
    assert table_row(tables[1], "二、上年结转")[-1] == "11"


PUBLISHED = Path(__file__).parent / "data" / "published"


def test_audit_of_a_published_report_lists_its_findings_by_table_row_and_column(page, server):
    page.goto(f"{server}/audit")
    _upload(page, PUBLISHED / "2021_pingtan_nongye" / "page.txt", "审核")
    assert "发现错误" in page.inner_text("[role=alert]")
    row = page.locator("table.findings tr", has_text="t3-outcome-total").first.inner_text()
    assert "三、依申请公开：（七）总计（自然人）" in row and "应为 2" in row and "印为 3" in row
    page.goto(f"{server}/audit")
    _upload(page, PUBLISHED / "2024_pingtan_caijin" / "page.html", "审核")
    assert "没有发现错误" in page.inner_text("main")


SCREENS = {
    "template": lambda page, server, tmp: page.goto(server),
    "check": lambda page, server, tmp: page.goto(f"{server}/check"),
    "check-findings": lambda page, server, tmp: _visit_check(page, server, edited_copy(
        SAMPLE, tmp / "福州高新区.xlsx", set_figure("t3.new.natural", 44))),
    "check-passed": lambda page, server, tmp: _visit_check(page, server, edited_copy(
        SAMPLE, tmp / "福州高新区.xlsx", set_figure("t2.normative.published", 10))),
    "check-refused": lambda page, server, tmp: _visit_check(page, server, _text_file(tmp)),
    "batch": lambda page, server, tmp: page.goto(f"{server}/batch"),
    "batch-results": lambda page, server, tmp: (page.goto(f"{server}/batch"), _upload(page, [
        SAMPLE, edited_copy(SAMPLE, tmp / "乙.xlsx", set_figure("t3.new.natural", 44))], "批量校验并生成报告")),
    "not-found": lambda page, server, tmp: page.goto(f"{server}/nothing"),
    "audit": lambda page, server, tmp: page.goto(f"{server}/audit"),
    "audit-findings": lambda page, server, tmp: (page.goto(f"{server}/audit"), _upload(
        page, PUBLISHED / "2021_pingtan_nongye" / "page.txt", "审核")),
}


def _visit_check(page, server, path: Path) -> None:
    page.goto(f"{server}/check")
    _upload(page, path, "校验并生成报告")


def _text_file(folder: Path) -> Path:
    path = folder / "数据.xlsx"
    path.write_text("项目,数量\n本年新收,40\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_page_fits_its_viewport(browser, server, tmp_path, screen, viewport):
    """Nothing overflows sideways (wide tables scroll inside their own box); screenshots for people to look at."""
    context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    SCREENS[screen](page, server, tmp_path)
    width = page.evaluate("document.documentElement.scrollWidth")
    folder = Path(os.environ.get("REPORTGEN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{screen}-{viewport['width']}x{viewport['height']}.png"), full_page=True)
    context.close()
    assert width <= viewport["width"], f"{screen} is {width} px wide"


def test_with_a_token_the_page_asks_for_it_first(browser, tmp_path):
    folder = Path(os.environ.get("REPORTGEN_SCREENSHOTS") or tmp_path)
    with live_server("--token", "gongkai-2025", workers=1) as base:
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/check")
            assert page.url == f"{base}/login"
            page.screenshot(path=str(folder / f"login-{viewport['width']}x{viewport['height']}.png"), full_page=True)
            page.fill("#token", "wrong")
            page.click("button[type=submit]")
            assert "访问令牌不正确" in page.inner_text("[role=alert]")
            page.fill("#token", "gongkai-2025")
            with page.expect_navigation(url=f"{base}/"):
                page.click("button[type=submit]")
            assert page.url == f"{base}/" and page.locator("#year").count() == 1
            context.close()
