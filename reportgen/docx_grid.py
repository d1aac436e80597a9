"""Tables with merged cells built row by row: python-docx's cell() and merge() rescan the grid on every call."""

from __future__ import annotations

from collections.abc import Iterable

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table

Span = tuple[int, int, int, int]  # row, col, rowspan, colspan (0-based)


def add_spanning_table(document: Document, height: int, width: int, spans: Iterable[Span]) -> Table:
    """A ``height`` × ``width`` table whose listed cells are merged, each holding one empty paragraph.

    A merged cell is written as Word writes it: one w:tc with w:gridSpan per row it covers, the first
    with w:vMerge="restart" and the others w:vMerge (continue) when it spans rows.
    """
    starts: dict[tuple[int, int], tuple[int, str | None]] = {}
    for row, col, rowspan, colspan in spans:
        for line in range(row, row + rowspan):
            vertical = None if rowspan == 1 else "restart" if line == row else "continue"
            starts[(line, col)] = (colspan, vertical)
    table = document.add_table(rows=0, cols=width)
    for line in range(height):
        tr = OxmlElement("w:tr")
        col = 0
        while col < width:
            colspan, vertical = starts.get((line, col), (1, None))
            tr.append(_tc(colspan, vertical))
            col += colspan
        table._tbl.append(tr)
    return table


def _tc(colspan: int, vertical: str | None):
    tc_pr = OxmlElement("w:tcPr")
    if colspan > 1:
        tc_pr.append(OxmlElement("w:gridSpan", {qn("w:val"): str(colspan)}))
    if vertical == "restart":
        tc_pr.append(OxmlElement("w:vMerge", {qn("w:val"): "restart"}))
    elif vertical == "continue":
        tc_pr.append(OxmlElement("w:vMerge"))
    tc = OxmlElement("w:tc")
    tc.append(tc_pr)
    tc.append(OxmlElement("w:p"))
    return tc
