"""Recognise a format from the fixed labels a workbook's table sheets actually show."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import cache

from reportgen.formats import FORMATS
from reportgen.formats.layout import Role, layout_table
from reportgen.formats.schema import ReportFormat

# Share of a format's own labels that must be present before the labels are trusted over anything else.
MIN_SCORE = 0.6


def fixed_labels(fmt: ReportFormat) -> dict[str, frozenset[str]]:
    """Sheet name -> every caption, header and row label of the tables on it (official wordings)."""
    labels: dict[str, set[str]] = {}
    for table in fmt.tables:
        texts = {cell.text for cell in layout_table(table).cells if cell.role not in (Role.FIELD, Role.BLANK)}
        labels.setdefault(table.sheet, set()).update(texts)
    return {sheet: frozenset(texts) for sheet, texts in labels.items()}


@cache
def distinctive_labels(format_id: str) -> dict[str, frozenset[str]]:
    """The labels of a format that no other format prints on the same sheet: the ones that tell formats apart."""
    fmt = FORMATS[format_id]
    own = fixed_labels(fmt)
    others = [fixed_labels(other) for other in FORMATS.values() if other.id != fmt.id]
    return {sheet: texts.difference(*(other.get(sheet, ()) for other in others)) for sheet, texts in own.items()}


def format_scores(sheet_texts: Mapping[str, Collection[str]], normalize: Callable[[str], str]) -> dict[str, float]:
    """Format id -> share of its distinctive labels (or an accepted variant) found on the matching sheet.

    ``sheet_texts`` holds the texts of each sheet already passed through ``normalize``, which is applied to
    the definition's labels too, so both sides compare in the same spelling.
    """
    scores = {}
    for fmt in FORMATS.values():
        wanted = [(sheet, label) for sheet, labels in distinctive_labels(fmt.id).items() for label in labels]
        found = sum(1 for sheet, label in wanted if _shown(fmt, label, sheet_texts.get(sheet, ()), normalize))
        scores[fmt.id] = found / len(wanted) if wanted else 0.0
    return scores


def _shown(fmt: ReportFormat, label: str, texts: Collection[str], normalize: Callable[[str], str]) -> bool:
    return any(normalize(text) in texts for text in fmt.accepted_labels(label))


def detect_format(sheet_texts: Mapping[str, Collection[str]], normalize: Callable[[str], str]) -> ReportFormat | None:
    """The format whose labels the sheets show, or None when no format clearly fits."""
    scores = format_scores(sheet_texts, normalize)
    best = max(scores, key=scores.get)
    runner_up = max((score for fmt_id, score in scores.items() if fmt_id != best), default=0.0)
    if scores[best] < MIN_SCORE or scores[best] <= runner_up:
        return None
    return FORMATS[best]
