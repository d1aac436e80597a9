"""add_grid_table writes exactly the table that python-docx's merge + style_table + set_cell_text make."""

from __future__ import annotations

import pytest
from lxml import etree

from reportgen.docx_grid import GridCell, add_grid_table
from reportgen.docx_style import new_document, set_cell_text, style_table
from reportgen.formats import get_format
from reportgen.formats.layout import layout_table
from reportgen.model import compute_values
from reportgen.render import _cell_text, _column_widths
from reportgen.settings import StyleSettings

from tests.seeds import seed_report


def cell_by_cell(document, layout, cells, widths, header_rows, numeric):
    """The slow way the tables used to be drawn, one python-docx call per merge and per cell."""
    table = document.add_table(rows=layout.height, cols=layout.width)
    for cell in cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            table.cell(cell.row, cell.col).merge(
                table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
    style_table(table, widths, header_rows, numeric_cols=numeric, tight_margins=layout.width > 10)
    grid = table._cells
    for cell in cells:
        set_cell_text(grid[cell.row * layout.width + cell.col], cell.text, header=cell.header, align=cell.align)
    return table


EXPECTED_TEXTS = {"t2": {"第二十条第（九）项", "19696.99万元"}, "t3": {"自然人", "（七）总计", "39"},
                  "t4": {"行政复议", "尚未审结"}}


@pytest.mark.parametrize("table_key", ["t2", "t3", "t4"])
def test_the_one_pass_table_equals_the_cell_by_cell_one(table_key: str) -> None:
    report = seed_report("003")
    layout = layout_table(get_format("2019").table(table_key))
    values = compute_values(report.format, report.figures)
    cells = [GridCell(cell.row, cell.col, cell.rowspan, cell.colspan, *_cell_text(cell, values, report.units))
             for cell in layout.cells]
    numeric = {cell.col for cell in layout.field_cells()}
    header_rows = layout.header_rows if layout.table.repeat_header else 0
    document = new_document(StyleSettings())

    slow = cell_by_cell(document, layout, cells, _column_widths(layout), header_rows, numeric)
    fast = add_grid_table(document, layout.height, cells, _column_widths(layout), header_rows,
                          numeric_cols=numeric, tight_margins=layout.width > 10)

    canonical = [etree.tostring(table._tbl, method="c14n") for table in (slow, fast)]
    assert canonical[0] == canonical[1]
    assert len(fast.rows) == layout.height and b"gridSpan" in canonical[1]
    texts = {cell.text for row in fast.rows for cell in row.cells}
    assert EXPECTED_TEXTS[table_key] <= texts
