"""Hostile and odd .xlsx files made from a real clerk workbook: decompression and amplification bombs,
a ``<dimension>`` that understates the data, non-numbers in a count cell. Each function writes one file.

A bomb's deflate stream is made by repeating one compressed block (a full flush resets the compressor, so
the same input gives the same bytes), so making a 1.5 GB bomb takes a second and a few MB.
"""

from __future__ import annotations

import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import xlwt

from tests.workbooks import SAMPLE, cell_of

NARRATIVE_SHEET = "一、总体情况"
COUNT_KEY = "t3.new.natural"  # an input count cell of table 三 in the sample (2019 format)
CHUNK = 1 << 20
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"""
ODS_CONTENT_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    b' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
    b'<office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell'
    b' office:value-type="string"><text:p>')
ODS_CONTENT_TAIL = (b"</text:p></table:table-cell></table:table-row></table:table>"
                    b"</office:spreadsheet></office:body></office:document-content>")


def one_cell_inflating_to_a_gigabyte(path: Path) -> None:
    """≈1.2 MB on disk; one narrative cell holds 1.2 GB of text once inflated."""
    _replace_sheet_data(path, NARRATIVE_SHEET, b'<row r="4"><c r="B4" t="inlineStr"><is><t>',
                        repeat=("公".encode() * (CHUNK // 3), 1200), tail=b"</t></is></c></row>")


def whole_sheet_dimension_with_many_rows(path: Path) -> None:
    """A ≈225 KB sheet declaring ``A1:XFD1048576`` and holding 40,000 one-cell rows."""
    rows = b"".join(f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{row}</t></is></c></row>'.encode()
                    for row in range(1, 40_001))
    _replace_sheet_data(path, NARRATIVE_SHEET, rows, dimension="A1:XFD1048576")


def one_row_of_many_cells(path: Path) -> None:
    """One row of 200,000 cells all named A1, holding random numbers so that its size (6 MB) and compression
    ratio stay under the limits: only counting the cells of a row can stop it."""
    numbers = random.Random(13)
    cells = b"".join(f'<c r="A1"><v>{numbers.randrange(10**9)}</v></c>'.encode() for _ in range(40_000))
    _replace_sheet_data(path, NARRATIVE_SHEET, b'<row r="1">', repeat=(cells, 5), tail=b"</row>")


def cell_far_away(path: Path) -> None:
    """One narrative cell typed at XFD1048576, the last cell of a sheet."""
    _replace_sheet_data(path, NARRATIVE_SHEET, b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
                        b"</c></row>")


def endless_empty_rows(path: Path) -> None:
    """A sheet of 1.5 GB of ``<row/>`` and no ``<dimension>``."""
    _replace_sheet_data(path, NARRATIVE_SHEET, b"", repeat=(b"<row/>" * (CHUNK // 6), 1500), dimension=None)


def endless_empty_rows_declared_small(path: Path) -> None:
    """64 MB of ``<row/>`` whose zip entry claims to inflate to 200 KB (the sizes in the zip lie)."""
    endless = path.with_suffix(".tmp")
    _replace_sheet_data(endless, NARRATIVE_SHEET, b"", repeat=(b"<row/>" * (CHUNK // 6), 64), dimension=None)
    _declare_size(endless, path, _sheet_part(endless, NARRATIVE_SHEET), 200 * 1024)
    endless.unlink()


def ods_content_inflating_to_a_gigabyte(path: Path) -> None:
    """An OpenDocument spreadsheet (.ods) whose content.xml inflates to 1.2 GB of one cell's text."""
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        target.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        _write_deflated(target, "content.xml", ODS_CONTENT_HEAD, ("公".encode() * (CHUNK // 3), 1200),
                        ODS_CONTENT_TAIL)


def ods_cell_far_away(path: Path) -> None:
    """A small .ods with one value a million rows and 16,000 columns down and across (calamine would hold the
    whole rectangle up to it)."""
    rows = (b"</text:p></table:table-cell></table:table-row>"
            b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
            b'<table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
            b'<table:table-cell office:value-type="string"><text:p>')
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        target.writestr("content.xml", ODS_CONTENT_HEAD + "远".encode() + rows + "远".encode() + ODS_CONTENT_TAIL,
                        zipfile.ZIP_DEFLATED)


def ods_repeated_long_text(path: Path) -> None:
    """A small .ods whose one 300-character cell is repeated over 60 columns and 9,998 rows (750 MB expanded)."""
    rows = (b"</text:p></table:table-cell></table:table-row>"
            b'<table:table-row table:number-rows-repeated="9998"><table:table-cell'
            b' table:number-columns-repeated="60" office:value-type="string"><text:p>' + "长".encode() * 300)
    with zipfile.ZipFile(path, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        target.writestr("content.xml", ODS_CONTENT_HEAD + "近".encode() + rows + ODS_CONTENT_TAIL,
                        zipfile.ZIP_DEFLATED)


def xls_shared_long_text(path: Path) -> None:
    """An .xls whose one 30,000-character shared string is shown by 20,000 cells (2.4 GB once each has a copy)."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("一、总体情况")
    text = "长" * 30_000
    for row in range(5000):
        for column in range(4):
            sheet.write(row, column, text)
    book.save(str(path))


def xls_cell_far_away(path: Path) -> None:
    """A 6 KB .xls with a value at its last cell (IV65536): calamine would ask for 512 MB to hold the sheet."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("三、依申请公开")
    sheet.write(0, 0, "一、本年新收政府信息公开申请数量")
    sheet.write(65535, 255, 1)
    book.save(str(path))


def understated_dimension(path: Path) -> None:
    """The narrative sheet declares ``A1:B3`` while its paragraphs run further down (some writers do this)."""
    _edit_sheet_xml(path, NARRATIVE_SHEET,
                    lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B3"/>', xml))


def not_a_number_in_count_cell(path: Path) -> None:
    """``<v>NaN</v>`` in an input count cell of table 三."""
    _put_value(path, COUNT_KEY, b"NaN")


def infinity_in_count_cell(path: Path) -> None:
    """``<v>INF</v>`` in an input count cell of table 三."""
    _put_value(path, COUNT_KEY, b"INF")


GENERATORS: dict[str, Callable[[Path], None]] = {
    "one_cell_inflating_to_a_gigabyte.xlsx": one_cell_inflating_to_a_gigabyte,
    "whole_sheet_dimension_with_many_rows.xlsx": whole_sheet_dimension_with_many_rows,
    "endless_empty_rows.xlsx": endless_empty_rows,
    "one_row_of_many_cells.xlsx": one_row_of_many_cells,
    "cell_far_away.xlsx": cell_far_away,
    "endless_empty_rows_declared_small.xlsx": endless_empty_rows_declared_small,
    "ods_content_inflating_to_a_gigabyte.ods": ods_content_inflating_to_a_gigabyte,
    "ods_cell_far_away.ods": ods_cell_far_away,
    "xls_cell_far_away.xls": xls_cell_far_away,
    "ods_repeated_long_text.ods": ods_repeated_long_text,
    "xls_shared_long_text.xls": xls_shared_long_text,
    "understated_dimension.xlsx": understated_dimension,
    "not_a_number_in_count_cell.xlsx": not_a_number_in_count_cell,
    "infinity_in_count_cell.xlsx": infinity_in_count_cell,
}


def _sheet_part(workbook: Path, sheet: str) -> str:
    """The zip entry holding ``sheet`` (by the workbook's sheet list and its relationships)."""
    with zipfile.ZipFile(workbook) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rel_id = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rel_id}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
    name = target.group(1)
    return name.lstrip("/") if name.startswith("/") else str(PurePosixPath("xl") / name)


def _copy_with(path: Path, part: str, write: Callable[[zipfile.ZipFile], None]) -> None:
    """SAMPLE copied to ``path`` with ``part`` written by ``write`` instead of copied."""
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == part:
                write(target)
            else:
                target.writestr(item, source.read(item))


def _edit_sheet_xml(path: Path, sheet: str, edit: Callable[[bytes], bytes]) -> None:
    part = _sheet_part(SAMPLE, sheet)
    with zipfile.ZipFile(SAMPLE) as source:
        xml = edit(source.read(part))
    _copy_with(path, part, lambda target: target.writestr(part, xml))


def _replace_sheet_data(path: Path, sheet: str, data: bytes, repeat: tuple[bytes, int] = (b"", 0),
                        tail: bytes = b"", dimension: str | None = "keep") -> None:
    """The sheet's ``<sheetData>`` made of ``data``, ``repeat`` (a chunk, how many times) and ``tail``;
    its ``<dimension>`` replaced, kept or (None) dropped."""
    part = _sheet_part(SAMPLE, sheet)
    with zipfile.ZipFile(SAMPLE) as source:
        xml = source.read(part)
    before, after = re.split(rb"<sheetData>.*</sheetData>|<sheetData/>", xml, flags=re.S)
    if dimension is None:
        before = re.sub(rb'<dimension ref="[^"]*"/>', b"", before)
    elif dimension != "keep":
        before = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), before)
    head, end = before + b"<sheetData>" + data, tail + b"</sheetData>" + after
    _copy_with(path, part, lambda target: _write_deflated(target, part, head, repeat, end))


def _write_deflated(target: zipfile.ZipFile, part: str, head: bytes, repeat: tuple[bytes, int], tail: bytes) -> None:
    """Write ``head + chunk * times + tail`` deflated, computing the repeated block once."""
    chunk, times = repeat
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressed = block + repeated * times + compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    entry = zipfile.ZipInfo(part, (2020, 1, 1, 0, 0, 0))
    entry.compress_type, entry.CRC = zipfile.ZIP_DEFLATED, zlib.crc32(tail, crc)
    entry.compress_size, entry.file_size = len(compressed), len(head) + len(chunk) * times + len(tail)
    entry.header_offset = target.fp.tell()
    target.fp.write(entry.FileHeader())
    target.fp.write(compressed)
    target.filelist.append(entry)
    target.NameToInfo[part] = entry
    target.start_dir = target.fp.tell()


def _put_value(path: Path, key: str, value: bytes) -> None:
    sheet, cell = cell_of(key)
    _edit_sheet_xml(path, sheet, lambda xml: re.sub(
        rb'(<c r="' + cell.encode() + rb'"[^>]*>)<v>[^<]*</v>', lambda match: match.group(1) + b"<v>" + value + b"</v>",
        xml, count=1))


def _declare_size(source: Path, path: Path, part: str, size: int) -> None:
    """A copy of ``source`` whose ``part`` claims, in its local header and the central directory, to be ``size``."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        item = archive.getinfo(part)
    struct.pack_into("<I", data, item.header_offset + 22, size)  # local file header: uncompressed size
    struct.pack_into("<I", data, _central_entry(data, part) + 24, size)  # central directory: the same
    path.write_bytes(bytes(data))


def _central_entry(data: bytearray, part: str) -> int:
    name = part.encode()
    offset = data.find(b"PK\x01\x02")
    while offset >= 0:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46:offset + 46 + name_length] == name:
            return offset
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise KeyError(part)
