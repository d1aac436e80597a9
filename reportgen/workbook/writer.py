"""Write the clerk workbook: official tables as printed, inputs open, everything else locked, live totals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reportgen import __version__
from reportgen.atomic import write_atomically
from reportgen.checks.figures import MAX_COUNT
from reportgen.formats import CellKind, Field, ReportFormat
from reportgen.formats.layout import Placed, Role
from reportgen.formats.schema import MONEY_KINDS, Balance, Block, Column
from reportgen.model import Report, ReportInfo, format_number
from reportgen.workbook.cellstyle import (
    BORDER,
    CENTER,
    HEADER_FILL,
    HINT_FONT,
    HINT_SIZE,
    INPUT_FILL,
    TOTAL_FILL,
    UNLOCKED,
    WRAP,
    as_text,
    money_validation,
    write_header_row,
    write_title,
)
from reportgen.workbook.fit import DEFAULT_SIZE, ONE_LINE, row_height
from reportgen.workbook.instructions import COLLECTOR_NOTE, LEAD_EXPLAINED, NEW_LINE_KEYS, builtin_instructions
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

INSTRUCTIONS_WIDTH = 70  # fits a printed A4 page, which LibreOffice does not shrink a one-column sheet to
INFO_WIDTHS = {"A": 16, "B": 50, "C": 50}
NARRATIVE_WIDTHS = {"A": 24, "B": 80}
LEAD_LABEL = "表前说明\n（选填）"
MIN_FIRST_COLUMN = 10  # column A holds the 表前说明 label on every table sheet
OPEN_TEXT_LINES = 2  # an empty text input is this many lines high, inviting a sentence


def write_template(
    path: Path,
    fmt: ReportFormat,
    info: ReportInfo,
    report: Report | None = None,
    instructions: Iterable[str] | None = None,
    hints: dict[str, str] | None = None,
    notes: Iterable[str] = (),
) -> None:
    """Write a clerk workbook for ``fmt`` to ``path`` atomically, pre-filled from ``report`` if given.

    ``instructions`` replace the format's built-in 填报说明; ``notes`` follow them (e.g. what was summed).
    """
    workbook = build_workbook(fmt, info, report, instructions, hints or {}, notes)
    write_atomically(path, workbook.save)


def build_workbook(
    fmt: ReportFormat,
    info: ReportInfo,
    report: Report | None,
    instructions: Iterable[str] | None,
    hints: dict[str, str],
    notes: Iterable[str] = (),
) -> Workbook:
    workbook = Workbook()
    clerk = builtin_instructions(fmt) if instructions is None else tuple(instructions)
    _write_instructions(workbook.active, clerk, (*COLLECTOR_NOTE, *notes))
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


def _write_instructions(sheet: Worksheet, instructions: tuple[str, ...], notes: tuple[str, ...]) -> None:
    """The clerk's instructions, then, after a blank row and in grey, the notes for whoever collects the file."""
    sheet.title = INSTRUCTIONS_SHEET
    sheet.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    write_title(sheet, "填报说明")
    lines = [(line, None) for line in instructions] + [("", None)] + [(line, HINT_FONT) for line in notes]
    for row, (line, font) in enumerate(lines, start=3):
        cell = as_text(sheet.cell(row, 1, line or None))
        cell.alignment = WRAP
        if font:
            cell.font = font
        sheet.row_dimensions[row].height = row_height([(line, INSTRUCTIONS_WIDTH, font.size if font else DEFAULT_SIZE)])
    _set_up_printing(sheet, landscape=False)
    _protect(sheet)


def _write_info(sheet: Worksheet, info: ReportInfo) -> None:
    write_title(sheet, "基本信息")
    for column, width in INFO_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    values = info.model_dump()
    for row, field in enumerate(INFO_FIELDS, start=INFO_TOP):
        value = values.get(field.key)
        sheet.cell(row, 1, field.label).border = BORDER
        cell = as_text(sheet.cell(row, 2, value))
        cell.border, cell.alignment = BORDER, WRAP
        if field.editable:
            cell.fill, cell.protection = INPUT_FILL, UNLOCKED
        hint = sheet.cell(row, 3, field.hint)
        hint.font, hint.alignment = HINT_FONT, WRAP
        sheet.row_dimensions[row].height = row_height(
            [(value if isinstance(value, str) else None, INFO_WIDTHS["B"]), (field.hint, INFO_WIDTHS["C"], HINT_SIZE)])
    sheet[info_cell("report_date")].number_format = "yyyy-m-d"
    _set_up_printing(sheet, landscape=True)
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
    write_title(sheet, section.heading)
    for column, width in NARRATIVE_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    _write_hint(sheet, hint or section.prompt, sum(NARRATIVE_WIDTHS.values()), len(NARRATIVE_WIDTHS))
    top = NarrativeSheet(section).paragraph_top
    write_header_row(sheet, top - 1,
                     ("小标题（选填，不含“（一）”等序号）", f"正文（每行一段；单元格内换行另起一段：{NEW_LINE_KEYS}）"))
    for index in range(max(NARRATIVE_ROWS, len(paragraphs) + 10)):
        paragraph = paragraphs[index] if index < len(paragraphs) else None
        row = top + index
        texts = {"A": paragraph and paragraph.heading, "B": paragraph and paragraph.text}
        for col, text in enumerate(texts.values(), start=1):
            cell = as_text(sheet.cell(row, col, text or None))
            cell.fill, cell.border, cell.alignment, cell.protection = INPUT_FILL, BORDER, WRAP, UNLOCKED
        if paragraph:
            sheet.row_dimensions[row].height = row_height(
                [(text, NARRATIVE_WIDTHS[column]) for column, text in texts.items()])
    _set_up_printing(sheet, landscape=True)
    _protect(sheet, rows_editable=True)


def _write_hint(sheet: Worksheet, text: str, width: float, columns: int) -> None:
    """The grey hint under a sheet's title, wrapped across the sheet's ``columns`` first columns."""
    hint = sheet.cell(2, 1, text)
    hint.font, hint.alignment = HINT_FONT, WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet.row_dimensions[2].height = row_height([(text, width, HINT_SIZE)])


def _write_table(sheet: Worksheet, placed: TableSheet, heading: str, report: Report | None, hint) -> None:
    write_title(sheet, heading)
    widths = _size_columns(sheet, placed)
    table_width = sum(widths[col] for col in range(1, placed.layout.width + 1))
    _write_hint(sheet, hint or _table_legend(placed), table_width, placed.layout.width)
    _write_lead(sheet, placed, report, widths)
    cells = placed.cells()
    validations = _validations(sheet)
    for cell in placed.layout.cells:
        _write_placed(sheet, placed, cell, cells, report, validations)
    _size_table_rows(sheet, placed, widths)
    _write_balance_checks(sheet, placed, cells, widths)
    _set_up_printing(sheet, landscape=placed.layout.width > 4)
    if len(placed.table.blocks) == 1:  # labels, headers and the 勾稽关系 row stay in view while typing down
        block = placed.table.blocks[0]
        first_data_row, label_columns = placed.position(placed.layout.header_rows, block.label_depth)
        sheet.freeze_panes = cell_name(first_data_row, label_columns)
        sheet.print_title_rows = f"{placed.position(0, 0)[0]}:{first_data_row - 1}"  # the header on every page
    _protect(sheet)


def _table_legend(placed: TableSheet) -> str:
    """What the colours of this sheet mean (blue only where it has totals), and what 表前说明 is."""
    totals = any(not field.is_input for field in placed.table.fields())
    return "黄色单元格填写数字" + ("，蓝色单元格自动合计" if totals else "") + "。" + LEAD_EXPLAINED


def _set_up_printing(sheet: Worksheet, landscape: bool) -> None:
    """A printed sheet is one page wide, as a clerk checking it on paper expects."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def _write_lead(sheet: Worksheet, placed: TableSheet, report: Report | None, widths: dict[int, float]) -> None:
    label = sheet.cell(LEAD_ROW, 1, LEAD_LABEL)
    label.alignment = CENTER
    sheet.merge_cells(f"B{LEAD_ROW}:{cell_name(LEAD_ROW, placed.layout.width)}")
    text = report.leads.get(placed.table.key) if report else None
    lead = as_text(sheet.cell(LEAD_ROW, 2, text))
    lead.fill, lead.protection, lead.alignment = INPUT_FILL, UNLOCKED, WRAP
    for col in range(2, placed.layout.width + 1):
        sheet.cell(LEAD_ROW, col).border = BORDER
    label.border = BORDER
    prompt = DataValidation(showInputMessage=True, promptTitle="表前说明", prompt=LEAD_EXPLAINED[:255])
    sheet.add_data_validation(prompt)
    prompt.add(lead.coordinate)
    width = sum(widths[col] for col in range(2, placed.layout.width + 1))
    sheet.row_dimensions[LEAD_ROW].height = row_height(
        [(text, width), (LEAD_LABEL, widths[1])], minimum=OPEN_TEXT_LINES * ONE_LINE)


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
    target.value = _cell_figure(report.figures.get(field.key, 0) if report else 0)
    target.fill, target.protection = INPUT_FILL, UNLOCKED
    if field.kind is CellKind.SIGNED:
        target.number_format = "+0;-0;0"
    if field.kind in MONEY_KINDS:
        unit_cell = _write_unit(sheet, placed, row, field, report) if field.column.units else None
        sheet.add_data_validation(_money_rule(field.column, target.coordinate, unit_cell))
    else:
        validations[field.kind].add(target.coordinate)


def _money_rule(column: Column, cell: str, unit_cell: str | None) -> DataValidation:
    """An amount is >= 0 and to the fen in its unit: the one chosen in ``unit_cell``, or its fixed one."""
    units = column.units or (column.unit,)
    decimals = str(column.max_decimals())
    for unit in units[1:]:
        decimals = f'IF({unit_cell}="{unit}",{column.max_decimals(unit)},{decimals})'
    limits = "、".join(f"{unit}最多 {column.max_decimals(unit)} 位小数" for unit in units)
    return money_validation(cell, decimals, limits)


def _cell_figure(value):
    """A figure as the cell holds it: a number, or the text of an amount whose trailing zeros were entered
    (a spreadsheet number cannot keep them, and the report prints amounts as entered)."""
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0 and value.as_tuple().digits[-1] == 0:
        return format_number(value)
    return value


def _write_unit(sheet: Worksheet, placed: TableSheet, row: int, field, report: Report | None) -> str:
    """The unit chosen beside an amount, from a list; returns its cell name."""
    col = placed.unit_column()
    header = sheet.cell(row - 1, col, "金额单位")
    header.alignment, header.fill, header.border = CENTER, HEADER_FILL, BORDER
    unit = sheet.cell(row, col, (report.units.get(field.key) if report else None) or field.column.units[0])
    unit.fill, unit.protection, unit.border, unit.alignment = INPUT_FILL, UNLOCKED, BORDER, CENTER
    choice = DataValidation(type="list", formula1='"' + ",".join(field.column.units) + '"', allow_blank=False,
                            showErrorMessage=True, errorTitle="单位有误", error="请选择 " + " 或 ".join(field.column.units))
    sheet.add_data_validation(choice)
    choice.add(unit.coordinate)
    return unit.coordinate


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


def _write_balance_checks(sheet: Worksheet, placed: TableSheet, cells: dict[str, str], widths) -> None:
    for block in placed.table.blocks:
        for balance in block.balances:
            _write_balance_row(sheet, placed, block, balance, cells, widths)


def _write_balance_row(sheet: Worksheet, placed: TableSheet, block: Block, balance: Balance, cells, widths) -> None:
    """Above the table, in the frozen rows: per column 平衡, or which side is larger and by how much."""
    row = placed.check_row
    label = sheet.cell(row, 1, f"勾稽关系校验\n（{balance.lhs_name} = {balance.rhs_name}）")
    label.alignment, label.font, label.border = CENTER, Font(bold=True), BORDER
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=block.label_depth)
    lhs_larger = f"不平衡：{balance.lhs_name} 比 {balance.rhs_name} 多 "
    rhs_larger = f"不平衡：{balance.rhs_name} 比 {balance.lhs_name} 多 "
    first = col = 1 + block.label_depth
    for column in block.columns:
        lhs = "+".join(cells[f"{placed.table.key}.{r}.{column.key}"] for r in balance.lhs)
        rhs = "+".join(cells[f"{placed.table.key}.{r}.{column.key}"] for r in balance.rhs)
        check = sheet.cell(row, col, f'=IF(({lhs})=({rhs}),"平衡",IF(({lhs})>({rhs}),'
                                     f'"{lhs_larger}"&(({lhs})-({rhs})),"{rhs_larger}"&(({rhs})-({lhs}))))')
        check.alignment, check.border, check.font = CENTER, BORDER, Font(size=HINT_SIZE)
        col += column.span
    sheet.conditional_formatting.add(
        f"{cell_name(row, first)}:{cell_name(row, col - 1)}",
        FormulaRule(formula=[f'{cell_name(row, first)}<>"平衡"'], fill=PatternFill("solid", fgColor="F8CBAD")),
    )
    longest = max(lhs_larger, rhs_larger, key=len) + "9999"  # with a four-digit difference
    label_width = sum(widths[c] for c in range(1, first))
    sheet.row_dimensions[row].height = row_height(
        [(longest, widths[first], HINT_SIZE), (label.value, label_width)])


def _validations(sheet: Worksheet) -> dict[CellKind, DataValidation]:
    """The validations of whole-number cells; each money cell gets its own (its decimals depend on its unit)."""
    rules = {
        CellKind.COUNT: DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_COUNT),
                                       error="请填写 0 或正整数"),
        CellKind.SIGNED: DataValidation(type="whole", operator="between", formula1=str(-MAX_COUNT),
                                        formula2=str(MAX_COUNT), error="请填写整数，减少填负数，如 -1"),
    }
    for rule in rules.values():
        rule.showErrorMessage, rule.errorTitle, rule.allow_blank = True, "输入有误", True
        sheet.add_data_validation(rule)
    return rules


def _size_columns(sheet: Worksheet, placed: TableSheet) -> dict[int, float]:
    """Column widths (1-based column -> width) of a table sheet, the unit column included."""
    labels = {1: [22], 2: [16, 18], 3: [20, 16, 30]}.get(placed.table.label_depth, [])
    data_width = 8 if placed.layout.width > 10 else 12
    widths = {col: labels[col - 1] if col <= len(labels) else data_width for col in range(1, placed.layout.width + 2)}
    widths[1] = max(widths[1], MIN_FIRST_COLUMN)
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    return widths


def _size_table_rows(sheet: Worksheet, placed: TableSheet, widths: dict[int, float]) -> None:
    """Each table row as tall as its longest label or header; a cell over several rows shares them out."""
    heights = [ONE_LINE] * placed.layout.height
    spanning = []
    for cell in placed.layout.cells:
        if cell.role in (Role.FIELD, Role.BLANK):
            continue
        width = sum(widths[1 + col] for col in range(cell.col, cell.col + cell.colspan))
        needed = row_height([(cell.text, width)])
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], needed)
        else:
            spanning.append((cell, needed))
    for cell, needed in spanning:
        rows = range(cell.row, cell.row + cell.rowspan)
        shortfall = needed - sum(heights[row] for row in rows)
        for row in rows if shortfall > 0 else ():
            heights[row] += shortfall / cell.rowspan
    for index, height in enumerate(heights):
        sheet.row_dimensions[placed.position(index, 0)[0]].height = round(height, 1)


def _protect(sheet: Worksheet, rows_editable: bool = False) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    if rows_editable:
        protection.insertRows = False
        protection.deleteRows = False
