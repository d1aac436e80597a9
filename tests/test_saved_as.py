"""Workbooks a clerk saved as .ods or .xls in LibreOffice: read figure for figure as the .xlsx, built into
the same DOCX tables; what cannot be known from values alone is said in a values-only note."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from reportgen.api import build_report, check_workbook
from tests.docxgrid import table_grid
from tests.libreoffice import save_as
from tests.pdftools import needs_soffice
from tests.workbooks import SAMPLE, cell_of, edited_copy, set_figure

SAMPLE_2021 = SAMPLE.parent / "临澜市人民政府-2025.xlsx"
TYPED_OVER = "t3.disclosed.total"  # 总计 of 予以公开: 22 in the sample, typed over with 21 below

pytestmark = needs_soffice


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """The samples and a sample with a total typed over, as .xlsx and as LibreOffice saved them (.ods, .xls)."""
    folder = tmp_path_factory.mktemp("saved-as")
    typed_over = edited_copy(SAMPLE, folder / "typed-over.xlsx", set_figure(TYPED_OVER, 21))
    sources = {"2019": SAMPLE, "2021": SAMPLE_2021, "typed-over": typed_over}
    books = {f"{name}.xlsx": path for name, path in sources.items()}
    for extension in ("ods", "xls"):
        saved = save_as(list(sources.values()), extension, folder / extension)
        books.update({f"{name}.{extension}": path for name, path in zip(sources, saved)})
    return books


def _docx_content(path: Path) -> tuple[list, list]:
    document = Document(str(path))
    return [table_grid(table) for table in document.tables], [paragraph.text for paragraph in document.paragraphs]


@pytest.mark.parametrize("extension", ["ods", "xls"])
@pytest.mark.parametrize("sample", ["2019", "2021"])
def test_saved_as_builds_the_same_docx(workbooks, sample: str, extension: str, tmp_path: Path) -> None:
    xlsx, saved = workbooks[f"{sample}.xlsx"], workbooks[f"{sample}.{extension}"]
    expected = build_report(xlsx, tmp_path / "from-xlsx.docx")
    built = build_report(saved, tmp_path / f"from-{extension}.docx")
    assert built.check.report.figures == expected.check.report.figures
    tables, paragraphs = _docx_content(tmp_path / f"from-{extension}.docx")
    expected_tables, expected_paragraphs = _docx_content(tmp_path / "from-xlsx.docx")
    assert len(tables) == 3 and tables == expected_tables
    assert paragraphs == expected_paragraphs


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_saved_as_gives_the_xlsx_findings_and_says_it_read_values_only(workbooks, extension: str) -> None:
    for sample in ("2019", "2021", "typed-over"):
        expected = check_workbook(workbooks[f"{sample}.xlsx"]).findings
        findings = check_workbook(workbooks[f"{sample}.{extension}"]).findings
        note, *rest = findings
        assert rest == expected
        assert note.code == "values-only" and note.severity == "info"
        assert {"ods": ".ods", "xls": ".xls"}[extension] in note.message and "另存为" in note.message


@pytest.mark.parametrize("extension", ["ods", "xls"])
def test_total_typed_over_its_formula_is_caught_from_the_value_shown(workbooks, extension: str) -> None:
    """Without formulas the shown 总计 is compared with the sum, as a typed-over total is in an .xlsx."""
    findings = check_workbook(workbooks[f"typed-over.{extension}"]).findings
    wrong = [(item.code, item.sheet, item.cell, item.expected, item.actual) for item in findings
             if item.code == "t3-row-total"]
    assert wrong == [("t3-row-total", *cell_of(TYPED_OVER), "22", "21")]
