"""The package layout keeps the pipeline visible: one package per stage, no import circles, click only in the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reportgen"
STAGES = ("formats", "workbook", "checks", "profile", "document", "batch", "published", "web")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports, at any depth (function-level imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _ours(module: str) -> set[str]:
    """The reportgen modules ``module`` imports (``from reportgen import api`` names reportgen.api)."""
    return {name for name in MODULES[module] if name in MODULES and name != module and name != "reportgen"}


def test_the_top_level_holds_few_modules():
    top = sorted(path.name for path in PACKAGE.glob("*.py") if path.name != "__init__.py")
    assert len(top) <= 6, top


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_package_says_what_it_takes_and_gives(stage):
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and len(docstring) > 40


def test_no_module_imports_itself_through_others():
    graph = {module: _ours(module) for module in MODULES}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import circle: " + " → ".join([*path[path.index(module):], module]))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_only_the_cli_imports_click():
    users = sorted(module for module, imported in MODULES.items() if any(n.split(".")[0] == "click" for n in imported))
    assert users == ["reportgen.cli"]


def test_formats_import_nothing_of_ours_and_checks_never_workbook_or_document():
    for module in MODULES:
        ours = _ours(module)
        if module.startswith("reportgen.formats"):
            assert {name for name in ours if not name.startswith("reportgen.formats")} == set(), module
        if module.startswith("reportgen.checks"):
            assert not {name for name in ours
                        if name.startswith(("reportgen.workbook", "reportgen.document"))}, module
