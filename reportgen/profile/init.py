"""`reportgen profile init`: copy the built-in profile out with every setting commented, and the render-context doc."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

from jinja2 import nodes
from pydantic import BaseModel

from reportgen.atomic import write_atomically
from reportgen.document.context import CONTEXT_VARIABLES, Stats
from reportgen.exceptions import OutputError
from reportgen.formats import FORMATS, ReportFormat
from reportgen.formats.schema import Block
from reportgen.profile.settings import ExtraText, ProfileSettings
from reportgen.profile.templates import (
    SETTINGS_FILE,
    TEMPLATE_SUFFIX,
    TEXT_DIR,
    builtin_profile_dir,
    builtin_template_names,
    template_environment,
)

CONTEXT_DOC = "CONTEXT.md"
GUIDE = "README.md"
SETTINGS_HEADER = """\
# 配置方案设置文件（TOML 格式），由 reportgen profile init 生成。
# 下面列出了全部设置及其内置取值，每项上方的注释说明其含义；修改需要的项即可，删去的项沿用内置取值。
# 报告标题的格式见 text/title.j2，落款日期的格式见 text/date.j2，其他生成的文字见 text/ 中的各个模板；
# 模板可用的变量见 CONTEXT.md，编写方法见 README.md。
# 报告的六个部分和法定表格由国家规定的报告格式决定，配置方案不能修改。
# 修改后请先运行 reportgen profile check 本文件夹，检查无误后再发给各单位。
"""
# commented-out samples for settings whose built-in value is empty
_SAMPLES: dict[str, BaseModel] = {
    "extra": ExtraText(section=6, heading="人大代表建议和政协提案办理结果公开情况", template="npc_cppcc"),
}
_SAMPLE_NOTE = "# 示例（去掉行首的 # 即可启用，并在 text/ 中新建对应的模板文件，如 text/npc_cppcc.j2）："
_COMMENT = re.compile(r"\{#(.*?)#\}", re.DOTALL)


def init_profile(directory: Path) -> list[Path]:
    """Write a new profile folder: commented profile.toml, the built-in templates, the guide and context doc."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise OutputError(f"{directory} 已存在且不是空文件夹；为免覆盖已有的配置方案，请指定一个新的文件夹")
    (directory / TEXT_DIR).mkdir(parents=True, exist_ok=True)
    builtin = builtin_profile_dir()
    contents = {SETTINGS_FILE: settings_toml(ProfileSettings(name=directory.resolve().name))}
    for relative in (GUIDE, CONTEXT_DOC, *(f"{TEXT_DIR}/{name}{TEMPLATE_SUFFIX}" for name in builtin_template_names())):
        contents[relative] = (builtin / relative).read_text(encoding="utf-8")
    for relative, text in contents.items():
        write_atomically(directory / relative, lambda temp, text=text: Path(temp).write_text(text, encoding="utf-8"))
    return [directory / relative for relative in contents]


def settings_toml(settings: ProfileSettings) -> str:
    """The settings as TOML, each key under a comment with its description (from the pydantic fields)."""
    return SETTINGS_HEADER + "\n" + "\n".join(_table_lines(settings, "")) + "\n"


def _table_lines(model: BaseModel, path: str) -> list[str]:
    """Scalars first, then sub-tables: TOML puts every key of a table before its first sub-table."""
    lines: list[str] = []
    tables: list[str] = []
    for name, field in type(model).model_fields.items():
        value, key = getattr(model, name), f"{path}.{name}" if path else name
        comment = f"# {field.description}"
        if isinstance(value, BaseModel):
            tables += ["", comment, f"[{key}]", *_table_lines(value, key)]
        elif isinstance(value, dict):
            tables += ["", comment, f"[{key}]", *(f"{item} = {_literal(entry)}" for item, entry in value.items())]
        elif name in _SAMPLES and not value:
            tables += ["", comment, _SAMPLE_NOTE, *_sample_lines(key, _SAMPLES[name])]
        elif value is None:
            lines += [comment, f'# {name} = ""']
        else:
            lines += [comment, f"{name} = {_literal(value)}"]
    return lines + tables


def _sample_lines(key: str, sample: BaseModel) -> list[str]:
    lines = [f"# [[{key}]]"]
    for name, field in type(sample).model_fields.items():
        lines.append(f"# {name} = {_literal(getattr(sample, name))}    # {field.description}")
    return lines


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[\n" + "".join(f"  {_literal(item)},\n" for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    return repr(value)


def context_markdown() -> str:
    """The render context and the built-in templates, for profile authors (templates/CONTEXT.md)."""
    lines = [
        "# 模板可用的变量和内置模板",
        "",
        "本文件由 reportgen 根据渲染环境的定义（reportgen/document/context.py）、报告格式定义和内置模板自动生成，"
        "请勿手工修改；运行 `python -m reportgen.profile.init` 重新生成。",
        "",
        "## 变量",
        "",
        "| 变量 | 说明 |",
        "| --- | --- |",
        *(f"| `{name}` | {text} |" for name, text in CONTEXT_VARIABLES.items()),
        "",
        "`stats` 的键：" + "、".join(f"`stats.{field.name}`" for field in fields(Stats)) + "。",
        "",
        *_template_lines(),
        *_figure_lines(),
    ]
    return "\n".join(lines) + "\n"


def _template_lines() -> list[str]:
    environment = template_environment((builtin_profile_dir(),))
    lines = ["## 内置模板", "", "| 模板 | 用途 | 可单独覆盖的块 |", "| --- | --- | --- |"]
    for name in builtin_template_names():
        source = environment.loader.get_source(environment, name + TEMPLATE_SUFFIX)[0]
        comment = _COMMENT.search(source)
        purpose = _first_sentence(comment.group(1)) if comment else ""
        blocks = "、".join(block.name for block in environment.parse(source).find_all(nodes.Block)) or "—"
        lines.append(f"| `{TEXT_DIR}/{name}{TEMPLATE_SUFFIX}` | {purpose} | {blocks} |")
    return [*lines, ""]


def _first_sentence(comment: str) -> str:
    text = "".join(line.strip() for line in comment.splitlines())
    return text[: text.find("。") + 1] or text


def _figure_lines() -> list[str]:
    lines = [
        "## `figures` 的键",
        "",
        "键的格式为 `表.行.列`，行和列须属于同一区块，如 `figures['t3.new.total']`；"
        "合计单元格也可使用，其值按公式重新计算。两种报告格式的表格不同，模板使用的键须在所用格式中存在。",
    ]
    for fmt in FORMATS.values():
        lines += ["", f"### {fmt.id} 格式（{fmt.document}，{_years(fmt)}）"]
        for table in fmt.tables:
            for block in table.blocks:
                lines += ["", f"#### `{table.key}` {table.sheet}" + (f" {block.caption}" if block.caption else ""), ""]
                lines += _block_lines(block)
    return lines


def _block_lines(block: Block) -> list[str]:
    rows = "；".join(f"`{row.key}` {' / '.join(row.path) or '（仅一行）'}" for row in block.rows)
    columns = "；".join(f"`{column.key}` {' / '.join(column.path)}" for column in block.columns)
    return [f"- 行：{rows}", f"- 列：{columns}"]


def _years(fmt: ReportFormat) -> str:
    first, last = fmt.years
    return f"适用于 {first}—{last} 年度报告" if last else f"适用于 {first} 年度起的报告"


if __name__ == "__main__":
    target = builtin_profile_dir() / CONTEXT_DOC
    target.write_text(context_markdown(), encoding="utf-8")
    print(target)
