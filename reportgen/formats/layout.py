"""A table definition laid out as printed: every cell with its grid position and merge spans.

The clerk workbook and the DOCX both draw a table from this one layout, so the merged cells of the
spreadsheet and of the report can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from reportgen.formats.schema import Block, Field, Table


class Role(StrEnum):
    CAPTION = "caption"  # block caption row spanning the table (第二十条第（一）项)
    CORNER = "corner"  # cell above the row labels (信息内容, the 勾稽关系 note)
    HEADER = "header"  # column header
    LABEL = "label"  # row label
    FIELD = "field"  # a figure
    BLANK = "blank"  # padding where a block is narrower than the table


@dataclass(frozen=True)
class Placed:
    """One cell of the printed table; ``row`` and ``col`` are 0-based from the table's top left."""

    row: int
    col: int
    role: Role
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    field: Field | None = None


@dataclass(frozen=True)
class TableLayout:
    table: Table
    cells: tuple[Placed, ...]
    height: int
    header_rows: int  # rows above the first data row of the first block

    @property
    def width(self) -> int:
        return self.table.width

    def field_cells(self) -> list[Placed]:
        return [cell for cell in self.cells if cell.role is Role.FIELD]


@cache
def layout_table(table: Table) -> TableLayout:
    cells: list[Placed] = []
    top = 0
    header_rows = None
    for block in table.blocks:
        block_cells, data_top, top = _layout_block(table, block, top)
        cells.extend(block_cells)
        header_rows = data_top if header_rows is None else header_rows
    return TableLayout(table=table, cells=tuple(cells), height=top, header_rows=header_rows or 0)


def _layout_block(table: Table, block: Block, top: int) -> tuple[list[Placed], int, int]:
    cells: list[Placed] = []
    if block.caption is not None:
        cells.append(Placed(top, 0, Role.CAPTION, block.caption, colspan=table.width))
        top += 1
    cells.extend(_header_cells(table, block, top))
    data_top = top + block.header_depth
    cells.extend(_row_label_cells(block, data_top))
    cells.extend(_field_cells(table, block, data_top))
    return cells, data_top, data_top + len(block.rows)


def _header_cells(table: Table, block: Block, top: int) -> list[Placed]:
    depth, labels = block.header_depth, block.label_depth
    cells = [Placed(top, 0, Role.CORNER, block.corner or "", rowspan=depth, colspan=labels)] if labels else []
    for level in range(depth):
        col = labels
        for group in _groups([column.path for column in block.columns], level, [c.span for c in block.columns]):
            prefix, span, is_leaf = group
            if prefix is not None:
                rowspan = depth - level if is_leaf else 1
                cells.append(Placed(top + level, col, Role.HEADER, prefix[-1], rowspan=rowspan, colspan=span))
            col += span
    cells.extend(_padding(table, block, top, depth))
    return cells


def _row_label_cells(block: Block, top: int) -> list[Placed]:
    cells = []
    depth = block.label_depth
    for level in range(depth):
        row = top
        for prefix, span, is_leaf in _groups([r.path for r in block.rows], level, [1] * len(block.rows)):
            if prefix is not None:
                colspan = depth - level if is_leaf else 1
                cells.append(Placed(row, level, Role.LABEL, prefix[-1], rowspan=span, colspan=colspan))
            row += span
    return cells


def _field_cells(table: Table, block: Block, top: int) -> list[Placed]:
    cells = []
    for index, row in enumerate(block.rows):
        col = block.label_depth
        for column in block.columns:
            field = Field(table=table, block=block, row=row, column=column)
            cells.append(Placed(top + index, col, Role.FIELD, colspan=column.span, field=field))
            col += column.span
    cells.extend(_padding(table, block, top, len(block.rows)))
    return cells


def _padding(table: Table, block: Block, top: int, height: int) -> list[Placed]:
    if block.width == table.width:
        return []
    return [Placed(top, block.width, Role.BLANK, rowspan=height, colspan=table.width - block.width)]


def _groups(paths: list[tuple[str, ...]], level: int, spans: list[int]):
    """Runs of consecutive paths sharing their prefix up to ``level``: (prefix or None, span, is_leaf).

    A path shorter than ``level`` has already ended in a cell spanning down/right, so it yields None.
    """
    index = 0
    while index < len(paths):
        path = paths[index]
        if len(path) <= level:
            yield None, spans[index], False
            index += 1
            continue
        prefix = path[: level + 1]
        end = index + 1
        while end < len(paths) and paths[end][: level + 1] == prefix and len(path) > level + 1:
            end += 1
        yield prefix, sum(spans[index:end]), len(path) == level + 1
        index = end
