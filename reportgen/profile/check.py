"""`reportgen profile check`: lint a profile's settings and templates, then build sample reports with it."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path

import docx
from jinja2 import meta, nodes
from jinja2.exceptions import TemplateSyntaxError

from reportgen.document.context import CONTEXT_VARIABLES, Stats
from reportgen.document.render import render_report
from reportgen.exceptions import InputError, ProfileError
from reportgen.formats import FORMATS
from reportgen.model import Paragraph, Report, ReportInfo
from reportgen.profile.templates import (
    NOT_UTF8,
    SETTINGS_FILE,
    TEMPLATE_SUFFIX,
    TEXT_DIR,
    Profile,
    TemplateRefused,
    builtin_profile_dir,
    builtin_template_names,
    describe_template_error,
    missing_extra_templates,
    read_settings,
    template_environment,
    template_message,
    unknown_name_reason,
)
from reportgen.workbook.reader import read_workbook

# The keys of the context's dictionaries, so that a misspelt one is found even in a branch no sample reaches.
CONTEXT_KEYS = {
    "stats": frozenset(field.name for field in fields(Stats)),
    "figures": frozenset(field.key for fmt in FORMATS.values() for field in fmt.fields()),
}
SAMPLE_AGENCY = "示例市示例局"


def check_profile(directory: Path, samples: Iterable[Path] = ()) -> list[str]:
    """Every problem of the profile in ``directory``, each a message naming its file (and line)."""
    directory = Path(directory)
    folders = (directory, builtin_profile_dir())
    environment = template_environment(folders)
    try:
        settings = read_settings(folders)
    except ProfileError as error:
        return [str(error), *lint_templates(directory, environment, extras=())]
    missing = missing_extra_templates(settings, environment, directory / SETTINGS_FILE)
    problems = missing + lint_templates(directory, environment, [extra.template for extra in settings.extra])
    if problems:  # a build would only repeat them
        return problems
    return smoke_build(Profile(settings=settings, search_path=folders, environment=environment), samples)


def lint_templates(directory: Path, environment, extras: Iterable[str]) -> list[str]:
    """Syntax, unknown variables and keys, and files no one will use, in the profile's text/ folder."""
    text_dir = directory / TEXT_DIR
    paths = sorted(path for path in text_dir.rglob("*") if path.is_file() and not path.name.startswith("."))
    used = {name + TEMPLATE_SUFFIX for name in (*builtin_template_names(), *extras)}
    problems: list[str] = []
    for path in paths:
        name = path.relative_to(text_dir).as_posix()
        try:
            source, filename, _ = environment.loader.get_source(environment, name)
            tree = environment.parse(source, name, filename)
        except UnicodeDecodeError:
            problems.append(f"{path}：{NOT_UTF8}")
            continue
        except TemplateRefused as error:
            problems.append(str(error))
            continue
        except TemplateSyntaxError as error:
            problems.append(describe_template_error(error, name, ()))
            continue
        problems += [template_message(filename, line, reason) for line, reason in _unknown_names(tree, environment)]
        used.update(meta.find_referenced_templates(tree))
    problems += [
        f"{path}：不会被使用：它不是内置模板的名字（见 CONTEXT.md），也没有被 [[extra]] 或其他模板引用"
        for path in paths if path.relative_to(text_dir).as_posix() not in used
    ]
    return problems


def _unknown_names(tree: nodes.Template, environment) -> Iterator[tuple[int, str]]:
    known = set(CONTEXT_VARIABLES) | set(environment.globals)
    for name in sorted(meta.find_undeclared_variables(tree) - known):
        line = next(node.lineno for node in tree.find_all(nodes.Name) if node.name == name)
        yield line, unknown_name_reason(f"变量 {name}")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        key = _looked_up_key(node)
        if key is not None:
            yield node.lineno, unknown_name_reason(f"“{node.node.name}.{key}”这一项")


def _looked_up_key(node: nodes.Getattr | nodes.Getitem) -> str | None:
    """The key of ``stats.x`` / ``figures['x']`` when the context has no such key (dict methods aside)."""
    if not (isinstance(node.node, nodes.Name) and node.node.name in CONTEXT_KEYS):
        return None
    key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
    if not isinstance(key, str) or key in CONTEXT_KEYS[node.node.name] or hasattr(dict, key):
        return None
    return key


def smoke_build(profile: Profile, samples: Iterable[Path]) -> list[str]:
    """Build a DOCX with the profile from each sample report; each error once, with the first sample showing it."""
    problems: list[str] = []
    seen: set[str] = set()
    with tempfile.TemporaryDirectory() as temp:
        output = Path(temp) / "示例报告.docx"
        for label, report in [*sample_reports(), *_workbook_samples(samples, problems)]:
            try:
                render_report(report, profile, output)
                docx.Document(str(output))
            except ProfileError as error:
                if str(error) not in seen:
                    seen.add(str(error))
                    problems.append(f"{error}（用{label}试生成报告时）")
    return problems


def sample_reports() -> Iterator[tuple[str, Report]]:
    """For each format, a report with nothing to say and one with something everywhere: both branches of a template."""
    for fmt in FORMATS.values():
        year = fmt.years[0]
        quiet = ReportInfo(agency=SAMPLE_AGENCY, year=year, format_id=fmt.id)
        yield f"{fmt.id} 格式示例（数字均为 0，选填信息未填写）", Report(info=quiet)
        full = quiet.model_copy(update={
            "report_date": dt.date(year + 1, 1, 20), "publish_where": "本机关门户网站",
            "contact_address": "示例市示例路 1 号", "contact_phone": "0000-00000000",
        })
        narrative = {section.key: [Paragraph(heading="示例小标题", text="示例段落。")]
                     for section in fmt.narrative_sections()}
        figures = {field.key: 1 for field in fmt.input_fields()}
        yield f"{fmt.id} 格式示例（数字均不为 0，各项信息齐全）", Report(info=full, figures=figures, narrative=narrative)


def _workbook_samples(paths: Iterable[Path], problems: list[str]) -> Iterator[tuple[str, Report]]:
    for path in paths:
        try:
            report = read_workbook(path).report
        except InputError as error:
            problems.append(str(error))
            continue
        if report is None:
            problems.append(f"{path}：缺少“基本信息”工作表，不能用来试生成报告")
        else:
            yield f"示例工作簿 {Path(path).name}", report
