"""The 填报说明 of a format's workbook, written from its definition: it names only what the format has.

The clerk is told what to type and what to do with the file; the commands that check and build it are
in a separate note for whoever collects the workbooks.
"""

from __future__ import annotations

from reportgen.formats import CellKind, ReportFormat
from reportgen.formats.schema import Column

CHINESE_NUMBERS = "〇一二三四五六七八九"
NEW_LINE_KEYS = "Excel、WPS 中按 Alt+Enter，LibreOffice 中按 Ctrl+Enter"
LEAD_EXPLAINED = "“表前说明”是报告中表格前的一段文字，选填；留空则自动生成（表三、表四根据数字写出）。"
COLLECTOR_NOTE = (
    "供收集工作簿的人员参考（填报人无需操作）：",
    "校验：reportgen check 工作簿.xlsx；生成报告：reportgen build 工作簿.xlsx -o 报告.docx；"
    "校验整个文件夹：reportgen check-all 文件夹。",
)


def builtin_instructions(fmt: ReportFormat) -> tuple[str, ...]:
    """The clerk's numbered instructions for ``fmt``."""
    steps = [
        "黄色单元格为填写区域，其余单元格已锁定（工作表保护无密码），请勿修改表格结构和标签。",
        _counts(fmt),
        *_money(fmt),
        *_totals(fmt),
        LEAD_EXPLAINED.replace("“表前说明”", f"{_table_names(fmt.tables)}上方的“表前说明”"),
        _narrative(fmt),
        f"单元格内换行：{NEW_LINE_KEYS}；单元格内的每一行在报告中成为单独一段。",
        "填好后保存本文件，按上级政务公开工作机构的要求报送或上传；报告由收集单位统一校验、生成。",
    ]
    title = f"本工作簿用于填报政府信息公开工作年度报告（{fmt.document}规定的格式）。"
    return (title, *(f"{number}. {step}" for number, step in enumerate(steps, start=1)))


def table_name(section: int) -> str:
    return f"表{CHINESE_NUMBERS[section]}"


def _table_names(tables) -> str:
    return "、".join(table_name(table.section) for table in tables)


def _columns(fmt: ReportFormat, kind: CellKind) -> list[Column]:
    """The columns of ``kind`` in table order, each once."""
    found: dict[str, Column] = {}
    for field in fmt.fields():
        if field.kind is kind:
            found.setdefault(field.column.label, field.column)
    return list(found.values())


def _counts(fmt: ReportFormat) -> str:
    text = "数量单元格已预填 0，请按实际填写 0 或正整数"
    signed = _columns(fmt, CellKind.SIGNED)
    if signed:
        text += "；" + "、".join(f"“{column.label}”" for column in signed) + "减少时填负数，如 -1"
    return text + "。"


def _money(fmt: ReportFormat) -> list[str]:
    lines = []
    for column in _columns(fmt, CellKind.AMOUNT):
        limits = "、".join(f"{unit}最多 {column.max_decimals(unit)} 位" for unit in column.units)
        lines.append(f"“{column.label}”在右侧“金额单位”中选择{'或'.join(column.units)}；小数精确到分（{limits}），"
                     "报告中按填写原样打印。")
    for column in _columns(fmt, CellKind.DECIMAL):
        lines.append(f"“{column.label}”以{column.unit}为单位，小数最多 {column.max_decimals()} 位（精确到分），"
                     "报告中按填写原样打印。")
    return lines


def _totals(fmt: ReportFormat) -> list[str]:
    with_totals = [table for table in fmt.tables if any(not field.is_input for field in table.fields())]
    lines = [f"{_table_names(with_totals)}中的蓝色单元格为自动合计，无需填写。"] if with_totals else []
    for table in fmt.tables:
        if any(block.balances for block in table.blocks):
            lines.append(f"{table_name(table.section)}上方的“勾稽关系校验”行实时显示每一列是否平衡，"
                         "全部显示“平衡”后再报送。")
    return lines


def _narrative(fmt: ReportFormat) -> str:
    sections = fmt.narrative_sections()
    sheets = "".join(f"“{section.sheet}”" for section in sections)
    text = f"{sheets}是叙述部分：每行填写一段，小标题选填，不写（一）（二）等序号，报告中自动编号。"
    with_items = [section for section in sections if section.items]
    if with_items:
        text += "".join(f"“{section.sheet}”" for section in with_items) + "上方的栏目请逐项填写，选填栏目可留空。"
    return text
