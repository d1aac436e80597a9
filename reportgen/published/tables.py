"""Read one mandated table out of a published report's text, by the format definition's labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reportgen.checks.findings import Finding, finding
from reportgen.formats import Field, ReportFormat, Table
from reportgen.formats.schema import Block, Number, Row
from reportgen.model import Location
from reportgen.published.cells import Cell, figures_after, layout_of, readings
from reportgen.published.labels import Match, find_exact, find_label, fold_label


@dataclass
class Document:
    """The text being read: original, folded for matching, where each folded character came from."""

    text: str
    folded: str
    origin: tuple[int, ...]
    page_at: Callable[[int], int | None]  # the PDF page of an original offset (None for other kinds)

    def original(self, start: int, end: int) -> str:
        """Original text from folded position ``start`` up to folded position ``end``."""
        begin = self.origin[start - 1] + 1 if start else 0
        finish = self.origin[end] if end < len(self.origin) else len(self.text)
        return self.text[begin:finish]

    def sheet(self, table: Table, position: int) -> str:
        """A table's printed name for a finding, with the PDF page where ``position`` lies."""
        page = self.page_at(self.origin[min(position, len(self.origin) - 1)]) if self.origin else None
        return table.sheet if page is None else f"{table.sheet}（第{page}页）"


@dataclass
class TableRead:
    """What one table gave: cells by key, the keys not known, findings, and where each cell was printed."""

    cells: dict[str, Cell] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)


@dataclass
class _Row:
    block: Block
    row: Row
    match: Match | None
    next_start: int = 0
    readings: list[tuple[Cell, ...]] = field(default_factory=list)
    zero: bool = False  # a sub-row the report does not print because it prints its group as one row


def header_labels(block: Block) -> list[str]:
    """The caption, corner and column headers of a block in printed (row by row) order."""
    labels = [label for label in (block.caption, block.corner) if label]
    for level in range(block.header_depth):
        previous = None
        for column in block.columns:
            if len(column.path) > level and column.path[: level + 1] != previous:
                labels.append(column.path[level])
                previous = column.path[: level + 1]
    return labels


class TableReader:
    """Finds a table's labels in ``window`` (folded positions), reads each row's cells and checks the labels."""

    def __init__(self, document: Document, fmt: ReportFormat, table: Table, window: tuple[int, int]) -> None:
        self.document, self.format, self.table = document, fmt, table
        self.start, self.end = window
        self.layout = layout_of(document.original(*window))
        self.result = TableRead()

    def read(self) -> TableRead:
        rows = self._find_rows()
        if not any(row.match for row in rows) and any(block.rows[0].label for block in self.table.blocks):
            self.result = TableRead()  # one error for the table, not one per header it lacks
            self._unreadable_table("未找到表格的行标签")
            return self.result
        for row in rows:
            self._read_row(row)
        self._settle_ambiguous(rows)
        return self.result

    def _unreadable_table(self, reason: str) -> None:
        self.result.unknown.update(field.key for field in self.table.fields())
        self.result.findings.append(finding("published-table-unreadable", sheet=self.document.sheet(
            self.table, self.start), label=self.table.sheet, actual=reason))

    def _find_rows(self) -> list[_Row]:
        """Row labels in order: exact spellings anchor first, then the others between their neighbours."""
        rows = [_Row(block, row, None) for block in self.table.blocks for row in block.rows]
        cursor = self.start
        for row in rows:
            if row.row.label:
                match = self._find(row.row.label, cursor, self.end, exact_only=True)
                if match:
                    row.match, cursor = match, match.end
        for index, row in enumerate(rows):
            if row.row.label and row.match is None:
                row.match = self._find(row.row.label, *self._between(rows, index))
        self._group_printed_as_one_row(rows)
        self._check_headers(rows)
        labelled = {row.match.start for row in rows if row.match and row.row.label}
        starts = sorted(labelled | self._caption_starts() | {self.end})
        for row in rows:
            if row.match:
                row.next_start = next(start for start in starts if start >= row.match.end)
        return rows

    def _between(self, rows: list[_Row], index: int) -> tuple[int, int]:
        """Where row ``index`` can be printed: after the row before it that was found, before the next one."""
        low = max((row.match.end for row in rows[:index] if row.match), default=self.start)
        high = min((row.match.start for row in rows[index + 1:] if row.match), default=self.end)
        return low, high

    def _group_printed_as_one_row(self, rows: list[_Row]) -> None:
        """Sub-rows all missing under a group label printed with figures of its own (the 2019 format's single
        （六）其他处理 row in a 2021 report): its figures are the last sub-row's (3.其他), the others are 0."""
        groups: dict[str, list[_Row]] = {}
        for row in rows:
            if len(row.row.path) >= 3:
                groups.setdefault(row.row.path[-2], []).append(row)
        for group, members in groups.items():
            if any(member.match for member in members):
                continue
            match = self._find(group, *self._between(rows, rows.index(members[0])), exact_only=True)
            if match is None:
                continue
            *others, last = members
            last.match = match
            for other in others:
                other.zero = True
            self._label_finding("published-label-deviates", match.start, group, expected="、".join(
                member.row.label for member in members), actual=f"{group}（单行，其数字计入“{last.row.label}”，其余各项按 0 计）")

    def _find(self, label: str, start: int, end: int, exact_only: bool = False) -> Match | None:
        search = find_exact if exact_only else find_label
        return search(self.document.folded, self.format.accepted_labels(label), start, end)

    def _caption_starts(self) -> set[int]:
        starts = set()
        for block in self.table.blocks:
            if block.caption:
                position = self.document.folded.find(fold_label(block.caption), self.start, self.end)
                if position >= 0:
                    starts.add(position)
        return starts

    def _check_headers(self, rows: list[_Row]) -> None:
        """Captions and column headers of each block, between the previous block's rows and its first row."""
        cursor = self.start
        for block in self.table.blocks:
            own = [row for row in rows if row.block is block]
            first = next((row.match.start for row in own if row.match), None)
            limit = first if first is not None else self.end
            for label in header_labels(block):
                match = find_label(self.document.folded, self.format.accepted_labels(label), cursor, limit)
                if match is None:
                    self._label_finding("published-label-missing", cursor, label, expected=label)
                else:
                    self._deviation(match, label)
                    cursor = match.end
            if not block.rows[0].label:  # table 四: the figures follow its last header
                own[0].match = Match(cursor, cursor, "", True)
            cursor = max([cursor, *(row.match.end for row in own if row.match)])

    def _label_finding(self, code: str, position: int, label: str, **details) -> None:
        self.result.findings.append(finding(code, sheet=self.document.sheet(self.table, position), cell=label,
                                            label=label, **details))

    def _deviation(self, match: Match, official: str) -> None:
        if not match.exact:
            printed = self.document.original(match.start, match.end).strip()
            self._label_finding("published-label-deviates", match.start, official, expected=official, actual=printed)

    def _fields(self, row: _Row) -> list[Field]:
        return [self.format.field(f"{self.table.key}.{row.row.key}.{column.key}") for column in row.block.columns]

    def _read_row(self, row: _Row) -> None:
        fields = self._fields(row)
        if row.zero:
            self.result.cells.update((target.key, Cell("0", 0)) for target in fields)
            return
        if row.match is None:
            self._label_finding("published-label-missing", self.start, row.row.label, expected=row.row.label)
            self.result.unknown.update(field.key for field in fields)
            return
        if row.row.label and row.match.printed != fold_label(row.row.path[-2] if len(row.row.path) > 1 else ""):
            self._deviation(row.match, row.row.label)
        sheet = self.document.sheet(self.table, row.match.start)
        for target in fields:
            self.result.locations[target.key] = (sheet, target.label)
        printed = figures_after(self.document.original(row.match.end, row.next_start))
        row.readings = _narrowed(readings(printed, row.block.columns, self.layout), row.block)
        if not row.readings:
            self.result.unknown.update(field.key for field in fields)
            self.result.findings.append(finding(
                "published-cells-unreadable", sheet=sheet, cell=fields[0].label, label=row.row.label or self.table.sheet,
                expected=len(fields), actual=_excerpt(printed)))
        elif len(row.readings) == 1:
            self._take(row, row.readings[0])

    def _take(self, row: _Row, cells: tuple[Cell, ...]) -> None:
        fields = self._fields(row)
        blanks = [target for target, cell in zip(fields, cells, strict=True) if cell.blank]
        for target, cell in zip(fields, cells, strict=True):
            self.result.cells[target.key] = cell
        if blanks:
            sheet, _ = self.result.locations[blanks[0].key]
            printed = next(cell.text for cell in cells if cell.blank) or "空白"
            self.result.findings.append(finding(
                "published-cell-blank", sheet=sheet, cell=blanks[0].label,
                label=f"{row.row.label or self.table.sheet}（{'、'.join(t.column.label for t in blanks)}）",
                actual=printed))

    def _settle_ambiguous(self, rows: list[_Row]) -> None:
        """Rows with several readings: keep those that make the table's row sums and balances hold."""
        for row in rows:
            if len(row.readings) <= 1:
                continue
            fitting = [cells for cells in row.readings if self._holds_with(row, cells)]
            if len(fitting) == 1:
                self._take(row, fitting[0])
                continue
            fields = self._fields(row)
            self.result.unknown.update(field.key for field in fields)
            sheet, _ = self.result.locations[fields[0].key]
            candidates = "；".join("，".join(cell.text or "空白" for cell in cells)
                                  for cells in (fitting or row.readings))
            self.result.findings.append(finding(
                "published-cells-ambiguous", sheet=sheet, cell=fields[0].label, label=row.row.label or self.table.sheet,
                actual=_excerpt(figures_after(self.document.original(row.match.end, row.next_start))),
                expected=candidates, cells="、".join(column.label for column in row.block.columns)))

    def _holds_with(self, row: _Row, cells: tuple[Cell, ...]) -> bool:
        """Whether the block's row sums and balances hold with this reading of ``row`` (others as read)."""
        values = {key: cell.value for key, cell in self.result.cells.items()}
        values.update((field.key, cell.value) for field, cell in zip(self._fields(row), cells, strict=True))
        block, table = row.block, self.table.key

        def total(rows: tuple[str, ...], column: str) -> Number | None:
            parts = [values.get(f"{table}.{name}.{column}") for name in rows]
            return None if any(part is None for part in parts) else sum(parts)

        relations = [((rule.target,), rule.terms) for rule in block.row_sums]
        relations += [(balance.lhs, balance.rhs) for balance in block.balances]
        involved = [(lhs, rhs) for lhs, rhs in relations if row.row.key in (*lhs, *rhs)]
        for column in block.columns:
            for lhs, rhs in involved:
                left, right = total(lhs, column.key), total(rhs, column.key)
                if left is not None and right is not None and left != right:
                    return False
        return bool(involved)


def _narrowed(found: list[tuple[Cell, ...]], block: Block) -> list[tuple[Cell, ...]]:
    """Of several readings, those whose row totals (总计 column) hold, when any does."""
    if len(found) <= 1 or not block.column_sums:
        return found
    index = {column.key: position for position, column in enumerate(block.columns)}

    def holds(cells: tuple[Cell, ...]) -> bool:
        for rule in block.column_sums:
            parts = [cells[index[term]].value for term in rule.terms]
            target = cells[index[rule.target]].value
            if target is not None and None not in parts and sum(parts) != target:
                return False
        return True

    fitting = [cells for cells in found if holds(cells)]
    return fitting or found


def _excerpt(text: str, limit: int = 40) -> str:
    text = " ".join(text.replace("|", " ").split())
    return text if len(text) <= limit else text[:limit] + "…"
