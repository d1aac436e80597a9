"""A workbook's sheets as grids of cell values, read once: .xlsx directly with formulas kept as typed,
.ods and .xls through calamine as the values their cells show."""

from __future__ import annotations

from pathlib import Path

from reportgen.workbook.cellnames import split_cell_name
from reportgen.workbook.sniff import FileKind


class Grid:
    """A sheet's values by 1-based (row, column), read once."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def at(self, row: int, col: int) -> object:
        if row <= len(self.rows) and col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def named(self, name: str) -> object:
        return self.at(*split_cell_name(name))


def load_grids(path: Path, kind: FileKind) -> dict[str, Grid]:
    """Every worksheet of ``path`` (a file ``check_workbook_file`` found to be of ``kind``) by name."""
    if kind is FileKind.XLSX:
        from reportgen.workbook.xlsx import read_sheets

        sheets = read_sheets(Path(path))
    else:
        from reportgen.workbook.calc import read_sheets

        sheets = read_sheets(Path(path), kind)
    return {name: Grid(rows) for name, rows in sheets.items()}
