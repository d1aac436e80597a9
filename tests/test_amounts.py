"""Sums of money to the fen: up to 6 decimals in 万元 (2 in 元), read, checked and printed exactly as entered."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from reportgen import api
from reportgen.workbook.exchange import export_json
from tests.conftest import cell_of, set_cells
from tests.docxgrid import table_grid
from tests.seeds import SAMPLE_2021, sample_2021_report
from tests.workbooks import unit_cell_of

FEE = "t2.fees.fee_amount"  # 2021: 本年收费金额（单位：万元）
PROCUREMENT = "t2.procurement.amount"  # 2019: 采购总金额, in 万元 or 元


def sample_2021_copy(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(SAMPLE_2021, tmp_path / SAMPLE_2021.name))


def printed_row(docx_path: Path, label: str) -> list[str]:
    """The cells after the label in the row of table 二 that ``label`` starts, as the report prints them."""
    grid = table_grid(docx.Document(str(docx_path)).tables[0])
    return next(row[1:] for row in grid if row[0] == label)


def build(path: Path, tmp_path: Path) -> Path:
    output = tmp_path / "report.docx"
    result = api.build_report(path, output)
    assert not result.check.has_errors, [finding.message for finding in result.check.findings]
    return output


@pytest.mark.parametrize("typed, printed", [
    (24252.311082, "24252.311082"),  # a number typed in the cell
    (5949.088667, "5949.088667"),
    ("5949.088670", "5949.088670"),  # typed as text: its trailing zero is known and kept
    (86, "86"),
])
def test_a_2021_fee_in_wan_yuan_to_the_fen_is_read_checked_and_printed_as_entered(tmp_path, typed, printed):
    path = sample_2021_copy(tmp_path)
    set_cells(path, {FEE: typed}, "2021")
    checked = api.check_workbook(path)
    assert checked.findings == []
    assert checked.report.figures[FEE] == Decimal(printed) and isinstance(checked.report.figures[FEE], Decimal)
    assert set(printed_row(build(path, tmp_path), "行政事业性收费")) == {printed}


def test_a_fee_beyond_the_fen_is_refused_with_the_limit_named(tmp_path):
    path = sample_2021_copy(tmp_path)
    set_cells(path, {FEE: "24252.3110825"}, "2021")
    [problem] = api.check_workbook(path).findings
    assert (problem.code, problem.cell) == ("amount-invalid", cell_of(FEE, "2021")[1])
    assert problem.message.endswith("小数不超过 6 位（精确到分）")


@pytest.mark.parametrize("unit, typed, accepted", [
    ("万元", 19696.990001, True), ("万元", "19696.9900001", False),
    ("元", 196969900.01, True), ("元", 196969900.011, False),
])
def test_procurement_decimals_follow_the_unit_chosen(tmp_path, fuzhou, unit, typed, accepted):
    book = openpyxl.load_workbook(fuzhou)
    sheet, cell = cell_of(PROCUREMENT)
    book[sheet][cell] = typed
    book[sheet][unit_cell_of(PROCUREMENT)[1]] = unit
    book.save(fuzhou)
    findings = api.check_workbook(fuzhou).findings
    if accepted:
        assert findings == []
        assert printed_row(build(fuzhou, tmp_path), "政府集中采购")[1] == f"{typed}{unit}"
    else:
        assert [(f.code, f.cell) for f in findings] == [("amount-invalid", cell)]
        assert f"小数不超过 {2 if unit == '元' else 6} 位" in findings[0].message


def test_the_model_keeps_amounts_exact_through_json_and_a_written_workbook(tmp_path):
    """A JSON amount with trailing zeros survives export, template --from and reading the workbook back."""
    report = sample_2021_report()
    report = report.model_copy(update={"figures": {**report.figures, FEE: Decimal("24252.310000")}})
    data = json.loads(export_json(report))
    assert data["figures"][FEE] == "24252.310000"
    source = tmp_path / "data.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert str(api.check_workbook(source).report.figures[FEE]) == "24252.310000"
    workbook = tmp_path / "from-json.xlsx"
    api.create_template(workbook, year=report.info.year, agency=report.info.agency, report=report)
    checked = api.check_workbook(workbook)
    assert checked.findings == [] and str(checked.report.figures[FEE]) == "24252.310000"
    assert set(printed_row(build(workbook, tmp_path), "行政事业性收费")) == {"24252.310000"}


def test_a_json_amount_in_yuan_is_checked_against_its_unit(tmp_path):
    data = json.loads(export_json(api.check_workbook(SAMPLE_2021).report))
    data["item_amounts"]["s6.processing_fee"] = "300.125"  # 信息处理费 is in 元: two decimals at most
    source = tmp_path / "data.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert [(f.code, f.actual) for f in api.check_workbook(source).findings] == [("amount-invalid", "300.125")]


def test_a_number_pasted_with_binary_noise_reads_as_the_spreadsheet_shows_it(tmp_path):
    path = sample_2021_copy(tmp_path)
    set_cells(path, {FEE: 0.1 + 0.2}, "2021")  # 0.30000000000000004; Excel and LibreOffice show 0.3
    checked = api.check_workbook(path)
    assert checked.findings == [] and str(checked.report.figures[FEE]) == "0.3"
