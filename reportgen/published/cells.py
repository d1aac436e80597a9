"""The figures printed after a row label, split into the row's cells.

A published row reaches us in one of three shapes: cells between bars (``39 | 1 | 0 |``, how sources.py
writes every real table), cells on their own lines or between tabs, or flattened running text where a
run of digits may hold several cells (``2000013`` is 2,0,0,0,0,1,3). Only in flattened text is a run of
digits split, and then into every reading that gives the row its number of cells; the caller narrows
the readings with the table's own sums and reports any that stay ambiguous instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from itertools import islice

from reportgen.checks.figures import MAX_COUNT
from reportgen.formats import CellKind
from reportgen.formats.schema import Column, Number

BLANK_MARKS = "/／—–-－"
_FIGURES = re.compile(r"[\s|\d.+\-−－/／—–,万元]*")  # what may follow a label before the next label's text
_NUMBERED_LABEL_START = re.compile(r"\d{1,2}[.．、]\s*$")  # ``3.`` of a label that was not recognised
_TOKEN = re.compile(r"(?P<sign>[+\-−－])?(?P<digits>\d+(?:,\d{3})*)(?P<fraction>\.\d+)?(?P<unit>万元|元)?"
                    rf"|(?P<blank>[{BLANK_MARKS}]+)")
_CELL_BREAKS = {"bars": re.compile(r"\|"), "lines": re.compile(r"\n+|\t"), "indented": re.compile(r"\n+\t?|\t")}
MAX_READINGS = 64  # more readings than this are ambiguous anyway
MAX_RUN = 16  # longer digit runs are not split (2^15 readings)


class Layout(StrEnum):
    """How the cells of a table are separated in the text."""

    BARS = "bars"
    LINES = "lines"  # a row per line, cells between tabs
    INDENTED = "indented"  # a cell per line, each line indented with a tab
    FLAT = "flat"


def layout_of(text: str) -> Layout:
    """Bars when the table text has them, else lines or tabs when its cells sit on their own, else flat."""
    if text.count("|") >= 10:
        return Layout.BARS
    if text.count("\n") + text.count("\t") < 10:
        return Layout.FLAT
    lines = [line for line in text.split("\n") if line.strip()]
    indented = sum(line.startswith("\t") for line in lines)
    return Layout.INDENTED if indented > 0.8 * len(lines) else Layout.LINES


@dataclass(frozen=True)
class Cell:
    """One printed cell: its text and value, or a blank (``value`` None) printed as ``text``."""

    text: str
    value: Number | None = None
    unit: str | None = None

    @property
    def blank(self) -> bool:
        return self.value is None


def figures_after(text: str) -> str:
    """The printed figures at the start of ``text`` (up to the first word), without a next label's ``3.``."""
    run = _FIGURES.match(text).group()
    return _NUMBERED_LABEL_START.sub("", run)


@dataclass(frozen=True)
class _Piece:
    """A token of a row: alternative cell lists (splits of a digit run), or an optional empty cell."""

    options: tuple[tuple[Cell, ...], ...]
    optional_blank: bool = False


def readings(text: str, columns: tuple[Column, ...], layout: Layout) -> list[tuple[Cell, ...]]:
    """Every way ``text`` gives exactly one valid cell per column (at most MAX_READINGS of them).

    Empty cells between separators count as blank cells, first ones first, only as far as the row needs
    them: a table's padding cells after the last figure are not cells of the row.
    """
    pieces = _pieces(text, layout, len(columns))
    if pieces is None:
        return []
    found = []
    for cells in islice(_combine(pieces, len(columns)), MAX_READINGS * 4):
        if all(_fits(cell, column) for cell, column in zip(cells, columns, strict=True)):
            found.append(cells)
            if len(found) == MAX_READINGS:
                break
    return found


def _pieces(text: str, layout: Layout, width: int) -> list[_Piece] | None:
    if layout is Layout.FLAT:
        segments = [text]
    else:
        segments = _CELL_BREAKS[layout.value].split(text)[1:]  # the first is the rest of the label's cell
    pieces = []
    for segment in segments:
        tokens = segment.split()
        if not tokens:
            pieces.append(_Piece(((Cell(""),),), optional_blank=True))
        for token in tokens:
            options = _token_options(token, layout is Layout.FLAT, width)
            if options is None:
                return None
            pieces.append(_Piece(options))
    return pieces


def _token_options(token: str, split: bool, width: int) -> tuple[tuple[Cell, ...], ...] | None:
    """The cell lists (of at most ``width`` cells) a token can stand for; None when it is not figures at all."""
    cells: list[list[tuple[Cell, ...]]] = []
    position = 0
    for match in _TOKEN.finditer(token):
        if match.start() != position:
            return None
        position = match.end()
        cells.append(_match_options(match, split))
    if position != len(token) or not cells:
        return None
    combined: list[tuple[Cell, ...]] = [()]
    for options in cells:
        combined = [done + option for done in combined for option in options if len(done + option) <= width]
    return tuple(combined[:MAX_READINGS * 4])


def _match_options(match: re.Match, split: bool) -> list[tuple[Cell, ...]]:
    if match.group("blank"):
        return [(Cell(match.group()),)]
    digits = match.group("digits").replace(",", "")
    sign, fraction, unit = match.group("sign") or "", match.group("fraction") or "", match.group("unit")
    if not split or sign or "," in match.group("digits") or len(digits) > MAX_RUN:
        return [(_number(match.group(), sign + digits + fraction, unit),)]
    options = []
    for parts in _splits(digits):
        *head, last = parts
        options.append((*(_number(part, part, None) for part in head),
                        _number(last + fraction + (unit or ""), last + fraction, unit)))
    return options


def _number(text: str, number: str, unit: str | None) -> Cell:
    value = Decimal(number.replace("−", "-").replace("－", "-"))
    return Cell(text, int(value) if value == value.to_integral_value() and "." not in number else value, unit)


@cache
def _splits(digits: str) -> tuple[tuple[str, ...], ...]:
    """Every way to cut a run of digits into numbers written without leading zeros."""
    if not digits:
        return ((),)
    found = []
    for end in range(1, len(digits) + 1):
        head = digits[:end]
        if head.startswith("0") and head != "0":
            break
        found.extend((head, *rest) for rest in _splits(digits[end:]))
    return tuple(found)


def _combine(pieces: list[_Piece], width: int):
    """Cell lists of exactly ``width`` cells; optional blanks fill in order, as many as needed."""
    optional = sum(piece.optional_blank for piece in pieces)

    def walk(index: int, cells: tuple[Cell | None, ...]):
        filled = sum(cell is not None for cell in cells)
        if filled > width:
            return
        if index == len(pieces):
            need = width - filled
            if 0 <= need <= optional:
                yield _fill(cells, need)
            return
        piece = pieces[index]
        if piece.optional_blank:
            yield from walk(index + 1, (*cells, None))
            return
        for option in piece.options:
            yield from walk(index + 1, cells + option)

    yield from walk(0, ())


def _fill(cells: tuple[Cell | None, ...], need: int) -> tuple[Cell, ...]:
    """Optional blanks (None) become blank cells, the first ``need`` of them; the rest are padding."""
    result = []
    for cell in cells:
        if cell is None:
            if need:
                result.append(Cell(""))
                need -= 1
        else:
            result.append(cell)
    return tuple(result)


def _fits(cell: Cell, column: Column) -> bool:
    """Whether a cell can be this column's: counts are whole, only 本年增/减 negative, units only on amounts."""
    if cell.blank:
        return True
    if cell.unit is not None and column.kind is not CellKind.AMOUNT:
        return False
    if column.kind in (CellKind.AMOUNT, CellKind.DECIMAL):
        return cell.value >= 0
    if not isinstance(cell.value, int) or abs(cell.value) > MAX_COUNT:
        return False
    return cell.value >= 0 or column.kind is CellKind.SIGNED
