"""Library entry points: write a clerk workbook, check a filled one, build its DOCX."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.atomic import OutputKind, check_output
from reportgen.checks.findings import Finding, Severity, count_severity, finding, has_errors
from reportgen.checks.rules import run_checks
from reportgen.exceptions import InputError
from reportgen.formats import ReportFormat, format_for_year, get_format
from reportgen.model import ReadResult, Report, ReportInfo, compute_values
from reportgen.published.sources import SUFFIXES as PUBLISHED_SUFFIXES
from reportgen.workbook.exchange import JSON_OUTPUT, read_json, write_json
from reportgen.workbook.reader import read_workbook

if TYPE_CHECKING:
    from reportgen.profile.templates import Profile

# rendering (python-docx, jinja2), the workbook writer and the published-report readers are imported by the
# functions that use them, so checking a workbook loads none of them


WORKBOOK_OUTPUT = OutputKind("填报工作簿", ".xlsx")  # never replaced without --force: it may be filled in


@dataclass
class CheckResult:
    """The findings for one workbook and, when it could be read, its report."""

    path: Path
    report: Report | None
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    def count(self, severity: Severity) -> int:
        return count_severity(self.findings, severity)

    def fails(self, strict: bool = False) -> bool:
        """Errors always fail; with ``strict`` warnings fail too."""
        return self.has_errors or (strict and self.count(Severity.WARNING) > 0)

    def as_dict(self) -> dict:
        """The JSON document of ``reportgen check --json``."""
        return {
            "file": str(self.path),
            "readable": self.readable,
            "counts": {severity.value: self.count(severity) for severity in Severity},
            "findings": [item.as_dict() for item in self.findings],
        }


@dataclass
class BuildResult:
    check: CheckResult
    output: Path | None = None  # None when errors stopped the build


def create_template(
    path: Path,
    *,
    year: int,
    agency: str = "",
    format_id: str | None = None,
    profile: Profile | None = None,
    report: Report | None = None,
    notes: Iterable[str] = (),
    overwrite: bool = False,
) -> ReportFormat:
    """Write a clerk workbook for ``year``; refuses to replace an existing file unless ``overwrite``."""
    from reportgen.profile.templates import load_profile
    from reportgen.workbook.writer import write_template

    path = Path(path)
    check_output(path, WORKBOOK_OUTPUT, force=overwrite)
    fmt = get_format(format_id) if format_id else format_for_year(year)
    profile = profile or load_profile()
    info = ReportInfo(agency=agency, year=year, format_id=fmt.id, profile=profile.name,
                      **({} if report is None else _carried_info(report.info)))
    workbook = profile.settings.workbook
    write_template(path, fmt, info, report, instructions=workbook.instructions or None,
                   hints=workbook.sheet_hints(fmt), notes=notes)
    return fmt


def _carried_info(info: ReportInfo) -> dict:
    return info.model_dump(include={"report_date", "publish_where", "contact_address", "contact_phone"})


def check_workbook(path: Path, *, previous: Path | None = None, skip: Iterable[str] = ()) -> CheckResult:
    """Read and check a filled workbook (or a JSON data file), against last year's if ``previous`` is given.

    An unreadable file (this one or last year's) becomes a finding, never an exception.
    """
    return _check(Path(path), read_json if Path(path).suffix.lower() == ".json" else read_workbook, previous, skip)


def audit_document(path: Path, *, previous: Path | None = None, skip: Iterable[str] = ()) -> CheckResult:
    """Read a published report (web page, PDF, DOCX or page text) and check its figures with every rule.

    ``previous`` is last year's report, published or a workbook. Findings name the printed table, row and
    column (and PDF page); an unreadable file (a scanned PDF, say) becomes a finding, never an exception.
    """
    from reportgen.published.reader import read_published

    return _check(Path(path), read_published, previous, skip)


def _check(path: Path, read_input, previous: Path | None, skip: Iterable[str]) -> CheckResult:
    try:
        _check_input_file(path)
        read = read_input(path)
        last_year = _read_previous(Path(previous)) if previous is not None else ReadResult(None)
    except InputError as error:
        return CheckResult(path, None, [finding("file-unreadable", actual=str(error))], readable=False)
    findings = list(read.findings)
    if read.report is not None:
        findings += run_checks(read.report, read.locations, previous=last_year.report, skip=skip,
                               unreadable=read.unreadable, previous_unreadable=last_year.unreadable,
                               printed=read.printed)
    skipped = set(skip)
    return CheckResult(path, read.report, [item for item in findings if item.code not in skipped])


def _read_previous(path: Path) -> ReadResult:
    """Last year's report (workbook, JSON or published) for the carry-over checks; its own findings are not
    this report's concern."""
    what = "上年度报告" if path.suffix.lower() in PUBLISHED_SUFFIXES else "上年度工作簿"
    try:
        _check_input_file(path)
        read = read_any(path)
    except InputError as error:
        raise InputError(f"{what} {error}") from error
    if read.report is None:
        raise InputError(f"{what} {path}：无法确定其年度（工作簿缺少“基本信息”，或已发布年报的标题中没有年度）")
    return read


def read_any(path: Path) -> ReadResult:
    """A workbook, a JSON data file or a published report, told apart by the file name's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return read_json(path)
    if suffix in PUBLISHED_SUFFIXES:
        from reportgen.published.reader import read_published

        return read_published(path)
    return read_workbook(path)


def carried_into(previous: Path, year: int, format_id: str | None = None) -> Report:
    """This year's starting report from last year's (any kind): what the format carries over, e.g.
    二、上年结转 = last year's 四、结转下年度继续办理, plus the agency name and contact details."""
    last = _read_previous(Path(previous)).report
    fmt = get_format(format_id) if format_id else format_for_year(year)
    last_values = compute_values(last.format, last.figures, last.entered_totals)
    figures = {}
    for rule in fmt.carry_overs:
        terms = [term for term in rule.terms if term.last_year]
        if len(terms) == len(rule.terms) and all(term.key in last_values for term in terms):
            figures[rule.target] = sum(term.sign * last_values[term.key] for term in terms)
    info = ReportInfo(agency=last.info.agency, year=year, format_id=fmt.id,
                      **last.info.model_dump(include={"publish_where", "contact_address", "contact_phone"}))
    return Report(info=info, figures=figures)


def export_figures(result: CheckResult, output: Path, *, force: bool = False) -> Path:
    """Write the figures read (errors and all: they are what was published) as an exchange JSON file.

    An existing ``output`` is replaced only when it is a data file reportgen exported, or with ``force``.
    """
    output = Path(output)
    check_output(output, JSON_OUTPUT, force=force, inputs=(result.path,))
    if result.report is None:
        raise InputError(f"{result.path}：没有读到可导出的报告（机关名称或年度不明）")
    write_json(result.report, output)
    return output


def build_report(
    path: Path,
    output: Path,
    *,
    profile: Profile | None = None,
    skip: Iterable[str] = (),
    previous: Path | None = None,
    strict: bool = False,
    force: bool = False,
) -> BuildResult:
    """Check ``path`` and, if it has no errors (nor warnings when ``strict``), write the DOCX atomically.

    An existing ``output`` is replaced only when it is a DOCX reportgen wrote, or with ``force``.
    """
    from reportgen.document.render import REPORT_OUTPUT, render_report
    from reportgen.profile.templates import load_profile

    path, output = Path(path), Path(output)
    check_output(output, REPORT_OUTPUT, force=force, inputs=(path, previous))
    result = check_workbook(path, previous=previous, skip=skip)
    if result.fails(strict) or result.report is None:
        return BuildResult(result)
    render_report(result.report, profile or load_profile(), output)
    return BuildResult(result, output)


def export_data(path: Path, output: Path, *, force: bool = False) -> BuildResult:
    """Check ``path`` and, if it has no errors, write its figures and texts as JSON to ``output`` atomically.

    An existing ``output`` is replaced only when it is a data file reportgen exported, or with ``force``.
    """
    path, output = Path(path), Path(output)
    check_output(output, JSON_OUTPUT, force=force, inputs=(path,))
    result = check_workbook(path)
    if result.has_errors or result.report is None:
        return BuildResult(result)
    write_json(result.report, output)
    return BuildResult(result, output)


def input_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file without blocking (a named pipe would hang the reader); None if it can.

    A missing file or a folder passes: the reader names those itself.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return "符号链接形成了循环，找不到实际的文件" if error.errno == errno.ELOOP else f"无法访问（{error.strerror or error}）"
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        return "不是普通文件（而是命名管道、设备等），无法读取"
    if not os.access(path, os.R_OK):
        return "没有读取该文件的权限，请检查文件权限或换一个账户运行"
    return None


def _check_input_file(path: Path) -> None:
    if problem := input_file_problem(path):
        raise InputError(f"{path}：{problem}")
