"""Pydantic models of one report: basic information, figures and the clerk's texts."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from reportgen.checks.findings import Finding
from reportgen.formats import FIRST_YEAR, LAST_YEAR, ReportFormat, get_format
from reportgen.formats.schema import Number

# right-to-left overrides and isolates make text print in another order than it reads in the cell
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


def _without_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def _single_line(text: str) -> str:
    """A name or heading as one line: control and invisible format characters (zero-width, RLO) dropped,
    line breaks and runs of spaces as one space, so a title prints what the cell shows."""
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c.isspace())
    return _WHITESPACE.sub(" ", text).strip()


Text = Annotated[str, AfterValidator(_without_bidi_controls)]
Line = Annotated[str, AfterValidator(_single_line)]


class Paragraph(BaseModel):
    """One paragraph of narrative; a sub-heading alone is a standalone heading line."""

    model_config = ConfigDict(extra="forbid")

    heading: Line | None = Field(None, description="小标题（不含（一）等序号，序号自动编排）")
    text: Text = Field("", description="正文")


class ReportInfo(BaseModel):
    """The basic-information sheet."""

    model_config = ConfigDict(extra="forbid")

    agency: Line = Field(description="机关名称（标题和落款使用）")
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="报告年度")
    format_id: str = Field(description="报告格式：2019（国办公开办函〔2019〕60号）或 2021（国办公开办函〔2021〕30号）")
    report_date: dt.date | None = Field(None, description="成文日期，落款使用")
    publish_where: Line | None = Field(None, description="报告公布的网站或栏目（导语使用）")
    contact_address: Line | None = Field(None, description="联系地址（导语使用）")
    contact_phone: Line | None = Field(None, description="联系电话（导语使用）")
    profile: str | None = Field(None, description="生成填报工作簿时使用的配置方案名称")


class Report(BaseModel):
    """Everything a report says. Derived totals are not stored: they are always recomputed."""

    model_config = ConfigDict(extra="forbid")

    info: ReportInfo
    figures: dict[str, Number] = Field(default_factory=dict, description="输入单元格的数值，键为 表.行.列")
    units: dict[str, str] = Field(default_factory=dict, description="金额单元格的单位（元 或 万元）")
    entered_totals: dict[str, Number] = Field(
        default_factory=dict, description="填报人手工填写（覆盖了公式）的合计单元格数值，仅用于校验"
    )
    narrative: dict[str, list[Paragraph]] = Field(
        default_factory=dict, description="叙述部分，键为 s1、s5、s6"
    )
    leads: dict[str, Text] = Field(default_factory=dict, description="表格前的说明文字，键为 t2、t3、t4；空则自动生成")
    item_texts: dict[str, Text] = Field(
        default_factory=dict, description="叙述部分逐项填写的栏目内容，键为 节.栏目，如 s5.rectification"
    )
    item_amounts: dict[str, Number] = Field(
        default_factory=dict, description="叙述部分逐项填写的金额（单位见格式定义），键为 节.栏目，如 s6.processing_fee"
    )

    @property
    def format(self) -> ReportFormat:
        return get_format(self.info.format_id)

    def value(self, key: str) -> Number:
        """A figure by key, derived totals recomputed from the inputs."""
        return compute_values(self.format, self.figures)[key]


def compute_values(
    fmt: ReportFormat, figures: dict[str, Number], overrides: dict[str, Number] | None = None
) -> dict[str, Number]:
    """Every cell of every table: the inputs as given (missing = 0) and each derived total recomputed.

    ``overrides`` are totals typed over their formulas; with them the result is what the spreadsheet
    displays, since the formulas that refer to a typed total use the typed number.
    """
    overrides = overrides or {}
    values: dict[str, Number] = {}
    for key, terms in _sum_plan(fmt.id):
        if key in overrides:
            values[key] = overrides[key]
        elif terms is None:
            values[key] = figures.get(key, 0)
        else:
            values[key] = sum((values[term] for term in terms), start=0)
    return values


@cache
def _sum_plan(format_id: str) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Each cell with the cells it sums (None for an input), every total after its terms."""
    fmt = get_format(format_id)
    plan: dict[str, tuple[str, ...] | None] = {}

    def visit(key: str) -> None:
        if key not in plan:
            field = fmt.field(key)
            terms = None if field.is_input else field.terms
            for term in terms or ():
                visit(term)
            plan[key] = terms

    for target in fmt.fields():
        visit(target.key)
    return tuple(plan.items())


def derive_total(fmt: ReportFormat, key: str, value) -> Number:
    """The derived cell ``key`` as the sum its rule declares, each term looked up with ``value``."""
    return sum((value(term) for term in fmt.field(key).terms), start=0)


def format_number(value: Number, *, signed: bool = False) -> str:
    """How a figure is printed: integers plainly (signed ones with +), decimals as entered."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return f"+{text}" if signed and value > 0 else text


Location = tuple[str, str]  # (sheet, cell) where a value was read


@dataclass
class ReadResult:
    """What an input (workbook, JSON file, published report) says: the report (None if unusable), findings, and where each value came from."""

    report: Report | None
    findings: list[Finding] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # cells whose value is unknown (bad entry, table not read)
    printed: bool = False  # the figures were printed in a published report, not typed into a workbook
