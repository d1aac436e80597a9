"""Profiles: settings plus text templates, searched profile first and the built-in profile last."""

from __future__ import annotations

import os
import re
import stat
import time
import tomllib
import traceback
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import ValidationError

from reportgen.exceptions import ProfileError
from reportgen.model import Paragraph
from reportgen.profile.settings import ProfileSettings, dotted_key, settings_error_message

SETTINGS_FILE = "profile.toml"
TEXT_DIR = "text"
TEMPLATE_SUFFIX = ".j2"
ENCODING = "utf-8-sig"  # Windows Notepad saves UTF-8 with a byte-order mark
# "builtin/intro.j2" always names the built-in intro, so a profile's intro.j2 can extend it
BUILTIN_PREFIX = "builtin"
NOT_UTF8 = "不是 UTF-8 编码的文本文件，请用记事本等另存为 UTF-8 编码"
# A template renders a few sentences; these bounds stop a runaway one (nested range(100000) loops) in seconds.
MAX_TEMPLATE_BYTES = 256 * 1024
MAX_LOOP_STEPS = 1_000_000  # loop iterations per rendered text, all loops together
MAX_RENDER_SECONDS = 10.0
MAX_OUTPUT_CHARS = 1_000_000
MAX_POWER_EXPONENT = 64
_UNSAFE_ATTRIBUTE = re.compile(r"attribute '([^']+)'")
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '(.+)'$")
_MISSING_VARIABLE = re.compile(r"^'(.+)' is undefined$")


def builtin_profile_dir() -> Path:
    """The built-in profile: installed as package data, or templates/ of a source checkout run in place."""
    try:
        return Path(str(files("reportgen.templates")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


def builtin_template_names() -> list[str]:
    """The templates the renderer asks for, by name without ``.j2``."""
    return sorted(path.stem for path in (builtin_profile_dir() / TEXT_DIR).glob(f"*{TEMPLATE_SUFFIX}"))


@dataclass
class Profile:
    """A loaded profile: validated settings and a sandboxed template environment over the search path."""

    settings: ProfileSettings
    search_path: tuple[Path, ...]
    environment: ImmutableSandboxedEnvironment

    @property
    def name(self) -> str:
        return self.settings.name

    def render_text(self, template: str, context: dict[str, object]) -> list[str]:
        """Render ``text/{template}.j2`` into paragraphs, one per non-blank line."""
        name = template + TEMPLATE_SUFFIX
        budget = _active_budget.set(RenderBudget())
        try:
            output = _bounded_output(self.environment.get_template(name).generate(context))
        except Exception as error:  # anything a template raises (ZeroDivisionError too) is the profile's fault
            raise ProfileError(describe_template_error(error, name, self.search_path)) from error
        finally:
            _active_budget.reset(budget)
        return [line.strip() for line in output.splitlines() if line.strip()]

    def extra_paragraphs(self, section: int, context: dict[str, object]) -> list[Paragraph]:
        """The profile's [[extra]] texts for this section; the heading goes on each text's first paragraph."""
        paragraphs: list[Paragraph] = []
        for extra in self.settings.extras_for(section):
            texts = self.render_text(extra.template, context)
            if texts:
                paragraphs.append(Paragraph(heading=extra.heading, text=texts[0]))
                paragraphs.extend(Paragraph(text=text) for text in texts[1:])
        return paragraphs


class TemplateRefused(Exception):
    """Raised for a template file that must not be read: outside the profile folder (through a symbolic link),
    not a regular file, or too large. ``str(error)`` is the Chinese reason naming the file."""


class TemplateBudgetExceeded(Exception):
    """Raised while rendering a template that loops, runs or writes far beyond what a report text needs."""


class RenderBudget:
    """The loop steps and time one rendered text may use."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_RENDER_SECONDS

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_LOOP_STEPS:
            raise TemplateBudgetExceeded(f"循环次数超过 {MAX_LOOP_STEPS:,} 次（是否有嵌套的大循环？）")
        if self.steps % 1024 == 0 and time.monotonic() > self.deadline:
            raise TemplateBudgetExceeded(f"渲染时间超过 {MAX_RENDER_SECONDS:g} 秒")


_active_budget: ContextVar[RenderBudget | None] = ContextVar("reportgen_render_budget", default=None)


def _bounded_output(chunks: Iterable[str]) -> str:
    output: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateBudgetExceeded(f"输出超过 {MAX_OUTPUT_CHARS:,} 个字符")
        output.append(chunk)
    return "".join(output)


class ProfileFileLoader(FileSystemLoader):
    """Templates read only from regular files inside their folder: a symbolic link to /etc/passwd is refused."""

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = os.path.join(folder, *pieces)
            if os.path.lexists(candidate):
                _refuse_unsafe_file(candidate, folder)
                break
        return super().get_source(environment, template)


def _refuse_unsafe_file(path: str, folder: str) -> None:
    real = os.path.realpath(path)
    if os.path.commonpath([real, os.path.realpath(folder)]) != os.path.realpath(folder):
        raise TemplateRefused(f"{path}：模板文件是指向配置方案文件夹以外（{real}）的符号链接，已拒绝读取；"
                              "请把模板内容复制到该文件中")
    try:
        info = os.stat(real)
    except OSError as error:
        raise TemplateRefused(f"{path}：无法读取模板文件（{error.strerror or error}）") from error
    if not stat.S_ISREG(info.st_mode):
        raise TemplateRefused(f"{path}：不是普通文件（而是命名管道、设备等），已拒绝读取")
    if info.st_size > MAX_TEMPLATE_BYTES:
        raise TemplateRefused(f"{path}：模板文件过大（超过 {MAX_TEMPLATE_BYTES // 1024} KB），已拒绝读取")


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with bounds on loops, time and big products (``"x" * 10**9``, ``9 ** 9 ** 9``)."""

    intercepted_binops = frozenset({"*", "**"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):  # every {% for %} steps through budgeted()
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("budgeted"), [loop.iter], [], None, None,
                                   lineno=loop.lineno)
        return tree

    def budgeted(self, iterable) -> Iterator:
        budget = _active_budget.get() or RenderBudget()
        for item in iterable:
            budget.step()
            yield item

    def call_binop(self, context, operator: str, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER_EXPONENT:
            raise TemplateBudgetExceeded(f"乘方的指数超过 {MAX_POWER_EXPONENT}")
        if operator == "*" and _repeated_length(left, right) > MAX_OUTPUT_CHARS:
            raise TemplateBudgetExceeded(f"重复生成的文字或列表超过 {MAX_OUTPUT_CHARS:,} 项")
        return super().call_binop(context, operator, left, right)


def _repeated_length(left, right) -> int:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            return len(sequence) * count
    return 0


def load_profile(directory: Path | None = None) -> Profile:
    """The profile in ``directory`` layered over the built-in one (or the built-in one alone)."""
    builtin = builtin_profile_dir()
    folders = (Path(directory), builtin) if directory else (builtin,)
    settings = read_settings(folders)
    environment = template_environment(folders)
    missing = missing_extra_templates(settings, environment, folders[0] / SETTINGS_FILE)
    if missing:
        raise ProfileError("\n".join(missing))
    return Profile(settings=settings, search_path=folders, environment=environment)


def template_environment(folders: tuple[Path, ...]) -> BudgetedSandbox:
    """Sandboxed (no Python internals, no changing the figures, bounded work), strict (a misspelt name is an
    error), reading only regular files inside each text/ folder."""
    builtin = ProfileFileLoader(str(builtin_profile_dir() / TEXT_DIR), encoding=ENCODING)
    search = ProfileFileLoader([str(folder / TEXT_DIR) for folder in folders], encoding=ENCODING)
    # no HTML autoescape: the text goes into DOCX runs, which python-docx escapes and reportgen.document cleans
    return BudgetedSandbox(
        loader=ChoiceLoader([PrefixLoader({BUILTIN_PREFIX: builtin}), search]),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False,
    )


def missing_extra_templates(settings: ProfileSettings, environment, settings_file: Path) -> list[str]:
    known = set(environment.list_templates())
    return [
        f"{settings_file}：{dotted_key(('extra', index, 'template'))}：找不到模板文件 {TEXT_DIR}/{extra.template}{TEMPLATE_SUFFIX}"
        for index, extra in enumerate(settings.extra)
        if extra.template + TEMPLATE_SUFFIX not in known
    ]


def read_settings(folders: tuple[Path, ...]) -> ProfileSettings:
    """The built-in settings overlaid with the profile's own profile.toml, validated."""
    own = folders[0] / SETTINGS_FILE
    if not own.is_file():
        raise ProfileError(f"{folders[0]}：不是配置方案文件夹（缺少 {SETTINGS_FILE}）；可用 reportgen profile init 生成一个")
    merged: dict = {}
    for folder in reversed(folders):
        _merge(merged, _read_toml(folder / SETTINGS_FILE))
    try:
        return ProfileSettings.model_validate(merged)
    except ValidationError as error:
        raise ProfileError(settings_error_message(own, error)) from error


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding=ENCODING))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}：配置文件格式有误：{error}") from error


def _merge(base: dict, override: dict) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def describe_template_error(error: Exception, name: str, search_path: tuple[Path, ...]) -> str:
    """``file 第 N 行：why`` for an error raised while loading or rendering template ``name``."""
    return template_message(*_error_location(error, name, search_path), _template_reason(error))


def template_message(file: object, line: int | None, reason: str) -> str:
    if not file:
        return reason
    where = f"{file} 第 {line} 行" if line else str(file)
    return f"{where}：{reason}"


def unknown_name_reason(what: str) -> str:
    return f"渲染环境中没有{what}（是否拼错？可用变量见 CONTEXT.md）"


def _error_location(error: Exception, name: str, search_path: tuple[Path, ...]) -> tuple[str, int | None]:
    if isinstance(error, TemplateSyntaxError):
        return error.filename or name, error.lineno
    if isinstance(error, TemplateRefused):
        return "", None
    # Jinja rewrites the traceback so that template frames carry the template's file and line
    folders = [folder / TEXT_DIR for folder in search_path]
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if any(Path(frame.filename).is_relative_to(folder) for folder in folders)]
    if frames:
        return frames[-1].filename, frames[-1].lineno
    return f"{TEXT_DIR}/{name}", None


def _template_reason(error: Exception) -> str:
    if isinstance(error, TemplateSyntaxError):
        return f"模板语法错误：{error.message}"
    if isinstance(error, TemplateNotFound):
        return f"找不到模板 {error.name}（配置方案的模板放在 {TEXT_DIR}/ 文件夹中；内置模板写作 {BUILTIN_PREFIX}/模板名{TEMPLATE_SUFFIX}）"
    if isinstance(error, SecurityError) and (match := _UNSAFE_ATTRIBUTE.search(str(error))):
        return (f"模板试图访问 {match.group(1)}，已被安全沙箱拒绝："
                "模板不能访问 Python 内部对象，也不能修改报告数据")
    if isinstance(error, UndefinedError):
        return unknown_name_reason(_undefined_name(str(error)))
    if isinstance(error, UnicodeDecodeError):
        return NOT_UTF8
    if isinstance(error, TemplateRefused):
        return str(error)
    if isinstance(error, TemplateBudgetExceeded):
        return f"模板运行超出限制：{error}，已停止"
    if isinstance(error, RecursionError):
        return f"模板引用了自身；要在内置模板的基础上修改，请写 {{% extends \"{BUILTIN_PREFIX}/模板名{TEMPLATE_SUFFIX}\" %}}"
    return f"模板渲染失败（{type(error).__name__}：{error}）"


def _undefined_name(message: str) -> str:
    if match := _MISSING_VARIABLE.match(message):
        return f"变量 {match.group(1)}"
    if match := _MISSING_ATTRIBUTE.search(message):
        return f"“{match.group(1)}”这一项"
    return f"所用的变量（{message}）"
