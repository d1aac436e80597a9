"""aggregate: the figures of several workbooks summed into one clerk workbook that passes every rule."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from reportgen.api import check_workbook, create_template
from reportgen.batch.aggregate import aggregate_folder
from reportgen.cli import main
from reportgen.exceptions import RefusedError
from reportgen.formats import get_format
from reportgen.model import compute_values
from reportgen.workbook.reader import read_workbook
from reportgen.workbook.sheets import INSTRUCTIONS_SHEET
from tests.seeds import sample_path, seed_report

PROCUREMENT = "t2.procurement.amount"


@pytest.fixture
def two_agencies(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_path("003"), folder / "福州高新区.xlsx")  # 采购总金额 19696.99 万元
    shutil.copy(sample_path("004"), folder / "定海区.xlsx")  # 采购总金额 109994 元
    (folder / "~$定海区.xlsx").write_bytes(b"\x06clerk")
    return folder


def test_the_sum_of_two_workbooks_cell_by_cell(two_agencies: Path, tmp_path: Path) -> None:
    output = tmp_path / "合计.xlsx"
    result = CliRunner().invoke(main, ["aggregate", str(two_agencies), "-o", str(output), "--agency", "某市合计"])
    assert result.exit_code == 0, result.output

    total = check_workbook(output)
    assert total.findings == []  # every rule passes, nothing blank
    fmt = get_format("2019")
    expected = {key: 0 for key in (field.key for field in fmt.fields())}
    for number in ("003", "004"):
        for key, value in compute_values(fmt, seed_report(number).figures).items():
            expected[key] += value
    expected[PROCUREMENT] = Decimal("19696.99") * 10_000 + 109_994  # mixed units are summed in 元
    assert compute_values(fmt, total.report.figures) == expected
    assert total.report.units == {PROCUREMENT: "元"}
    assert expected["t3.new.total"] == 41 and expected["t3.handled_total.total"] == 39
    assert total.report.info.agency == "某市合计" and total.report.info.year == 2020

    book = load_workbook(output)  # the inputs really are in the cells the clerk would see
    locations = read_workbook(output).locations
    for key, value in total.report.figures.items():
        sheet, cell = locations[key]
        assert book[sheet][cell].value == value, key
    notes = [row[0] for row in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if row[0]]
    assert "1. 定海区.xlsx（舟山市定海区经济和信息化局）" in notes
    assert "2. 福州高新区.xlsx（福州高新技术产业开发区）" in notes
    assert not any("~$" in note for note in notes)


def test_mixed_years_are_refused(two_agencies: Path, tmp_path: Path) -> None:
    earlier = seed_report("000")
    earlier.info.year = 2019  # same 2019 format, another reporting year
    create_template(two_agencies / "福田区-2019.xlsx", year=2019, agency=earlier.info.agency, report=earlier)
    output = tmp_path / "合计.xlsx"

    result = CliRunner().invoke(main, ["aggregate", str(two_agencies), "-o", str(output)])

    assert result.exit_code == 1
    assert "只能汇总同一年度、同一格式的工作簿" in result.output
    assert "2019 年度（2019 格式）：福田区-2019.xlsx" in result.output
    assert "2020 年度（2019 格式）：定海区.xlsx、福州高新区.xlsx" in result.output
    assert not output.exists()


def test_a_workbook_with_errors_is_refused(two_agencies: Path, tmp_path: Path) -> None:
    unbalanced = seed_report("000")
    unbalanced.figures["t3.carried_forward.natural"] = 7
    create_template(two_agencies / "福田区.xlsx", year=2020, agency=unbalanced.info.agency, report=unbalanced)

    with pytest.raises(RefusedError, match=r"1 个工作簿有错误[\s\S]*福田区.xlsx：有错误"):
        aggregate_folder(two_agencies, tmp_path / "合计.xlsx")
    assert not (tmp_path / "合计.xlsx").exists()
