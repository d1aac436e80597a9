"""Both official formats through one suite: workbook labels, every rule on its own cell, DOCX tables and merges."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from reportgen import api
from reportgen.cli import main
from tests.docxgrid import table_grid, table_spans
from tests.seeds import SAMPLE_2021, load_sample_2021_json, load_seed_json, sample_path

TABLE_TOP = 5  # first table row on a table sheet (the layout the clerk sees)


@dataclass(frozen=True)
class Case:
    """One format with its sample workbook, the sample's data, and what the spec says differs."""

    format_id: str
    sample: Path
    data: dict
    results_rowspan: int  # rows spanned by 三、本年度办理结果
    t3_body_rows: int
    handled_row: int  # spreadsheet row of （七）总计 on sheet 三
    t2_labels: tuple[tuple[str, ...], ...]  # the text cells of each row of table 二, top to bottom


T2_2019 = (
    ("第二十条第（一）项",), ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章",), ("规范性文件",),
    ("第二十条第（五）项",), ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可",),
    ("其他对外管理服务事项",),
    ("第二十条第（六）项",), ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚",), ("行政强制",),
    ("第二十条第（八）项",), ("信息内容", "上一年项目数量", "本年增/减"), ("行政事业性收费",),
    ("第二十条第（九）项",), ("信息内容", "采购项目数量", "采购总金额"), ("政府集中采购",),
)
T2_2021 = (
    ("第二十条第（一）项",), ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), ("规章",), ("行政规范性文件",),
    ("第二十条第（五）项",), ("信息内容", "本年处理决定数量"), ("行政许可",),
    ("第二十条第（六）项",), ("信息内容", "本年处理决定数量"), ("行政处罚",), ("行政强制",),
    ("第二十条第（八）项",), ("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费",),
)
CASES = {
    "2019": Case("2019", sample_path("003"), load_seed_json("003"), 20, 23, 29, T2_2019),
    "2021": Case("2021", SAMPLE_2021, load_sample_2021_json(), 22, 25, 31, T2_2021),
}
BOTH = pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())

T3_LABELS_BEFORE_OTHER = (
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
)
OTHER_HANDLING_2021 = (
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
)
T3_LEAF_LABELS = {
    "2019": (*T3_LABELS_BEFORE_OTHER, "（六）其他处理", "（七）总计", "四、结转下年度继续办理"),
    "2021": (*T3_LABELS_BEFORE_OTHER, *OTHER_HANDLING_2021, "（七）总计", "四、结转下年度继续办理"),
}


def copy_of(case: Case, directory: Path) -> Path:
    target = directory / case.sample.name
    shutil.copyfile(case.sample, target)
    return target


def type_into(path: Path, sheet: str, cells: dict[str, object]) -> None:
    """Type values into cells as a clerk would, keeping everything else."""
    book = openpyxl.load_workbook(path)
    for cell, value in cells.items():
        book[sheet][cell] = value
    book.save(path)


def build(path: Path, output: Path) -> docx.Document:
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return docx.Document(str(output))


def text_rows(sheet, first: int, last: int, width: int = 4) -> list[tuple[str, ...]]:
    """The text cells of rows ``first``..``last`` within the table's width (table 二 is 4 columns wide)."""
    rows = sheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)
    return [tuple(v for v in row if isinstance(v, str)) for row in rows]


# --- format choice -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year, format_id", [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")])
def test_template_picks_the_format_from_the_year_without_options(tmp_path, year, format_id):
    path = tmp_path / "x.xlsx"
    result = CliRunner().invoke(main, ["template", str(path), "--year", str(year)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book["_reportgen"]["B3"].value == format_id
    assert text_rows(book["二、主动公开"], TABLE_TOP + 1, TABLE_TOP + 1) == [CASES[format_id].t2_labels[1]]


def test_format_option_overrides_the_year_and_check_names_the_mismatch(tmp_path):
    path = tmp_path / "x.xlsx"
    CliRunner().invoke(main, ["template", str(path), "--year", "2025", "--agency", "某局", "--format", "2019"])
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert ("[警告] '基本信息'!B5：2025 年度的报告应使用 国办公开办函〔2021〕30号 格式，"
            "本工作簿使用的是 国办公开办函〔2019〕60号 格式（format-year-mismatch）") in result.output


@BOTH
def test_format_is_detected_from_the_labels_when_the_record_is_missing(tmp_path, case):
    path = copy_of(case, tmp_path)
    book = openpyxl.load_workbook(path)
    del book["_reportgen"]
    book.save(path)
    result = api.check_workbook(path)
    assert [(f.code, f.sheet) for f in result.findings] == [("format-detected", "二、主动公开")]
    assert result.report.info.format_id == case.format_id
    assert result.report.info.year == case.data["year"]
    assert result.report.value("t3.new.total") == case.data["table3"]["一、本年新收政府信息公开申请数量"][6]


def test_an_unknown_recorded_format_is_named_and_the_labels_decide(tmp_path):
    path = copy_of(CASES["2021"], tmp_path)
    type_into(path, "_reportgen", {"B3": "2023"})
    result = api.check_workbook(path)
    assert result.report.info.format_id == "2021"
    assert [f.message for f in result.findings] == [
        "工作簿记录的报告格式“2023”无法识别，按表格标签识别为2021（国办公开办函〔2021〕30号）格式读取"]


@BOTH
def test_labels_win_over_a_record_that_names_the_other_format(tmp_path, case):
    path = copy_of(case, tmp_path)
    other = "2019" if case.format_id == "2021" else "2021"
    type_into(path, "_reportgen", {"B3": other})
    result = api.check_workbook(path)
    assert result.report.info.format_id == case.format_id
    assert [f.code for f in result.findings] == ["format-detected"]
    assert f"工作簿记录的报告格式为 {other}，与表格标签不符" in result.findings[0].message


def test_a_foreign_workbook_without_record_or_labels_exits_3(tmp_path):
    path = tmp_path / "foreign.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "基本信息"
    book["基本信息"]["B4"] = 2025
    book.create_sheet("二、主动公开")["A5"] = "项目"
    book.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 3
    assert "无法识别报告格式" in result.output and "Traceback" not in result.output


def test_the_comma_spelling_of_the_2021_sub_items_is_accepted(tmp_path):
    path = copy_of(CASES["2021"], tmp_path)
    type_into(path, "三、依申请公开", {"C28": OTHER_HANDLING_2021[0].replace("、", "，"),
                                     "C29": OTHER_HANDLING_2021[1].replace("、", "，")})
    assert api.check_workbook(path).findings == []


# --- the workbook shows the official labels ------------------------------------------------------------------


@BOTH
def test_workbook_table2_shows_the_exact_labels(tmp_path, case):
    path = tmp_path / "x.xlsx"
    api.create_template(path, year=case.data["year"])
    sheet = openpyxl.load_workbook(path)["二、主动公开"]
    assert text_rows(sheet, TABLE_TOP, TABLE_TOP + len(case.t2_labels) - 1) == list(case.t2_labels)
    assert sheet.cell(TABLE_TOP + len(case.t2_labels), 1).value is None


def test_2021_single_value_blocks_span_three_columns_in_the_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    api.create_template(path, year=2025)
    merged = {str(r) for r in openpyxl.load_workbook(path)["二、主动公开"].merged_cells.ranges}
    assert {"B10:D10", "B11:D11", "B13:D13", "B14:D14", "B15:D15", "B17:D17", "B18:D18"} <= merged


@BOTH
def test_workbook_table3_shows_the_exact_row_labels_and_groups(tmp_path, case):
    path = tmp_path / "x.xlsx"
    api.create_template(path, year=case.data["year"])
    sheet = openpyxl.load_workbook(path)["三、依申请公开"]
    first = TABLE_TOP + 3
    leaves = [next(v for v in reversed(row[:3]) if v is not None)
              for row in sheet.iter_rows(first, first + case.t3_body_rows - 1, values_only=True)]
    assert tuple(leaves) == T3_LEAF_LABELS[case.format_id]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A10:A{10 + case.results_rowspan - 1}" in merged
    other_handling = "B28:B30" if case.format_id == "2021" else "B28:C28"
    assert other_handling in merged and sheet["B28"].value == "（六）其他处理"


def test_2021_narrative_sheets_ask_for_the_customary_items(tmp_path):
    path = tmp_path / "x.xlsx"
    api.create_template(path, year=2025)
    book = openpyxl.load_workbook(path)
    assert [book["五、问题及改进"].cell(r, 1).value for r in (4, 5, 6)] == [
        "上年度问题整改情况", "本年度存在的问题", "改进措施"]
    six = book["六、其他事项"]
    assert [six.cell(r, 1).value for r in (4, 5, 6)] == [
        "信息处理费收取情况（元）", "政务公开工作要点落实情况\n（选填）",  # （选填） on a line of its own
        "人大代表建议和政协提案办理结果公开情况\n（选填）"]
    assert six["B4"].value == 0 and six["B4"].protection.locked is False
    assert six["A8"].value == "小标题（选填，不含“（一）”等序号）"


def test_2019_narrative_sheets_keep_paragraph_rows_only(tmp_path):
    path = tmp_path / "x.xlsx"
    api.create_template(path, year=2020)
    six = openpyxl.load_workbook(path)["六、其他事项"]
    assert six["A3"].value == "小标题（选填，不含“（一）”等序号）" and six["A4"].value is None


# --- every rule fires on its own broken cell -----------------------------------------------------------------

# (format, code, sheet, cell, value typed) — each break yields exactly the findings listed in BREAK_FINDINGS.
BREAKS = [
    *[(fmt, code, "三、依申请公开", "D12", value) for fmt in ("2019", "2021") for code, value in (
        ("count-negative", -1), ("count-not-integer", 1.5), ("count-not-number", "三"),
        ("count-too-large", 20_000_000), ("formula-error", "#REF!"), ("input-formula", "=1+1"),
        ("blank-as-zero", None))],
    *[(fmt, "t3-row-total", "三、依申请公开", "J10", 999) for fmt in ("2019", "2021")],
    *[(fmt, "t4-total", "四、复议诉讼", "E8", 99) for fmt in ("2019", "2021")],
    ("2019", "amount-invalid", "二、主动公开", "C22", -5),
    ("2019", "amount-unit-invalid", "二、主动公开", "E22", "千元"),
    ("2021", "amount-invalid", "二、主动公开", "B18", "1.2345678"),  # 万元 to the fen is 6 decimals
    ("2021", "amount-invalid", "六、其他事项", "B4", -300),
    ("2021", "label-mismatch", "三、依申请公开", "C30", "3.其它"),
    ("2019", "label-mismatch", "三、依申请公开", "B28", "（六）其它处理"),
]


@pytest.mark.parametrize("format_id, code, sheet, cell, value", BREAKS,
                         ids=[f"{b[0]}-{b[1]}-{b[3]}" for b in BREAKS])
def test_each_rule_fires_on_its_own_broken_cell(tmp_path, format_id, code, sheet, cell, value):
    path = copy_of(CASES[format_id], tmp_path)
    assert api.check_workbook(path).findings == []
    type_into(path, sheet, {cell: value})
    findings = api.check_workbook(path).findings
    assert [(f.code, f.sheet, f.cell) for f in findings] == [(code, sheet, cell)]


@BOTH
def test_balance_fires_once_in_the_broken_column(tmp_path, case):
    """The 总计 column is out of balance for the same reason, so it is not reported a second time."""
    path = copy_of(case, tmp_path)
    new_natural = case.data["table3"]["一、本年新收政府信息公开申请数量"][0]
    type_into(path, "三、依申请公开", {"D8": new_natural + 1})
    findings = [f for f in api.check_workbook(path).findings if f.severity == "error"]
    row = case.handled_row
    assert [(f.code, f.cell) for f in findings] == [("t3-balance", f"D{row}")]


@BOTH
def test_a_wrong_hand_typed_outcome_total_is_reported_at_its_cell(tmp_path, case):
    path = copy_of(case, tmp_path)
    handled = list(case.data["table3"].values())[-2]
    row = case.handled_row
    type_into(path, "三、依申请公开", {f"D{row}": handled[0] + 1})
    findings = api.check_workbook(path).findings
    assert [(f.code, f.cell) for f in findings] == [("t3-outcome-total", f"D{row}")]
    assert findings[0].expected == str(handled[0]) and findings[0].actual == str(handled[0] + 1)


@BOTH
def test_format_year_mismatch_fires_on_the_format_cell(tmp_path, case):
    path = copy_of(case, tmp_path)
    wrong_year = 2025 if case.format_id == "2019" else 2020
    type_into(path, "_reportgen", {"B4": wrong_year})
    type_into(path, "基本信息", {"B4": wrong_year})
    findings = api.check_workbook(path).findings
    assert [(f.code, f.sheet, f.cell) for f in findings] == [("format-year-mismatch", "基本信息", "B5")]


# --- DOCX tables match the figures cell by cell ----------------------------------------------------------------


def expected_table2(case: Case) -> list[list[str]]:
    """Data rows of table 二 as printed: label, then the values over three columns (one value spans all three)."""
    rows = []
    for label, columns in case.data["table2"].items():
        values = [_printed(value, column) for column, value in columns.items()]
        rows.append([label, *(values * 3 if len(values) == 1 else values + [""] * (3 - len(values)))])
    return rows


def _printed(value, column: str) -> str:
    if isinstance(value, dict):
        return f"{value['value']}{value['unit']}"
    return f"+{value}" if column == "本年增/减" and value > 0 else str(value)


def expected_table3(case: Case) -> list[list[str]]:
    """Table 三's body: the inputs as given, （七）总计 and the 总计 column recomputed here."""
    rows = [list(values[:6]) for values in case.data["table3"].values()]
    rows[-2] = [sum(row[c] for row in rows[2:-2]) for c in range(6)]
    return [[str(v) for v in row + [sum(row)]] for row in rows]


def expected_table4(case: Case) -> list[str]:
    parts = case.data["table4"]
    return [str(v) for start in (0, 5, 10) for v in (*parts[start:start + 4], sum(parts[start:start + 4]))]


@BOTH
def test_published_totals_of_the_samples_equal_the_recomputed_ones(case):
    assert [[str(v) for v in row] for row in case.data["table3"].values()] == expected_table3(case)
    assert [str(v) for v in case.data["table4"]] == expected_table4(case)


@BOTH
def test_docx_tables_match_the_figures_cell_by_cell(tmp_path, case):
    document = build(copy_of(case, tmp_path), tmp_path / "r.docx")
    t2, t3, t4 = (table_grid(table) for table in document.tables)
    assert [row for row in t2 if row[0] not in ("信息内容",) and not row[0].startswith("第二十条")] == expected_table2(case)
    body = t3[3:]
    assert len(body) == case.t3_body_rows
    assert [row[2] for row in body] == list(T3_LEAF_LABELS[case.format_id])
    assert [row[3:] for row in body] == expected_table3(case)
    assert t4[3] == expected_table4(case)


@BOTH
def test_docx_table3_merges(tmp_path, case):
    spans = table_spans(build(copy_of(case, tmp_path), tmp_path / "r.docx").tables[1])
    assert (spans[(5, 0)].text, spans[(5, 0)].rowspan, spans[(5, 0)].colspan) == ("三、本年度办理结果", case.results_rowspan, 1)
    other = spans[(23, 1)]
    assert other.text == "（六）其他处理"
    assert (other.rowspan, other.colspan) == ((3, 1) if case.format_id == "2021" else (1, 2))
    handled = 3 + case.t3_body_rows - 2
    assert (spans[(handled, 1)].text, spans[(handled, 1)].colspan) == ("（七）总计", 2)
    assert (spans[(handled + 1, 0)].text, spans[(handled + 1, 0)].colspan) == ("四、结转下年度继续办理", 3)


def test_docx_2021_table2_spans_and_decimal_fee_as_entered(tmp_path):
    path = copy_of(CASES["2021"], tmp_path)
    type_into(path, "二、主动公开", {"B18": "0.1250"})
    table = build(path, tmp_path / "r.docx").tables[0]
    spans = table_spans(table)
    assert [(spans[(r, 1)].text, spans[(r, 1)].colspan) for r in (6, 9, 10)] == [
        ("1268", 3), ("352", 3), ("27", 3)]
    assert [s.text for (r, c), s in sorted(spans.items()) if s.colspan == 4] == [
        f"第二十条第（{n}）项" for n in ("一", "五", "六", "八")]
    assert (spans[(13, 1)].text, spans[(13, 1)].colspan) == ("0.1250", 3)


# --- sections 五 and 六 ------------------------------------------------------------------------------------------


def section_texts(document: docx.Document, heading: str, following: str | None) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    end = texts.index(following) if following else len(texts)
    return [t for t in texts[texts.index(heading) + 1:end] if t]


def test_2021_sections_five_and_six_print_the_items_then_the_paragraphs(tmp_path):
    document = build(copy_of(CASES["2021"], tmp_path), tmp_path / "r.docx")
    items = CASES["2021"].data["items"]
    five = section_texts(document, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    assert five == [f"（一）上年度问题整改情况。{items['s5.rectification']}",
                    f"（二）本年度存在的问题。{items['s5.problems']}",
                    f"（三）改进措施。{items['s5.improvements']}"]
    six = section_texts(document, "六、其他需要报告的事项", None)
    assert six[0] == "（一）信息处理费收取情况。依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费300元。"
    assert six[1] == f"（二）政务公开工作要点落实情况。{items['s6.work_priorities']}"
    assert six[2] == f"（三）人大代表建议和政协提案办理结果公开情况。{items['s6.proposals']}"
    assert six[3].startswith("（四）政务公开工作创新情况。")


def test_2021_no_fee_and_no_optional_items(tmp_path):
    path = copy_of(CASES["2021"], tmp_path)
    type_into(path, "六、其他事项", {"B4": None, "B5": None, "B6": None, "A9": None, "B9": None})
    document = build(path, tmp_path / "r.docx")
    six = section_texts(document, "六、其他需要报告的事项", None)
    assert six[0] == "（一）信息处理费收取情况。依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。"
    assert len(six) == 3  # the sentence, then the sign-off name and date


def test_2019_section_six_is_the_narrative_alone(tmp_path):
    document = build(copy_of(CASES["2019"], tmp_path), tmp_path / "r.docx")
    six = section_texts(document, "六、其他需要报告的事项", None)
    assert six == ["本年度无其他需要报告的事项。", "福州高新技术产业开发区", "2021年1月20日"]


def test_2021_items_survive_a_template_round_trip(tmp_path):
    first = api.check_workbook(SAMPLE_2021).report
    path = tmp_path / "again.xlsx"
    api.create_template(path, year=2025, agency=first.info.agency, report=first)
    again = api.check_workbook(path).report
    assert again.item_texts == first.item_texts and len(first.item_texts) == 5
    assert again.item_amounts == first.item_amounts == {"s6.processing_fee": 300}
    assert again.figures == first.figures


# --- year to year ------------------------------------------------------------------------------------------------


def test_2021_declares_the_in_force_carry_over():
    from reportgen.checks.findings import RULES, Severity
    from reportgen.formats import get_format

    fmt = get_format("2021")
    carry = next(rule for rule in fmt.carry_overs if rule.target == "t2.regulation.in_force")
    assert [(term.key, term.last_year, term.sign) for term in carry.terms] == [
        ("t2.regulation.in_force", True, 1), ("t2.regulation.issued", False, 1), ("t2.regulation.repealed", False, -1)]
    assert [fmt.field(term.key).column.label for term in carry.terms] == ["现行有效件数", "本年制发件数", "本年废止件数"]
    assert RULES[carry.code].severity is Severity.WARNING
