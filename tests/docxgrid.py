"""Read a DOCX table back as a grid of texts and merge spans, the way a reader of the report sees it."""

from __future__ import annotations

from dataclasses import dataclass

from docx.table import Table


@dataclass(frozen=True)
class Span:
    text: str
    rowspan: int
    colspan: int


def _grid(table: Table) -> list[list]:
    # python-docx's _cells repeats the same _Cell object over every position a merged cell covers
    cells, width = table._cells, len(table.columns)
    return [cells[start:start + width] for start in range(0, len(cells), width)]


def table_grid(table: Table) -> list[list[str]]:
    """Text of every grid position; a merged cell repeats its text over the positions it covers."""
    return [[cell.text for cell in row] for row in _grid(table)]


def table_spans(table: Table) -> dict[tuple[int, int], Span]:
    """Top-left (row, col) of every distinct cell -> its text and spans."""
    grid = _grid(table)
    spans: dict[tuple[int, int], Span] = {}
    seen: set[int] = set()
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            rowspan = sum(1 for rr in range(r, len(grid)) if grid[rr][c] is cell)
            colspan = sum(1 for cc in range(c, len(row)) if row[cc] is cell)
            spans[(r, c)] = Span(cell.text, rowspan, colspan)
    return spans
