"""Read a filled clerk workbook through the format definition into a Report, with every value's cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.checks.figures import EXCEL_ERRORS, Problem, normalize_text, parse_figure
from reportgen.checks.findings import Finding, finding
from reportgen.formats import ReportFormat
from reportgen.formats.layout import Role
from reportgen.formats.schema import Number
from reportgen.model import Paragraph, ReadResult, Report, ReportInfo
from reportgen.workbook.grid import Grid, load_grids
from reportgen.workbook.identify import identify
from reportgen.workbook.items import read_items
from reportgen.workbook.sheets import (
    INFO_FIELDS,
    INFO_SHEET,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    TableSheet,
    cell_name,
    info_cell,
    info_label,
    lead_cell,
    narrative_sheets,
    table_sheets,
)
from reportgen.workbook.sniff import check_workbook_file
from reportgen.workbook.values import clean_text, control_characters, parse_date, parse_year, squeeze_label

INFO_TEXTS = ("agency", "publish_where", "contact_address", "contact_phone")  # free text, cleaned for the DOCX


def read_workbook(path: Path) -> ReadResult:
    """Read ``path``; raises InputError only when it is not a readable reportgen workbook at all."""
    kind = check_workbook_file(path)
    grids = load_grids(path, kind)
    identity = identify(grids, path, kind)
    fmt = identity.format
    result = ReadResult(report=None, findings=list(identity.findings))
    if kind.values_only:
        result.findings.append(finding("values-only", actual=kind.value))
    info = _read_info(grids, fmt, identity.year, identity.profile, result)
    figures, units, entered, leads = _read_tables(grids, fmt, result)
    texts, amounts = {}, {}
    narrative = _read_narrative(grids, fmt, result, texts, amounts)
    if info is not None:
        result.report = Report(info=info, figures=figures, units=units, entered_totals=entered,
                               narrative=narrative, leads=leads, item_texts=texts, item_amounts=amounts)
    return result


def _read_info(grids, fmt: ReportFormat, year: int, profile, result: ReadResult) -> ReportInfo | None:
    grid = grids.get(INFO_SHEET)
    if grid is None:
        _missing_sheet(INFO_SHEET, grids, fmt, result)
        return None
    for entry in INFO_FIELDS:
        result.locations[f"info.{entry.key}"] = (INFO_SHEET, info_cell(entry.key))
    texts = {key: _text(grid, info_cell(key), INFO_SHEET, info_label(key), result) for key in INFO_TEXTS}
    if not texts["agency"]:
        result.findings.append(_info_finding("info-missing", "agency"))
    _check_fixed_info(grid, fmt, year, result)
    report_date = _read_date(grid, result)
    return ReportInfo(**{**texts, "agency": texts["agency"] or ""}, year=year, format_id=fmt.id,
                      report_date=report_date, profile=profile)


def _info_finding(code: str, key: str, **details: object) -> Finding:
    return finding(code, sheet=INFO_SHEET, cell=info_cell(key), label=info_label(key), **details)


def _read_date(grid: Grid, result: ReadResult) -> dt.date | None:
    raw = grid.named(info_cell("report_date"))
    report_date = parse_date(raw)
    if raw not in (None, "") and report_date is None:
        result.findings.append(_info_finding("info-invalid", "report_date", actual=raw,
                                             expected="应为日期，如 2021-01-19"))
    return report_date


def _check_fixed_info(grid: Grid, fmt: ReportFormat, year: int, result: ReadResult) -> None:
    """The year and format the workbook was made for cannot be changed by editing 基本信息."""
    raw_year, raw_format = grid.named(info_cell("year")), grid.named(info_cell("format_id"))
    if parse_year(raw_year) != year:
        result.findings.append(_info_finding(
            "info-invalid", "year", actual=raw_year,
            expected=f"本工作簿是为 {year} 年度生成的，年度不能修改；其他年度请用 reportgen template --year 重新生成"))
    if normalize_text(raw_format or "") != fmt.id:
        result.findings.append(_info_finding(
            "info-invalid", "format_id", actual=raw_format,
            expected=f"本工作簿按 {fmt.id} 格式生成，格式不能修改；其他格式请用 reportgen template --format 重新生成"))


def _missing_sheet(name: str, grids: dict[str, Grid], fmt: ReportFormat, result: ReadResult) -> None:
    known = {INSTRUCTIONS_SHEET, INFO_SHEET, META_SHEET, *(table.sheet for table in fmt.tables),
             *(section.sheet for section in fmt.narrative_sections())}
    unknown = [sheet for sheet in grids if sheet not in known]
    hint = (f"（工作簿中有未知的工作表“{'”“'.join(unknown)}”，如是改了名，请改回“{name}”）" if unknown
            else "（可能被删除；请用 reportgen template 重新生成工作簿）")
    result.findings.append(finding("sheet-missing", sheet=name, label=name, actual="、".join(unknown) or None,
                                   hint=hint))


def _text(grid: Grid, name: str, sheet: str, label: str, result: ReadResult) -> str | None:
    """A text cell cleaned for the DOCX; dropped control characters are noted."""
    raw = grid.named(name)
    dropped = control_characters(raw)
    if dropped:
        result.findings.append(finding("text-control-chars", sheet=sheet, cell=name, label=label, actual=dropped))
    return clean_text(raw)


def _read_tables(grids, fmt: ReportFormat, result: ReadResult):
    figures: dict[str, Number] = {}
    units: dict[str, str] = {}
    entered: dict[str, Number] = {}
    leads: dict[str, str] = {}
    for placed in table_sheets(fmt):
        grid = grids.get(placed.name)
        if grid is None:
            _missing_sheet(placed.name, grids, fmt, result)
            result.unreadable.update(field.key for field in placed.table.fields())
            continue
        result.locations[f"lead.{placed.table.key}"] = (placed.name, lead_cell())
        lead = _text(grid, lead_cell(), placed.name, "表前说明", result)
        if lead:
            leads[placed.table.key] = lead
        if _labels_match(grid, placed, fmt, result):
            _read_fields(grid, placed, result, figures, units, entered)
        else:
            result.unreadable.update(field.key for field in placed.table.fields())
    return figures, units, entered, leads


# More mismatches than this in one table mean rows or columns were inserted, deleted or moved.
SHIFTED_LABELS = 3


def _labels_match(grid: Grid, placed: TableSheet, fmt: ReportFormat, result: ReadResult) -> bool:
    """Whether every fixed label is where the definition puts it; mismatches become findings."""
    mismatches = []
    for cell in sorted(placed.layout.cells, key=lambda cell: (cell.row, cell.col)):
        if cell.role in (Role.FIELD, Role.BLANK):
            continue
        row, col = placed.position(cell.row, cell.col)
        accepted = {squeeze_label(text) for text in fmt.accepted_labels(cell.text)}
        if squeeze_label(grid.at(row, col)) not in accepted:
            mismatches.append((cell_name(row, col), cell.text, grid.at(row, col) or "（空白）"))
    if len(mismatches) > SHIFTED_LABELS:
        name, expected, actual = mismatches[0]
        result.findings.append(finding("structure-changed", sheet=placed.name, cell=name, expected=expected,
                                       actual=actual, count=len(mismatches)))
    else:
        result.findings.extend(finding("label-mismatch", sheet=placed.name, cell=name, expected=expected,
                                       actual=actual) for name, expected, actual in mismatches)
    return not mismatches


def _read_fields(grid: Grid, placed: TableSheet, result: ReadResult, figures, units, entered) -> None:
    blanks: list[tuple[str, str]] = []
    for cell in placed.layout.field_cells():
        target = cell.field
        row, col = placed.position(cell.row, cell.col)
        name = cell_name(row, col)
        result.locations[target.key] = (placed.name, name)
        unit = _read_unit(grid, placed, row, target, result, units) if target.column.units else None
        value = _cell_value(grid.at(row, col), target, unit)
        if isinstance(value, Problem):
            result.unreadable.add(target.key)
            result.findings.append(value.finding(sheet=placed.name, cell=name, label=target.label))
        elif value is None:
            if target.is_input:
                blanks.append((name, target.label))
        elif target.is_input:
            figures[target.key] = value
        else:
            entered[target.key] = value
    if blanks:
        result.findings.append(blank_inputs(placed.name, blanks))


def blank_inputs(sheet: str, blanks: list[tuple[str, str]]) -> Finding:
    """One blank-as-zero finding for a sheet's blank input cells, given as (cell, label), at the first."""
    (cell, label), count = blanks[0], len(blanks)
    return finding("blank-as-zero", sheet=sheet, cell=cell, label=f"{label}等 {count} 个输入单元格")


def _cell_value(raw: object, target, unit: str | None) -> Number | Problem | None:
    """A table cell's figure; None for a blank input or a derived cell's formula (recomputed anyway)."""
    if not target.is_input and isinstance(raw, str) and raw.startswith("="):
        broken = next((error for error in sorted(EXCEL_ERRORS) if error in raw.upper()), None)
        return Problem("formula-error", broken) if broken else None
    return parse_figure(raw, target, unit)


def _read_unit(grid: Grid, placed: TableSheet, row: int, target, result: ReadResult, units) -> str | None:
    """The unit chosen beside an amount, None (and a finding) when it is not one of the column's units."""
    col = placed.unit_column()
    raw = normalize_text(grid.at(row, col) or "")
    result.locations[f"{target.key}.unit"] = (placed.name, cell_name(row, col))
    if raw in target.column.units:
        units[target.key] = raw
        return raw
    result.findings.append(finding("amount-unit-invalid", sheet=placed.name, cell=cell_name(row, col),
                                   label=target.label, actual=raw, expected=" 或 ".join(target.column.units)))
    return None


def _read_narrative(grids, fmt: ReportFormat, result: ReadResult, texts, amounts) -> dict[str, list[Paragraph]]:
    narrative: dict[str, list[Paragraph]] = {}
    for placed in narrative_sheets(fmt):
        section, grid = placed.section, grids.get(placed.name)
        if grid is None:
            _missing_sheet(section.sheet, grids, fmt, result)
            continue
        read_items(grid, placed, result, texts, amounts)
        paragraphs: list[Paragraph] = []
        for row in range(placed.paragraph_top, len(grid.rows) + 1):
            heading = _text(grid, f"A{row}", section.sheet, "小标题", result)
            text = _text(grid, f"B{row}", section.sheet, "正文", result)
            for paragraph in _cell_paragraphs(heading, text):
                result.locations[f"{section.key}.{len(paragraphs)}"] = (section.sheet, f"B{row}")
                paragraphs.append(paragraph)
        narrative[section.key] = paragraphs
    return narrative


def _cell_paragraphs(heading: str | None, text: str | None) -> list[Paragraph]:
    """One narrative row; line breaks typed inside the cell (Alt+Enter) start new paragraphs."""
    lines = [line.strip() for line in (text or "").split("\n") if line.strip()]
    if not heading and not lines:
        return []
    first, *rest = lines or [""]
    return [Paragraph(heading=heading, text=first), *(Paragraph(text=line) for line in rest)]
