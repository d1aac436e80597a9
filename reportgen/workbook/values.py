"""Texts, years and dates as clerks type them: labels compared loosely, narrative cleaned for the DOCX."""

from __future__ import annotations

import datetime as dt
import re

from reportgen.checks.figures import CONTROL_CHARACTERS, normalize_text, unescape

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def squeeze_label(value: object) -> str:
    """A label compared without regard to spacing or full-width forms; empty for a blank cell."""
    return "".join(normalize_text(value).split()) if value is not None else ""


def clean_text(value: object) -> str | None:
    """A narrative text as typed, minus characters that cannot appear in a DOCX; None when empty."""
    if value is None:
        return None
    text = CONTROL_CHARACTERS.sub("", unescape(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def control_characters(value: object) -> int:
    """How many characters ``clean_text`` drops from ``value`` because a DOCX cannot hold them."""
    return 0 if value is None else len(CONTROL_CHARACTERS.findall(unescape(value)))


def parse_year(raw: object) -> int | None:
    text = normalize_text(raw) if raw is not None else ""
    text = text.removesuffix("年").removesuffix(".0")
    return int(text) if text.isdigit() and len(text) == 4 else None


def parse_date(raw: object) -> dt.date | None:
    """A date typed as a spreadsheet date or as text like 2021-1-19 / 2021年1月19日; None if not one."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    match = _DATE.fullmatch(normalize_text(raw)) if raw is not None else None
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
