"""Read an .ods or .xls through calamine: the values the cells show, no formulas (calamine gives none).

calamine holds a sheet as one rectangle from A1 to its farthest cell, so a tiny file with one cell at
XFD1048576 would ask for gigabytes (and abort the process), and it gives every repeated cell and every cell
showing a shared string its own copy. The farthest cell and the expanded size are therefore found first,
streaming, from the file itself: ``content.xml`` of an .ods, the cell records of an .xls.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, islice, takewhile
from pathlib import Path

from lxml import etree

from reportgen.exceptions import InputError
from reportgen.workbook.limits import (
    MAX_COLUMNS,
    MAX_EXPANDED_BYTES,
    MAX_ROWS,
    BoundedStream,
    check_archive,
    too_large,
    too_much_content,
)
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
XLS_STRINGS, XLS_CONTINUE = 0x00FC, 0x003C  # SST: the shared strings, run on into CONTINUE records
XLS_SHARED_STRING_CELL = 0x00FD  # LABELSST: a cell showing shared string number n
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
    except InputError:
        raise
    except Exception as error:  # a sheet calamine cannot decode
        raise InputError(f"{path}：工作簿内容已损坏，无法读取（{type(error).__name__}）") from error
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
    """Refuse an .ods whose zip would inflate too far or whose content reaches beyond the bounds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive, path)
        stream = BoundedStream(archive.open("content.xml"), path, "content.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise InputError(f"{path}：无法作为{FileKind.ODS.value}打开，文件可能已损坏（{type(error).__name__}）") from error
    try:
        with stream:
            _check_cells(_ods_cells(stream), path)
    except etree.LxmlError as error:
        raise InputError(f"{path}：工作簿内容已损坏，无法读取（{type(error).__name__}）") from error


def _check_cells(cells: Iterator[tuple[str, int, int, int]], path: Path) -> None:
    """Each (sheet, row, column, bytes once expanded) within the bounds, and all of them together too."""
    expanded = 0
    for sheet, row, column, size in cells:
        if row > MAX_ROWS or column > MAX_COLUMNS:
            raise too_large(path, sheet, f"第 {row} 行第 {column} 列")
        expanded += size
        if expanded > MAX_EXPANDED_BYTES:
            raise too_much_content(path, sheet)


def _ods_cells(stream) -> Iterator[tuple[str, int, int, int]]:
    """Every cell holding something, as (sheet, row, column, bytes it takes once its repeats are expanded)."""
    sheet, row, column, rows = "", 0, 0, 1
    events = etree.iterparse(stream, events=("start", "end"), tag=(ODS_TABLE, ODS_ROW, ODS_CELL, ODS_COVERED),
                             resolve_entities=False, no_network=True, load_dtd=False)
    for event, element in events:
        if event == "start":
            if element.tag == ODS_TABLE:
                sheet, row = element.get(f"{TABLE}name", ""), 0
            elif element.tag == ODS_ROW:
                column, rows = 0, _repeats(element, "number-rows-repeated")
            continue
        if element.tag == ODS_ROW:
            row += rows
        elif element.tag != ODS_TABLE:
            columns = _repeats(element, "number-columns-repeated")
            column += columns
            if element.get(f"{OFFICE}value-type") is not None or len(element) or column > SHEET_COLUMNS:
                text = sum(len(piece) for piece in element.itertext())  # a row of endless empty cells counts too
                yield sheet, row + rows, column, rows * columns * _cell_bytes(text)
        element.clear()
        while element.getprevious() is not None:  # handled siblings go, so the tree never grows
            del element.getparent()[0]


def _cell_bytes(characters: int) -> int:
    """What a cell of ``characters`` characters costs in calamine and then in Python, generously."""
    return 64 + 4 * characters


def _repeats(element, attribute: str) -> int:
    try:
        return max(int(element.get(f"{TABLE}{attribute}", "1")), 1)
    except ValueError:
        return 1


def _check_xls_extent(data: bytes, path: Path) -> None:
    """Refuse an .xls reaching beyond the bounds, from the cell records of its worksheets."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as container:
            stream = "Workbook" if container.exists("Workbook") else "Book"
            records = container.openstream(stream).read()
    except OSError as error:  # olefile raises OSError for a container it cannot read
        raise InputError(f"{path}：无法作为{FileKind.XLS.value}打开，文件可能已损坏（{type(error).__name__}）") from error
    _check_cells(_xls_cells(list(_xls_records(records))), path)


def _xls_records(records: bytes) -> Iterator[tuple[int, bytes]]:
    """(record type, body) of each BIFF record of a workbook stream."""
    offset = 0
    while offset + 4 <= len(records):
        kind, length = struct.unpack_from("<HH", records, offset)
        yield kind, records[offset + 4:offset + 4 + length]
        offset += 4 + length


def _xls_cells(records: list[tuple[int, bytes]]) -> Iterator[tuple[str, int, int, int]]:
    """Every cell record of the worksheets as (sheet, row, column, bytes it takes once read)."""
    names: list[str] = []
    lengths: list[int] = []  # of the shared strings, which every LABELSST cell gets a copy of
    sheet, in_worksheet = -1, False
    for index, (kind, body) in enumerate(records):
        if kind == XLS_SHEET_NAME and len(body) >= 8 and body[5] == 0:  # type 0: a worksheet
            wide, count = body[7] & 1, body[6]
            names.append(body[8:8 + count * (1 + wide)].decode("utf-16-le" if wide else "latin-1", "replace"))
        elif kind == XLS_STRINGS:
            continued = takewhile(lambda record: record[0] == XLS_CONTINUE, islice(records, index + 1, None))
            lengths = _string_lengths([body, *(more for _, more in continued)])
        elif kind == XLS_BOF and len(body) >= 4:
            in_worksheet = struct.unpack_from("<H", body, 2)[0] == XLS_SHEET
            sheet += in_worksheet
        elif in_worksheet and kind in XLS_CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if kind == XLS_MULTIPLE_RK and len(body) >= 6:
                column = struct.unpack_from("<H", body, len(body) - 2)[0]
            characters = 0
            if kind == XLS_SHARED_STRING_CELL and len(body) >= 10:
                string = struct.unpack_from("<I", body, 6)[0]
                characters = lengths[string] if string < len(lengths) else 0
            name = names[sheet] if 0 <= sheet < len(names) else str(sheet + 1)
            yield name, row + 1, column + 1, _cell_bytes(characters)


def _string_lengths(pieces: list[bytes]) -> list[int]:
    """Character counts of the shared strings of an SST record (the first piece) and its CONTINUE records.

    A string's characters may run on into the next record, which then starts with a new flags byte
    saying whether they are one or two bytes wide."""
    data, ends = b"".join(pieces), list(accumulate(len(piece) for piece in pieces))
    lengths: list[int] = []
    position, unique = 8, struct.unpack_from("<I", data, 4)[0] if len(data) >= 8 else 0
    while len(lengths) < unique and position + 3 <= len(data):
        count, flags = struct.unpack_from("<HB", data, position)
        position += 3
        extra = 0
        if flags & 8 and position + 2 <= len(data):  # rich text: formatting runs after the characters
            extra += 4 * struct.unpack_from("<H", data, position)[0]
            position += 2
        if flags & 4 and position + 4 <= len(data):  # phonetic data after the characters
            extra += struct.unpack_from("<I", data, position)[0]
            position += 4
        position = _skip_characters(data, ends, position, count, flags & 1) + extra
        lengths.append(count)
    return lengths


def _skip_characters(data: bytes, ends: list[int], position: int, count: int, wide: int) -> int:
    """Where ``count`` characters starting at ``position`` end, across record boundaries."""
    while count:
        end = ends[bisect_right(ends, position)] if bisect_right(ends, position) < len(ends) else len(data)
        taken = min(count, (end - position) >> wide)
        position, count = position + (taken << wide), count - taken
        if count:
            if end >= len(data):
                return len(data)
            position, wide = end + 1, data[end] & 1
    return position
