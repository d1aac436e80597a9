"""Start-up cost: each command imports only what it uses (python-docx, jinja2, openpyxl's styles are slow)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from openpyxl.utils import get_column_letter

from reportgen.workbook.sheets import column_letter
from tests.seeds import sample_path

# runs the command line in a fresh interpreter and prints the modules it imported
PROBE = """
import runpy, sys
sys.argv = ["reportgen", *sys.argv[1:]]
try:
    runpy.run_module("reportgen", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def imported_modules(*arguments: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def imported(modules: set[str], *packages: str) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in packages or name.startswith(packages))


@pytest.mark.parametrize("arguments", [("--version",), ("--help",), ("template", "--help")])
def test_version_and_help_build_nothing(arguments):
    modules = imported_modules(*arguments)
    assert "reportgen.cli" in modules
    slow = ("docx", "jinja2", "openpyxl", "reportgen.api", "reportgen.checks")
    expected = ["reportgen.formats"] if arguments[0] == "template" else []  # --format lists the formats' ids
    assert imported(modules, *slow) == [] and imported(modules, "reportgen.formats")[:1] == expected


def test_check_loads_neither_rendering_nor_the_workbook_writer():
    modules = imported_modules("check", str(sample_path("003")))
    assert "reportgen.workbook.reader" in modules
    assert imported(modules, "docx", "jinja2", "reportgen.document", "reportgen.profile",
                    "reportgen.workbook.writer", "reportgen.workbook.cellstyle") == []


def test_column_letters_are_openpyxls():
    assert [column_letter(col) for col in range(1, 18279)] == [get_column_letter(col) for col in range(1, 18279)]
