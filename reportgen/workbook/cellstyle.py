"""Fills, borders and fonts of the workbooks we write, shared by every sheet writer; texts kept as text."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TITLE_FONT = Font(bold=True, size=14)
HINT_FONT = Font(color="595959", size=10)
UNLOCKED = Protection(locked=False)


def write_header_row(sheet: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    """Grey bordered column headers from column A."""
    for col, label in enumerate(labels, start=1):
        header = sheet.cell(row, col, label)
        header.fill, header.border, header.alignment = HEADER_FILL, BORDER, CENTER


def as_text(cell: Cell) -> Cell:
    """A text that came from a user stays text: openpyxl would store one starting with "=" as a live formula
    (=HYPERLINK(...) in an agency name would become a link in every office that opens the workbook)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
