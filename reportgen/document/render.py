"""Render a checked Report into the DOCX: title, 导语, the six sections with their tables, sign-off."""

from __future__ import annotations

from pathlib import Path

from reportgen.atomic import OutputKind, has_marker, write_atomically
from reportgen.document.blank import REPORT_KIND, new_document
from reportgen.document.body import ReportDocument
from reportgen.document.content import add_body, add_heading, add_sign_off, add_title
from reportgen.document.context import build_context
from reportgen.document.tables import GridCell, add_grid_table
from reportgen.formats import CellKind
from reportgen.formats.layout import Placed, Role, TableLayout, layout_table
from reportgen.formats.schema import ItemKind, Number, Section
from reportgen.model import Paragraph, Report, format_number
from reportgen.profile.templates import Profile

TEXT_WIDTH_MM = 156
KEEP_TOGETHER_MAX_ROWS = 20  # tables 二 and 四 move to a new page whole; the long table 三 may break
LABEL_WIDTHS_MM = {0: (), 1: (45,), 3: (12, 16, 54)}  # 54 mm: most sub-item labels on one line
TWO_CHARACTER_COLUMN_MM = 12  # narrower figure columns need 1 mm cell margins to fit 两字 headers
REPORT_OUTPUT = OutputKind("DOCX 报告", ".docx", lambda path: has_marker(path, REPORT_KIND))
CHINESE_NUMERALS = "一二三四五六七八九十"
SENTENCE_END = "。；：！？.;:!?"


def render_report(report: Report, profile: Profile, path: Path) -> None:
    """Write the report's DOCX to ``path`` atomically."""
    document = build_document(report, profile)
    write_atomically(path, document.save)


def build_document(report: Report, profile: Profile) -> ReportDocument:
    context = build_context(report)
    document = new_document(profile.settings.style)
    add_title(document, report.info.agency, " ".join(profile.render_text("title", context)))
    for text in profile.render_text("intro", context):
        add_body(document, text, style="GW-Lead")
    for section in report.format.sections:
        add_heading(document, 1, section.heading)
        if section.table:
            _add_table_section(document, report, profile, context, section)
        _add_paragraphs(document, report, profile, context, section)
    name_text = "".join(profile.render_text("sign_off", context))
    date_text = "".join(profile.render_text("date", context))
    add_sign_off(document, name_text, date_text, profile.settings.style)
    return document


def _add_table_section(document, report, profile, context, section: Section) -> None:
    lead = report.leads.get(section.table)
    for text in [lead] if lead else profile.render_text(f"lead_{section.table}", context):
        kept = add_body(document, text)
        kept.keep_next = kept.keep_lines = True  # whole, and on the page of its table
    layout = layout_table(report.format.table(section.table))
    add_table(document, layout, context["figures"], report.units)


def _add_paragraphs(document, report: Report, profile: Profile, context, section: Section) -> None:
    """The format's items, the clerk's paragraphs, then the profile's extra ones; a narrative section
    left empty gets its standard paragraph (section{n}_empty)."""
    paragraphs = [
        *_summary_paragraphs(profile, context, section),
        *_item_paragraphs(report, profile, context, section),
        *report.narrative.get(section.key, []),
        *profile.extra_paragraphs(section.number, context),
    ]
    if not paragraphs and section.sheet:
        paragraphs = [Paragraph(text=text) for text in profile.render_text(f"section{section.number}_empty", context)]
    for number, paragraph in _numbered(paragraphs):
        _add_paragraph(document, number, paragraph)


def _summary_paragraphs(profile: Profile, context, section: Section) -> list[Paragraph]:
    """The overview of the year's figures that opens 一 when the profile asks for it."""
    if section.number != 1 or not profile.settings.section1_summary:
        return []
    return [Paragraph(text=text) for text in profile.render_text("summary", context)]


def _item_paragraphs(report: Report, profile: Profile, context, section: Section) -> list[Paragraph]:
    """The section's items in declared order under their headings; an amount is stated by its template."""
    paragraphs = []
    for item in section.items:
        key = section.item_key(item)
        if item.kind is ItemKind.AMOUNT:
            text = "".join(profile.render_text(item.template, {**context, "amount": report.item_amounts.get(key, 0)}))
        else:
            text = report.item_texts.get(key, "")
        if text:
            paragraphs.append(Paragraph(heading=item.heading, text=text))
    return paragraphs


def _numbered(paragraphs: list[Paragraph]):
    """Pairs each paragraph with its sub-heading number （一）（二）… (None for plain paragraphs)."""
    count = 0
    for paragraph in paragraphs:
        if paragraph.heading:
            count += 1
            yield f"（{CHINESE_NUMERALS[count - 1] if count <= 10 else count}）", paragraph
        else:
            yield None, paragraph


def _add_paragraph(document, number: str | None, paragraph: Paragraph) -> None:
    if number is None:
        add_body(document, paragraph.text)
        return
    heading = f"{number}{paragraph.heading}"
    if not paragraph.text:
        add_heading(document, 2, heading)
        return
    if heading[-1] not in SENTENCE_END:
        heading += "。"
    add_heading(document, 2, heading, body=paragraph.text)


def add_table(document, layout: TableLayout, values: dict[str, Number], units: dict[str, str]) -> None:
    """Draw a table from its layout: merged cells, widths, styles and every cell's text in one pass."""
    cells = [GridCell(cell.row, cell.col, cell.rowspan, cell.colspan, *_cell_text(cell, values, units))
             for cell in layout.cells]
    numeric = {cell.col for cell in layout.field_cells()}
    widths = _column_widths(layout)
    add_grid_table(document, layout.height, cells, widths,
                   layout.header_rows if layout.table.repeat_header else 0,
                   numeric_cols=numeric, tight_margins=min(widths) < TWO_CHARACTER_COLUMN_MM,
                   keep_together=layout.height <= KEEP_TOGETHER_MAX_ROWS)


def _cell_text(cell: Placed, values, units) -> tuple[str, bool, str]:
    if cell.role is Role.FIELD:
        return _figure_text(cell, values, units), False, "center"
    if cell.role is Role.LABEL:
        return cell.text, False, "left"
    if cell.role is Role.CAPTION:
        return cell.text, True, "left"
    return cell.text, cell.role is not Role.BLANK, "center"


def _figure_text(cell: Placed, values, units) -> str:
    field = cell.field
    value = values[field.key]
    text = format_number(value, signed=field.kind is CellKind.SIGNED)
    if field.kind is CellKind.AMOUNT:
        text += units.get(field.key, field.column.units[0])
    return text


def _column_widths(layout: TableLayout) -> list[float]:
    labels = list(LABEL_WIDTHS_MM[layout.table.label_depth])
    data_columns = layout.width - len(labels)
    data_width = (TEXT_WIDTH_MM - sum(labels)) / data_columns
    return labels + [data_width] * data_columns
