"""Property: whatever a clerk types into the input cells of a real workbook, check ends in findings or success."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reportgen.api import build_report, check_workbook
from reportgen.checks.findings import RULES, Finding
from reportgen.formats import get_format
from reportgen.workbook.sheets import INFO_FIELDS, INFO_SHEET, info_cell, lead_cell, table_sheets
from tests.workbooks import SAMPLE, narrative_cell, report_2021, unit_cell_of, write_report


def _workbook_2021() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_report(Path(folder) / "2021.xlsx", report_2021(2021, (5, 30))).read_bytes()


WORKBOOKS = {"2019": SAMPLE.read_bytes(), "2021": _workbook_2021()}


def _input_cells(format_id: str) -> list[tuple[str, str]]:
    """Every cell a clerk can type into: figures (totals too: clerks type over them), units, texts."""
    fmt = get_format(format_id)
    cells = [(placed.name, cell) for placed in table_sheets(fmt) for cell in placed.cells().values()]
    cells += [(placed.name, lead_cell()) for placed in table_sheets(fmt)]
    cells += [unit_cell_of(field.key, format_id) for field in fmt.input_fields() if field.column.units]
    cells += [(INFO_SHEET, info_cell(field.key)) for field in INFO_FIELDS]
    cells += [(section.sheet, f"{column}{narrative_cell(index)[1:]}")
              for section in fmt.narrative_sections() for column in "AB" for index in range(3)]
    return cells


TYPED_BY_CLERKS = ["三", "3件", "约5", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "=1/0", "=SUM(D8:I8)", "=", "  ", "１２",
                   "+107", "-0", "1e5", "1,234", "12.0", "0.000001", "∞", "19696.99万元", "_x0007_", "NaN", "二〇二〇年"]
excel_text = st.text(max_size=60).filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text))
values = st.one_of(
    st.none(),
    st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=6),
    st.sampled_from(TYPED_BY_CLERKS),
    excel_text,
    excel_text.map(lambda text: "=" + text),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
)
typing_sessions = st.sampled_from(sorted(WORKBOOKS)).flatmap(lambda format_id: st.tuples(
    st.just(format_id), st.lists(st.tuples(st.sampled_from(_input_cells(format_id)), values), min_size=1, max_size=8)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typing_sessions)
def test_check_never_raises_whatever_is_typed(session) -> None:
    format_id, changes = session
    book = load_workbook(io.BytesIO(WORKBOOKS[format_id]))
    for (sheet, cell), value in changes:
        book[sheet][cell] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "填报.xlsx"
        book.save(path)
        result = check_workbook(path)
        assert all(isinstance(item, Finding) and item.code in RULES for item in result.findings)
        assert result.readable and result.report is not None
        if not result.has_errors:  # what check lets through must also build
            assert build_report(path, Path(folder) / "报告.docx").output is not None
