"""Profiles: settings plus text templates, searched profile first and the built-in profile last."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportgen.exceptions import ProfileError
from reportgen.settings import StyleSettings

SETTINGS_FILE = "profile.toml"
TEXT_DIR = "text"


def builtin_profile_dir() -> Path:
    """The built-in profile: installed as package data, or templates/ of a source checkout run in place."""
    try:
        return Path(str(files("reportgen.templates")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


class ProfileSettings(BaseModel):
    """The settings file of a profile (profile.toml)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("默认", description="配置方案名称，记录在生成的填报工作簿中")
    description: str = Field("", description="配置方案说明")
    style: StyleSettings = Field(default_factory=StyleSettings, description="版式：字体、字号、页边距等")


@dataclass
class Profile:
    """A loaded profile: validated settings and a sandboxed template environment over the search path."""

    settings: ProfileSettings
    search_path: tuple[Path, ...]
    environment: SandboxedEnvironment

    @property
    def name(self) -> str:
        return self.settings.name

    def render_text(self, template: str, context: dict[str, object]) -> list[str]:
        """Render ``text/{template}.j2`` into paragraphs (separated by blank lines or line breaks)."""
        try:
            output = self.environment.get_template(f"{template}.j2").render(context)
        except TemplateError as error:
            raise ProfileError(f"模板 {template}.j2 渲染失败：{error}") from error
        return [line.strip() for line in output.splitlines() if line.strip()]


def load_profile(directory: Path | None = None) -> Profile:
    """The profile in ``directory`` layered over the built-in one (or the built-in one alone)."""
    builtin = builtin_profile_dir()
    folders = (Path(directory), builtin) if directory else (builtin,)
    settings = _load_settings(folders)
    loader = FileSystemLoader([str(folder / TEXT_DIR) for folder in folders])
    environment = SandboxedEnvironment(loader=loader, undefined=StrictUndefined, trim_blocks=True,
                                       lstrip_blocks=True, autoescape=False)
    return Profile(settings=settings, search_path=folders, environment=environment)


def _load_settings(folders: tuple[Path, ...]) -> ProfileSettings:
    merged: dict = {}
    for folder in reversed(folders):
        path = folder / SETTINGS_FILE
        if path.exists():
            _merge(merged, _read_toml(path))
    try:
        return ProfileSettings.model_validate(merged)
    except ValidationError as error:
        raise ProfileError(_settings_message(folders[0] / SETTINGS_FILE, error)) from error


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}：配置文件格式有误：{error}") from error


def _merge(base: dict, override: dict) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _settings_message(path: Path, error: ValidationError) -> str:
    lines = [f"{path}：配置有误"]
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"])
        reason = "不认识的配置项" if problem["type"] == "extra_forbidden" else problem["msg"]
        lines.append(f"  {key}：{reason}")
    return "\n".join(lines)
