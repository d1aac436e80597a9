"""A workbook's sheets as grids of cell values, read once, formulas kept as typed."""

from __future__ import annotations

import warnings
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from reportgen.exceptions import InputError
from reportgen.workbook.sniff import check_workbook_file


class Grid:
    """A sheet's values by 1-based (row, column), read once."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def at(self, row: int, col: int) -> object:
        if row <= len(self.rows) and col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def named(self, name: str) -> object:
        letter, row = coordinate_from_string(name)
        return self.at(row, column_index_from_string(letter))


def load_grids(path: Path) -> dict[str, Grid]:
    path = Path(path)
    check_workbook_file(path)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # a zip that is no workbook fails in openpyxl or zipfile with many types
        raise InputError(f"{path}：无法作为 Excel 工作簿（.xlsx）打开，文件可能已损坏或不是 Excel 文件"
                         f"（{type(error).__name__}）") from error
    try:
        with warnings.catch_warnings():
            # openpyxl warns in English about e.g. a date-formatted cell holding 30363554; the cell then
            # reads as an error value, which becomes a Chinese finding, so the warning is only noise
            warnings.simplefilter("ignore", UserWarning)
            return {sheet.title: Grid(list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets}
    except Exception as error:  # openpyxl raises many types on malformed sheet XML
        raise InputError(f"{path}：工作簿内容已损坏，无法读取（{type(error).__name__}）") from error
    finally:
        book.close()
