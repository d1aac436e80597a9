"""The direct .xlsx reader gives, cell by cell, the values openpyxl (read-only, formulas kept) gives:
on every sample, on the samples saved again by LibreOffice, and on what Excel and WPS write
(shared formulas, rich and inline strings, booleans, error values, dates in both epochs)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from reportgen.workbook.grid import Grid, load_grids
from reportgen.workbook.sniff import FileKind
from tests.libreoffice import save_as
from tests.pdftools import needs_soffice

SAMPLES = sorted((Path(__file__).parent.parent / "sample_inputs").glob("*.xlsx"))


def openpyxl_grids(path: Path) -> dict[str, list[tuple]]:
    """What reportgen read before the direct reader: openpyxl, read-only, formulas kept."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def assert_same_cells(path: Path) -> int:
    """Every cell of every sheet equal in value and type; returns how many non-empty cells were compared."""
    expected, grids = openpyxl_grids(path), load_grids(path, FileKind.XLSX)
    assert list(grids) == list(expected)
    compared = 0
    for name, rows in expected.items():
        reference = Grid(rows)
        height = max(len(rows), len(grids[name].rows))
        width = max((len(row) for row in [*rows, *grids[name].rows]), default=0)
        for row in range(1, height + 1):
            for col in range(1, width + 1):
                want, got = reference.at(row, col), grids[name].at(row, col)
                if isinstance(want, ArrayFormula):
                    want = want.text
                assert (got, type(got)) == (want, type(want)), f"{path.name} {name} R{row}C{col}"
                compared += want is not None
    return compared


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_every_sample_reads_as_openpyxl_reads_it(sample: Path) -> None:
    assert assert_same_cells(sample) > 300


@needs_soffice
def test_samples_saved_by_libreoffice_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    saved = save_as(SAMPLES, "xlsx", tmp_path / "saved")
    for path in saved:
        with zipfile.ZipFile(path) as archive:  # LibreOffice writes shared strings, not inline ones
            assert "xl/sharedStrings.xml" in archive.namelist()
        assert assert_same_cells(path) > 300


# A sheet as Excel or WPS writes it: shared formulas (a leader with its text, followers with only the
# index), rich and inline strings, cells and rows without their r attribute, every value type.
EXCEL_SHEET_DATA = """<sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="b"><v>1</v></c>
 <c r="D1" t="e"><v>#REF!</v></c><c r="E1" t="str"><v>text result</v></c><c r="F1"><v>12</v></c>
 <c r="G1"><v>12.5</v></c><c r="H1"><v>1E+3</v></c><c r="I1" t="b"><v>0</v></c><c r="J1"><v></v></c></row>
<row r="2"><c r="A2" s="1"><v>44215</v></c><c r="B2" s="2"><v>0.5</v></c><c r="C2" s="3"><v>1.25</v></c>
 <c r="D2" s="4"><v>44215.75</v></c><c r="E2" t="d"><v>2021-01-19T08:30:00</v></c><c r="F2" s="1"><v>30</v></c>
 <c r="G2" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></is></c></row>
<row r="4"><c r="B4"><f t="shared" ref="B4:D6" si="0">SUM(A1:A3)+$A$1+A$1+$A1+LOG10(A1)+'Q1 A1'!A1+"A1"&amp;A:A&amp;1:2</f><v>1</v></c>
 <c r="C4"><f t="shared" si="0"/><v>1</v></c><c r="D4"><f t="shared" si="0"/><v>1</v></c></row>
<row r="5"><c r="B5"><f t="shared" si="0"/><v>1</v></c><c r="C5"><f t="shared" si="0"/><v>1</v></c>
 <c r="D5"><f t="shared" si="0"/></c></row>
<row><c><f>A1*2</f><v>2</v></c><c t="s"><v>2</v></c><c r="E6"><f t="array" ref="E6">SUM(A1:A2*B1:B2)</f></c></row>
<row r="8"><c r="C8"><f t="shared" ref="C8:C9" si="1">IF(B8&gt;0,B8,"#REF!")</f></c></row>
<row r="9"><c r="C9"><f t="shared" si="1"/></c></row>
</sheetData>"""
SHARED_STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t xml:space="preserve"> 一、本年新收 </t></si><si><r><t>rich</t></r><r><rPr><b/></rPr><t> text_x005F_x0007_</t></r></si>
<si><t/></si></sst>"""
NUMBER_FORMATS = """<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>"""
CELL_STYLES = """<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>
<xf numFmtId="20" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="22"/></cellXfs>"""


def excel_style_workbook(path: Path, date1904: bool = False) -> Path:
    """An openpyxl workbook with its first sheet, shared strings and styles replaced by Excel-style XML."""
    book = openpyxl.Workbook()
    book.active.title = "表"
    book.create_sheet("Q1 A1")["A1"] = 1
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:J9"/>', parts["xl/worksheets/sheet1.xml"].decode())
    parts["xl/worksheets/sheet1.xml"] = re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>", EXCEL_SHEET_DATA,
                                               sheet, flags=re.S).encode()
    parts["xl/sharedStrings.xml"] = SHARED_STRINGS.encode()
    styles = parts["xl/styles.xml"].decode()
    styles = re.sub(r"<cellXfs.*</cellXfs>", CELL_STYLES, styles, flags=re.S)
    parts["xl/styles.xml"] = re.sub(r"<numFmts[^>]*/>|<numFmts.*</numFmts>", NUMBER_FORMATS, styles, flags=re.S).encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    if date1904:
        workbook = re.sub(rb"<workbookPr[^>]*/>", b"", parts["xl/workbook.xml"])
        parts["xl/workbook.xml"] = workbook.replace(b"<bookViews>", b'<workbookPr date1904="1"/><bookViews>')
    _write_parts(path, parts)
    return path


def rewrite_part(path: Path, part: str, edit) -> None:
    """``path`` with one zip part passed through ``edit`` (bytes → bytes)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = edit(parts[part])
    _write_parts(path, parts)


def _write_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_excel_style_workbook_reads_as_openpyxl_reads_it(tmp_path: Path, date1904: bool) -> None:
    path = excel_style_workbook(tmp_path / "excel.xlsx", date1904)
    assert assert_same_cells(path) > 25


def test_shared_formulas_move_with_their_cell(tmp_path: Path) -> None:
    grid = load_grids(excel_style_workbook(tmp_path / "excel.xlsx"), FileKind.XLSX)["表"]
    assert grid.named("D5") == "=SUM(C2:C4)+$A$1+C$1+$A2+LOG10(C2)+'Q1 A1'!C2+\"A1\"&C:C&2:3"
    assert grid.named("C9") == '=IF(B9>0,B9,"#REF!")'


def test_values_of_each_type(tmp_path: Path) -> None:
    grid = load_grids(excel_style_workbook(tmp_path / "excel.xlsx"), FileKind.XLSX)["表"]
    assert [grid.named(name) for name in ("A1", "B1", "C1", "D1", "E1", "F1", "G1", "H1", "I1", "J1")] == [
        " 一、本年新收 ", "rich text_x0007_", True, "#REF!", "text result", 12, 12.5, 1000.0, False, None]
    assert grid.named("A2") == dt.datetime(2021, 1, 19)
    assert grid.named("B2") == dt.time(12, 0)
    assert grid.named("C2") == dt.timedelta(hours=30)
    assert grid.named("G2") == "富文本"
    assert (grid.named("A6"), grid.named("B6")) == ("=A1*2", "")


def test_dimension_is_ignored_as_excel_ignores_it(tmp_path: Path) -> None:
    """A sheet whose <dimension> says A1:A1 still gives every cell (openpyxl would stop at A1)."""
    path = excel_style_workbook(tmp_path / "excel.xlsx")
    rewrite_part(path, "xl/worksheets/sheet1.xml",
                 lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A1"/>', xml))
    assert load_grids(path, FileKind.XLSX)["表"].named("C9") == '=IF(B9>0,B9,"#REF!")'


def test_chinese_builtin_date_format_reads_as_the_date_excel_shows(tmp_path: Path) -> None:
    """Chinese Excel and WPS write 2021年1月19日 as numFmtId 31 without defining it; openpyxl gives 44215."""
    path = excel_style_workbook(tmp_path / "excel.xlsx")
    rewrite_part(path, "xl/styles.xml", lambda xml: xml.replace(b'<xf numFmtId="164"', b'<xf numFmtId="31"'))
    assert openpyxl_grids(path)["表"][1][0] == 44215
    assert load_grids(path, FileKind.XLSX)["表"].named("A2") == dt.datetime(2021, 1, 19)
