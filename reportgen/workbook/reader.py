"""Read a filled clerk workbook through the format definition into a Report, with every value's cell."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from reportgen.exceptions import InputError
from reportgen.findings import Finding, finding
from reportgen.formats import ReportFormat
from reportgen.formats.layout import Role
from reportgen.formats.schema import Number
from reportgen.model import Paragraph, Report, ReportInfo
from reportgen.workbook.identify import identify
from reportgen.workbook.items import read_items
from reportgen.workbook.sheets import (
    INFO_SHEET,
    TableSheet,
    cell_name,
    info_cell,
    lead_cell,
    narrative_sheets,
    table_sheets,
)
from reportgen.workbook.values import Problem, clean_text, normalize_text, parse_date, parse_figure, squeeze_label

Location = tuple[str, str]


@dataclass
class ReadResult:
    """What a workbook says: the report (None if unusable), findings, and where each value came from."""

    report: Report | None
    findings: list[Finding] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)


class Grid:
    """A sheet's values by 1-based (row, column), read once."""

    def __init__(self, rows: list[tuple]) -> None:
        self.rows = rows

    def at(self, row: int, col: int) -> object:
        if row <= len(self.rows) and col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def named(self, name: str) -> object:
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        letter, row = coordinate_from_string(name)
        return self.at(row, column_index_from_string(letter))


def read_workbook(path: Path) -> ReadResult:
    """Read ``path``; raises InputError only when it is not a readable reportgen workbook at all."""
    grids = load_grids(path)
    identity = identify(grids, path)
    fmt = identity.format
    result = ReadResult(report=None, findings=list(identity.findings))
    info = _read_info(grids, fmt, identity.year, identity.profile, result)
    figures, units, entered, leads = _read_tables(grids, fmt, result)
    texts, amounts = {}, {}
    narrative = _read_narrative(grids, fmt, result, texts, amounts)
    if info is not None:
        result.report = Report(info=info, figures=figures, units=units, entered_totals=entered,
                               narrative=narrative, leads=leads, item_texts=texts, item_amounts=amounts)
    return result


def load_grids(path: Path) -> dict[str, Grid]:
    path = Path(path)
    _check_file(path)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise InputError(f"{path}：无法作为 Excel 工作簿（.xlsx）打开，文件可能已损坏或不是 Excel 文件（{type(error).__name__}）") from error
    try:
        return {sheet.title: Grid(list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets}
    except Exception as error:  # openpyxl raises many types on malformed sheet XML
        raise InputError(f"{path}：工作簿内容已损坏，无法读取（{type(error).__name__}）") from error
    finally:
        book.close()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}：文件不存在")
    if path.is_dir():
        raise InputError(f"{path}：这是一个文件夹，不是工作簿")
    head = path.open("rb").read(8)
    if not head:
        raise InputError(f"{path}：文件为空")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path}：这是旧版 .xls 文件或设置了打开密码的工作簿，请在 Excel 中取消密码并另存为 .xlsx")
    if not head.startswith(b"PK"):
        raise InputError(f"{path}：不是 Excel 工作簿（.xlsx），请用 reportgen template 生成的工作簿填报")


def _read_info(grids, fmt: ReportFormat, year: int, profile, result: ReadResult) -> ReportInfo | None:
    grid = grids.get(INFO_SHEET)
    if grid is None:
        result.findings.append(finding("sheet-missing", sheet=INFO_SHEET, label=INFO_SHEET))
        return None
    values = {}
    result.locations["info.year"] = (INFO_SHEET, info_cell("year"))
    for key in ("agency", "publish_where", "contact_address", "contact_phone"):
        values[key] = clean_text(grid.named(info_cell(key)))
        result.locations[f"info.{key}"] = (INFO_SHEET, info_cell(key))
    if not values["agency"]:
        result.findings.append(finding("info-missing", sheet=INFO_SHEET, cell=info_cell("agency"), label="机关名称"))
    raw_date = grid.named(info_cell("report_date"))
    report_date = parse_date(raw_date)
    if raw_date not in (None, "") and report_date is None:
        result.findings.append(finding("info-invalid", sheet=INFO_SHEET, cell=info_cell("report_date"),
                                       label="成文日期", actual=raw_date, expected="应为日期，如 2021-01-19"))
    return ReportInfo(agency=values["agency"] or "", year=year, format_id=fmt.id, report_date=report_date,
                      publish_where=values["publish_where"], contact_address=values["contact_address"],
                      contact_phone=values["contact_phone"], profile=profile)


def _read_tables(grids, fmt: ReportFormat, result: ReadResult):
    figures: dict[str, Number] = {}
    units: dict[str, str] = {}
    entered: dict[str, Number] = {}
    leads: dict[str, str] = {}
    for placed in table_sheets(fmt):
        grid = grids.get(placed.name)
        if grid is None:
            result.findings.append(finding("sheet-missing", sheet=placed.name, label=placed.name))
            continue
        lead = clean_text(grid.named(lead_cell()))
        if lead:
            leads[placed.table.key] = lead
        if _labels_match(grid, placed, fmt, result):
            _read_fields(grid, placed, result, figures, units, entered)
    return figures, units, entered, leads


def _labels_match(grid: Grid, placed: TableSheet, fmt: ReportFormat, result: ReadResult) -> bool:
    """Whether every fixed label is where the definition puts it; mismatches become findings."""
    matched = True
    for cell in placed.layout.cells:
        if cell.role in (Role.FIELD, Role.BLANK):
            continue
        row, col = placed.position(cell.row, cell.col)
        actual = squeeze_label(grid.at(row, col))
        accepted = {squeeze_label(text) for text in (cell.text, *fmt.label_variants.get(cell.text, ()))}
        if actual not in accepted:
            matched = False
            result.findings.append(finding("label-mismatch", sheet=placed.name, cell=cell_name(row, col),
                                           expected=cell.text, actual=grid.at(row, col) or "（空白）"))
    return matched


def _read_fields(grid: Grid, placed: TableSheet, result: ReadResult, figures, units, entered) -> None:
    blanks: list[tuple[str, str]] = []
    for cell in placed.layout.field_cells():
        target = cell.field
        row, col = placed.position(cell.row, cell.col)
        name = cell_name(row, col)
        result.locations[target.key] = (placed.name, name)
        raw = grid.at(row, col)
        if not target.is_input and isinstance(raw, str) and raw.startswith("="):
            continue
        value = parse_figure(raw, target)
        if isinstance(value, Problem):
            result.findings.append(finding(value.code, sheet=placed.name, cell=name, label=target.label,
                                           actual=value.actual, expected=value.expected))
        elif value is None:
            if target.is_input:
                blanks.append((name, target.label))
        elif target.is_input:
            figures[target.key] = value
        else:
            entered[target.key] = value
        if target.column.units:
            _read_unit(grid, placed, row, target, result, units)
    if blanks:
        result.findings.append(finding("blank-as-zero", sheet=placed.name, cell=blanks[0][0],
                                       label=f"{blanks[0][1]}等 {len(blanks)} 个输入单元格"))


def _read_unit(grid: Grid, placed: TableSheet, row: int, target, result: ReadResult, units) -> None:
    col = placed.unit_column()
    raw = normalize_text(grid.at(row, col) or "")
    result.locations[f"{target.key}.unit"] = (placed.name, cell_name(row, col))
    if raw in target.column.units:
        units[target.key] = raw
    else:
        result.findings.append(finding("amount-unit-invalid", sheet=placed.name, cell=cell_name(row, col),
                                       label=target.label, actual=raw, expected=" 或 ".join(target.column.units)))


def _read_narrative(grids, fmt: ReportFormat, result: ReadResult, texts, amounts) -> dict[str, list[Paragraph]]:
    narrative: dict[str, list[Paragraph]] = {}
    for placed in narrative_sheets(fmt):
        section, grid = placed.section, grids.get(placed.name)
        if grid is None:
            result.findings.append(finding("sheet-missing", sheet=section.sheet, label=section.sheet))
            continue
        read_items(grid, placed, result, texts, amounts)
        paragraphs: list[Paragraph] = []
        for row in range(placed.paragraph_top, len(grid.rows) + 1):
            for paragraph in _cell_paragraphs(grid.at(row, 1), grid.at(row, 2)):
                result.locations[f"{section.key}.{len(paragraphs)}"] = (section.sheet, f"B{row}")
                paragraphs.append(paragraph)
        narrative[section.key] = paragraphs
    return narrative


def _cell_paragraphs(raw_heading: object, raw_text: object) -> list[Paragraph]:
    """One narrative row; line breaks typed inside the cell (Alt+Enter) start new paragraphs."""
    heading = clean_text(raw_heading)
    lines = [line.strip() for line in (clean_text(raw_text) or "").split("\n") if line.strip()]
    if not heading and not lines:
        return []
    first, *rest = lines or [""]
    return [Paragraph(heading=heading, text=first), *(Paragraph(text=line) for line in rest)]
