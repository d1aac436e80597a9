"""Shared fixtures: the sample workbooks, a way to edit one cell by figure key, a blank report document."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from reportgen.document.blank import new_document
from reportgen.formats import get_format
from reportgen.profile.style import StyleSettings
from reportgen.workbook.sheets import table_sheets
from tests.seeds import sample_path


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """No user profile or HOME settings leak into a test."""
    monkeypatch.delenv("REPORTGEN_PROFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def fuzhou(tmp_path) -> Path:
    """A private copy of the 福州高新区 sample (seed 003, non-zero figures everywhere)."""
    return copy_sample("003", tmp_path)


def copy_sample(number: str, directory: Path) -> Path:
    target = directory / sample_path(number).name
    shutil.copyfile(sample_path(number), target)
    return target


def cell_of(key: str, format_id: str = "2019") -> tuple[str, str]:
    """(sheet, cell) of a figure key in a clerk workbook."""
    for placed in table_sheets(get_format(format_id)):
        cells = placed.cells()
        if key in cells:
            return placed.name, cells[key]
    raise KeyError(key)


def set_cells(path: Path, values: dict[str, object], format_id: str = "2019") -> None:
    """Type values into figure cells (by key) as a clerk would, keeping everything else."""
    book = openpyxl.load_workbook(path)
    for key, value in values.items():
        sheet, cell = cell_of(key, format_id)
        book[sheet][cell] = value
    book.save(path)


@pytest.fixture
def settings() -> StyleSettings:
    """The default (GB/T 9704) style settings."""
    return StyleSettings()


@pytest.fixture
def doc(settings):
    """A blank report document in those settings."""
    return new_document(settings)
