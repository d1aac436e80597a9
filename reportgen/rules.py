"""Consistency rules over a report's figures: each check declares its codes and yields findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from reportgen.findings import Finding, finding
from reportgen.formats import ReportFormat, format_for_year
from reportgen.formats.schema import Number
from reportgen.model import Report, compute_values

Location = tuple[str, str]


@dataclass
class CheckContext:
    """What every check sees: the report, its recomputed values and where each value sits."""

    report: Report
    locations: dict[str, Location] = field(default_factory=dict)
    previous: Report | None = None

    def __post_init__(self) -> None:
        self.format: ReportFormat = self.report.format
        self.computed: dict[str, Number] = compute_values(self.format, self.report.figures)

    def effective(self, key: str) -> Number:
        """The value a reader of the report would see: a hand-typed total if any, else the computed one."""
        return self.report.entered_totals.get(key, self.computed[key])

    def at(self, key: str, code: str, **fields) -> Finding:
        sheet, cell = self.locations.get(key, (None, None))
        return finding(code, sheet=sheet, cell=cell, **fields)


Check = Callable[[CheckContext], Iterable[Finding]]


@dataclass(frozen=True)
class RegisteredCheck:
    codes: tuple[str, ...]
    run: Check


CHECKS: list[RegisteredCheck] = []


def check(*codes: str) -> Callable[[Check], Check]:
    """Register a check together with the finding codes it can emit."""

    def register(function: Check) -> Check:
        CHECKS.append(RegisteredCheck(codes, function))
        return function

    return register


@check("t3-row-total", "t3-outcome-total", "t4-total")
def check_entered_totals(context: CheckContext) -> Iterator[Finding]:
    """A total typed over its formula must equal the sum it stands for."""
    for key, entered in context.report.entered_totals.items():
        computed = context.computed[key]
        if entered != computed:
            target = context.format.field(key)
            yield context.at(key, target.rule.code, label=target.label, expected=computed, actual=entered)


@check("t3-balance")
def check_balances(context: CheckContext) -> Iterator[Finding]:
    """一 + 二 = 三（七） + 四 in every column of table 三 (and any other declared balance)."""
    for table in context.format.tables:
        for block in table.blocks:
            for balance in block.balances:
                for column in block.columns:
                    yield from _balance(context, table.key, balance, column)


def _balance(context: CheckContext, table: str, balance, column) -> Iterator[Finding]:
    lhs = sum(context.effective(f"{table}.{row}.{column.key}") for row in balance.lhs)
    rhs = sum(context.effective(f"{table}.{row}.{column.key}") for row in balance.rhs)
    if lhs != rhs:
        anchor = f"{table}.{balance.rhs[0]}.{column.key}"
        yield context.at(anchor, balance.code, label=f"{column.label}列", expected=lhs, actual=rhs)


@check("format-year-mismatch")
def check_format_fits_year(context: CheckContext) -> Iterator[Finding]:
    """A 2019-format workbook for a year from 2021 on, or the reverse, is most likely the wrong template."""
    year = context.report.info.year
    expected = format_for_year(year)
    if expected.id != context.format.id:
        yield context.at("info.year", "format-year-mismatch", label=year,
                         expected=_format_name(expected), actual=_format_name(context.format))


def _format_name(fmt: ReportFormat) -> str:
    return f"{fmt.id}（{fmt.document}）"


def run_checks(
    report: Report,
    locations: dict[str, Location] | None = None,
    previous: Report | None = None,
    skip: Iterable[str] = (),
) -> list[Finding]:
    """Run every registered check; findings whose code is in ``skip`` are dropped."""
    context = CheckContext(report, locations or {}, previous)
    skipped = set(skip)
    return [item for registered in CHECKS for item in registered.run(context) if item.code not in skipped]
