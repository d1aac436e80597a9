"""What every check sees: the report, its displayed values, their locations and which are unknown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reportgen.checks.findings import ENTERED, PRINTED, Finding, finding
from reportgen.formats import ReportFormat
from reportgen.formats.schema import Number
from reportgen.model import Location, Report, compute_values, derive_total


@dataclass
class CheckContext:
    """What every check sees: the report, the values its workbook displays and where each value sits.

    ``unreadable`` names cells whose entry was rejected (already a finding). Those cells, totals typed
    over their formulas with a wrong number (also a finding of their own) and every total that adds
    them up count as unknown: checks that would use them stay silent rather than report the same
    mistake twice.
    """

    report: Report
    locations: dict[str, Location] = field(default_factory=dict)
    previous: Report | None = None
    unreadable: Iterable[str] = ()
    previous_unreadable: Iterable[str] = ()
    printed: bool = False  # a published report: messages say 印为, not 填写为

    def __post_init__(self) -> None:
        self.format: ReportFormat = self.report.format
        self.values: dict[str, Number] = displayed_values(self.report)
        self.wrong_totals = [key for key, entered in self.report.entered_totals.items()
                             if entered != derive_total(self.format, key, self.values.__getitem__)]
        self.unknown = unknown_cells(self.format, {*self.unreadable, *self.wrong_totals})
        self.last_year: dict[str, Number] = {}
        self.last_year_unknown: frozenset[str] = frozenset()
        if self.previous is not None:
            self.last_year = displayed_values(self.previous)
            self.last_year_unknown = unknown_cells(self.previous.format, self.previous_unreadable)

    def known(self, *keys: str) -> bool:
        """Whether every one of this year's ``keys`` has a value that was read."""
        return not self.unknown.intersection(keys)

    def at(self, key: str, code: str, **fields) -> Finding:
        sheet, cell = self.locations.get(key, (None, None))
        return finding(code, sheet=sheet, cell=cell, entered=PRINTED if self.printed else ENTERED, **fields)


def displayed_values(report: Report) -> dict[str, Number]:
    """Every cell as the spreadsheet shows it: recomputed totals, except those typed over their formulas."""
    return compute_values(report.format, report.figures, report.entered_totals)


def unknown_cells(fmt: ReportFormat, unreadable: Iterable[str]) -> frozenset[str]:
    """The unreadable cells and every total that adds one of them up."""
    unknown = {key: True for key in unreadable}

    def is_unknown(key: str) -> bool:
        if key not in unknown:
            unknown[key] = any(is_unknown(term) for term in fmt.field(key).terms)
        return unknown[key]

    return frozenset(field.key for field in fmt.fields() if is_unknown(field.key))
