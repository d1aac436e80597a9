"""Spreadsheet cell names and 1-based numbers, both ways, without importing openpyxl on the read path."""

from __future__ import annotations

import re

CELL_NAME = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")


def column_number(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """1 → ``A``, 28 → ``AB``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_cell_name(name: str) -> tuple[int, int] | None:
    """``B7`` → (7, 2); None when ``name`` is no cell name."""
    match = CELL_NAME.fullmatch(name)
    return (int(match.group(4)), column_number(match.group(2))) if match else None
