"""Read an .ods or .xls through calamine: the values the cells show, no formulas (calamine gives none)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from reportgen.exceptions import InputError
from reportgen.workbook.sniff import FileKind
from reportgen.workbook.limits import MAX_COLUMNS, MAX_ROWS, check_archive, too_large


def read_sheets(path: Path, kind: FileKind) -> dict[str, list[tuple]]:
    """Every worksheet's rows by name; InputError when calamine cannot read ``path`` or it is too large."""
    if kind is FileKind.ODS:  # .ods: refuse a bomb from its declared sizes before calamine inflates it
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, path)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:  # from the content, not the file name: calamine would take a renamed .xls for an .xlsx
        book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
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
