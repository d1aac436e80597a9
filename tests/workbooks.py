"""Scenario fixtures: copies of real clerk workbooks, each changed the way clerks really change them.

Workbooks are made here from the seeds (tests/seeds.py) and edited with openpyxl, so no binary fixture
goes stale when a definition changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import coordinate_from_string

from reportgen.api import create_template
from reportgen.formats import get_format
from reportgen.formats.layout import Role
from reportgen.model import Report
from reportgen.workbook.sheets import META_SHEET, NARRATIVE_TOP, cell_name, table_sheets
from tests.seeds import sample_path, seed_report

Edit = Callable[[Workbook], None]

# 福州高新区 2020 (2019 format): every total and the 勾稽关系 hold; 40 + 11 = 38 + 13, 行政复议 0+1+0+1 = 2.
SAMPLE = sample_path("003")


def cell_of(key: str, format_id: str = "2019") -> tuple[str, str]:
    """(sheet, cell) of a figure such as ``t3.new.natural`` in a clerk workbook of the format."""
    for placed in table_sheets(get_format(format_id)):
        if key in placed.cells():
            return placed.name, placed.cells()[key]
    raise KeyError(key)


def unit_cell_of(key: str, format_id: str = "2019") -> tuple[str, str]:
    """(sheet, cell) where the unit of an amount figure is chosen."""
    sheet, cell = cell_of(key, format_id)
    placed = next(placed for placed in table_sheets(get_format(format_id)) if placed.name == sheet)
    return sheet, cell_name(coordinate_from_string(cell)[1], placed.unit_column())


def label_cell_of(text: str, table_key: str, format_id: str = "2019") -> tuple[str, str]:
    """(sheet, cell) of a fixed label of a table."""
    placed = next(placed for placed in table_sheets(get_format(format_id)) if placed.table.key == table_key)
    cell = next(cell for cell in placed.layout.cells if cell.role is Role.LABEL and cell.text == text)
    return placed.name, cell_name(*placed.position(cell.row, cell.col))


def narrative_cell(index: int) -> str:
    """Cell of the text of paragraph ``index`` on a narrative sheet."""
    return f"B{NARRATIVE_TOP + index}"


def set_cell(sheet: str, cell: str, value: object) -> Edit:
    def edit(book: Workbook) -> None:
        book[sheet][cell] = value

    return edit


def set_figure(key: str, value: object, format_id: str = "2019") -> Edit:
    return set_cell(*cell_of(key, format_id), value)


def edits(*steps: Edit) -> Edit:
    def edit(book: Workbook) -> None:
        for step in steps:
            step(book)

    return edit


def set_meta(key: str, value: object) -> Edit:
    """Change what the hidden sheet records (format, year) as if made by another reportgen run."""

    def edit(book: Workbook) -> None:
        sheet = book[META_SHEET]
        row = next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == key)
        sheet.cell(row, 2, value)

    return edit


def edited_copy(source: Path, target: Path, edit: Edit) -> Path:
    book = load_workbook(source)
    edit(book)
    book.save(target)
    return target


def write_report(path: Path, report: Report) -> Path:
    """A clerk workbook pre-filled with ``report``, as `reportgen template` writes it."""
    create_template(path, year=report.info.year, agency=report.info.agency, format_id=report.info.format_id,
                    report=report)
    return path


def last_year_of_sample() -> Report:
    """A 2019 report that the sample (2020) follows on from exactly: every carry-over relation holds.

    Its 结转下年度 is the sample's 上年结转 (自然人 11), its 上一年项目数量 + 本年增/减 is the sample's
    上一年项目数量 (e.g. 行政许可 90 + 5 = 95), and its own 勾稽关系 holds (37 + 11 = 37 + 11).
    """
    this_year = seed_report("003")
    figures = dict(this_year.figures)
    for column in ("natural", "business", "research", "nonprofit", "legal", "other"):
        figures[f"t3.carried_forward.{column}"] = this_year.figures[f"t3.carried_over.{column}"]
    figures["t3.new.natural"] = 37
    for row in ("licensing", "other_services", "penalty", "enforcement", "fees"):
        figures[f"t2.{row}.previous"] = this_year.figures[f"t2.{row}.previous"] - 5 if row != "fees" else 0
        figures[f"t2.{row}.change"] = 5 if row != "fees" else 0
    info = this_year.info.model_copy(update={"year": 2019})
    return this_year.model_copy(update={"info": info, "figures": figures})


def report_2021(year: int, in_force: tuple[int, int]) -> Report:
    """A 2021-format report with the sample's tables 三 and 四 (made to follow on from itself) and a table 二.

    This year 规章 2 issued, 1 repealed; 行政规范性文件 7 issued, 2 repealed; ``in_force`` gives the
    现行有效件数 of the two rows.
    """
    sample = last_year_of_sample()  # its table 三 carries over into itself: 结转下年度 = 上年结转
    fmt = get_format("2021")
    inputs = {field.key for field in fmt.input_fields()}
    figures = {key: value for key, value in sample.figures.items() if key in inputs and key.startswith(("t3.", "t4."))}
    figures["t3.other_misc.natural"] = sample.figures["t3.other_handling.natural"]
    figures["t3.other_misc.business"] = sample.figures["t3.other_handling.business"]
    figures.update({
        "t2.regulation.issued": 2, "t2.regulation.repealed": 1, "t2.regulation.in_force": in_force[0],
        "t2.normative.issued": 7, "t2.normative.repealed": 2, "t2.normative.in_force": in_force[1],
        "t2.licensing.decisions": 9260, "t2.penalty.decisions": 302,
    })
    info = sample.info.model_copy(update={"year": year, "format_id": "2021"})
    return sample.model_copy(update={"info": info, "figures": figures, "units": {}})
