"""The settings file of a profile (profile.toml) as validated models, and its errors in plain Chinese."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportgen.formats import ReportFormat
from reportgen.profile.style import StyleSettings

# Keys an office might reach for to restructure the report; the formats own all of these.
STRUCTURE_KEYS = frozenset(
    {"sections", "section", "tables", "table", "rows", "columns", "cells", "labels", "headings", "format", "formats"}
)
STRUCTURE_REASON = (
    "配置方案不能修改报告的六个部分和法定表格：部分的顺序和标题、表格的标签和单元格都由报告格式规定；"
    "如需增加内容，请用 [[extra]] 在某一部分末尾追加段落"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SheetHints(_Strict):
    """The hint line under the heading of each section's sheet in the clerk workbook."""

    s1: str | None = Field(None, description="“一、总体情况”工作表标题下的填写提示")
    s2: str | None = Field(None, description="“二、主动公开”（表二）工作表标题下的填写提示")
    s3: str | None = Field(None, description="“三、依申请公开”（表三）工作表标题下的填写提示")
    s4: str | None = Field(None, description="“四、复议诉讼”（表四）工作表标题下的填写提示")
    s5: str | None = Field(None, description="“五、问题及改进”工作表标题下的填写提示")
    s6: str | None = Field(None, description="“六、其他事项”工作表标题下的填写提示")


class WorkbookSettings(_Strict):
    """What the clerk workbook says besides the official tables."""

    instructions: tuple[str, ...] = Field(
        (), description="“填报说明”工作表的内容，每项一行，整体替换内置说明；不设置则使用按报告格式撰写的内置说明"
    )
    hints: SheetHints = Field(
        default_factory=SheetHints, description="各工作表标题下的填写提示，键为部分编号 s1–s6；未填写的用内置提示"
    )

    def sheet_hints(self, fmt: ReportFormat) -> dict[str, str]:
        """The hints keyed as the workbook writer expects them: table key for table sheets, else section key."""
        given = self.hints.model_dump()
        return {section.table or section.key: given[section.key] for section in fmt.sections if given[section.key]}


class ExtraText(_Strict):
    """A paragraph (or sub-section) the profile appends at the end of one of the six sections."""

    section: int = Field(ge=1, le=6, description="追加到第几部分：1–6 对应“一”至“六”")
    heading: str | None = Field(
        None, min_length=1, description="小标题（选填，不含序号；与填报人填写的小标题一起自动编号为（一）（二）…）"
    )
    template: str = Field(
        pattern=r"^[\w\-]+$", description="正文模板：text/ 文件夹中的“模板名.j2”，这里只写模板名；模板输出为空时整段不出现"
    )


class ProfileSettings(_Strict):
    """The settings file of a profile (profile.toml)."""

    name: str = Field("默认", min_length=1, description="配置方案名称，记录在生成的填报工作簿中")
    description: str = Field("", description="配置方案说明")
    style: StyleSettings = Field(default_factory=StyleSettings, description="版式：字体、字号、页边距、标题加粗、落款格式等")
    workbook: WorkbookSettings = Field(default_factory=WorkbookSettings, description="填报工作簿中的说明和提示")
    section1_summary: bool = Field(
        False, description="是否在“一、总体情况”开头加一段由表格数字生成的概述（模板 text/summary.j2）"
    )
    extra: tuple[ExtraText, ...] = Field((), description="在某一部分末尾追加的段落，每段一个 [[extra]]")

    def extras_for(self, section: int) -> list[ExtraText]:
        return [extra for extra in self.extra if extra.section == section]


_REASONS = {
    "missing": "缺少此项",
    "string_type": "应为文字（用英文双引号括起来）",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "只能由汉字、字母、数字、下划线和连字符组成",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "应为 {multiple_of} 的整数倍",
    "literal_error": "只能是 {expected}",
    "list_type": "应为列表，如 [\"甲\", \"乙\"]",
    "tuple_type": "应为列表，如 [\"甲\", \"乙\"]",
    "model_type": "应为一个表（[名称] 小节）",
    "model_attributes_type": "应为一个表（[名称] 小节）",
    "dict_type": "应为一个表（[名称] 小节）",
}


def settings_error_message(path: Path, error: ValidationError) -> str:
    """One line per problem, each naming the dotted key, under a first line naming the file."""
    lines = [f"{path}：配置有误"]
    for problem in error.errors():
        lines.append(f"  {dotted_key(problem['loc'])}：{_reason(problem)}")
    return "\n".join(lines)


def dotted_key(location: tuple) -> str:
    """``('extra', 0, 'section')`` → ``extra[1].section``: list items counted from 1 as an office counts them."""
    key = ""
    for part in location:
        if isinstance(part, int):
            key += f"[{part + 1}]"
        else:
            key += f".{part}" if key else str(part)
    return key


def _reason(problem: dict) -> str:
    kind, context = problem["type"], problem.get("ctx", {})
    if kind == "extra_forbidden":
        last = problem["loc"][-1]
        return f"不认识的配置项。{STRUCTURE_REASON}" if last in STRUCTURE_KEYS else "不认识的配置项（请检查拼写和所在的小节）"
    if kind == "value_error":
        return str(context["error"])
    reason = _REASONS[kind].format(**context) if kind in _REASONS else problem["msg"]
    given = problem.get("input")
    if isinstance(given, (str, int, float, bool)):
        reason += f"，现为 {json.dumps(given, ensure_ascii=False)}"  # written as TOML would write it
    return reason
