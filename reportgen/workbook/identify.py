"""Which format and year a workbook is for: its hidden record, checked against the labels its tables show."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.checks.findings import Finding, finding
from reportgen.exceptions import InputError
from reportgen.formats import FIRST_YEAR, FORMATS, LAST_YEAR, ReportFormat
from reportgen.formats.detect import detect_format
from reportgen.workbook.grid import Grid
from reportgen.workbook.sheets import GENERATOR, INFO_SHEET, META_SHEET, info_cell
from reportgen.workbook.sniff import FileKind
from reportgen.workbook.values import parse_year, squeeze_label


@dataclass
class Identity:
    """The format a workbook is read with, its reporting year, its profile, and how they were decided."""

    format: ReportFormat
    year: int
    profile: str | None = None
    findings: list[Finding] = field(default_factory=list)


def identify(grids: dict[str, Grid], path: Path, kind: FileKind) -> Identity:
    """The workbook's format (labels win over the record) and year; InputError when neither says."""
    record = _meta_record(grids)
    recorded = FORMATS.get(str(record.get("format")))
    detected = detect_format(_sheet_texts(grids), squeeze_label)
    fmt = detected or recorded
    if fmt is None:
        saved_as = "" if kind is FileKind.XLSX else f"这是{kind.value}，但"
        raise InputError(f"{path}：{saved_as}无法识别报告格式：不是由 reportgen 生成的填报工作簿（缺少隐藏的“{META_SHEET}”工作表），"
                         "表格标签也不符合任何一种报告格式，请用 reportgen template 生成")
    identity = Identity(fmt, _year(grids, record, path), record.get("profile") or None)
    if recorded is not fmt:
        identity.findings.append(finding("format-detected", sheet=fmt.tables[0].sheet, actual=_why(record, recorded),
                                         expected=f"{fmt.id}（{fmt.document}）"))
    return identity


def _why(record: dict, recorded: ReportFormat | None) -> str:
    """Why the labels decided the format: the record is missing, unknown or names another format."""
    if recorded is not None:
        return f"工作簿记录的报告格式为 {recorded.id}，与表格标签不符"
    if record.get("format"):
        return f"工作簿记录的报告格式“{record['format']}”无法识别"
    return "工作簿没有记录报告格式"


def _meta_record(grids: dict[str, Grid]) -> dict:
    """The key/value pairs of the hidden sheet reportgen writes; empty when it is missing or foreign."""
    meta = grids.get(META_SHEET)
    if meta is None or meta.at(1, 2) != GENERATOR:
        return {}
    return {meta.at(row, 1): meta.at(row, 2) for row in range(1, len(meta.rows) + 1)}


def _sheet_texts(grids: dict[str, Grid]) -> dict[str, set[str]]:
    sheets = {table.sheet for fmt in FORMATS.values() for table in fmt.tables}
    return {
        name: {squeeze_label(value) for row in grids[name].rows for value in row if isinstance(value, str)}
        for name in sheets
        if name in grids
    }


def _year(grids: dict[str, Grid], record: dict, path: Path) -> int:
    """The recorded year, else the one on the basic-information sheet."""
    year = parse_year(record.get("year"))
    info = grids.get(INFO_SHEET)
    if year is None and info is not None:
        year = parse_year(info.named(info_cell("year")))
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"{path}：无法确定报告年度：工作表“{INFO_SHEET}”单元格 {info_cell('year')} "
                         f"应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的四位年份")
    return year
