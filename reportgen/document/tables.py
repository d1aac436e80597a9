"""The report's tables: ruled and sized to the text block, rows and merged cells drawn in one pass."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import accumulate
from typing import Literal

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips
from docx.table import Table

from reportgen.document.ooxml import clean_text, mm_to_twips, put_in_order, w_element

TABLE_CELL_MARGIN_TWIPS = 108
TIGHT_TABLE_CELL_MARGIN_TWIPS = 57  # 1 mm: lets 2 五号 characters fit the 10.4 mm columns of table 四
# ⅓ mm above and below: CJK faces sit low in their line and would otherwise touch the lower rule
CELL_PADDING_TWIPS = 19
_TBL_PR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
    "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip


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
    # the rows are written as XML text and parsed once: python-docx's cell() and merge() rescan the
    # whole grid on every call, and building ~350 cells element by element was most of a build
    table._tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{rows}</w:tbl>"))
    return table


# --- table-wide properties ---------------------------------------------------------------------


def style_table(table: Table, col_widths_mm: Sequence[float], tight_margins: bool = False) -> list[int]:
    """Rule and size a table to span the text block; returns the column widths in twips.

    col_widths_mm are scaled to the text-block width (156 mm by default); tight_margins narrows the
    cell padding for the 15 columns of table 四.
    """
    tbl = table._tbl
    grid_cols = tbl.tblGrid.gridCol_lst
    if len(col_widths_mm) != len(grid_cols) or min(col_widths_mm) <= 0:
        raise ValueError(f"need {len(grid_cols)} positive column widths, got {list(col_widths_mm)}")
    widths = _fit_column_widths(col_widths_mm, _text_width_twips(table))
    margin = TIGHT_TABLE_CELL_MARGIN_TWIPS if tight_margins else TABLE_CELL_MARGIN_TWIPS
    _table_props(tbl.tblPr, sum(widths), margin)
    for grid_col, width in zip(grid_cols, widths):
        grid_col.w = Twips(width)
    return widths


def _text_width_twips(table: Table) -> int:
    section = table.part.document.sections[-1]
    width_mm = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    # margins are set in mm and each was rounded to twips; undo that drift (156 mm → 8844, not 8845)
    return mm_to_twips(round(width_mm, 1))


def _fit_column_widths(widths_mm: Sequence[float], total_twips: int) -> list[int]:
    """Column widths in twips, proportional to widths_mm and summing exactly to total_twips."""
    whole = sum(widths_mm)
    edges = [0, *(round(total_twips * edge / whole) for edge in accumulate(widths_mm))]
    return [right - left for left, right in zip(edges, edges[1:])]


def _table_props(tbl_pr: BaseOxmlElement, width: int, cell_margin: int) -> None:
    border = {"val": "single", "sz": 4, "space": 0, "color": "auto"}  # sz in eighths: ½ pt
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    for element in (
        w_element("tblW", w=width, type="dxa"),
        w_element("jc", val="center"),
        w_element("tblInd", w=0, type="dxa"),
        w_element("tblBorders", *(w_element(side, **border) for side in sides)),
        # fixed: column widths hold whatever the text, so table 四 stays inside the text block
        w_element("tblLayout", type="fixed"),
        w_element(
            "tblCellMar",
            w_element("top", w=CELL_PADDING_TWIPS, type="dxa"),
            w_element("left", w=cell_margin, type="dxa"),
            w_element("bottom", w=CELL_PADDING_TWIPS, type="dxa"),
            w_element("right", w=cell_margin, type="dxa"),
        ),
    ):
        put_in_order(tbl_pr, element, _TBL_PR_ORDER)


# --- rows and cells ----------------------------------------------------------------------------


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
