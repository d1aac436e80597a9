"""Declarative building blocks of an official report format: sections, tables, cells and sum rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator

Number = int | Decimal

# Decimal places that reach the fen (分) in each unit of money: 0.01 元 is 0.000001 万元.
MONEY_DECIMALS = {"元": 2, "万元": 6}


class CellKind(StrEnum):
    """How a figure is typed, validated and printed."""

    COUNT = "count"  # whole number >= 0
    SIGNED = "signed"  # whole number, may be negative (本年增/减)
    AMOUNT = "amount"  # decimal >= 0 with a unit chosen by the clerk (采购总金额)
    DECIMAL = "decimal"  # decimal >= 0 in a fixed unit printed in the header (收费金额（单位：万元）)


MONEY_KINDS = (CellKind.AMOUNT, CellKind.DECIMAL)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(_Frozen):
    """A data column; ``path`` holds its header labels from the top header row down."""

    key: str
    path: tuple[str, ...]
    kind: CellKind = CellKind.COUNT
    span: int = 1  # grid columns the value cell covers (2021 single-value blocks span 3)
    units: tuple[str, ...] = ()  # unit choices for AMOUNT cells, first is the default
    unit: str = ""  # the fixed unit of a DECIMAL cell, as its header prints it

    @model_validator(mode="after")
    def _money_has_known_units(self) -> Column:
        units = {CellKind.AMOUNT: self.units, CellKind.DECIMAL: (self.unit,)}.get(self.kind, ())
        if any(unit not in MONEY_DECIMALS for unit in units) or (self.kind in MONEY_KINDS and not units):
            raise ValueError(f"column {self.key}: a sum of money needs units among {sorted(MONEY_DECIMALS)}")
        return self

    @property
    def label(self) -> str:
        return self.path[-1]

    def max_decimals(self, unit: str | None = None) -> int:
        """Decimal places a figure may have: to the fen in ``unit`` (unknown or None: the default unit)."""
        if self.kind not in MONEY_KINDS:
            return 0
        return MONEY_DECIMALS[unit if unit in self.units else self.unit or self.units[0]]


class Row(_Frozen):
    """A data row; ``path`` holds its label cells from left to right (group labels first)."""

    key: str
    path: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""


class ColumnSum(_Frozen):
    """In every row, column ``target`` is the sum of columns ``terms``."""

    target: str
    terms: tuple[str, ...]
    code: str


class RowSum(_Frozen):
    """In every column, row ``target`` is the sum of rows ``terms``."""

    target: str
    terms: tuple[str, ...]
    code: str


class Balance(_Frozen):
    """In every column, the rows ``lhs`` add up to the rows ``rhs`` (the printed 勾稽关系)."""

    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    code: str
    lhs_name: str  # how the printed relation names each side, e.g. 第一项+第二项
    rhs_name: str


class Comparison(_Frozen):
    """In every row, column ``lesser`` should not exceed column ``greater`` (a plausibility warning)."""

    lesser: str
    greater: str
    code: str


class Term(_Frozen):
    """One signed cell of a carry-over relation, from this year's report or from last year's."""

    key: str
    last_year: bool = False
    sign: Literal[1, -1] = 1


class CarryOver(_Frozen):
    """This year's cell ``target`` should equal the signed sum of ``terms`` (a year-to-year warning)."""

    target: str
    terms: tuple[Term, ...]
    code: str


class Block(_Frozen):
    """A rectangular part of a table: optional caption row, header rows, labelled data rows."""

    key: str
    caption: str | None = None
    corner: str | None = None  # text of the cell above the row labels
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    column_sums: tuple[ColumnSum, ...] = ()
    row_sums: tuple[RowSum, ...] = ()
    balances: tuple[Balance, ...] = ()
    comparisons: tuple[Comparison, ...] = ()

    @property
    def label_depth(self) -> int:
        return max((len(row.path) for row in self.rows), default=0)

    @property
    def header_depth(self) -> int:
        return max(len(column.path) for column in self.columns)

    @property
    def width(self) -> int:
        return self.label_depth + sum(column.span for column in self.columns)

    def derived_rule(self, row_key: str, column_key: str) -> ColumnSum | RowSum | None:
        """The sum that defines this cell, column sums first, or None for an input cell."""
        for rule in self.column_sums:
            if rule.target == column_key:
                return rule
        for rule in self.row_sums:
            if rule.target == row_key:
                return rule
        return None


class Table(_Frozen):
    """One mandated table; its cells are addressed as ``{table}.{row}.{column}``."""

    key: str
    section: int
    sheet: str  # name of the clerk workbook sheet
    blocks: tuple[Block, ...]
    repeat_header: bool = True  # repeat the header rows on a new page

    @property
    def width(self) -> int:
        return max(block.width for block in self.blocks)

    @property
    def label_depth(self) -> int:
        """Grid columns taken by row labels in the deepest block."""
        return max(block.label_depth for block in self.blocks)

    def fields(self) -> list[Field]:
        return [
            Field(table=self, block=block, row=row, column=column)
            for block in self.blocks
            for row in block.rows
            for column in block.columns
        ]


@dataclass(frozen=True)
class Field:
    """One data cell of a table, inputs and derived totals alike."""

    table: Table
    block: Block
    row: Row
    column: Column

    @property
    def key(self) -> str:
        return f"{self.table.key}.{self.row.key}.{self.column.key}"

    @property
    def kind(self) -> CellKind:
        return self.column.kind

    @property
    def rule(self) -> ColumnSum | RowSum | None:
        return self.block.derived_rule(self.row.key, self.column.key)

    @property
    def is_input(self) -> bool:
        return self.rule is None

    @property
    def terms(self) -> tuple[str, ...]:
        """Keys of the cells this derived cell adds up; empty for an input."""
        rule, table = self.rule, self.table.key
        if rule is None:
            return ()
        if isinstance(rule, ColumnSum):
            return tuple(f"{table}.{self.row.key}.{term}" for term in rule.terms)
        return tuple(f"{table}.{term}.{self.column.key}" for term in rule.terms)

    @property
    def label(self) -> str:
        """Human name of the cell, e.g. ``（七）总计（自然人）``."""
        if not self.row.label:
            return "（".join(self.column.path[-2:]) + "）" if len(self.column.path) > 1 else self.column.label
        return f"{self.row.label}（{self.column.label}）"


class ItemKind(StrEnum):
    """What the clerk gives for a section item."""

    TEXT = "text"  # a passage, printed under the item's heading
    AMOUNT = "amount"  # a sum of money in a fixed unit, turned into a sentence by a text template


class SectionItem(_Frozen):
    """A matter a narrative section customarily reports: asked for in the workbook, printed under its heading."""

    key: str
    heading: str  # sub-heading in the report, label in the workbook
    kind: ItemKind = ItemKind.TEXT
    unit: str = ""  # fixed unit of an AMOUNT (元)
    template: str = ""  # text template (text/{template}.j2) that states an AMOUNT, given as ``amount``
    optional: bool = False
    hint: str = ""  # what the clerk is asked to give (shown beside the cell)

    @property
    def max_decimals(self) -> int:
        """Decimal places of an AMOUNT: to the fen in its unit."""
        return MONEY_DECIMALS[self.unit] if self.kind is ItemKind.AMOUNT else 0

    @property
    def label_lines(self) -> tuple[str, ...]:
        """The workbook label: heading and unit, then on a line of its own whether it may be left empty."""
        return (self.heading + (f"（{self.unit}）" if self.unit else ""), *(("（选填）",) if self.optional else ()))

    @property
    def label(self) -> str:
        return "".join(self.label_lines)


class Section(_Frozen):
    """One of the six mandated sections; narrative sections have a workbook sheet of paragraphs."""

    number: int
    heading: str
    variants: tuple[str, ...] = ()  # published wordings accepted when reading
    table: str | None = None
    sheet: str | None = None  # sheet of a narrative section
    prompt: str = ""  # what the clerk is asked to write (shown in the workbook)
    items: tuple[SectionItem, ...] = ()  # matters asked for one by one, printed before the free paragraphs

    @property
    def key(self) -> str:
        return f"s{self.number}"

    def item_key(self, item: SectionItem) -> str:
        """Key of an item's value in the Report, e.g. ``s6.processing_fee``."""
        return f"{self.key}.{item.key}"


class ReportFormat(_Frozen):
    """An official report format: the whole structure the workbook, checks and DOCX follow."""

    id: str
    document: str
    title: str
    years: tuple[int, int | None]  # first and last reporting year the format applies to
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    label_variants: dict[str, tuple[str, ...]] = {}  # official label -> variants accepted when reading
    carry_overs: tuple[CarryOver, ...] = ()
    _fields: dict[str, Field] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._fields.update((field.key, field) for table in self.tables for field in table.fields())
        this_year = {term.key for rule in self.carry_overs for term in rule.terms if not term.last_year}
        unknown = ({rule.target for rule in self.carry_overs} | this_year) - self._fields.keys()
        if unknown:
            raise ValueError(f"carry-over relations name cells the format does not have: {sorted(unknown)}")

    @model_validator(mode="after")
    def _check_six_sections(self) -> ReportFormat:
        if [section.number for section in self.sections] != [1, 2, 3, 4, 5, 6]:
            raise ValueError("a format has exactly the six sections 一 to 六 in order")
        return self

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)

    def accepted_labels(self, label: str) -> tuple[str, ...]:
        """An official label and the variants of it accepted when reading a workbook."""
        return (label, *self.label_variants.get(label, ()))

    def fields(self) -> list[Field]:
        return list(self._fields.values())

    def field(self, key: str) -> Field:
        return self._fields[key]

    def input_fields(self) -> list[Field]:
        return [field for field in self._fields.values() if field.is_input]

    def narrative_sections(self) -> list[Section]:
        return [section for section in self.sections if section.sheet]
