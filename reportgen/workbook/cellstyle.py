"""Fills, borders, fonts, titles and money validation of the workbooks we write; texts kept as text."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.workbook.fit import row_height

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TITLE_FONT = Font(bold=True, size=14)
TITLE_HEIGHT = 26  # points: a 14-point title with room above, not clipped at the top
HINT_SIZE = 10
HINT_FONT = Font(color="595959", size=HINT_SIZE)
UNLOCKED = Protection(locked=False)


def write_header_row(sheet: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    """Grey bordered column headers from column A, in a row tall enough for them at the columns' widths."""
    widths = []
    for col, label in enumerate(labels, start=1):
        header = sheet.cell(row, col, label)
        header.fill, header.border, header.alignment = HEADER_FILL, BORDER, CENTER
        widths.append((label, sheet.column_dimensions[get_column_letter(col)].width))
    sheet.row_dimensions[row].height = row_height(widths)


def write_title(sheet: Worksheet, title: str) -> None:
    """The sheet's title in A1, in a row tall enough for it."""
    sheet["A1"] = title
    sheet["A1"].font = TITLE_FONT
    sheet["A1"].alignment = Alignment(vertical="center")
    sheet.row_dimensions[1].height = TITLE_HEIGHT


def money_validation(cell: str, decimals: str, limits: str) -> DataValidation:
    """Refuse anything but an amount >= 0 with at most ``decimals`` places (a number or a formula of the unit)."""
    rule = DataValidation(type="custom", formula1=f"AND(ISNUMBER({cell}),{cell}>=0,ROUND({cell},{decimals})={cell})",
                          allow_blank=True, showErrorMessage=True, errorTitle="输入有误",
                          error=f"请填写不小于 0 的金额（{limits}，精确到分）")
    rule.add(cell)
    return rule

def as_text(cell: Cell) -> Cell:
    """A text that came from a user stays text: openpyxl would store one starting with "=" as a live formula
    (=HYPERLINK(...) in an agency name would become a link in every office that opens the workbook)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
