"""Consistency rules over a report's figures: each check declares its codes and yields findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reportgen.checks.context import CheckContext, Location
from reportgen.checks.figures import Problem, parse_amount, parse_figure
from reportgen.checks.findings import Finding, finding
from reportgen.checks.narrative import narrative_mismatches
from reportgen.formats import ReportFormat, format_for_year
from reportgen.formats.schema import Balance, Block, CarryOver, Number, Table, Term
from reportgen.model import Report, derive_total

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


def _blocks(fmt: ReportFormat) -> Iterator[tuple[Table, Block]]:
    for table in fmt.tables:
        for block in table.blocks:
            yield table, block


@check("count-not-integer", "count-negative", "count-too-large", "amount-invalid")
def check_figure_kinds(context: CheckContext) -> Iterator[Finding]:
    """Figures and item amounts obey their kind also when they did not come through the workbook reader (JSON, code)."""
    for key, value in context.report.figures.items():
        target = context.format.field(key)
        problem = parse_figure(value, target, context.report.units.get(key))
        if isinstance(problem, Problem):
            yield context.at(key, problem.code, label=target.label, expected=problem.expected, actual=problem.actual)
    for section in context.format.narrative_sections():
        for item in section.items:
            key = section.item_key(item)
            problem = parse_amount(context.report.item_amounts.get(key), item.max_decimals)
            if isinstance(problem, Problem):
                yield context.at(key, problem.code, label=item.heading, expected=problem.expected,
                                 actual=problem.actual)


@check("t3-row-total", "t3-outcome-total", "t4-total")
def check_entered_totals(context: CheckContext) -> Iterator[Finding]:
    """A total typed over its formula must equal the sum the formula would give."""
    for key in context.wrong_totals:
        target = context.format.field(key)
        if context.known(*target.terms):
            yield context.at(key, target.rule.code, label=target.label, actual=context.report.entered_totals[key],
                             expected=derive_total(context.format, key, context.values.__getitem__))


@check("t3-balance")
def check_balances(context: CheckContext) -> Iterator[Finding]:
    """一 + 二 = 三（七） + 四 in every column of table 三 (and any other declared balance)."""
    for table, block in _blocks(context.format):
        for balance in block.balances:
            yield from _balance(context, table.key, block, balance)


def _balance(context: CheckContext, table: str, block: Block, balance: Balance) -> Iterator[Finding]:
    """Input columns first; a total column is skipped when a column it sums already failed (same cause)."""
    sums = {rule.target: set(rule.terms) for rule in block.column_sums}
    failed: set[str] = set()
    for column in sorted(block.columns, key=lambda column: column.key in sums):
        lhs_keys = [f"{table}.{row}.{column.key}" for row in balance.lhs]
        rhs_keys = [f"{table}.{row}.{column.key}" for row in balance.rhs]
        if failed & sums.get(column.key, set()) or not context.known(*lhs_keys, *rhs_keys):
            continue
        lhs, rhs = (sum(context.values[key] for key in keys) for keys in (lhs_keys, rhs_keys))
        if lhs != rhs:
            failed.add(column.key)
            anchor = f"{table}.{balance.rhs[0]}.{column.key}"
            yield context.at(anchor, balance.code, label=f"{column.label}列", expected=lhs, actual=rhs)


@check("t2-published-exceeds-total")
def check_comparisons(context: CheckContext) -> Iterator[Finding]:
    """Declared orderings between columns, e.g. 本年新公开数量 ≤ 对外公开总数量 in every row."""
    for table, block in _blocks(context.format):
        for rule in block.comparisons:
            for row in block.rows:
                lesser, greater = f"{table.key}.{row.key}.{rule.lesser}", f"{table.key}.{row.key}.{rule.greater}"
                if context.known(lesser, greater) and context.values[lesser] > context.values[greater]:
                    yield context.at(lesser, rule.code, label=context.format.field(lesser).label,
                                     expected=context.values[greater], actual=context.values[lesser])


@check("format-year-mismatch")
def check_format_year(context: CheckContext) -> Iterator[Finding]:
    """A report uses the format of its year: a 2019-format report for 2021 or later (or the reverse) is odd."""
    sheet, cell = context.locations.get("info.format_id", (None, None))
    mismatch = format_year_mismatch(context.format, context.report.info.year, sheet=sheet, cell=cell)
    if mismatch is not None:
        yield mismatch


def format_year_mismatch(fmt: ReportFormat, year: int, *, sheet: str | None = None,
                         cell: str | None = None) -> Finding | None:
    """The format-year-mismatch warning when ``fmt`` is not the format of ``year``, else None.

    run_checks applies it to every report; call it directly only where no Report gets checked.
    """
    expected = format_for_year(year)
    if expected.id == fmt.id:
        return None
    return finding("format-year-mismatch", sheet=sheet, cell=cell, label=f"{year} 年度",
                   expected=expected.document, actual=fmt.document)


@check("previous-year-mismatch", "t3-carry-over", "t2-carry-over")
def check_carry_overs(context: CheckContext) -> Iterator[Finding]:
    """This year's report against last year's (--previous): the carry-over relations of the format."""
    if context.previous is None:
        return
    last_year = context.report.info.year - 1
    if context.previous.info.year != last_year:
        yield finding("previous-year-mismatch", label="上年度工作簿", expected=last_year,
                      actual=context.previous.info.year)
        return
    for rule in context.format.carry_overs:
        yield from _carry_over(context, rule)


def _carry_over(context: CheckContext, rule: CarryOver) -> Iterator[Finding]:
    last_year = {term.key for term in rule.terms if term.last_year}
    this_year = [term.key for term in rule.terms if not term.last_year]
    if not last_year <= context.last_year.keys():
        return  # last year's report used a format without this cell
    if last_year & context.last_year_unknown or not context.known(rule.target, *this_year):
        return
    expected = sum(term.sign * _term_value(context, term) for term in rule.terms)
    actual = context.values[rule.target]
    if expected != actual:
        yield context.at(rule.target, rule.code, label=context.format.field(rule.target).label,
                         expected=expected, actual=actual, formula=_formula(context, rule.terms))


def _term_value(context: CheckContext, term: Term) -> Number:
    return (context.last_year if term.last_year else context.values)[term.key]


def _formula(context: CheckContext, terms: tuple[Term, ...]) -> str:
    """How the expected value was reached, e.g. ``上年度规章（现行有效件数）10 + 本年度规章（本年制发件数）3``."""
    text = ""
    for term in terms:
        year, report = ("上年度", context.previous) if term.last_year else ("本年度", context.report)
        part = f"{year}{report.format.field(term.key).label}{_term_value(context, term)}"
        text += part if not text else f" {'+' if term.sign > 0 else '−'} {part}"
    return text


check("narrative-mismatch")(narrative_mismatches)


def run_checks(
    report: Report,
    locations: dict[str, Location] | None = None,
    previous: Report | None = None,
    skip: Iterable[str] = (),
    unreadable: Iterable[str] = (),
    previous_unreadable: Iterable[str] = (),
    printed: bool = False,
) -> list[Finding]:
    """Run every registered check; findings whose code is in ``skip`` are dropped."""
    context = CheckContext(report, locations or {}, previous, unreadable, previous_unreadable, printed)
    skipped = set(skip)
    return [item for registered in CHECKS for item in registered.run(context) if item.code not in skipped]

