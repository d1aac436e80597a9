"""Data exchange: a report as JSON (figures and texts), read back with the same cell rules as a workbook."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from reportgen.atomic import OutputKind, write_atomically
from reportgen.checks.figures import CONTROL_CHARACTERS, Problem, parse_figure
from reportgen.checks.findings import finding
from reportgen.exceptions import InputError
from reportgen.formats import FORMATS, Field, ReportFormat, get_format
from reportgen.formats.schema import Number
from reportgen.model import ReadResult, Report
from reportgen.workbook.reader import blank_inputs

FIGURE_SECTIONS = ("figures", "entered_totals")  # a key of either lands where its cell kind says
MAX_JSON_BYTES = 16 * 1024 * 1024  # an exported report is a few KB
SCHEMA_TITLE = "reportgen 政府信息公开工作年度报告数据"
_PYDANTIC_PROBLEMS = {
    "missing": "缺少该项",
    "extra_forbidden": "不认识的项",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "string_type": "应为文本",
    "date_type": "应为日期，如 2021-01-19",
    "date_parsing": "应为日期，如 2021-01-19",
    "date_from_datetime_parsing": "应为日期，如 2021-01-19",
    "dict_type": "应为对象（{...}）",
    "list_type": "应为列表（[...]）",
    "model_type": "应为对象（{...}）",
}
_BOUND_PROBLEMS = {"greater_than_equal": "应不小于 {ge}", "less_than_equal": "应不大于 {le}"}


def export_json(report: Report) -> str:
    """The report as indented UTF-8 JSON, cells in the order of the format's tables."""
    data = report.model_dump(mode="json")
    order = {field.key: index for index, field in enumerate(report.format.fields())}
    for section in (*FIGURE_SECTIONS, "units"):
        data[section] = dict(sorted(data[section].items(), key=lambda item: order[item[0]]))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(report: Report, path: Path) -> None:
    write_atomically(path, lambda temp: Path(temp).write_text(export_json(report), encoding="utf-8"))


def _is_exported_json(path: Path) -> bool:
    """Whether ``path`` looks like a data file reportgen exported (an object with info.format_id)."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return False
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("info"), dict) and "format_id" in data["info"]


JSON_OUTPUT = OutputKind("JSON 数据文件", ".json", _is_exported_json)


def json_schema() -> dict:
    """JSON Schema of the exchange file, generated from the Report model."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **Report.model_json_schema(),
            "title": SCHEMA_TITLE}


def read_json(path: Path) -> ReadResult:
    """Read an exchange file; raises InputError only when it is not a usable JSON report at all."""
    path = Path(path)
    data = _load(path)
    _refuse_control_characters(path, data)
    raw = {section: data.pop(section, {}) for section in FIGURE_SECTIONS}
    report = _validate(path, data)
    fmt = get_format(report.info.format_id)
    result = ReadResult(report=None)
    figures, entered = _read_figures(path, fmt, raw, result)
    _check_units(fmt, report.units, result)
    result.report = report.model_copy(update={"figures": figures, "entered_totals": entered})
    return result


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise InputError(f"{path}：文件过大（超过 {MAX_JSON_BYTES // 1024 // 1024} MB），不是 reportgen export 导出的数据文件")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise InputError(f"{path}：文件不存在") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}：无法读取（应为 UTF-8 编码的 JSON 文件）") from error
    except json.JSONDecodeError as error:
        raise InputError(f"{path}：不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）") from error
    except RecursionError as error:
        raise InputError(f"{path}：JSON 嵌套层数过多，不是 reportgen export 导出的数据文件") from error
    except ValueError as error:  # an integer of more than 4300 digits
        raise InputError(f"{path}：JSON 中有位数过多的数字（超过 4300 位），不是有效的数据") from error
    if not isinstance(data, dict):
        raise InputError(f"{path}：JSON 的最外层应为对象（{{...}}），请用 reportgen export 导出的格式")
    return data


def _refuse_control_characters(path: Path, data: dict) -> None:
    """A text with a control character (BEL, ESC...) cannot go into a workbook or DOCX: name where it is."""
    for where, text in _texts(data):
        if match := CONTROL_CHARACTERS.search(text):
            raise InputError(f"{path}：{where} 含有不可见的控制字符 U+{ord(match.group()):04X}，请删除后重试")


def _texts(data: dict):
    """(dotted path, text) of every string in ``data``, keys included; iterative, as JSON may nest deep."""
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield where or "（最外层）", value
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{where}.{key}" if where else str(key)
                stack.append((child, key))
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))


def _validate(path: Path, data: dict) -> Report:
    try:
        report = Report.model_validate(data)
    except ValidationError as error:
        lines = [f"{path}：数据文件结构有误（格式见 reportgen schema）："]
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"])
            lines.append(f"  {where}：{_problem_text(problem)}")
        raise InputError("\n".join(lines)) from error
    if report.info.format_id not in FORMATS:
        raise InputError(f"{path}：info.format_id 为“{report.info.format_id}”，应为 {' 或 '.join(FORMATS)}")
    return report


def _problem_text(problem: dict) -> str:
    context = problem.get("ctx", {})
    if problem["type"] == "value_error":  # our own validators' messages are Chinese already
        return str(context.get("error", "取值无效"))
    if problem["type"] in _BOUND_PROBLEMS:
        return _BOUND_PROBLEMS[problem["type"]].format(**context)
    return _PYDANTIC_PROBLEMS.get(problem["type"], "取值无效")


def _read_figures(path: Path, fmt: ReportFormat, raw: dict, result: ReadResult):
    figures: dict[str, Number] = {}
    entered: dict[str, Number] = {}
    for section, cells in raw.items():
        if not isinstance(cells, dict):
            raise InputError(f"{path}：{section} 应为对象，键为“表.行.列”，如 {{\"t3.new.natural\": 3}}")
        for key, value in cells.items():
            _read_figure(fmt, section, key, value, result, figures, entered)
    missing = [(field.key, field.label) for field in fmt.input_fields() if field.key not in result.locations]
    if missing:
        result.findings.append(blank_inputs("figures", missing))
    return figures, entered


def _read_figure(fmt: ReportFormat, section: str, key: str, raw: object, result: ReadResult, figures, entered):
    field = _field(fmt, key)
    if field is None:
        result.findings.append(finding("data-unknown-cell", sheet=section, cell=key, actual=key, expected=fmt.id))
        return
    result.locations[key] = (section, key)
    value = parse_figure(raw, field)
    if isinstance(value, Problem):
        result.findings.append(value.finding(sheet=section, cell=key, label=field.label))
    elif value is not None:
        (figures if field.is_input else entered)[key] = value


def _check_units(fmt: ReportFormat, units: dict[str, str], result: ReadResult) -> None:
    for key, unit in units.items():
        field = _field(fmt, key)
        if field is None or not field.column.units:
            result.findings.append(finding("data-unknown-cell", sheet="units", cell=key, actual=key, expected=fmt.id))
        elif unit not in field.column.units:
            result.findings.append(finding("amount-unit-invalid", sheet="units", cell=key, label=field.label,
                                           actual=unit, expected=" 或 ".join(field.column.units)))


def _field(fmt: ReportFormat, key: str) -> Field | None:
    try:
        return fmt.field(key)
    except KeyError:
        return None
