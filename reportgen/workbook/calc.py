"""Read an .ods or .xls through calamine: the values the cells show, no formulas (calamine gives none).

calamine holds a sheet as one rectangle from A1 to its farthest cell, so a tiny file with one cell at
XFD1048576 would ask for gigabytes (and abort the process). The farthest cell is therefore found first,
streaming, from the file itself: ``content.xml`` of an .ods, the cell records of an .xls.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from reportgen.exceptions import InputError
from reportgen.workbook.limits import MAX_COLUMNS, MAX_ROWS, BoundedStream, check_archive, too_large
from reportgen.workbook.sniff import FileKind

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODS_ROW, ODS_CELL, ODS_COVERED, ODS_TABLE = (TABLE + tag for tag in ("table-row", "table-cell", "covered-table-cell",
                                                                     "table"))
# BIFF8 records that hold a cell value, each starting with its row and column (2 bytes each);
# MULRK (0x00BD) also ends with its last column. Blank cells are left out: calamine skips them.
XLS_CELL_RECORDS = frozenset({0x0006, 0x00BD, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
XLS_MULTIPLE_RK = 0x00BD
XLS_SHEET_NAME = 0x0085  # BOUNDSHEET: a sheet's name, in workbook order
SHEET_COLUMNS = 16384  # no spreadsheet program has more columns (XFD)
XLS_BOF, XLS_SHEET = 0x0809, 0x0010  # a substream's start, and its kind "worksheet"


def read_sheets(path: Path, kind: FileKind) -> dict[str, list[tuple]]:
    """Every worksheet's rows by name; InputError when calamine cannot read ``path`` or it is too large."""
    data = path.read_bytes()  # at most MAX_FILE_BYTES, checked by sniff
    if kind is FileKind.ODS:
        _check_ods_extent(data, path)
    else:
        _check_xls_extent(data, path)
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

    try:  # from the content, not the file name: calamine would take a renamed .xls for an .xlsx
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as error:
        raise InputError(f"{path}：工作簿设置了打开密码，无法读取；请在表格软件中取消密码并保存后再试") from error
    except Exception as error:  # calamine raises its own error types and OSError, each meaning "unreadable"
        raise InputError(f"{path}：无法作为{kind.value}打开，文件可能已损坏（{type(error).__name__}）") from error
    try:
        return {sheet.name: _rows(book, sheet.name, path) for sheet in book.sheets_metadata
                if sheet.typ == SheetTypeEnum.WorkSheet}
    finally:
        book.close()


def _rows(book, name: str, path: Path) -> list[tuple]:
    sheet = book.get_sheet_by_name(name)
    if sheet.total_height > MAX_ROWS or sheet.total_width > MAX_COLUMNS:
        raise too_large(path, name, f"（{sheet.total_height} 行 × {sheet.total_width} 列）")
    return [tuple(_value(value) for value in row) for row in sheet.to_python(skip_empty_area=False)]


def _value(value: object) -> object:
    """A value as the .xlsx reader gives it: None for an empty cell, whole numbers as int, dates as datetime."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _check_ods_extent(data: bytes, path: Path) -> None:
    """Refuse an .ods whose zip would inflate too far or whose content has a cell beyond the bounds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive, path)
        stream = BoundedStream(archive.open("content.xml"), path, "content.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise InputError(f"{path}：无法作为{FileKind.ODS.value}打开，文件可能已损坏（{type(error).__name__}）") from error
    try:
        with stream:
            for sheet, row, column in _ods_cells(stream):
                if row > MAX_ROWS or column > MAX_COLUMNS:
                    raise too_large(path, sheet, f"第 {row} 行第 {column} 列")
    except etree.LxmlError as error:
        raise InputError(f"{path}：工作簿内容已损坏，无法读取（{type(error).__name__}）") from error


def _ods_cells(stream) -> Iterator[tuple[str, int, int]]:
    """(sheet, row, column) of every cell holding something, rows and columns counted with their repeats."""
    sheet, row, column = "", 0, 0
    events = etree.iterparse(stream, events=("start", "end"), tag=(ODS_TABLE, ODS_ROW, ODS_CELL, ODS_COVERED),
                             resolve_entities=False, no_network=True, load_dtd=False)
    for event, element in events:
        if event == "start":
            if element.tag == ODS_TABLE:
                sheet, row = element.get(f"{TABLE}name", ""), 0
            elif element.tag == ODS_ROW:
                column = 0
            continue
        if element.tag == ODS_ROW:
            row += _repeats(element, "number-rows-repeated")
        elif element.tag != ODS_TABLE:
            column += _repeats(element, "number-columns-repeated")
            if element.get(f"{OFFICE}value-type") is not None or len(element) or column > SHEET_COLUMNS:
                yield sheet, row + 1, column  # a value, or a row of endless empty cells running on
        element.clear()
        while element.getprevious() is not None:  # handled siblings go, so the tree never grows
            del element.getparent()[0]


def _repeats(element, attribute: str) -> int:
    try:
        return max(int(element.get(f"{TABLE}{attribute}", "1")), 1)
    except ValueError:
        return 1


def _check_xls_extent(data: bytes, path: Path) -> None:
    """Refuse an .xls with a cell beyond the bounds, from the cell records of its worksheets."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as container:
            stream = "Workbook" if container.exists("Workbook") else "Book"
            records = container.openstream(stream).read()
    except OSError as error:  # olefile raises OSError for a container it cannot read
        raise InputError(f"{path}：无法作为{FileKind.XLS.value}打开，文件可能已损坏（{type(error).__name__}）") from error
    names: list[str] = []
    for sheet, row, column in _xls_cells(records, names):
        if row > MAX_ROWS or column > MAX_COLUMNS:
            raise too_large(path, names[sheet] if sheet < len(names) else str(sheet + 1), f"第 {row} 行第 {column} 列")


def _xls_cells(records: bytes, names: list[str]) -> Iterator[tuple[int, int, int]]:
    """(worksheet index, row, column) of every cell record, row and column 1-based; ``names`` gets the
    worksheets' names as their BOUNDSHEET records pass."""
    offset, sheet, in_worksheet = 0, -1, False
    while offset + 4 <= len(records):
        kind, length = struct.unpack_from("<HH", records, offset)
        body = records[offset + 4:offset + 4 + length]
        offset += 4 + length
        if kind == XLS_SHEET_NAME and len(body) >= 8 and body[5] == 0:  # type 0: a worksheet
            wide, count = body[7] & 1, body[6]
            names.append(body[8:8 + count * (1 + wide)].decode("utf-16-le" if wide else "latin-1"))
        elif kind == XLS_BOF and len(body) >= 4:
            in_worksheet = struct.unpack_from("<H", body, 2)[0] == XLS_SHEET
            sheet += in_worksheet
        elif in_worksheet and kind in XLS_CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if kind == XLS_MULTIPLE_RK and len(body) >= 6:
                column = struct.unpack_from("<H", body, len(body) - 2)[0]
            yield sheet, row + 1, column + 1
