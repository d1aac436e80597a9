"""The report's tables: ruled and sized to the text block, rows and merged cells drawn in one pass."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import accumulate
from typing import Literal

from reportgen.document.body import ReportDocument
from reportgen.document.ooxml import clean_text

TABLE_CELL_MARGIN_TWIPS = 108
TIGHT_TABLE_CELL_MARGIN_TWIPS = 57  # 1 mm: lets 2 五号 characters fit the 10.4 mm columns of table 四
# ⅓ mm above and below: CJK faces sit low in their line and would otherwise touch the lower rule
CELL_PADDING_TWIPS = 19
_RULE = 'w:val="single" w:sz="4" w:space="0" w:color="auto"'  # sz in eighths: ½ pt
_RULED_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
# python-docx's table look for a new table (first row and column emphasised, no vertical banding)
_TABLE_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
               'w:noVBand="1" w:val="04A0"/>')


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
    document: ReportDocument,
    height: int,
    cells: Iterable[GridCell],
    col_widths_mm: Sequence[float],
    header_rows: int,
    numeric_cols: set[int] | None = None,
    tight_margins: bool = False,
    keep_together: bool = False,
) -> None:
    """A ``height``-row table of the given cells (any position not covered is an empty cell).

    Header rows are always kept with the row after them; ``keep_together`` keeps every row with the
    next, so a short table moves to the next page whole instead of leaving a row behind.
    """
    if not col_widths_mm or min(col_widths_mm) <= 0:
        raise ValueError(f"need positive column widths, got {list(col_widths_mm)}")
    # col_widths_mm are scaled to the text-block width (156 mm by default)
    widths = _fit_column_widths(col_widths_mm, document.text_width_twips)
    margin = TIGHT_TABLE_CELL_MARGIN_TWIPS if tight_margins else TABLE_CELL_MARGIN_TWIPS
    numeric = set(range(len(widths))) if numeric_cols is None else numeric_cols
    starts = _starts(cells)
    kept = height - 1 if keep_together else header_rows
    rows = "".join(_row(line, widths, starts, line < header_rows, line < kept, numeric) for line in range(height))
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    document.add_table(f"<w:tbl>{_table_properties(sum(widths), margin)}<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")


# --- table-wide properties ---------------------------------------------------------------------


def _fit_column_widths(widths_mm: Sequence[float], total_twips: int) -> list[int]:
    """Column widths in twips, proportional to widths_mm and summing exactly to total_twips."""
    whole = sum(widths_mm)
    edges = [0, *(round(total_twips * edge / whole) for edge in accumulate(widths_mm))]
    return [right - left for left, right in zip(edges, edges[1:])]


def _table_properties(width: int, cell_margin: int) -> str:
    """Spans the text block, centred, ruled all round and inside, fixed layout, the given cell margins."""
    borders = "".join(f"<w:{side} {_RULE}/>" for side in _RULED_SIDES)
    margins = "".join(f'<w:{side} w:w="{size}" w:type="dxa"/>' for side, size in (
        ("top", CELL_PADDING_TWIPS), ("left", cell_margin), ("bottom", CELL_PADDING_TWIPS), ("right", cell_margin)))
    # fixed: column widths hold whatever the text, so table 四 stays inside the text block
    return (f'<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f"<w:tblCellMar>{margins}</w:tblCellMar>{_TABLE_LOOK}</w:tblPr>")


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
    run = "" if text is None else f"<w:r>{_cell_text_xml(clean_text(text))}</w:r>"
    keep = "<w:keepNext/>" if keep_next else ""
    paragraph = f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}<w:jc w:val="{align}"/></w:pPr>{run}</w:p>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph}</w:tc>"


def _cell_text_xml(text: str) -> str:
    # an empty element is written self-closed, as lxml serializes it
    if not text:
        return '<w:t xml:space="preserve"/>'
    return f'<w:t xml:space="preserve">{escape(text, quote=False)}</w:t>'
