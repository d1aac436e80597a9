"""The rule catalogue for `reportgen rules` and docs/rules.md, generated from findings.RULES."""

from __future__ import annotations

from reportgen.checks.findings import JSON_KEYS, RULES, Severity

EXIT_CODES = (
    (0, "没有错误（使用 --strict 时也没有警告）"),
    (1, "发现错误（使用 --strict 时，警告也算）"),
    (2, "命令用法有误（如缺少参数、选项拼错）"),
    (3, "无法读取输入文件，或无法写出输出文件"),
)

SEVERITY_MEANINGS = {
    Severity.ERROR: "必须改正，否则不生成报告",
    Severity.WARNING: "多半有误，请核实；不影响生成报告（--strict 时视为错误）",
    Severity.INFO: "提示，无需处理",
}


def rule_entries() -> list[dict[str, str]]:
    """One entry per finding code, in catalogue order: code, severity, title, description, message."""
    return [
        {"code": rule.code, "severity": rule.severity.value, "title": rule.title,
         "description": rule.description, "message": rule.template}
        for rule in RULES.values()
    ]


def catalogue_text() -> str:
    """The catalogue as `reportgen rules` prints it on a terminal."""
    lines = []
    for rule in RULES.values():
        lines.append(f"{rule.code}  [{rule.severity.label}] {rule.title}")
        lines.append(f"    {rule.description}")
    return "\n".join(lines)


def catalogue_markdown() -> str:
    """docs/rules.md: the codes, what the severities and exit codes mean, and the JSON shape."""
    parts = [
        "# 校验规则一览",
        "",
        "本文件由 `reportgen rules --markdown` 生成，请勿手工修改（测试会检查它与代码一致）。",
        "",
        "`reportgen check 工作簿.xlsx` 列出发现的问题，每条都有固定的规则代码，并写明工作表、单元格、"
        "填写的数值和应有的数值。`--previous 上年度.xlsx` 同时比较上年度的结转数；`--strict` 把警告视为错误；"
        "`--json` 以 JSON 输出，便于其他系统读取。`reportgen rules` 在终端列出下表。",
        "",
        "## 级别",
        "",
        "| 级别 | 含义 |",
        "|---|---|",
        *(f"| {severity.label}（`{severity.value}`） | {meaning} |" for severity, meaning in SEVERITY_MEANINGS.items()),
        "",
        "## 规则",
        "",
        "| 代码 | 级别 | 名称 | 说明 |",
        "|---|---|---|---|",
        *(f"| `{rule.code}` | {rule.severity.label} | {rule.title} | {_cell(rule.description)} |"
          for rule in RULES.values()),
        "",
        "## 退出码",
        "",
        "| 退出码 | 含义 |",
        "|---|---|",
        *(f"| {code} | {meaning} |" for code, meaning in EXIT_CODES),
        "",
        "## JSON 输出",
        "",
        "`reportgen check --json` 输出一个对象：`file`（文件路径）、`readable`（能否读取）、"
        "`counts`（`error`、`warning`、`info` 各有几条）和 `findings`（问题列表）。每条问题的键固定为："
        + "、".join(f"`{key}`" for key in JSON_KEYS)
        + "；`severity` 取 `error`、`warning` 或 `info`，没有的项为 `null`。",
        "",
    ]
    return "\n".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
