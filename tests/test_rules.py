"""Every rule, broken on its own in an otherwise valid real workbook: exactly one finding, right code and cell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.api import check_workbook
from reportgen.checks.findings import RULES, Severity
from reportgen.checks.rules import format_year_mismatch, run_checks
from reportgen.formats import get_format
from reportgen.workbook.sheets import INFO_SHEET, info_cell
from tests.seeds import seed_report
from tests.workbooks import (
    SAMPLE,
    Edit,
    cell_of,
    edited_copy,
    edits,
    label_cell_of,
    last_year_of_sample,
    narrative_cell,
    report_2021,
    set_cell,
    set_figure,
    set_meta,
    unit_cell_of,
    write_report,
)

S1, T4 = "一、总体情况", "四、复议诉讼"
FIRST_PARAGRAPH = ("2020年，福州高新区坚持以习近平新时代中国特色社会主义思想为指导，把政务公开摆在突出位置，"
                   "按照习近平总书记关于以制度安排把政务公开贯穿政务运行全过程、")


@dataclass(frozen=True)
class Scenario:
    """One way a clerk breaks the sample workbook and the single finding it must produce."""

    name: str
    edit: Edit
    code: str
    where: tuple[str | None, str | None]
    expected: str | None = None
    actual: str | None = None


def _info(key: str) -> tuple[str, str]:
    return INFO_SHEET, info_cell(key)


SCENARIOS = [
    # The issue's own examples: （七）总计 typed over its formula while 一+二 = 三+四 still holds,
    # and 表四 总计 left at 0 next to non-zero parts.
    Scenario("outcome_total_typed_over_formula",
             edits(set_figure("t3.disclosed.natural", 28), set_figure("t3.handled_total.natural", 37)),
             "t3-outcome-total", cell_of("t3.handled_total.natural"), "43", "37"),
    Scenario("t4_total_typed_as_zero", set_figure("t4.cases.review_total", 0),
             "t4-total", cell_of("t4.cases.review_total"), "2", "0"),
    Scenario("row_total_typed_wrong", set_figure("t3.disclosed.total", 21),
             "t3-row-total", cell_of("t3.disclosed.total"), "22", "21"),
    # The typed 总计 also breaks the 勾稽关系 of the 总计 column: still one finding, for the cause.
    Scenario("received_total_typed_wrong", set_figure("t3.new.total", 41),
             "t3-row-total", cell_of("t3.new.total"), "40", "41"),
    Scenario("carried_forward_breaks_balance", set_figure("t3.carried_forward.natural", 14),
             "t3-balance", cell_of("t3.handled_total.natural"), "50", "51"),
    Scenario("chinese_numeral_in_count", set_figure("t3.new.natural", "三"),
             "count-not-number", cell_of("t3.new.natural"), actual="三"),
    Scenario("count_with_unit", set_figure("t3.disclosed.natural", "22件"),
             "count-not-number", cell_of("t3.disclosed.natural"), actual="22件"),
    Scenario("approximate_count", set_figure("t3.new.natural", "约39"),
             "count-not-number", cell_of("t3.new.natural"), actual="约39"),
    Scenario("decimal_in_count", set_figure("t2.normative.made", 6.5),
             "count-not-integer", cell_of("t2.normative.made"), actual="6.5"),
    Scenario("negative_count", set_figure("t4.cases.review_corrected", -1),
             "count-negative", cell_of("t4.cases.review_corrected"), actual="-1"),
    Scenario("implausibly_large_count", set_figure("t2.licensing.decisions", 92600000),
             "count-too-large", cell_of("t2.licensing.decisions"), "10,000,000", "92600000"),
    Scenario("ref_error_in_input", set_figure("t3.new.natural", "#REF!"),
             "formula-error", cell_of("t3.new.natural"), actual="#REF!"),
    Scenario("value_error_in_input", set_figure("t4.cases.review_pending", "#VALUE!"),
             "formula-error", cell_of("t4.cases.review_pending"), actual="#VALUE!"),
    Scenario("total_formula_lost_its_rows", set_figure("t3.new.total", "=SUM(#REF!)"),
             "formula-error", cell_of("t3.new.total"), actual="#REF!"),
    Scenario("formula_in_input", set_figure("t3.new.natural", "=20+19"),
             "input-formula", cell_of("t3.new.natural"), actual="=20+19"),
    Scenario("blank_instead_of_zero", set_figure("t3.withheld_secret.natural", None),
             "blank-as-zero", cell_of("t3.withheld_secret.natural")),
    Scenario("negative_amount", set_figure("t2.procurement.amount", -19696.99),
             "amount-invalid", cell_of("t2.procurement.amount"), actual="-19696.99"),
    Scenario("unknown_amount_unit", set_cell(*unit_cell_of("t2.procurement.amount"), "美元"),
             "amount-unit-invalid", unit_cell_of("t2.procurement.amount"), "万元 或 元", "美元"),
    Scenario("agency_cleared", set_cell(*_info("agency"), None), "info-missing", _info("agency")),
    Scenario("date_not_a_date", set_cell(*_info("report_date"), "明年一月"),
             "info-invalid", _info("report_date"), actual="明年一月"),
    Scenario("year_edited_for_reuse", set_cell(*_info("year"), 2021), "info-invalid", _info("year"), actual="2021"),
    Scenario("format_edited", set_cell(*_info("format_id"), "2021"),
             "info-invalid", _info("format_id"), actual="2021"),
    Scenario("table_sheet_deleted", lambda book: book.remove(book[T4]), "sheet-missing", (T4, None)),
    Scenario("table_sheet_renamed", lambda book: setattr(book[T4], "title", "复议诉讼"),
             "sheet-missing", (T4, None), actual="复议诉讼"),
    Scenario("narrative_sheet_deleted", lambda book: book.remove(book["五、问题及改进"]),
             "sheet-missing", ("五、问题及改进", None)),
    # Seed 002 publishes this very typo.
    Scenario("label_typo", set_cell(*label_cell_of("6.属于四类过程性信息", "t3"), "6.属于四类内部事务信息"),
             "label-mismatch", label_cell_of("6.属于四类过程性信息", "t3"), "6.属于四类过程性信息", "6.属于四类内部事务信息"),
    Scenario("row_inserted", lambda book: book["三、依申请公开"].insert_rows(10),
             "structure-changed", label_cell_of("三、本年度办理结果", "t3"), "三、本年度办理结果", "（空白）"),
    Scenario("row_deleted", lambda book: book["三、依申请公开"].delete_rows(int(label_cell_of("2.重复申请", "t3")[1][1:])),
             "structure-changed", label_cell_of("2.重复申请", "t3"), "2.重复申请", "3.要求提供公开出版物"),
    Scenario("column_inserted", lambda book: book["四、复议诉讼"].insert_cols(3),
             "structure-changed", ("四、复议诉讼", "F5"), "行政诉讼", "（空白）"),
    Scenario("control_characters_pasted", set_cell(S1, narrative_cell(0), FIRST_PARAGRAPH + "_x0007__x000B_权力运行"),
             "text-control-chars", (S1, narrative_cell(0)), actual="2"),
    Scenario("published_exceeds_public_total", set_figure("t2.normative.published", 10),
             "t2-published-exceeds-total", cell_of("t2.normative.published"), "9", "10"),
    Scenario("narrative_contradicts_table", set_cell(S1, narrative_cell(0), "2020年，共收到政府信息公开申请41件。"),
             "narrative-mismatch", (S1, narrative_cell(0)), "40", "41"),
    Scenario("lead_contradicts_table", set_cell(T4, "B3", "本年度被申请行政复议3起。"),
             "narrative-mismatch", (T4, "B3"), "2", "3"),
    Scenario("workbook_of_2019_format_for_2021", edits(set_meta("year", 2021), set_cell(*_info("year"), 2021)),
             "format-year-mismatch", _info("format_id"), "国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号"),
]


def _only_finding(path: Path, previous: Path | None = None):
    result = check_workbook(path, previous=previous)
    assert len(result.findings) == 1, [str(item) for item in result.findings]
    return result.findings[0]


def _assert_finding(item, code: str, where, expected: str | None, actual: str | None) -> None:
    assert (item.code, item.sheet, item.cell) == (code, *where), str(item)
    assert item.severity is RULES[code].severity
    if expected is not None:
        assert item.expected == expected and expected in item.message
    if actual is not None:
        assert item.actual == actual and actual in item.message


def test_sample_workbook_passes_clean() -> None:
    assert check_workbook(SAMPLE).findings == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_each_rule_broken_alone_gives_one_finding(scenario: Scenario, tmp_path: Path) -> None:
    path = edited_copy(SAMPLE, tmp_path / f"{scenario.name}.xlsx", scenario.edit)
    _assert_finding(_only_finding(path), scenario.code, scenario.where, scenario.expected, scenario.actual)


def test_outcome_total_message_names_cell_entered_and_computed(tmp_path: Path) -> None:
    scenario = SCENARIOS[0]
    item = _only_finding(edited_copy(SAMPLE, tmp_path / "x.xlsx", scenario.edit))
    assert str(item) == f"[错误] '三、依申请公开'!{scenario.where[1]}：（七）总计（自然人）应为 43，填写为 37（t3-outcome-total）"


def test_one_mistake_does_not_cascade_into_other_rules(tmp_path: Path) -> None:
    """A rejected 一、本年新收 cell is reported once, not again as a broken 勾稽关系 or narrative."""
    edit = edits(set_figure("t3.new.natural", "39件"), set_cell(S1, narrative_cell(0), "共收到政府信息公开申请40件。"))
    item = _only_finding(edited_copy(SAMPLE, tmp_path / "x.xlsx", edit))
    assert item.code == "count-not-number"


def test_swapped_rows_name_both_labels(tmp_path: Path) -> None:
    first, second = label_cell_of("（一）予以公开", "t3"), label_cell_of("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "t3")

    def swap(book) -> None:
        sheet = book[first[0]]
        sheet[first[1]].value, sheet[second[1]].value = sheet[second[1]].value, sheet[first[1]].value

    result = check_workbook(edited_copy(SAMPLE, tmp_path / "x.xlsx", swap))
    assert [(item.code, item.cell) for item in result.findings] == [
        ("label-mismatch", first[1]), ("label-mismatch", second[1])]


def test_2021_workbook_keeping_the_old_other_handling_row(tmp_path: Path) -> None:
    """The bottom of a 2019 table pasted into a 2021 workbook: （六）其他处理 without its three sub-rows."""
    path = write_report(tmp_path / "2021.xlsx", report_2021(2021, (5, 30)))
    sheet_name, first_sub_item = label_cell_of(
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "t3", "2021")
    row = int(first_sub_item[1:])

    def paste_2019_rows(book) -> None:
        sheet = book[sheet_name]
        for merged in [merged for merged in sheet.merged_cells.ranges if merged.max_row >= row]:
            sheet.unmerge_cells(str(merged))
        for cell in (f"{column}{row + offset}" for column in "ABC" for offset in range(5)):
            sheet[cell] = None
        sheet[f"B{row}"], sheet[f"B{row + 1}"] = "（六）其他处理", "（七）总计"
        sheet[f"A{row + 2}"] = "四、结转下年度继续办理"

    result = check_workbook(edited_copy(path, tmp_path / "pasted.xlsx", paste_2019_rows))
    assert [(item.code, item.sheet, item.cell) for item in result.findings] == [
        ("structure-changed", sheet_name, first_sub_item)]
    assert "共 5 处" in result.findings[0].message


def test_2019_workbook_relabelled_as_2021_format(tmp_path: Path) -> None:
    edit = edits(set_meta("format", "2021"), set_cell(*_info("format_id"), "2021"))
    result = check_workbook(edited_copy(SAMPLE, tmp_path / "x.xlsx", edit))
    # read by its labels as the 2019 format it is; the edited format cell is reported
    assert sorted((item.code, item.sheet, item.cell) for item in result.findings) == [
        ("format-detected", "二、主动公开", None), ("info-invalid", INFO_SHEET, info_cell("format_id"))]


@pytest.mark.parametrize(("format_id", "year", "expected"), [
    ("2021", 2020, "国办公开办函〔2019〕60号"), ("2019", 2025, "国办公开办函〔2021〕30号"),
    ("2019", 2020, None), ("2021", 2021, None)])
def test_format_year_mismatch_both_ways(format_id: str, year: int, expected: str | None) -> None:
    item = format_year_mismatch(get_format(format_id), year)
    assert (item and item.expected) == expected
    if item:
        assert item.severity is Severity.WARNING and item.message.startswith(f"{year} 年度的报告应使用 {expected} 格式")


# --- year to year (--previous) ------------------------------------------------------------------


@dataclass(frozen=True)
class YearScenario:
    name: str
    make: Callable[[Path], tuple[Path, Path]]  # (this year's workbook, last year's workbook)
    code: str
    where: tuple[str | None, str | None]
    expected: str | None = None
    actual: str | None = None


def _sample_after(previous_edit: Edit) -> Callable[[Path], tuple[Path, Path]]:
    def make(tmp_path: Path) -> tuple[Path, Path]:
        last_year = write_report(tmp_path / "2019.xlsx", last_year_of_sample())
        return SAMPLE, edited_copy(last_year, tmp_path / "2019-edited.xlsx", previous_edit)

    return make


def _2022_after(in_force_2021: tuple[int, int]) -> Callable[[Path], tuple[Path, Path]]:
    def make(tmp_path: Path) -> tuple[Path, Path]:
        last_year = report_2021(2021, in_force_2021)
        this_year = report_2021(2022, (5, 30))
        return write_report(tmp_path / "2022.xlsx", this_year), write_report(tmp_path / "2021.xlsx", last_year)

    return make


YEAR_SCENARIOS = [
    YearScenario("carried_over_differs_from_last_year",
                 _sample_after(set_figure("t3.carried_forward.natural", 12)),
                 "t3-carry-over", cell_of("t3.carried_over.natural"), "12", "11"),
    YearScenario("project_count_does_not_follow_last_year", _sample_after(set_figure("t2.licensing.change", 6)),
                 "t2-carry-over", cell_of("t2.licensing.previous"), "96", "95"),
    YearScenario("in_force_does_not_follow_last_year", _2022_after((4, 26)),
                 "t2-carry-over", cell_of("t2.normative.in_force", "2021"), "31", "30"),
    YearScenario("previous_is_this_years_workbook", lambda tmp_path: (SAMPLE, SAMPLE),
                 "previous-year-mismatch", (None, None), "2019", "2020"),
]


@pytest.mark.parametrize("make", [_sample_after(lambda book: None), _2022_after((4, 25))],
                         ids=["2019_format", "2021_format"])
def test_consistent_years_pass_clean(make, tmp_path: Path) -> None:
    this_year, last_year = make(tmp_path)
    assert check_workbook(last_year).findings == []
    assert check_workbook(this_year, previous=last_year).findings == []


@pytest.mark.parametrize("scenario", YEAR_SCENARIOS, ids=lambda scenario: scenario.name)
def test_each_year_to_year_rule_broken_alone(scenario: YearScenario, tmp_path: Path) -> None:
    this_year, last_year = scenario.make(tmp_path)
    item = _only_finding(this_year, previous=last_year)
    _assert_finding(item, scenario.code, scenario.where, scenario.expected, scenario.actual)


def test_in_force_message_shows_how_it_was_reckoned(tmp_path: Path) -> None:
    this_year, last_year = YEAR_SCENARIOS[2].make(tmp_path)
    assert _only_finding(this_year, previous=last_year).message == (
        "行政规范性文件（现行有效件数）按上年度报告推算应为 31（上年度行政规范性文件（现行有效件数）26 + "
        "本年度行政规范性文件（本年制发件数）7 − 本年度行政规范性文件（本年废止件数）2），填写为 30")


def test_2021_report_after_a_2019_format_year_compares_table_three_only(tmp_path: Path) -> None:
    """2020 used the 2019 format: it has no 现行有效件数, but its 结转下年度 still carries over."""
    last_year = write_report(tmp_path / "2020.xlsx", last_year_of_sample().model_copy(
        update={"info": last_year_of_sample().info.model_copy(update={"year": 2020})}))
    this_year = write_report(tmp_path / "2021.xlsx", report_2021(2021, (5, 30)))
    result = check_workbook(this_year, previous=last_year)
    assert result.findings == []
    broken = edited_copy(last_year, tmp_path / "2020-edited.xlsx", set_figure("t3.carried_forward.business", 2))
    item = _only_finding(this_year, previous=broken)
    assert (item.code, item.cell, item.expected, item.actual) == (
        "t3-carry-over", cell_of("t3.carried_over.business", "2021")[1], "2", "0")


def test_unreadable_table_of_last_year_is_not_compared(tmp_path: Path) -> None:
    """Last year's table 三 has a changed label, so its 结转下年度 is unknown: no carry-over guess."""
    last_year = write_report(tmp_path / "2019.xlsx", last_year_of_sample())
    broken = edited_copy(last_year, tmp_path / "2019-edited.xlsx", edits(
        set_figure("t3.carried_forward.natural", 12), set_cell(*label_cell_of("2.重复申请", "t3"), "2.重复")))
    assert check_workbook(SAMPLE, previous=broken).findings == []


def test_figures_built_in_code_obey_their_cell_kinds() -> None:
    """A Report that did not come through the workbook reader (e.g. from other systems) is typed too."""
    report = seed_report("003")
    report = report.model_copy(update={"figures": {**report.figures, "t3.new.business": -1,
                                                   "t2.procurement.amount": Decimal("19696.999")},
                                       "units": {"t2.procurement.amount": "元"}})  # 元: to the fen is 2 decimals
    kinds = [(item.code, item.actual) for item in run_checks(report) if item.code.startswith(("amount", "count"))]
    assert kinds == [("amount-invalid", "19696.999"), ("count-negative", "-1")]


# --- coverage of the catalogue ------------------------------------------------------------------

CODES_COVERED_ELSEWHERE = {
    "file-unreadable",  # tests/test_bad_input.py: one scenario per kind of unreadable file
    "format-detected",  # tests/test_bad_input.py and tests/test_formats.py: record missing, unknown or wrong
    "data-unknown-cell",  # tests/test_exchange.py: a JSON data file naming a cell the format lacks
    "build-failed",  # tests/test_batch.py: a disk that fills up while writing a DOCX
    # tests/test_published.py: real published reports that print these
    "published-section-missing", "published-section-order", "published-label-deviates", "published-label-missing",
    "published-table-unreadable", "published-cells-unreadable", "published-cells-ambiguous", "published-cell-blank",
    "published-format-mixed",
    "values-only",  # tests/test_saved_as.py: the .ods and .xls saved by LibreOffice
}


def test_every_rule_has_a_scenario() -> None:
    covered = {scenario.code for scenario in SCENARIOS} | {scenario.code for scenario in YEAR_SCENARIOS}
    assert covered | CODES_COVERED_ELSEWHERE == set(RULES)


def test_warnings_are_exactly_the_plausibility_rules() -> None:
    warnings = {code for code, rule in RULES.items() if rule.severity is Severity.WARNING}
    assert warnings == {"format-year-mismatch", "t2-published-exceeds-total", "t3-carry-over", "t2-carry-over",
                        "narrative-mismatch", "format-detected", "published-section-missing",
                        "published-section-order", "published-label-deviates", "published-label-missing",
                        "published-cells-ambiguous", "published-cell-blank", "published-format-mixed"}
