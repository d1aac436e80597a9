"""Consolidation: the figures of many checked workbooks of one year and format summed into one clerk workbook."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportgen import api
from reportgen.atomic import check_output
from reportgen.batch import FILE_TIME_LIMIT
from reportgen.batch.folder import FAILED, BatchResult, Outcome, Progress, Status, run_folder
from reportgen.exceptions import RefusedError
from reportgen.formats import Field
from reportgen.formats.schema import Number
from reportgen.model import Report, ReportInfo
from reportgen.profile.templates import Profile

UNIT_IN_YUAN = {"元": 1, "万元": 10_000}
LISTED_PER_GROUP = 5  # files named per refused group; the rest are counted


@dataclass
class Consolidation:
    """What aggregate did: the batch run, the workbooks summed and their sum."""

    batch: BatchResult
    sources: list[Outcome]
    report: Report


def aggregate_folder(
    root: Path,
    output: Path,
    *,
    agency: str = "",
    workers: int = 1,
    profile: Profile | None = None,
    overwrite: bool = False,
    time_limit: float = FILE_TIME_LIMIT,
    progress: Progress | None = None,
) -> Consolidation:
    """Check every workbook under ``root`` and write the sum of their figures to ``output``.

    Raises RefusedError when a workbook has errors or the years or formats differ.
    """
    output = Path(output)
    check_output(output, api.WORKBOOK_OUTPUT, force=overwrite)  # before the run, not after it
    batch = run_folder(root, workers=workers, keep_reports=True, exclude=[output], time_limit=time_limit,
                       progress=progress)
    sources = [outcome for outcome in batch.outcomes if outcome.status is not Status.SKIPPED]
    _refuse_failed(sources)
    _refuse_mixed(sources)
    report = sum_reports([outcome.report for outcome in sources], agency=agency)
    api.create_template(output, year=report.info.year, agency=agency, format_id=report.info.format_id,
                        profile=profile, report=report, notes=source_notes(sources, report), overwrite=overwrite)
    return Consolidation(batch, sources, report)


def _refuse_failed(sources: list[Outcome]) -> None:
    failed = [outcome for outcome in sources if outcome.status in FAILED]
    if failed:
        lines = [f"  {outcome.relative}：{outcome.status.label}（{outcome.findings[0].message}）" for outcome in failed]
        raise RefusedError(f"以下 {len(failed)} 个工作簿有错误，请先改正后再汇总：\n" + "\n".join(lines))


def _refuse_mixed(sources: list[Outcome]) -> None:
    groups: dict[tuple[int, str], list[Outcome]] = {}
    for outcome in sources:
        groups.setdefault((outcome.info.year, outcome.info.format_id), []).append(outcome)
    if len(groups) > 1:
        lines = [_group_line(year, format_id, members) for (year, format_id), members in sorted(groups.items())]
        raise RefusedError("只能汇总同一年度、同一格式的工作簿，这些工作簿分属：\n" + "\n".join(lines))


def _group_line(year: int, format_id: str, members: list[Outcome]) -> str:
    names = "、".join(str(outcome.relative) for outcome in members[:LISTED_PER_GROUP])
    more = f" 等 {len(members)} 个" if len(members) > LISTED_PER_GROUP else ""
    return f"  {year} 年度（{format_id} 格式）：{names}{more}"


def sum_reports(reports: list[Report], *, agency: str = "") -> Report:
    """One report whose every input figure is the sum over ``reports`` (all of one year and format)."""
    first = reports[0]
    figures: dict[str, Number] = {}
    units: dict[str, str] = {}
    for field in first.format.input_fields():
        if field.column.units:
            units[field.key], figures[field.key] = _sum_amounts(field, reports)
        else:
            figures[field.key] = sum((report.figures.get(field.key, 0) for report in reports), start=0)
    info = ReportInfo(agency=agency, year=first.info.year, format_id=first.info.format_id)
    return Report(info=info, figures=figures, units=units)


def _sum_amounts(field: Field, reports: list[Report]) -> tuple[str, Decimal]:
    """Amounts in one unit: the common one, or 元 when they differ (万元 → 元 is exact, the reverse is not)."""
    default = field.column.units[0]
    entered = [(Decimal(report.figures.get(field.key, 0)), report.units.get(field.key, default)) for report in reports]
    units = {unit for _, unit in entered}
    unit = units.pop() if len(units) == 1 else min(units, key=UNIT_IN_YUAN.__getitem__)
    total = sum((value * UNIT_IN_YUAN[source] / UNIT_IN_YUAN[unit] for value, source in entered), start=Decimal(0))
    return unit, Decimal(int(total)) if total == total.to_integral_value() else total.normalize()


def source_notes(sources: list[Outcome], report: Report) -> list[str]:
    """Instruction-sheet lines naming every workbook that went into the sum."""
    header = (f"本工作簿由 reportgen aggregate 汇总以下 {len(sources)} 个工作簿的数字生成"
              f"（{report.info.year} 年度，{report.format.document} 格式；金额单位不一致时统一换算为元）：")
    return ["", header, *(f"{number}. {outcome.relative}（{outcome.info.agency}）"
                          for number, outcome in enumerate(sources, start=1))]
