"""Section items on a narrative sheet: written as label / cell / hint rows, read back into the Report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.checks.figures import Problem, parse_amount
from reportgen.checks.findings import finding
from reportgen.formats.schema import ItemKind, SectionItem
from reportgen.model import ReadResult, Report
from reportgen.workbook.fit import ONE_LINE, row_height
from reportgen.workbook.grid import Grid
from reportgen.workbook.sheets import NarrativeSheet, column_letter
from reportgen.workbook.values import clean_text, squeeze_label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# the writing half imports openpyxl's styles itself: reading a workbook (reportgen check) needs none of it

HINT_WIDTH = 36
OPEN_ITEM_LINES = 3


def write_items(sheet: Worksheet, narrative: NarrativeSheet, report: Report | None) -> None:
    """The section's items above its paragraphs: label, input cell (amounts pre-filled with 0), hint.

    Each row is as tall as its longest text; an open text item at least a few lines, inviting a passage.
    """
    from reportgen.workbook.cellstyle import (
        BORDER,
        HINT_FONT,
        HINT_SIZE,
        INPUT_FILL,
        UNLOCKED,
        WRAP,
        as_text,
        money_validation,
        write_header_row,
    )

    section = narrative.section
    if not section.items:
        return
    sheet.column_dimensions["C"].width = HINT_WIDTH
    write_header_row(sheet, narrative.item_row(0) - 1, ("栏目", "内容", "填写说明"))
    widths = {col: sheet.column_dimensions[column_letter(col)].width for col in (1, 2)}
    for index, item in enumerate(section.items):
        row, key = narrative.item_row(index), section.item_key(item)
        label = sheet.cell(row, 1, "\n".join(item.label_lines))
        label.alignment, label.border = WRAP, BORDER
        if item.kind is ItemKind.AMOUNT:
            value = report.item_amounts.get(key, 0) if report else 0
            sheet.add_data_validation(money_validation(f"B{row}", str(item.max_decimals),
                                                       f"{item.unit}最多 {item.max_decimals} 位小数"))
        else:
            value = report.item_texts.get(key) if report else None
        cell = as_text(sheet.cell(row, 2, value))
        cell.fill, cell.border, cell.alignment, cell.protection = INPUT_FILL, BORDER, WRAP, UNLOCKED
        hint = sheet.cell(row, 3, item.hint)
        hint.alignment, hint.font, hint.border = WRAP, HINT_FONT, BORDER
        lines = 1 if item.kind is ItemKind.AMOUNT else OPEN_ITEM_LINES
        sheet.row_dimensions[row].height = row_height(
            [(label.value, widths[1]), (value, widths[2]), (item.hint, HINT_WIDTH, HINT_SIZE)], minimum=lines * ONE_LINE)


def read_items(grid: Grid, narrative: NarrativeSheet, result: ReadResult, texts: dict, amounts: dict) -> None:
    """Each item's text or amount by its key; a blank amount is 0, a bad one or a moved label a finding."""
    section, cells = narrative.section, narrative.item_cells()
    for index, item in enumerate(section.items):
        key, row = section.item_key(item), narrative.item_row(index)
        result.locations[key] = (narrative.name, cells[key])
        if squeeze_label(grid.at(row, 1)) != squeeze_label(item.label):
            result.findings.append(finding("label-mismatch", sheet=narrative.name, cell=f"A{row}",
                                           expected=item.label, actual=grid.at(row, 1) or "（空白）"))
        elif item.kind is ItemKind.TEXT:
            _read_text(grid.at(row, 2), key, texts)
        else:
            _read_amount(grid.at(row, 2), item, key, narrative.name, cells[key], result, amounts)


def _read_text(raw: object, key: str, texts: dict) -> None:
    text = clean_text(raw)
    if text:
        texts[key] = text


def _read_amount(raw: object, item: SectionItem, key: str, sheet: str, cell: str, result, amounts: dict) -> None:
    amount = parse_amount(raw, item.max_decimals)
    if isinstance(amount, Problem):
        result.findings.append(amount.finding(sheet=sheet, cell=cell, label=item.heading))
    else:
        amounts[key] = amount or 0
