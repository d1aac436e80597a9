"""The workbook as a clerk sees it: rows tall enough for their text, sheets as wide as a laptop screen,
instructions that name only what the format has."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reportgen import api
from reportgen.formats import FORMATS
from reportgen.workbook.cellstyle import TOTAL_FILL
from reportgen.workbook.sheets import narrative_sheets, table_sheets
from tests.seeds import SAMPLE_2021, SAMPLES, sample_path

SAMPLE_FILES = [sample_path(number) for number in sorted(SAMPLES)] + [SAMPLE_2021]
SCREEN_PIXELS = 1366
PIXELS_PER_WIDTH = 7  # one column-width unit: a digit of the default 11-point font
ROW_HEADER_AND_SCROLLBAR_PIXELS = 60
MIN_LINE_POINTS = 12  # no spreadsheet fits a line of 10- or 11-point text in less


def lines_needed(text: str, width: float) -> int:
    """A lenient count of wrapped lines: a Chinese character is two widths, anything else one."""
    return sum(max(1, math.ceil(sum(2 if ord(char) >= 0x2E80 else 1 for char in line) / width))
               for line in text.split("\n"))


def cell_box(sheet: Worksheet, row: int, col: int) -> tuple[float, float | None]:
    """Width and height of the cell at (row, col), every column and row of a merged range counted."""
    last_row, last_col = row, col
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == row and merged.min_col == col:
            last_row, last_col = merged.max_row, merged.max_col
    heights = [sheet.row_dimensions[r].height for r in range(row, last_row + 1)]
    width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(col, last_col + 1))
    return width, None if None in heights else sum(heights)


def too_short_rows(sheet: Worksheet, first_row: int) -> list[str]:
    """Cells from ``first_row`` down whose rows are not tall enough for their text."""
    short = []
    for row in range(first_row, sheet.max_row + 1):
        for col in range(1, sheet.max_column + 1):
            text = sheet.cell(row, col).value
            if not isinstance(text, str) or not text or text.startswith("="):
                continue
            width, height = cell_box(sheet, row, col)
            size = sheet.cell(row, col).font.size or 11  # column widths count digits of the 11-point font
            needed = lines_needed(text, width * 11 / size) * MIN_LINE_POINTS
            if height is None or height < needed:
                short.append(f"{sheet.title}!{get_column_letter(col)}{row}: {height} < {needed}")
    return short


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_every_narrative_row_of_every_sample_is_tall_enough_for_its_text(path: Path):
    book = openpyxl.load_workbook(path)
    fmt = api.check_workbook(path).report.format
    short = [problem for placed in narrative_sheets(fmt) for problem in too_short_rows(book[placed.name], 2)]
    assert short == []
    filled = [row for placed in narrative_sheets(fmt) for row in range(placed.paragraph_top, 200)
              if book[placed.name].cell(row, 2).value]
    assert len(filled) >= 3  # the samples do hold long paragraphs
    for placed in narrative_sheets(fmt):  # where the clerk types, the keys for a new line in each program
        header = book[placed.name].cell(placed.paragraph_top - 1, 2).value
        assert "Alt+Enter" in header and "Ctrl+Enter" in header and "LibreOffice" in header


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_titles_hints_and_leads_fit_on_every_sheet(path: Path):
    book = openpyxl.load_workbook(path)
    for name in book.sheetnames[:-1]:  # the hidden record sheet aside
        sheet = book[name]
        assert sheet.row_dimensions[1].height >= sheet["A1"].font.size * 1.5, name  # not clipped at the top
        assert too_short_rows(sheet, 2) == [], name


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_every_sheet_is_readable_at_full_size_on_a_1366_pixel_screen(path: Path):
    book = openpyxl.load_workbook(path)
    for name in book.sheetnames[:-1]:
        sheet = book[name]
        widths = [sheet.column_dimensions[get_column_letter(col)].width or 8.43
                  for col in range(1, sheet.max_column + 1)]
        assert sum(widths) * PIXELS_PER_WIDTH + ROW_HEADER_AND_SCROLLBAR_PIXELS <= SCREEN_PIXELS, name
        if sheet["A2"].value:  # the hint under the title wraps instead of running off the screen
            assert sheet["A2"].alignment.wrap_text, name


def instructions_of(path: Path) -> tuple[list[str], list[str]]:
    """The clerk's lines and, after the blank row, the note for whoever collects the workbooks."""
    lines = [row[0] for row in openpyxl.load_workbook(path)["填报说明"].iter_rows(min_row=3, values_only=True)]
    blank = lines.index(None)
    return lines[:blank], lines[blank + 1:]


@pytest.mark.parametrize("format_id", sorted(FORMATS))
def test_instructions_name_only_what_the_format_has_and_no_commands_for_the_clerk(tmp_path, format_id):
    path = tmp_path / "x.xlsx"
    fmt = api.create_template(path, year=2020 if format_id == "2019" else 2025, format_id=format_id)
    clerk, note = instructions_of(path)
    text = "\n".join(clerk)
    signed = any(field.kind == "signed" for field in fmt.fields())
    assert ("本年增/减" in text) is signed and ("负数" in text) is signed
    assert ("采购总金额" in text) is (format_id == "2019")
    assert ("本年收费金额（单位：万元）" in text and "小数最多 6 位" in text) is (format_id == "2021")
    assert "上方的栏目请逐项填写" in text if format_id == "2021" else "栏目" not in text
    assert "Alt+Enter" in text and "Ctrl+Enter" in text and "LibreOffice" in text
    assert "“表前说明”是报告中表格前的一段文字" in text and "留空" in text
    assert "报送或上传" in text
    assert "reportgen" not in text and "-o " not in text
    assert note[0].startswith("供收集工作簿的人员参考") and "reportgen check" in note[1]


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.stem)
def test_each_table_sheet_mentions_blue_totals_only_when_it_has_them(path: Path):
    book = openpyxl.load_workbook(path)
    fmt = api.check_workbook(path).report.format
    for placed in table_sheets(fmt):
        sheet = book[placed.name]
        blue = any(cell.fill.fgColor.rgb == TOTAL_FILL.fgColor.rgb for row in sheet.iter_rows() for cell in row)
        assert ("蓝色" in sheet["A2"].value) is blue, placed.name
        assert sheet["A3"].value == "表前说明\n（选填）"  # never broken as 表前说明（ / 选填）
    assert not any(field.is_input is False for field in fmt.table("t2").fields())  # so 二 never says 蓝色
