"""Write the clerk workbook: official tables as printed, inputs open, everything else locked, live totals."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen import __version__
from reportgen.atomic import write_atomically
from reportgen.checks.figures import MAX_COUNT
from reportgen.formats import CellKind, Field, ReportFormat
from reportgen.formats.layout import Placed, Role
from reportgen.formats.schema import Balance, Block
from reportgen.model import Report, ReportInfo
from reportgen.workbook.cellstyle import (
    BORDER,
    CENTER,
    HEADER_FILL,
    HINT_FONT,
    INPUT_FILL,
    TITLE_FONT,
    TOTAL_FILL,
    UNLOCKED,
    WRAP,
    as_text,
    write_header_row,
)
from reportgen.workbook.items import write_items
from reportgen.workbook.sheets import (
    GENERATOR,
    INFO_FIELDS,
    INFO_SHEET,
    INFO_TOP,
    INSTRUCTIONS_SHEET,
    LEAD_ROW,
    META_SHEET,
    NARRATIVE_ROWS,
    NarrativeSheet,
    TableSheet,
    cell_name,
    info_cell,
    table_sheets,
)

DEFAULT_INSTRUCTIONS = (
    "本工作簿由 reportgen 生成，用于填报政府信息公开工作年度报告。",
    "1. 黄色单元格为填写区域，其余单元格已锁定（工作表保护无密码，但请勿修改表格结构和标签）。",
    "2. 数量单元格已预填 0，请按实际填写整数；“本年增/减”可填负数，如 -1。",
    "3. 蓝色单元格为自动合计，无需填写；表三下方的“勾稽关系校验”行实时显示每一列是否平衡。",
    "4. 叙述部分（一、五、六）每行填写一段；小标题可选，不含（一）（二）等序号，系统自动编号。",
    "5. 填好后运行：reportgen check 本文件.xlsx 校验；reportgen build 本文件.xlsx -o 报告.docx 生成报告。",
)


def write_template(
    path: Path,
    fmt: ReportFormat,
    info: ReportInfo,
    report: Report | None = None,
    instructions: Iterable[str] = DEFAULT_INSTRUCTIONS,
    hints: dict[str, str] | None = None,
) -> None:
    """Write a clerk workbook for ``fmt`` to ``path`` atomically, pre-filled from ``report`` if given."""
    workbook = build_workbook(fmt, info, report, instructions, hints or {})
    write_atomically(path, workbook.save)


def build_workbook(
    fmt: ReportFormat,
    info: ReportInfo,
    report: Report | None,
    instructions: Iterable[str],
    hints: dict[str, str],
) -> Workbook:
    workbook = Workbook()
    _write_instructions(workbook.active, instructions)
    _write_info(workbook.create_sheet(INFO_SHEET), info)
    placed_tables = {placed.table.key: placed for placed in table_sheets(fmt)}
    for section in fmt.sections:
        if section.sheet:
            paragraphs = report.narrative.get(section.key, []) if report else []
            sheet = workbook.create_sheet(section.sheet)
            _write_narrative(sheet, section, paragraphs, hints.get(section.key))
            write_items(sheet, NarrativeSheet(section), report)
        else:
            placed = placed_tables[section.table]
            _write_table(workbook.create_sheet(placed.name), placed, section.heading, report, hints.get(placed.table.key))
    _write_meta(workbook.create_sheet(META_SHEET), info)
    return workbook


def _write_instructions(sheet: Worksheet, instructions: Iterable[str]) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    sheet.column_dimensions["A"].width = 110
    sheet["A1"] = "填报说明"
    sheet["A1"].font = TITLE_FONT
    for row, line in enumerate(instructions, start=3):
        as_text(sheet.cell(row, 1, line)).alignment = WRAP
    _protect(sheet)


def _write_info(sheet: Worksheet, info: ReportInfo) -> None:
    sheet["A1"] = "基本信息"
    sheet["A1"].font = TITLE_FONT
    for width, column in ((18, "A"), (60, "B"), (60, "C")):
        sheet.column_dimensions[column].width = width
    values = info.model_dump()
    for row, field in enumerate(INFO_FIELDS, start=INFO_TOP):
        sheet.cell(row, 1, field.label).border = BORDER
        cell = as_text(sheet.cell(row, 2, values.get(field.key)))
        cell.border, cell.alignment = BORDER, WRAP
        if field.editable:
            cell.fill, cell.protection = INPUT_FILL, UNLOCKED
        sheet.cell(row, 3, field.hint).font = HINT_FONT
    sheet[info_cell("report_date")].number_format = "yyyy-m-d"
    _protect(sheet)


def _write_meta(sheet: Worksheet, info: ReportInfo) -> None:
    for row, (key, value) in enumerate(
        (("generator", GENERATOR), ("version", __version__), ("format", info.format_id),
         ("year", info.year), ("profile", info.profile or "")),
        start=1,
    ):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, value)
    sheet.sheet_state = "hidden"
    _protect(sheet)


def _write_narrative(sheet: Worksheet, section, paragraphs, hint: str | None) -> None:
    sheet["A1"] = section.heading
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = hint or section.prompt
    sheet["A2"].font = HINT_FONT
    sheet.merge_cells("A2:B2")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    top = NarrativeSheet(section).paragraph_top
    write_header_row(sheet, top - 1, ("小标题（选填，不含“（一）”等序号）", "正文（每行一段）"))
    for index in range(max(NARRATIVE_ROWS, len(paragraphs) + 10)):
        paragraph = paragraphs[index] if index < len(paragraphs) else None
        row = top + index
        for col, text in ((1, paragraph and paragraph.heading), (2, paragraph and paragraph.text)):
            cell = as_text(sheet.cell(row, col, text or None))
            cell.fill, cell.border, cell.alignment, cell.protection = INPUT_FILL, BORDER, WRAP, UNLOCKED
    _protect(sheet, rows_editable=True)


def _write_table(sheet: Worksheet, placed: TableSheet, heading: str, report: Report | None, hint) -> None:
    sheet["A1"] = heading
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = hint or "黄色单元格填写数字，蓝色单元格自动合计。"
    sheet["A2"].font = HINT_FONT
    _write_lead(sheet, placed, report)
    cells = placed.cells()
    validations = _validations(sheet)
    for cell in placed.layout.cells:
        _write_placed(sheet, placed, cell, cells, report, validations)
    _write_balance_checks(sheet, placed, cells)
    _size_columns(sheet, placed)
    _set_up_printing(sheet, landscape=placed.layout.width > 4)
    if len(placed.table.blocks) == 1:  # labels and headers stay in view while typing down table 三
        block = placed.table.blocks[0]
        sheet.freeze_panes = cell_name(*placed.position(placed.layout.header_rows, block.label_depth))
    _protect(sheet)


def _set_up_printing(sheet: Worksheet, landscape: bool) -> None:
    """A printed table is one page wide, as a clerk checking it on paper expects."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def _write_lead(sheet: Worksheet, placed: TableSheet, report: Report | None) -> None:
    sheet.cell(LEAD_ROW, 1, "表前说明（选填）").alignment = WRAP
    last = cell_name(LEAD_ROW, placed.layout.width)
    sheet.merge_cells(f"B{LEAD_ROW}:{last}")
    lead = as_text(sheet.cell(LEAD_ROW, 2, report.leads.get(placed.table.key) if report else None))
    lead.fill, lead.protection, lead.alignment = INPUT_FILL, UNLOCKED, WRAP
    sheet.row_dimensions[LEAD_ROW].height = 45


def _write_placed(sheet, placed: TableSheet, cell: Placed, cells, report, validations) -> None:
    row, col = placed.position(cell.row, cell.col)
    if cell.rowspan > 1 or cell.colspan > 1:
        sheet.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                          end_column=col + cell.colspan - 1)
    for r in range(row, row + cell.rowspan):
        for c in range(col, col + cell.colspan):
            sheet.cell(r, c).border = BORDER
    target = sheet.cell(row, col)
    if cell.role is not Role.FIELD:
        target.value = cell.text or None
        target.alignment = WRAP if cell.role is Role.LABEL else CENTER
        target.fill = HEADER_FILL if cell.role in (Role.HEADER, Role.CORNER, Role.CAPTION) else PatternFill()
        return
    field = cell.field
    target.alignment = CENTER
    if not field.is_input:
        target.value = _sum_formula(field, cells)
        target.fill = TOTAL_FILL
        return
    value = report.figures.get(field.key, 0) if report else 0
    target.value = value
    target.fill, target.protection = INPUT_FILL, UNLOCKED
    validations[field.kind].add(target.coordinate)
    if field.kind is CellKind.SIGNED:
        target.number_format = "+0;-0;0"
    if field.kind is CellKind.AMOUNT:
        _write_unit(sheet, placed, row, field, report)


def _write_unit(sheet: Worksheet, placed: TableSheet, row: int, field, report: Report | None) -> None:
    col = placed.unit_column()
    sheet.cell(row - 1, col, "金额单位").alignment = CENTER
    unit = sheet.cell(row, col, (report.units.get(field.key) if report else None) or field.column.units[0])
    unit.fill, unit.protection, unit.border, unit.alignment = INPUT_FILL, UNLOCKED, BORDER, CENTER
    choice = DataValidation(type="list", formula1='"' + ",".join(field.column.units) + '"', allow_blank=False,
                            showErrorMessage=True, errorTitle="单位有误", error="请选择 " + " 或 ".join(field.column.units))
    sheet.add_data_validation(choice)
    choice.add(unit.coordinate)


def _sum_formula(field: Field, cells: dict[str, str]) -> str:
    return f"=SUM({_ranges([cells[term] for term in field.terms])})"


def _ranges(names: list[str]) -> str:
    """``SUM`` arguments: straight runs of neighbouring cells become ranges (D8:D27), others stay single."""
    runs: list[list[tuple[int, int]]] = []
    for name in names:
        letter, number = coordinate_from_string(name)
        position = (column_index_from_string(letter), number)
        if runs and _extends(runs[-1], position):
            runs[-1].append(position)
        else:
            runs.append([position])
    return ",".join(_range_name(run) for run in runs)


def _extends(run: list[tuple[int, int]], position: tuple[int, int]) -> bool:
    step = (position[0] - run[-1][0], position[1] - run[-1][1])
    if step not in ((1, 0), (0, 1)):
        return False
    return len(run) == 1 or step == (run[1][0] - run[0][0], run[1][1] - run[0][1])


def _range_name(run: list[tuple[int, int]]) -> str:
    first, last = cell_name(run[0][1], run[0][0]), cell_name(run[-1][1], run[-1][0])
    return first if len(run) == 1 else f"{first}:{last}"


def _write_balance_checks(sheet: Worksheet, placed: TableSheet, cells: dict[str, str]) -> None:
    for block in placed.table.blocks:
        for balance in block.balances:
            _write_balance_row(sheet, placed, block, balance, cells)


def _write_balance_row(sheet: Worksheet, placed: TableSheet, block: Block, balance: Balance, cells) -> None:
    row = placed.check_row
    label = sheet.cell(row, 1, "勾稽关系校验（第一项 + 第二项 = 第三项 + 第四项）")
    label.alignment, label.font = WRAP, Font(bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=block.label_depth)
    key = placed.table.key
    col = 1 + block.label_depth
    for column in block.columns:
        lhs = "+".join(cells[f"{key}.{r}.{column.key}"] for r in balance.lhs)
        rhs = "+".join(cells[f"{key}.{r}.{column.key}"] for r in balance.rhs)
        check = sheet.cell(row, col, f'=IF(({lhs})=({rhs}),"平衡","不平衡：差"&(({lhs})-({rhs})))')
        check.alignment, check.border = CENTER, BORDER
        col += column.span
    span = f"{cell_name(row, 1 + block.label_depth)}:{cell_name(row, col - 1)}"
    first = cell_name(row, 1 + block.label_depth)
    sheet.conditional_formatting.add(
        span, FormulaRule(formula=[f'{first}<>"平衡"'], fill=PatternFill("solid", fgColor="F8CBAD"))
    )
    sheet.row_dimensions[row].height = 36


def _validations(sheet: Worksheet) -> dict[CellKind, DataValidation]:
    rules = {
        CellKind.COUNT: DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_COUNT),
                                       error="请填写 0 或正整数"),
        CellKind.SIGNED: DataValidation(type="whole", operator="between", formula1=str(-MAX_COUNT),
                                        formula2=str(MAX_COUNT), error="请填写整数，减少填负数，如 -1"),
        CellKind.AMOUNT: DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                        error="请填写不小于 0 的金额"),
        CellKind.DECIMAL: DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                         error="请填写不小于 0 的金额（万元，最多 4 位小数）"),
    }
    for rule in rules.values():
        rule.showErrorMessage, rule.errorTitle, rule.allow_blank = True, "输入有误", True
        sheet.add_data_validation(rule)
    return rules


def _size_columns(sheet: Worksheet, placed: TableSheet) -> None:
    widths = {1: [22], 2: [16, 18], 3: [14, 16, 30]}.get(placed.table.label_depth, [])
    data_width = 8 if placed.layout.width > 10 else 12
    for col in range(1, placed.layout.width + 2):
        width = widths[col - 1] if col <= len(widths) else data_width
        sheet.column_dimensions[cell_name(1, col)[:-1]].width = width
    for row in range(placed.position(0, 0)[0], placed.check_row):
        sheet.row_dimensions[row].height = 30


def _protect(sheet: Worksheet, rows_editable: bool = False) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    if rows_editable:
        protection.insertRows = False
        protection.deleteRows = False
