"""Findings are data: each has a stable code declared once here with its title and message template."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Rule:
    """One finding code: its default severity, Chinese title, description and message template."""

    code: str
    severity: Severity
    title: str
    description: str
    template: str


_TOTAL = "{label}应为 {expected}，{entered} {actual}"

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("t3-balance", Severity.ERROR, "勾稽关系不成立",
             "表三每一列：第一项加第二项之和，应等于第三项（七）总计加第四项之和。",
             "{label}：一、本年新收 + 二、上年结转 = {expected}，而（七）总计 + 四、结转下年度 = {actual}，两者应相等"),
        Rule("t3-row-total", Severity.ERROR, "表三总计列与各申请人之和不符",
             "表三每一行的“总计”应等于自然人和五类法人或其他组织之和。", _TOTAL),
        Rule("t3-outcome-total", Severity.ERROR, "表三（七）总计与办理结果之和不符",
             "表三（七）总计应等于（一）至（六）各项办理结果之和。", _TOTAL),
        Rule("t4-total", Severity.ERROR, "表四总计与各项结果之和不符",
             "表四行政复议、未经复议直接起诉、复议后起诉的“总计”应分别等于结果维持、结果纠正、其他结果、尚未审结之和。",
             _TOTAL),
        Rule("count-not-number", Severity.ERROR, "数字单元格填写了非数字内容",
             "数字单元格只能填写阿拉伯数字。", "{label}应填写数字，填写的是“{actual}”"),
        Rule("count-not-integer", Severity.ERROR, "件数不是整数",
             "件数、项目数等只能是整数。", "{label}应为整数，{entered} {actual}"),
        Rule("count-negative", Severity.ERROR, "件数为负数",
             "除“本年增/减”外，数量不能为负数。", "{label}不能为负数，{entered} {actual}"),
        Rule("count-too-large", Severity.ERROR, "数值大得不合实际",
             "单个单元格超过 10,000,000，多半是多输了数字。", "{label}{entered} {actual}，超过 {expected}，请核实"),
        Rule("amount-invalid", Severity.ERROR, "金额格式不正确",
             "金额应为不小于 0 的数字，小数位数不超过规定。", "{label}{entered}“{actual}”，{expected}"),
        Rule("amount-unit-invalid", Severity.ERROR, "金额单位不正确",
             "采购总金额的单位只能选择“元”或“万元”。", "{label}的单位应为 {expected}，{entered}“{actual}”"),
        Rule("formula-error", Severity.ERROR, "单元格显示公式错误",
             "单元格含有 #REF!、#VALUE! 等错误值，多半是删除或移动了行列。", "{label}为错误值 {actual}"),
        Rule("input-formula", Severity.ERROR, "输入单元格填写了公式",
             "输入单元格请直接填写数字，不要填写公式。", "{label}填写了公式“{actual}”，请改为数字"),
        Rule("blank-as-zero", Severity.INFO, "空白单元格按 0 处理",
             "空白的输入单元格按 0 处理；建议填写 0 以示已核实。", "{label}为空白，按 0 处理"),
        Rule("info-missing", Severity.ERROR, "基本信息未填写",
             "机关名称、报告年度为必填项。", "{label}未填写"),
        Rule("info-invalid", Severity.ERROR, "基本信息填写有误",
             "报告年度和报告格式在生成工作簿时确定，不能修改；成文日期应为日期。", "{label}{entered}“{actual}”，{expected}"),
        Rule("file-unreadable", Severity.ERROR, "文件无法读取",
             "文件不存在、为空、已损坏、设置了打开密码，或不是由 reportgen 生成的工作簿（.xlsx，或另存的 .ods、.xls）。", "{actual}"),
        Rule("values-only", Severity.INFO, "只读取了单元格显示的值",
             "以 .ods 或 .xls 格式保存的工作簿只能读取单元格显示的值，读不到公式：输入单元格中的公式按其结果读取，"
             "无法提示；合计栏按显示的值与各项之和核对。如需完整检查，请另存为 .xlsx。",
             "本工作簿为{actual}，只能读取单元格显示的值：输入单元格中若填写了公式，按其计算结果读取，无法提示；"
             "合计栏按显示的值与各项之和核对。如需完整检查，请在表格软件中另存为 Excel 工作簿（.xlsx）"),
        Rule("build-failed", Severity.ERROR, "报告生成失败",
             "工作簿校验通过，但写出 DOCX 报告时出错（如输出目录不可写、配置方案模板有误）。", "{actual}"),
        Rule("data-unknown-cell", Severity.ERROR, "数据文件含有未知的单元格",
             "JSON 数据文件中的单元格键应为本报告格式的“表.行.列”，如 t3.new.natural。",
             "“{actual}”不是{expected}格式的单元格"),
        Rule("sheet-missing", Severity.ERROR, "缺少工作表",
             "填报工作簿的工作表被删除或改名。", "缺少工作表“{label}”{hint}"),
        Rule("label-mismatch", Severity.ERROR, "表格标签被改动",
             "表格的固定标签与格式定义不符，可能移动了行列，或改动了标签文字；改正之前不读取该表的数字。",
             "此处应为“{expected}”，实际为“{actual}”"),
        Rule("format-detected", Severity.WARNING, "按表格标签识别报告格式",
             "工作簿没有记录报告格式，或记录的格式与表格标签不符；按表格标签识别的格式读取。",
             "{actual}，按表格标签识别为{expected}格式读取"),
        Rule("structure-changed", Severity.ERROR, "表格结构被改动",
             "表格中多处固定标签与格式定义不符，多半是插入、删除或移动了行列；此时不读取该表的数字。",
             "从此处起共 {count} 处固定标签与格式定义不符（此处应为“{expected}”，实际为“{actual}”），"
             "可能插入、删除或移动了行列，请恢复原表结构"),
        Rule("text-control-chars", Severity.INFO, "已删除不可见的控制字符",
             "从其他软件粘贴的文字可能带有不可见的控制字符，它们会损坏 DOCX，读取时已删除。",
             "{label}含有 {actual} 个不可见的控制字符，已删除"),
        Rule("format-year-mismatch", Severity.WARNING, "报告格式与报告年度不符",
             "2020 年度及以前的报告使用国办公开办函〔2019〕60号格式，2021 年度起使用国办公开办函〔2021〕30号格式。",
             "{label}的报告应使用 {expected} 格式，本工作簿使用的是 {actual} 格式"),
        Rule("t2-published-exceeds-total", Severity.WARNING, "本年新公开数量大于对外公开总数量",
             "表二第二十条第（一）项：本年新公开的文件也计入对外公开总数，本年新公开数量通常不大于对外公开总数量。",
             "{label}为 {actual}，大于对外公开总数量 {expected}，请核实"),
        Rule("t3-carry-over", Severity.WARNING, "上年结转与上年度报告不一致",
             "表三“二、上年结转政府信息公开申请数量”应逐列等于上年度报告的“四、结转下年度继续办理”"
             "（需用 --previous 指定上年度工作簿）。",
             "{label}为 {actual}，上年度报告的“四、结转下年度继续办理”为 {expected}，两者应一致"),
        Rule("t2-carry-over", Severity.WARNING, "表二数量与上年度报告接不上",
             "表二中承接上年的数量应与上年度报告相符（需用 --previous 指定上年度工作簿）：2019 年格式的“上一年项目数量”"
             "等于上年度的“上一年项目数量”加“本年增/减”；2021 年格式的“现行有效件数”等于上年度的“现行有效件数”"
             "加本年制发件数、减本年废止件数。",
             "{label}按上年度报告推算应为 {expected}（{formula}），{entered} {actual}"),
        Rule("previous-year-mismatch", Severity.ERROR, "上年度工作簿的年度不对",
             "--previous 指定的工作簿应是上一年度的报告，否则无法比较结转数。",
             "用于对比的{label}是 {actual} 年度的报告，应为 {expected} 年度的报告"),
        Rule("narrative-mismatch", Severity.WARNING, "叙述中的数字与表格不符",
             "“一、总体情况”和表前说明中以常见说法写出的数字（如“共收到政府信息公开申请40件”“行政复议2件”）应与表格一致。",
             "{passage}写的“{quote}”与表格不符：{label}为 {expected}，文中为 {actual}"),
        Rule("published-section-missing", Severity.WARNING, "已发布年报缺少一个部分",
             "年报应有六个部分（一、总体情况 至 六、其他需要报告的事项）；未找到该部分的标题。",
             "未找到“{label}”部分"),
        Rule("published-section-order", Severity.WARNING, "已发布年报的部分顺序不对",
             "六个部分应按一至六的顺序排列。", "“{label}”部分出现在前一部分之前"),
        Rule("published-label-deviates", Severity.WARNING, "印刷的标签与正式标签不同",
             "已发布年报中的标题或表格标签与格式定义的正式文字不同（错字、漏字、旧格式的写法等）；已按正式标签读取。",
             "印的是“{actual}”，正式标签为“{expected}”"),
        Rule("published-label-missing", Severity.WARNING, "已发布年报的表格缺少行或列",
             "表格中未找到格式定义的某个标题、行或列标签；缺少的行的数字无法读取，不参与核对。",
             "未找到“{expected}”"),
        Rule("published-table-unreadable", Severity.ERROR, "已发布年报的表格无法读取",
             "未找到该表格，或其中没有一行能够读取；该表的数字无法核对。", "{label}：{actual}，该表的数字无法核对"),
        Rule("published-cells-unreadable", Severity.ERROR, "表格行的数字无法读取",
             "一行印出的内容无法分成该行应有的单元格数（数字个数不对，或夹有文字）；该行不参与核对。",
             "{label}：印的是“{actual}”，无法分成 {expected} 个单元格，该行不参与核对"),
        Rule("published-cells-ambiguous", Severity.WARNING, "连在一起的数字有多种分法",
             "表格的数字印在一起（如“2211”），按列数和合计仍有多种分法时不作猜测，该行不参与核对。",
             "{label}：印的是“{actual}”，分成{cells}有多种可能：{expected}；无法确定，该行不参与核对"),
        Rule("published-cell-blank", Severity.WARNING, "表格单元格印为空白",
             "已发布年报的表格单元格为空白或印为“/”“—”；记为空白，不按 0 读取。",
             "{label}印为“{actual}”，记为空白"),
        Rule("published-format-mixed", Severity.WARNING, "表格使用了另一种格式",
             "已发布年报中某张表使用了另一种格式（如 2021 年度报告中的表二仍用 2019 年格式的标签）；该表的数字不参与核对。",
             "{label}使用的是{actual}格式的标签，而报告按{expected}格式读取；该表的数字不参与核对"),
    )
}


JSON_KEYS = ("code", "severity", "sheet", "cell", "message", "expected", "actual")


@dataclass(frozen=True)
class Finding:
    """One problem found, with where it is and the numbers involved."""

    code: str
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None
    expected: str | None = None
    actual: str | None = None

    @property
    def location(self) -> str:
        """A workbook cell as ``'sheet'!B7``; a published report's printed table and row/column as ``表 行（列）``."""
        if self.sheet is None:
            return ""
        if self.cell and not self.cell.isascii():
            return f"{self.sheet} {self.cell}"
        return f"'{self.sheet}'!{self.cell}" if self.cell else f"'{self.sheet}'"

    def __str__(self) -> str:
        prefix = f"{self.location}：" if self.location else ""
        return f"[{self.severity.label}] {prefix}{self.message}（{self.code}）"

    def as_dict(self) -> dict[str, str | None]:
        """The stable JSON shape: code, severity, sheet, cell, message, expected, actual."""
        values = asdict(self)
        return {key: None if values[key] is None else str(values[key]) for key in JSON_KEYS}


ENTERED, PRINTED = "填写为", "印为"  # how a message names the value found: typed in a workbook, printed in a report


def finding(code: str, *, sheet: str | None = None, cell: str | None = None, label: str = "",
            expected: object = None, actual: object = None, entered: str = ENTERED, **details: object) -> Finding:
    """A finding of ``code`` with its message rendered from the catalogue template (``details`` fill extra slots)."""
    rule = RULES[code]
    message = rule.template.format(label=label, expected=_text(expected), actual=_text(actual), entered=entered,
                                   **details)
    return Finding(code, rule.severity, message, sheet, cell, _text(expected) or None, _text(actual) or None)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def has_errors(findings: list[Finding]) -> bool:
    return any(item.severity is Severity.ERROR for item in findings)


def count_severity(findings: list[Finding], severity: Severity) -> int:
    return sum(1 for item in findings if item.severity is severity)
