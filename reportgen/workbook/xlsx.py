"""Read an .xlsx directly (zipfile + lxml), streaming and bounded: each sheet's rows of cell values.

Values are the ones openpyxl gives with ``read_only=True, data_only=False`` (formulas as typed text,
shared formulas translated to their cell, dates by the cell's number format, int or float as written),
except where openpyxl does not read what Excel shows: a ``<v>`` that is no number (NaN, INF) is kept as its
text, so the reader names the cell instead of calling the whole file broken, and a number in a Chinese
built-in date format (e.g. 31) is a date. ``<dimension>`` is ignored (Excel does too):
every cell in the file is read. Sizes are checked before anything is inflated and counted while inflating.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from reportgen.exceptions import InputError
from reportgen.workbook.cellnames import column_letters, column_number
from reportgen.workbook.limits import MAX_COLUMNS, MAX_ROWS, BoundedStream, check_archive, too_large

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW, CELL, VALUE, FORMULA, INLINE, TEXT, RUN = (MAIN + tag for tag in ("row", "c", "v", "f", "is", "t", "r"))

_DIGITS = "0123456789"
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
# Built-in number formats that show dates or times: openpyxl's, plus those Chinese (and other East Asian)
# Excel and WPS write without defining them, such as 31 (yyyy"年"m"月"d"日"), which openpyxl reads as numbers.
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, *range(27, 37), *range(50, 59)})
BUILTIN_DURATION_FORMATS = frozenset({46})  # [h]:mm:ss
_FORMAT_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION_CODE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

# Formula references shifted when a shared formula is copied: A1, $A$1, A:A, 1:1 outside "text" literals.
_REFERENCE = re.compile(
    r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\''
    r"|(?<![\w.$])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\w(!])"
    r"|(?<![\w.$:])(\$?)([A-Z]{1,3}):(\$?)([A-Z]{1,3})(?![\w(:])"
    r"|(?<![\w.$:])(\$?)(\d+):(\$?)(\d+)(?![\w(:.])"
)


def read_sheets(path: Path) -> dict[str, list[tuple]]:
    """Every worksheet's rows by name, in workbook order; InputError when ``path`` is no readable .xlsx."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _not_a_workbook(path, error) from error
    with archive:
        check_archive(archive, path)
        package = _Package(archive, path)
        try:
            return package.sheets()
        except InputError:
            raise
        except (KeyError, _MissingPart) as error:
            raise _not_a_workbook(path, error) from error
        except Exception as error:  # malformed XML or a broken deflate stream, in lxml or zipfile
            raise InputError(f"{path}：工作簿内容已损坏，无法读取（{type(error).__name__}）") from error


def _not_a_workbook(path: Path, error: Exception) -> InputError:
    return InputError(f"{path}：无法作为 Excel 工作簿（.xlsx）打开，文件可能已损坏或不是 Excel 文件"
                      f"（{type(error).__name__}）")


class _MissingPart(Exception):
    """The package lacks a part every workbook has (e.g. a .docx renamed to .xlsx)."""


# No DTDs, entities or network: a workbook part is plain XML; huge_tree off keeps libxml2's node limits.
PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


class _Package:
    """The parts of one .xlsx: relationships, workbook, styles, shared strings, sheets."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive, self.path = archive, path
        self.names = set(archive.namelist())

    def sheets(self) -> dict[str, list[tuple]]:
        workbook = self._first(self._relations(""), "/officeDocument")
        if workbook is None:
            raise _MissingPart("officeDocument")
        root = self._xml(workbook)
        if root.tag != f"{MAIN}workbook":  # e.g. a .docx renamed to .xlsx
            raise _MissingPart(root.tag)
        relations = self._relations(workbook)
        dates, durations = self._date_styles(self._first(relations, "/styles"))
        epoch = MAC_EPOCH if _true(root.find(f"{MAIN}workbookPr"), "date1904") else WINDOWS_EPOCH
        cells = _CellReader(self._shared_strings(self._first(relations, "/sharedStrings")), dates, durations, epoch)
        sheets: dict[str, list[tuple]] = {}
        for sheet in root.iter(f"{MAIN}sheet"):
            kind, target = relations.get(sheet.get(RELATIONSHIP_ID), ("", ""))
            if kind.endswith("/worksheet") and target in self.names:
                sheets[sheet.get("name")] = cells.rows(self._stream(target), sheet.get("name"), self.path)
        return sheets

    def _stream(self, name: str) -> BoundedStream:
        return BoundedStream(self.archive.open(name), self.path, name)

    def _xml(self, name: str) -> etree._Element:
        with self._stream(name) as stream:
            return etree.parse(stream, etree.XMLParser(**PARSER_OPTIONS)).getroot()

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, target part name) of ``part`` ("" for the package itself)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.names:
            return {}
        return {rel.get("Id"): (rel.get("Type", ""), _resolve(folder, rel.get("Target", "")))
                for rel in self._xml(rels).iter(RELATIONSHIPS) if rel.get("TargetMode") != "External"}

    def _first(self, relations: dict[str, tuple[str, str]], kind: str) -> str | None:
        """The first existing part related as ``kind`` (the end of the relationship type)."""
        return next((target for type_, target in relations.values()
                     if type_.endswith(kind) and target in self.names), None)

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        strings = []
        with self._stream(part) as stream:
            for _, item in etree.iterparse(stream, tag=f"{MAIN}si", **PARSER_OPTIONS):
                strings.append(_text_of(item).replace("x005F_", ""))  # openpyxl's reading of escaped "_"
                _forget(item)
        return strings

    def _date_styles(self, part: str | None) -> tuple[frozenset[str], frozenset[str]]:
        """Indexes of cell styles whose number format shows a date (and those showing a duration)."""
        if part is None:
            return frozenset(), frozenset()
        styles = self._xml(part)
        custom = {_int(item.get("numFmtId")): item.get("formatCode") for item in styles.iter(f"{MAIN}numFmt")}
        dates, durations = set(), set()
        cell_styles = styles.find(f"{MAIN}cellXfs")
        for index, style in enumerate(cell_styles if cell_styles is not None else ()):
            number_format = _int(style.get("numFmtId"))
            if number_format in custom:
                is_date, is_duration = _is_date_code(custom[number_format]), _is_duration_code(custom[number_format])
            else:
                is_date, is_duration = number_format in BUILTIN_DATE_FORMATS, number_format in BUILTIN_DURATION_FORMATS
            if is_date:
                dates.add(str(index))  # as cells name their style, so they need no conversion
            if is_duration:
                durations.add(str(index))
        return frozenset(dates), frozenset(durations)


class _CellReader:
    """Turns one sheet's ``<row>``/``<c>`` elements into rows of values, cell by cell, never holding the tree."""

    def __init__(self, strings: list[str], dates: frozenset[str], durations: frozenset[str], epoch) -> None:
        self.strings, self.dates, self.durations, self.epoch = strings, dates, durations, epoch
        self.columns: dict[str, int] = {}  # column letters seen → number

    def rows(self, stream, sheet: str, path: Path) -> list[tuple]:
        """The sheet's rows; each cell is decoded as soon as it is parsed, each row dropped once read."""
        rows: dict[int, dict[int, object]] = {}
        shared: dict[str, tuple[str, int, int]] = {}
        number = count = column = cells = 0
        values: dict[int, object] | None = None
        with stream:
            for _, element in etree.iterparse(stream, tag=(ROW, CELL), **PARSER_OPTIONS):
                if element.tag == ROW:
                    if values is None:  # a row without cells
                        number, count = self._next_row(element, number, count, sheet, path)
                    values, column, cells = None, 0, 0
                    _forget(element)
                    continue
                if values is None:  # the first cell of a row: the row's number from its start tag
                    number, count = self._next_row(element.getparent(), number, count, sheet, path)
                    values = rows[number] = {}
                column, cells = self._column(element.get("r"), column), cells + 1
                if cells > MAX_COLUMNS:  # a row's cells are held until it ends
                    raise too_large(path, sheet, f"第 {number} 行")
                if column > MAX_COLUMNS:
                    raise too_large(path, sheet, f"单元格 {column_letters(column)}{number} ")
                value = self._value(element, number, column, shared)
                if value is not None:
                    values[column] = value
        return _as_tuples(rows)

    @staticmethod
    def _next_row(row, previous: int, count: int, sheet: str, path: Path) -> tuple[int, int]:
        """The number of ``row`` (its r, else the one after the previous) and how many rows so far; bounded."""
        number = _row_number(row.get("r"), previous)
        if number > MAX_ROWS or count >= MAX_ROWS:
            raise too_large(path, sheet, f"第 {number} 行")
        return number, count + 1

    def _column(self, name: str | None, previous: int) -> int:
        """A cell's column from its name (``B7``), else the one after the previous cell, as Excel reads it."""
        letters = name.rstrip(_DIGITS) if name else None
        column = self.columns.get(letters)
        if column is None:
            column = column_number(letters) if letters and len(letters) <= 3 and letters.isalpha() else previous + 1
            if letters:
                self.columns[letters] = column
        return column

    def _value(self, cell, row: int, column: int, shared: dict) -> object:
        raw = formula = inline = None
        for part in cell:
            if part.tag == VALUE:
                raw = part.text
            elif part.tag == FORMULA:
                formula = part
            elif part.tag == INLINE:
                inline = part
        kind = cell.get("t", "n")
        if formula is not None:
            return _formula(formula, row, column, shared)
        if kind == "inlineStr":
            return _text_of(inline) if inline is not None else None
        if not raw:
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "n":
            return self._number(raw, cell.get("s", "0"))
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return _iso_date(raw)
        return raw  # "str", "e" (an error value such as #REF!) and unknown kinds: the text as stored

    def _number(self, raw: str, style: str | None) -> object:
        number = _number(raw)
        if style not in self.dates or isinstance(number, str):
            return number
        try:
            return _from_serial(number, self.epoch, style in self.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # openpyxl's reading of a date-formatted number outside the calendar


def _formula(formula, row: int, column: int, shared: dict) -> str:
    """The formula as typed; a shared formula's followers get the leader's text moved to their own cell."""
    text = "=" + (formula.text or "")
    if formula.get("t") != "shared":
        return text
    index = formula.get("si")
    if index in shared:
        leader, leader_row, leader_column = shared[index]
        return _moved(leader, row - leader_row, column - leader_column)
    if text != "=":
        shared[index] = (text, row, column)
    return text


def _moved(formula: str, rows: int, columns: int) -> str:
    """``formula`` copied ``rows`` down and ``columns`` right: relative references shift, $-fixed ones stay."""
    def shift(match: re.Match) -> str:
        groups = match.groups()
        if groups[1]:
            return (_shift_column(groups[0], groups[1], columns) + _shift_row(groups[2], groups[3], rows))
        if groups[5]:
            return _shift_column(groups[4], groups[5], columns) + ":" + _shift_column(groups[6], groups[7], columns)
        if groups[9]:
            return _shift_row(groups[8], groups[9], rows) + ":" + _shift_row(groups[10], groups[11], rows)
        return match.group(0)  # a quoted text or sheet name

    return _REFERENCE.sub(shift, formula)


def _shift_column(anchor: str, letters: str, by: int) -> str:
    return anchor + letters if anchor else column_letters(column_number(letters) + by)


def _shift_row(anchor: str, digits: str, by: int) -> str:
    return anchor + digits if anchor else str(int(digits) + by)


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    number = float(text)
    if not number.is_integer() or number < 1:
        raise ValueError(f"row number {text}")
    return int(number)


def _number(raw: str) -> int | float | str:
    """int or float as openpyxl gives them; a value that is no number (NaN, INF, text) as its text."""
    try:
        if "." in raw or "E" in raw or "e" in raw:
            number = float(raw)
            return number if number == number and abs(number) != float("inf") else raw
        return int(raw)
    except ValueError:
        return raw


def _from_serial(serial: int | float, epoch: dt.datetime, duration: bool) -> object:
    """A date-formatted number as openpyxl gives it: datetime, time (below 1) or timedelta."""
    if duration:
        span = dt.timedelta(days=serial)
        if span.microseconds:
            span = dt.timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
        return span
    day, fraction = divmod(serial, 1)
    rest = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= serial < 1 and rest.days == 0:
        minutes, seconds = divmod(rest.seconds, 60)
        return dt.time(minutes // 60, minutes % 60, seconds, rest.microseconds)
    if 0 < serial < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel's 1900-02-29
    return epoch + dt.timedelta(days=day) + rest


_ISO = re.compile(r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
                  r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<fraction>\.\d{1,3})?)?)?Z?")


def _iso_date(raw: str) -> object:
    """A ``t="d"`` cell (ISO 8601 text) as a date, time or datetime; the text itself when it is none."""
    match = _ISO.match(raw)
    if not match or not any(match.groups()):
        return raw
    part = {key: int(value) for key, value in match.groupdict().items()
            if value and key not in ("date", "time", "fraction")}
    micro = int(float(match.group("fraction")) * 1_000_000) if match.group("fraction") else 0
    try:
        if not match.group("date"):
            return dt.time(part["hour"], part["minute"], part.get("second", 0), micro)
        if not match.group("time"):
            return dt.date(part["year"], part["month"], part["day"])
        return dt.datetime(microsecond=micro, second=part.get("second", 0),
                           **{key: part[key] for key in ("year", "month", "day", "hour", "minute")})
    except ValueError:
        return raw


def _is_date_code(code: str | None) -> bool:
    return code is not None and _DATE_CODE.search(_FORMAT_LITERALS.sub("", code.split(";")[0])) is not None


def _is_duration_code(code: str | None) -> bool:
    return code is not None and _DURATION_CODE.search(code.split(";")[0]) is not None


def _text_of(element) -> str:
    """A string item's text: its ``<t>`` and its runs' ``<t>``, without phonetic guides."""
    text = element.findtext(TEXT) or ""
    return text + "".join(run.findtext(TEXT) or "" for run in element.iterfind(RUN))


def _forget(element) -> None:
    """Drop a handled element and its earlier siblings so the parsed tree never grows."""
    element.clear()
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _as_tuples(rows: dict[int, dict[int, object]]) -> list[tuple]:
    last = max((number for number, values in rows.items() if values), default=0)
    result: list[tuple] = []
    for number in range(1, last + 1):
        values = rows.get(number)
        if not values:
            result.append(())
            continue
        row = [None] * max(values)
        for column, value in values.items():
            row[column - 1] = value
        result.append(tuple(row))
    return result


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _int(text: str | None) -> int:
    try:
        return int(text) if text else 0
    except ValueError:
        return 0


def _true(element, attribute: str) -> bool:
    return element is not None and element.get(attribute, "").lower() in ("1", "true")
