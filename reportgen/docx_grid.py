"""Tables drawn in one pass: every row written as XML text and parsed once.

python-docx's cell() and merge() rescan the whole grid on every call, and building a cell element by
element costs microseconds per element; a report has some 350 cells, so this is most of a build.
Table-wide rules and widths come from docx_style.style_table; rows and cells are made here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from html import escape

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.table import Table

from reportgen.docx_style import clean_text, style_table


@dataclass(frozen=True)
class GridCell:
    """One cell of the table: 0-based top-left position, merge spans, text and paragraph format."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    header: bool = False
    align: Literal["center", "left"] = "center"


def add_grid_table(
    document: Document,
    height: int,
    cells: Iterable[GridCell],
    col_widths_mm: Sequence[float],
    header_rows: int,
    numeric_cols: set[int] | None = None,
    tight_margins: bool = False,
    keep_together: bool = False,
) -> Table:
    """A ``height``-row table of the given cells (any position not covered is an empty cell).

    Header rows are always kept with the row after them; ``keep_together`` keeps every row with the
    next, so a short table moves to the next page whole instead of leaving a row behind.
    """
    table = document.add_table(rows=0, cols=len(col_widths_mm))
    widths = style_table(table, col_widths_mm, tight_margins)
    numeric = set(range(len(widths))) if numeric_cols is None else numeric_cols
    starts = _starts(cells)
    kept = height - 1 if keep_together else header_rows
    rows = "".join(_row(line, widths, starts, line < header_rows, line < kept, numeric) for line in range(height))
    table._tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>"))
    return table


def _starts(cells: Iterable[GridCell]) -> dict[tuple[int, int], tuple[GridCell, bool]]:
    """Where each cell has a w:tc: its top row (True) and the rows it is merged down over (False)."""
    starts = {}
    for cell in cells:
        for line in range(cell.row, cell.row + cell.rowspan):
            starts[(line, cell.col)] = (cell, line == cell.row)
    return starts


def _row(line: int, widths: list[int], starts, is_header: bool, keep_next: bool, numeric: set[int]) -> str:
    tcs = []
    col = 0
    while col < len(widths):
        cell, top = starts.get((line, col), (None, True))
        span = cell.colspan if cell else 1
        merge = "" if cell is None or cell.rowspan == 1 else "restart" if top else "continue"
        if cell is not None and top:
            style, align, text = _style_id(cell.header), cell.align, cell.text
        else:  # an empty cell still needs the table style, or it would be a 16 pt body line
            style, align, text = _style_id(is_header), "center" if is_header or col in numeric else "left", None
        tcs.append(_tc(sum(widths[col : col + span]), span, merge, style, align, text, keep_next))
        col += span
    header = "<w:tblHeader/>" if is_header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(tcs)}</w:tr>"


def _style_id(header: bool) -> str:
    return "GW-TableHeader" if header else "GW-Table"


def _tc(width: int, span: int, merge: str, style: str, align: str, text: str | None, keep_next: bool) -> str:
    props = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    props += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    props += {"": "", "restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}[merge]
    props += '<w:vAlign w:val="center"/>'
    run = "" if text is None else f'<w:r><w:t xml:space="preserve">{escape(clean_text(text), quote=False)}</w:t></w:r>'
    keep = "<w:keepNext/>" if keep_next else ""
    paragraph = f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}<w:jc w:val="{align}"/></w:pPr>{run}</w:p>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph}</w:tc>"
