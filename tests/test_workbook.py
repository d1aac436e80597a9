"""The clerk workbook: laid out as printed, inputs open and validated, live totals, and a full round trip."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.api import check_workbook
from reportgen.cli import main
from reportgen.formats import get_format
from reportgen.workbook.sheets import table_sheets
from tests.conftest import cell_of, set_cells
from tests.docxgrid import table_grid
from tests.pdftools import needs_soffice
from tests.seeds import seed_report

T3 = "三、依申请公开"


@pytest.fixture
def blank(tmp_path):
    path = tmp_path / "年报-2020.xlsx"
    result = CliRunner().invoke(main, ["template", str(path), "--year", "2020", "--agency", "福州高新技术产业开发区"])
    assert result.exit_code == 0, result.output
    return path


def test_template_has_the_official_sheets_and_merged_headers(blank):
    book = openpyxl.load_workbook(blank)
    assert book.sheetnames == ["填报说明", "基本信息", "一、总体情况", "二、主动公开", T3, "四、复议诉讼",
                               "五、问题及改进", "六、其他事项", "_reportgen"]
    assert book["_reportgen"].sheet_state == "hidden"
    sheet = book[T3]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A5:C7", "D5:J5", "D6:D7", "E6:I6", "J6:J7", "A10:A29", "B12:B19", "B20:B22", "B23:B27"} <= merged
    assert sheet["A5"].value == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert sheet["C12"].value == "1.属于国家秘密"


def test_inputs_are_zero_unlocked_and_validated_labels_and_totals_locked(blank):
    sheet = openpyxl.load_workbook(blank)[T3]
    assert sheet.protection.sheet is True
    assert sheet["D8"].value == 0 and sheet["D8"].protection.locked is False
    assert sheet["C12"].protection.locked is True
    assert sheet["J8"].value == "=SUM(D8:I8)" and sheet["J8"].protection.locked is True
    assert sheet["D29"].value == "=SUM(D10:D28)"
    validations = {str(dv.sqref): (dv.type, dv.formula1) for dv in sheet.data_validations.dataValidation}
    whole = [ref for ref, rule in validations.items() if rule == ("whole", "0")]
    assert whole and "D8" in whole[0].split()
    assert sheet["D4"].value.startswith("=IF((D8+D9)=(D29+D30)")  # the 勾稽关系 row, frozen above the table


def test_signed_and_amount_cells_are_validated(blank):
    sheet = openpyxl.load_workbook(blank)["二、主动公开"]
    kinds = {str(dv.sqref): dv.type for dv in sheet.data_validations.dataValidation}
    signed = next(ref for ref, rule in kinds.items() if "C11" in ref.split())
    assert kinds[signed] == "whole" and sheet["C11"].number_format == "+0;-0;0"
    amount = next(dv for dv in sheet.data_validations.dataValidation if str(dv.sqref) == "C22")
    assert amount.type == "custom" and 'ROUND(C22,IF(E22="元",2,6))=C22' in amount.formula1
    assert kinds["E22"] == "list" and sheet["E22"].value == "万元"


def test_round_trip_template_fill_check_build(tmp_path, blank):
    report = seed_report("003")
    set_cells(blank, {key: float(value) if isinstance(value, Decimal) else value
                      for key, value in report.figures.items()})
    book = openpyxl.load_workbook(blank)
    book["一、总体情况"]["A4"], book["一、总体情况"]["B4"] = "主动公开", "本年度主动公开信息 120 条。"
    book.save(blank)

    checked = check_workbook(blank)
    assert checked.findings == []
    assert checked.report.figures == report.figures

    output = tmp_path / "年报-2020.docx"
    result = CliRunner().invoke(main, ["build", str(blank), "-o", str(output)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(output))
    grid = table_grid(document.tables[1])
    assert grid[3][3:] == ["39", "1", "0", "0", "0", "0", "40"]
    assert grid[24][3:] == ["37", "1", "0", "0", "0", "0", "38"]
    assert "（一）主动公开。本年度主动公开信息 120 条。" in [p.text for p in document.paragraphs]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("１２", 12), (" 12 ", 12), ("12.0", 12), (12.0, 12), (None, 0), ("", 0), ("1,234", 1234)],
)
def test_reader_accepts_what_clerks_type(fuzhou, typed, expected):
    set_cells(fuzhou, {"t3.new.research": typed, "t3.disclosed.research": typed})
    result = check_workbook(fuzhou)
    assert [f.code for f in result.findings if f.severity == "error"] == []
    assert result.report.figures.get("t3.new.research", 0) == expected


def test_plus_sign_in_a_signed_cell(fuzhou):
    set_cells(fuzhou, {"t2.licensing.change": "+107", "t2.penalty.change": "－3"})
    figures = check_workbook(fuzhou).report.figures
    assert (figures["t2.licensing.change"], figures["t2.penalty.change"]) == (107, -3)


def test_blank_inputs_are_zero_with_one_note_per_table(fuzhou):
    set_cells(fuzhou, {"t3.new.research": None, "t3.new.legal": None})
    notes = [(f.code, f.severity, f.cell) for f in check_workbook(fuzhou).findings]
    assert notes == [("blank-as-zero", "info", cell_of("t3.new.research")[1])]


def test_cached_formula_values_are_never_trusted(fuzhou):
    """LibreOffice/Excel store computed totals; the reader recomputes from the inputs instead."""
    set_cells(fuzhou, {"t3.new.natural": 38, "t3.carried_forward.natural": 12})
    result = check_workbook(fuzhou)
    assert result.findings == []
    assert result.report.value("t3.new.total") == 39


@needs_soffice
def test_libreoffice_computes_the_live_totals_and_says_which_side_of_the_balance_is_larger(tmp_path, fuzhou):
    unbalanced = tmp_path / "不平衡.xlsx"
    shutil.copyfile(fuzhou, unbalanced)
    set_cells(unbalanced, {"t3.carried_forward.natural": 13 + 12, "t3.carried_over.research": 5})
    profile = tmp_path / "lo-profile"
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML",
         "--outdir", str(out), str(fuzhou), str(unbalanced)],
        check=True, capture_output=True, timeout=180,
    )
    sheet = openpyxl.load_workbook(out / fuzhou.name, data_only=True)[T3]
    assert sheet["J8"].value == 40 and sheet["D29"].value == 37 and sheet["J29"].value == 38
    check_row = table_sheets(get_format("2019"))[1].check_row
    assert [sheet.cell(check_row, col).value for col in range(4, 11)] == ["平衡"] * 7
    sheet = openpyxl.load_workbook(out / unbalanced.name, data_only=True)[T3]
    assert [sheet.cell(check_row, col).value for col in range(4, 11)] == [
        "不平衡：第三项+第四项 比 第一项+第二项 多 12", "平衡", "不平衡：第一项+第二项 比 第三项+第四项 多 5",
        "平衡", "平衡", "平衡", "不平衡：第三项+第四项 比 第一项+第二项 多 7"]


def test_the_balance_row_is_frozen_above_the_table_so_it_stays_in_view(blank):
    sheet = openpyxl.load_workbook(blank)[T3]
    placed = table_sheets(get_format("2019"))[1]
    frozen_rows = openpyxl.utils.cell.coordinate_from_string(sheet.freeze_panes)[1] - 1
    assert placed.check_row <= frozen_rows < placed.position(placed.layout.header_rows, 0)[0]
    assert sheet.cell(placed.check_row, 1).value == "勾稽关系校验\n（第一项+第二项 = 第三项+第四项）"


def test_line_breaks_inside_a_narrative_cell_make_paragraphs(fuzhou):
    book = openpyxl.load_workbook(fuzhou)
    sheet = book["五、问题及改进"]
    sheet["A20"], sheet["B20"] = "下一步打算", "一是加强培训。\n\n二是完善制度。"
    book.save(fuzhou)
    report = check_workbook(fuzhou).report
    assert [(p.heading, p.text) for p in report.narrative["s5"][-2:]] == [
        ("下一步打算", "一是加强培训。"), (None, "二是完善制度。")]


def test_table_sheets_print_one_page_wide_and_keep_labels_in_view(blank):
    book = openpyxl.load_workbook(blank)
    assert book[T3].freeze_panes == "D8" and book["四、复议诉讼"].freeze_panes == "A8"
    for name in ("二、主动公开", T3, "四、复议诉讼"):
        sheet = book[name]
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, name
    assert book[T3].page_setup.orientation == "landscape"
    assert book[T3].print_title_rows == "$5:$7"  # table 三 runs onto a second page with its header


def test_a_date_formatted_count_gives_a_chinese_finding_and_no_python_warning(fuzhou, recwarn):
    book = openpyxl.load_workbook(fuzhou)
    cell = book[T3][cell_of("t3.new.research")[1]]
    cell.value, cell.number_format = 30363554, "yyyy-mm-dd"
    book.save(fuzhou)
    findings = check_workbook(fuzhou).findings
    assert [(f.code, f.cell) for f in findings if f.severity == "error"][:1] == [("formula-error", cell.coordinate)]
    assert not [warning for warning in recwarn if "openpyxl" in str(warning.filename)]
