"""How tall a row must be for its wrapped text, estimated from the column widths and the text.

Spreadsheets do not grow a row whose height the file sets, and a sheet under protection keeps the clerk
from growing it, so the writer sizes every row that holds text. A column width counts characters of the
default 11-point font; a Chinese character takes about two of them.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable

DEFAULT_SIZE = 11  # points: the workbook's default font
LINE_SPACING = 1.45  # line height over font size with the CJK fonts spreadsheets fall back to
PADDING = 4  # points above and below the text
CELL_MARGIN = 1  # character widths lost to the cell's inner margins
ONE_LINE = DEFAULT_SIZE * LINE_SPACING + PADDING


WIDE = 2.1  # a Chinese character of 11 points (14.7 pixels) in widths of the default font's digit (7 pixels)


def display_width(text: str) -> float:
    """Width in default-font character widths: wide (CJK, full-width) characters count about double."""
    return sum(WIDE if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def line_count(text: object, width: float, size: float = DEFAULT_SIZE) -> int:
    """Lines ``text`` wraps into in a cell ``width`` characters wide, typed line breaks included."""
    if text is None or text == "":
        return 1
    usable = max(1.0, width * DEFAULT_SIZE / size - CELL_MARGIN)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in str(text).split("\n"))


def text_height(text: object, width: float, size: float = DEFAULT_SIZE) -> float:
    """Points a cell ``width`` characters wide needs to show ``text`` in a ``size``-point font."""
    return line_count(text, width, size) * size * LINE_SPACING + PADDING


def row_height(cells: Iterable[tuple], minimum: float = ONE_LINE) -> float:
    """Height of a row that shows every one of ``cells``, each given as (text, width[, font size])."""
    return round(max([minimum, *(text_height(*cell) for cell in cells)]), 1)
