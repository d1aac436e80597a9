"""Find official labels in printed text: width, brackets, punctuation and spaces folded, typos tolerated."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# Printed punctuation that stands for the official one once NFKC has folded the full-width forms.
_PUNCTUATION = str.maketrans({"、": ".", "，": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "〔": "[", "〕": "]"})
_NUMBERING = re.compile(r"^(\d+\.|\(\w\))")  # 1. or （一） in front of a label
MIN_FUZZY_LENGTH = 4  # shorter labels (规章, 其他, 总计) must be printed exactly


@dataclass(frozen=True)
class Folded:
    """Text folded for matching, with the position in the original of every folded character."""

    text: str
    origin: tuple[int, ...]


def fold(text: str) -> Folded:
    """NFKC, punctuation unified, every space (U+3000, no-break space, tabs) and cell bar dropped."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).translate(_PUNCTUATION):
            if not folded.isspace() and folded != "|":
                chars.append(folded)
                origin.append(index)
    return Folded("".join(chars), tuple(origin))


@cache
def fold_label(label: str) -> str:
    return fold(label).text


@dataclass(frozen=True)
class Match:
    start: int  # folded positions
    end: int
    printed: str  # the folded text that matched
    exact: bool


def find_exact(folded: str, wanted: tuple[str, ...], start: int, limit: int) -> Match | None:
    """The first of ``wanted`` printed as it is spelt (but for width, punctuation and spaces); only the
    official label (the first) counts as exact."""
    for number, label in enumerate(wanted):
        position = folded.find(fold_label(label), start, limit)
        if position >= 0:
            return Match(position, position + len(fold_label(label)), fold_label(label), number == 0)
    return None


def find_label(folded: str, wanted: tuple[str, ...], start: int, limit: int) -> Match | None:
    """The first of ``wanted`` (official label, then accepted variants) printed in ``folded[start:limit]``.

    Exact spellings first, then the label without its numbering, then the closest spelling within a few
    typos; a match other than the official label itself is marked inexact.
    """
    exact = find_exact(folded, wanted, start, limit)
    if exact is not None:
        return exact
    official = fold_label(wanted[0])
    for shorter in _shortened(official):
        position = folded.find(shorter, start, limit)
        if position >= 0 and not _inside_longer_label(folded, position):
            return Match(position, position + len(shorter), shorter, False)
    if len(official) >= MIN_FUZZY_LENGTH:
        return _closest(folded, official, start, limit)
    return None


def _shortened(official: str) -> list[str]:
    """How a label is printed short: without its numbering (``其他`` for ``3.其他``), or without a leading
    two-character qualifier of four more (``规范性文件`` for ``行政规范性文件``)."""
    bare = _NUMBERING.sub("", official)
    found = [bare] if bare != official and len(bare) >= 2 else []
    if bare == official and len(official) >= MIN_FUZZY_LENGTH + 2:
        found.append(official[2:])
    return found


def _inside_longer_label(folded: str, position: int) -> bool:
    """``其他`` found as the tail of ``3.其他`` or ``其他处理`` is not a bare label."""
    return position > 0 and folded[position - 1] in ".)"


def _closest(folded: str, label: str, start: int, limit: int) -> Match | None:
    """Best approximate occurrence of ``label`` (Sellers' edit distance) with at most len/4 edits."""
    allowed = max(1, len(label) // 4)
    window = folded[start:limit]
    best = _best_end(window, label)
    if best is None or best[1] > allowed:
        return None
    end, distance = best
    reverse = _best_end(window[:end][::-1], label[::-1])
    begin = end - reverse[0] if reverse else end - len(label)
    return Match(start + begin, start + end, window[begin:end], False)


def _best_end(text: str, pattern: str) -> tuple[int, int] | None:
    """(end, distance) of the leftmost best approximate occurrence of ``pattern`` in ``text``."""
    if not text:
        return None
    column = list(range(len(pattern) + 1))
    best: tuple[int, int] | None = None
    for position, char in enumerate(text, start=1):
        previous_diagonal, column[0] = column[0], 0
        for index, wanted in enumerate(pattern, start=1):
            cost = previous_diagonal if wanted == char else 1 + min(previous_diagonal, column[index - 1], column[index])
            previous_diagonal, column[index] = column[index], cost
        if best is None or column[-1] < best[1]:
            best = (position, column[-1])
    return best
