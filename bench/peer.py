"""The naive peer: what a developer would write with plain openpyxl and python-docx for the same job.

Reads a filled clerk workbook, works out the totals its formulas stand for, checks that each column of
table 三 balances, and writes a DOCX with the title, the sections' paragraphs (run-in headings bold),
the three tables with their merged cells, and the sign-off, in 仿宋/黑体 on A4. The bench times its
phases beside reportgen's; it is a fair straightforward implementation, not tuned and not hobbled.

Usage: python bench/peer.py WORKBOOK.xlsx OUT.docx
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TABLE_FIRST_ROW = 5  # rows 1–4 of a table sheet: title, hint, lead text, blank
NARRATIVE_FIRST_ROW = 4  # rows 1–3 of a section sheet: title, hint, column headings
CHECK_ROW_LABEL = "勾稽关系校验"
SUM = re.compile(r"^=SUM\(([A-Z]+\d+):([A-Z]+\d+)\)$")


@dataclass
class PeerReport:
    info: dict[str, object]
    tables: dict[str, list[list[object]]] = field(default_factory=dict)  # sheet → rows of values
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)  # 0-based, inclusive
    sections: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)  # sheet → (heading, text)
    order: list[str] = field(default_factory=list)  # the sheets in the workbook's order


def read(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def to_report(book: openpyxl.Workbook) -> PeerReport:
    info_sheet = book["基本信息"]
    info = {row[0]: row[1] for row in info_sheet.iter_rows(min_row=3, max_col=2, values_only=True) if row[0]}
    report = PeerReport(info)
    for sheet in book.worksheets[2:]:
        if sheet.title.startswith("_"):
            continue
        report.order.append(sheet.title)
        if sheet.merged_cells.ranges and sheet.max_column > 2:
            _read_table(sheet, report)
        else:
            report.sections[sheet.title] = [
                (heading, text) for heading, text in sheet.iter_rows(min_row=NARRATIVE_FIRST_ROW, max_col=2,
                                                                     values_only=True) if text]
    return report


def _read_table(sheet, report: PeerReport) -> None:
    rows = []
    for row in sheet.iter_rows(min_row=TABLE_FIRST_ROW):
        if isinstance(row[0].value, str) and row[0].value.startswith(CHECK_ROW_LABEL):
            break
        rows.append([_value(sheet, cell.value) for cell in row])
    report.tables[sheet.title] = rows
    report.merges[sheet.title] = [
        (merged.min_row - TABLE_FIRST_ROW, merged.min_col - 1, merged.max_row - TABLE_FIRST_ROW, merged.max_col - 1)
        for merged in sheet.merged_cells.ranges if TABLE_FIRST_ROW <= merged.min_row < TABLE_FIRST_ROW + len(rows)]


def _value(sheet, value: object) -> object:
    """A cell's value; a SUM formula (the workbook's totals, cached by no one) is worked out."""
    if isinstance(value, str) and (match := SUM.match(value)):
        return sum(_number(_value(sheet, cell.value)) for row in sheet[match[1]:match[2]] for cell in row)
    return value


def _number(value: object) -> float:
    if value in (None, ""):
        return 0
    return float(value) if isinstance(value, str) else value


def check(report: PeerReport) -> list[str]:
    """Each column of table 三: new + carried over = handled + carried forward."""
    problems = []
    for title, rows in report.tables.items():
        labels = {str(row[0]): row for row in rows if row[0]}
        new = next((row for label, row in labels.items() if label.startswith("一、本年新收")), None)
        if new is None:
            continue
        over = next(row for label, row in labels.items() if label.startswith("二、上年结转"))
        forward = next(row for label, row in labels.items() if label.startswith("四、结转下年度"))
        handled = next(row for row in rows if row[1] and "总计" in str(row[1]))
        for col in range(3, len(new)):
            if _number(new[col]) + _number(over[col]) != _number(handled[col]) + _number(forward[col]):
                problems.append(f"{title} 第 {col + 1} 列不平衡")
    return problems


def render(report: PeerReport) -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    agency, year = report.info["机关名称"], report.info["报告年度"]
    for line in (agency, f"{year}年政府信息公开工作年度报告"):
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(title.add_run(str(line)), "方正小标宋简体", 22)
    document.add_paragraph(f"本报告依据《中华人民共和国政府信息公开条例》编制，数据统计期限为{year}年1月1日至12月31日。")
    for sheet in report.order:
        heading = document.add_paragraph()
        _font(heading.add_run(sheet), "黑体", 16)
        if sheet in report.tables:
            _add_table(document, report.tables[sheet], report.merges[sheet])
        number = 0
        for subheading, text in report.sections.get(sheet, []):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            if subheading:
                number += 1
                paragraph.add_run(f"（{number}）{subheading}。").bold = True
            paragraph.add_run(text)
    for line in (agency, _date_text(report.info.get("成文日期"))):
        document.add_paragraph(str(line)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def _add_table(document: Document, rows: list[list[object]], merges) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = [row.cells for row in table.rows]  # once: table.cell() rebuilds the whole grid on every call
    for cells, values in zip(grid, rows):
        for cell, value in zip(cells, values):
            if value is not None:
                _font(cell.paragraphs[0].add_run(_format(value)), "仿宋_GB2312", 10.5)
    for top, left, bottom, right in merges:
        grid[top][left].merge(grid[bottom][right])


def _format(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date_text(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _font(run, east_asian: str, size_pt: float) -> None:
    run.font.size = Pt(size_pt)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def write(document: Document, path: Path) -> None:
    document.save(path)


def build(path: Path, output: Path) -> list[str]:
    report = to_report(read(path))
    problems = check(report)
    if not problems:
        write(render(report), output)
    return problems


if __name__ == "__main__":
    for problem in build(Path(sys.argv[1]), Path(sys.argv[2])):
        print(problem)
