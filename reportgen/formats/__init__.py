"""The official report formats, one declarative definition each, and how to pick one.

Pure data and layout: every later stage consumes these definitions; this package imports nothing of ours.
"""

from reportgen.formats.f2019 import FORMAT_2019
from reportgen.formats.f2021 import FORMAT_2021
from reportgen.formats.schema import CellKind, Field, ReportFormat, Table

FORMATS: dict[str, ReportFormat] = {fmt.id: fmt for fmt in (FORMAT_2019, FORMAT_2021)}
FIRST_YEAR, LAST_YEAR = 2008, 2100  # report years accepted: the disclosure regulations took effect in 2008


def format_for_year(year: int) -> ReportFormat:
    """The format whose years include ``year`` (≤2020 → 2019, ≥2021 → 2021); earlier years get the oldest."""
    return next(fmt for fmt in FORMATS.values() if fmt.years[1] is None or year <= fmt.years[1])


def get_format(format_id: str) -> ReportFormat:
    """The format with this id; raises KeyError for an unknown id."""
    return FORMATS[format_id]


__all__ = ["FIRST_YEAR", "FORMATS", "LAST_YEAR", "CellKind", "Field", "ReportFormat", "Table", "format_for_year",
           "get_format"]
