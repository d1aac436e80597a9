"""Profiles: settings plus text templates, searched profile first and the built-in profile last."""

from __future__ import annotations

import re
import tomllib
import traceback
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError
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
        try:
            output = self.environment.get_template(name).render(context)
        except Exception as error:  # anything a template raises (ZeroDivisionError too) is the profile's fault
            raise ProfileError(describe_template_error(error, name, self.search_path)) from error
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


def template_environment(folders: tuple[Path, ...]) -> ImmutableSandboxedEnvironment:
    """Sandboxed (no Python internals, no changing the figures), strict (a misspelt name is an error)."""
    builtin = FileSystemLoader(str(builtin_profile_dir() / TEXT_DIR), encoding=ENCODING)
    search = FileSystemLoader([str(folder / TEXT_DIR) for folder in folders], encoding=ENCODING)
    # no HTML autoescape: the text goes into DOCX runs, which python-docx escapes and reportgen.document cleans
    return ImmutableSandboxedEnvironment(
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
    where = f"{file} 第 {line} 行" if line else str(file)
    return f"{where}：{reason}"


def unknown_name_reason(what: str) -> str:
    return f"渲染环境中没有{what}（是否拼错？可用变量见 CONTEXT.md）"


def _error_location(error: Exception, name: str, search_path: tuple[Path, ...]) -> tuple[str, int | None]:
    if isinstance(error, TemplateSyntaxError):
        return error.filename or name, error.lineno
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
    if isinstance(error, RecursionError):
        return f"模板引用了自身；要在内置模板的基础上修改，请写 {{% extends \"{BUILTIN_PREFIX}/模板名{TEMPLATE_SUFFIX}\" %}}"
    return f"模板渲染失败（{type(error).__name__}：{error}）"


def _undefined_name(message: str) -> str:
    if match := _MISSING_VARIABLE.match(message):
        return f"变量 {match.group(1)}"
    if match := _MISSING_ATTRIBUTE.search(message):
        return f"“{match.group(1)}”这一项"
    return f"所用的变量（{message}）"
