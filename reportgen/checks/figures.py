"""What a valid figure is: a raw cell value (``１２``, `` 12 ``, ``12.0``, ``+107``) typed by its cell kind."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from reportgen.checks.findings import Finding, finding
from reportgen.formats import CellKind, Field
from reportgen.formats.schema import MONEY_KINDS, Number

MAX_COUNT = 10_000_000
SPREADSHEET_DIGITS = 15  # significant digits Excel and LibreOffice keep and show of a number
EXCEL_ERRORS = frozenset({"#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how the xlsx XML stores characters it cannot hold (_x0007_)


@dataclass(frozen=True)
class Problem:
    """Why a cell value was not accepted: a finding code and the expected/actual texts."""

    code: str
    actual: object
    expected: object = None

    def finding(self, *, sheet: str, cell: str, label: str) -> Finding:
        return finding(self.code, sheet=sheet, cell=cell, label=label, actual=self.actual, expected=self.expected)


def unescape(value: object) -> str:
    """The text Excel shows: ``_x0007_`` escapes in the file decoded to their characters."""
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), str(value))


def normalize_text(value: object) -> str:
    """Full-width forms folded (NFKC), control characters dropped, outer spaces stripped."""
    text = unicodedata.normalize("NFKC", unescape(value))
    return CONTROL_CHARACTERS.sub("", text).strip()


def parse_figure(raw: object, field: Field, unit: str | None = None) -> Number | Problem | None:
    """The typed value of an input cell (an amount in ``unit``), None for a blank, or the Problem that stops it."""
    number = _parse_number(raw)
    if number is None or isinstance(number, Problem):
        return number
    return _typed(number, field, unit)


def parse_amount(raw: object, max_decimals: int) -> Number | Problem | None:
    """A sum of money in a fixed unit (a section item such as 信息处理费), None for a blank."""
    number = _parse_number(raw)
    if number is None or isinstance(number, Problem):
        return number
    return _amount(number, max_decimals)


def _parse_number(raw: object) -> Decimal | Problem | None:
    if raw is None or (isinstance(raw, str) and not normalize_text(raw)):
        return None
    if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
        return Problem("formula-error", raw.strip())
    if isinstance(raw, str) and raw.startswith("="):
        return Problem("input-formula", raw)
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return Problem("count-not-number", _excerpt(raw))
    number = _to_decimal(raw)
    if number is None or not number.is_finite():
        return Problem("count-not-number", _excerpt(raw))
    return number


def _excerpt(raw: object, limit: int = 40) -> str:
    """The start of what was typed, short enough for a message."""
    text = normalize_text(raw)
    return text if len(text) <= limit else text[:limit] + "…"


def _to_decimal(raw: object) -> Decimal | None:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, float):  # as a spreadsheet shows it: 15 significant digits, so 0.1+0.2 is 0.3
        return Decimal(format(raw, f".{SPREADSHEET_DIGITS}g"))
    if isinstance(raw, int):
        return Decimal(raw)
    text = normalize_text(raw).replace(",", "").replace(" ", "")
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _typed(number: Decimal, field: Field, unit: str | None) -> Number | Problem:
    if field.kind in MONEY_KINDS:
        return _amount(number, field.column.max_decimals(unit))
    if number != number.to_integral_value():
        return Problem("count-not-integer", _plain(number))
    if number < 0 and field.kind is CellKind.COUNT:
        return Problem("count-negative", _plain(number))
    if abs(number) > MAX_COUNT:
        return Problem("count-too-large", _plain(number), f"{MAX_COUNT:,}")
    return int(number)


def _amount(number: Decimal, max_decimals: int) -> Decimal | Problem:
    """An amount kept exactly as entered, trailing zeros included (``24252.310000`` prints so)."""
    if number < 0:
        return Problem("amount-invalid", _plain(number), "金额不能为负数")
    if -number.normalize().as_tuple().exponent > max_decimals:
        return Problem("amount-invalid", _plain(number), f"小数不超过 {max_decimals} 位（精确到分）")
    if number > MAX_COUNT * 1000:
        return Problem("amount-invalid", _plain(number), "金额大得不合实际，请核实单位")
    return abs(number)  # a typed -0 is 0


def _plain(number: Decimal) -> str:
    """A number as typed; absurdly long ones in scientific notation so messages stay readable."""
    text = format(number.normalize(), "f")
    return text if len(text) <= 24 else format(number, ".6E")
