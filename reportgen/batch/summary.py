"""The summary workbook of a batch run (汇总检查结果.xlsx): one row per file with its status and key figures."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from reportgen.atomic import OutputKind, check_output, has_marker, marker, write_atomically, zip_member_text
from reportgen.batch.folder import SUMMARY_KIND, BatchResult, Outcome, Status
from reportgen.checks.findings import Finding, Severity
from reportgen.workbook.cellstyle import as_text

SHEET_TITLE = "检查结果"
SUMMARY_OUTPUT = OutputKind("汇总检查结果工作簿", ".xlsx",
                            lambda path: has_marker(path, SUMMARY_KIND) or _unmarked(path))
FIRST_FINDINGS = 3  # findings quoted per file; the full list comes from reportgen check
STATUS_FILLS = {
    Status.PASSED: "E2EFDA", Status.WARNINGS: "FFF2CC", Status.ERRORS: "F8CBAD",
    Status.UNREADABLE: "F8CBAD", Status.BUILD_FAILED: "F8CBAD", Status.SKIPPED: "EDEDED",
}
# header, width, and how a row's value is taken from an outcome
COLUMNS = (
    ("文件", 40, lambda o: str(o.relative)),
    ("机关名称", 30, lambda o: o.info.agency if o.info else None),
    ("年度", 7, lambda o: o.info.year if o.info else None),
    ("格式", 7, lambda o: o.info.format_id if o.info else None),
    ("状态", 9, lambda o: o.status.label),
    ("错误", 6, lambda o: o.count(Severity.ERROR)),
    ("警告", 6, lambda o: o.count(Severity.WARNING)),
    ("提示", 6, lambda o: o.count(Severity.INFO)),
    ("主要问题", 80, lambda o: o.note or "\n".join(str(item) for item in first_findings(o))),
    ("本年新收申请", 9, lambda o: o.stats.received if o.stats else None),
    ("上年结转申请", 9, lambda o: o.stats.carried_over if o.stats else None),
    ("本年办结", 9, lambda o: o.stats.handled if o.stats else None),
    ("结转下年度", 9, lambda o: o.stats.carried_forward if o.stats else None),
    ("行政复议", 9, lambda o: o.stats.review_total if o.stats else None),
    ("行政诉讼", 9, lambda o: o.stats.litigation_total if o.stats else None),
)
OUTPUT_COLUMN = ("生成的报告", 40, None)
STATUS_COLUMN = 2 + [header for header, _, _ in COLUMNS].index("状态")  # after 序号


def first_findings(outcome: Outcome) -> list[Finding]:
    """The first findings to quote: errors before warnings before notes, each in reading order."""
    order = list(Severity)
    return sorted(outcome.findings, key=lambda item: order.index(item.severity))[:FIRST_FINDINGS]


def _unmarked(path: Path) -> bool:
    """A summary written before summaries carried our marker: one sheet, 检查结果."""
    sheets = re.findall(r'<(?:\w+:)?sheet [^>]*name="([^"]*)"', zip_member_text(path, "xl/workbook.xml"))
    return sheets == [SHEET_TITLE]


def check_summary_path(path: Path, folder: Path, *, force: bool = False) -> None:
    """Refuse, before the run, a summary path holding a file that is not an earlier summary: always when the run
    would read that file as a workbook (a summary never replaces an input), else unless ``force``."""
    path = Path(path)
    inside = path.is_file() and path.resolve().is_relative_to(Path(folder).resolve())
    is_input = inside and not SUMMARY_OUTPUT.recognise(path)
    check_output(path, SUMMARY_OUTPUT, force=force, inputs=[path] if is_input else [])


def write_summary(path: Path, result: BatchResult, *, outdir: Path | None = None) -> None:
    """Write the summary workbook atomically; with ``outdir`` it lists each DOCX relative to it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    columns = [*COLUMNS, OUTPUT_COLUMN] if outdir else list(COLUMNS)
    sheet.append(["序号", *(header for header, _, _ in columns)])
    for number, outcome in enumerate(result.outcomes, start=1):
        values = [value(outcome) for _, _, value in COLUMNS]
        if outdir:
            values.append(str(outcome.output.relative_to(outdir)) if outcome.output else None)
        sheet.append([number, *values])
        for cell in sheet[number + 1]:
            as_text(cell)  # file and agency names, findings quoting the clerk's text
        sheet.cell(number + 1, STATUS_COLUMN).fill = _fill(outcome.status)
    _format(sheet, columns)
    workbook.properties.identifier = marker(SUMMARY_KIND)  # lets the next run replace it and skip it as input
    write_atomically(path, workbook.save)


def _fill(status: Status) -> PatternFill:
    return PatternFill("solid", fgColor=STATUS_FILLS[status])


def _format(sheet, columns) -> None:
    widths = [6, *(width for _, width, _ in columns)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    for cell in sheet[1]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
