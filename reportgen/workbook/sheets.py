"""Where everything sits in the clerk workbook: shared by the writer and the reader."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.formats import ReportFormat, Table
from reportgen.formats.layout import TableLayout, layout_table
from reportgen.formats.schema import Section

INSTRUCTIONS_SHEET = "填报说明"
INFO_SHEET = "基本信息"
META_SHEET = "_reportgen"
GENERATOR = "reportgen"

TABLE_TOP = 5  # first row of a table on its sheet
LEAD_ROW = 3  # the optional sentence before the table
CHECK_ROW = 4  # the live 勾稽关系 checks of a table that has a balance
NARRATIVE_TOP = 4  # first paragraph row on a narrative sheet without items; first item row on one with items
NARRATIVE_ROWS = 40  # paragraph rows opened for input


@dataclass(frozen=True)
class InfoField:
    key: str
    label: str
    hint: str
    editable: bool = True
    required: bool = False


INFO_FIELDS = (
    InfoField("agency", "机关名称", "用于报告标题和落款，请填写全称。", required=True),
    InfoField("year", "报告年度", "生成工作簿时确定，不可修改。", editable=False, required=True),
    InfoField("format_id", "报告格式", "生成工作簿时按报告年度确定，不可修改。", editable=False, required=True),
    InfoField("report_date", "成文日期", "落款日期，如 2021-01-19；留空则落款不写日期。"),
    InfoField("publish_where", "报告公布位置", "选填，如“本机关门户网站政府信息公开专栏”，用于导语。"),
    InfoField("contact_address", "联系地址", "选填，用于导语。"),
    InfoField("contact_phone", "联系电话", "选填，用于导语。"),
)
INFO_TOP = 3
_INFO_ROWS = {field.key: (INFO_TOP + index, field) for index, field in enumerate(INFO_FIELDS)}


def info_cell(key: str) -> str:
    return f"B{_INFO_ROWS[key][0]}"


def info_label(key: str) -> str:
    return _INFO_ROWS[key][1].label


def cell_name(row: int, col: int) -> str:
    """Spreadsheet name of a 1-based (row, col)."""
    return f"{column_letter(col)}{row}"


def column_letter(col: int) -> str:
    """A, B, … Z, AA, … of a 1-based column (openpyxl's get_column_letter would import all of openpyxl)."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class TableSheet:
    """A table placed on its sheet: layout row/col 0 sits at (TABLE_TOP, column A)."""

    table: Table
    layout: TableLayout

    @property
    def name(self) -> str:
        return self.table.sheet

    def position(self, layout_row: int, layout_col: int) -> tuple[int, int]:
        return TABLE_TOP + layout_row, 1 + layout_col

    def cells(self) -> dict[str, str]:
        """Field key -> spreadsheet cell name."""
        return {cell.field.key: cell_name(*self.position(cell.row, cell.col)) for cell in self.layout.field_cells()}

    def unit_column(self) -> int:
        """Column just right of the table, where amount units are chosen."""
        return 1 + self.layout.width

    @property
    def check_row(self) -> int:
        """Row just above the table holding the live 勾稽关系 checks, frozen with the header so it stays in view."""
        return CHECK_ROW


def table_sheets(fmt: ReportFormat) -> list[TableSheet]:
    return [TableSheet(table, layout_table(table)) for table in fmt.tables]


def lead_cell() -> str:
    return f"B{LEAD_ROW}"


@dataclass(frozen=True)
class NarrativeSheet:
    """A narrative section's sheet: its items (label, cell, hint) first, then one paragraph per row."""

    section: Section

    @property
    def name(self) -> str:
        return self.section.sheet

    def item_row(self, index: int) -> int:
        return NARRATIVE_TOP + index

    def item_cells(self) -> dict[str, str]:
        """Item key in the Report (``s6.processing_fee``) -> spreadsheet cell name."""
        return {self.section.item_key(item): f"B{self.item_row(index)}" for index, item in enumerate(self.section.items)}

    @property
    def paragraph_top(self) -> int:
        """First paragraph row: below the items and a blank row and the paragraph header, if there are items."""
        items = len(self.section.items)
        return NARRATIVE_TOP + items + 2 if items else NARRATIVE_TOP


def narrative_sheets(fmt: ReportFormat) -> list[NarrativeSheet]:
    return [NarrativeSheet(section) for section in fmt.narrative_sections()]
