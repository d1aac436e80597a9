"""Published reports read back (tests/data/published: real pages, a real PDF, seeds) and checked by every rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from PIL import Image

from reportgen.api import audit_document, build_report, check_workbook
from reportgen.checks.findings import Severity
from reportgen.cli import main
from reportgen.model import compute_values
from reportgen.published.reader import read_published
from reportgen.workbook.reader import read_workbook
from tests.seeds import seed_report
from tests.workbooks import SAMPLE

DATA = Path(__file__).parent / "data" / "published"
JUNSHAN = DATA / "2020_pingtan_junshan" / "page.txt"
NONGYE = DATA / "2021_pingtan_nongye" / "page.txt"
CAIJIN_2024 = DATA / "2024_pingtan_caijin"
HUAIAN = DATA / "2024_huaian_shizhengfu" / "report.pdf"
T3 = "三、依申请公开"


def _errors(result) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    return [(item.code, item.sheet, item.cell, item.expected, item.actual)
            for item in result.findings if item.severity is Severity.ERROR]


def _row(result, row: str) -> list:
    values = compute_values(result.report.format, result.report.figures, result.report.entered_totals)
    columns = ("natural", "business", "research", "nonprofit", "legal", "other", "total")
    return [values[f"t3.{row}.{column}"] for column in columns]


def test_published_arithmetic_error_of_nongye_is_reported_per_column():
    result = audit_document(NONGYE)
    assert (result.report.info.agency, result.report.info.year, result.report.format.id) == (
        "平潭综合实验区农业农村局", 2021, "2021")
    assert _row(result, "new") == [2, 0, 0, 0, 0, 1, 3]  # printed 2000013
    assert _row(result, "unable_not_held") == [1, 0, 0, 0, 0, 1, 2]
    assert _errors(result) == [
        ("t3-outcome-total", T3, "（七）总计（自然人）", "2", "3"),
        ("t3-outcome-total", T3, "（七）总计（其他）", "1", "0"),
    ]
    # a published figure was printed, not typed: the message says so
    assert [item.message for item in result.findings if item.code == "t3-outcome-total"] == [
        "（七）总计（自然人）应为 2，印为 3", "（七）总计（其他）应为 1，印为 0"]


def test_published_arithmetic_error_of_junshan_and_its_ambiguous_runs():
    result = audit_document(JUNSHAN)
    assert _row(result, "new") == [1, 0, 0, 0, 0, 1, 2]  # printed 10 0 0 012
    assert _errors(result) == [
        ("t3-outcome-total", T3, "（七）总计（自然人）", "1", "0"),
        ("t3-outcome-total", T3, "（七）总计（其他）", "1", "0"),
    ]
    ambiguous = {item.cell: item.expected for item in result.findings if item.code == "published-cells-ambiguous"}
    assert ambiguous["规范性文件（本年新制作数量）"] == "2，2，11；2，21，1；22，1，1"
    assert ambiguous["行政许可（上一年项目数量）"] == "0，1，24；0，12，4"
    assert "t2.normative.made" in read_unknown(JUNSHAN)


def read_unknown(path: Path) -> set[str]:
    return read_published(path).unreadable


@pytest.mark.parametrize("name", ["page.txt", "page.html"])
def test_report_that_adds_up_has_no_error_and_same_figures_in_text_and_web_page(name):
    result = audit_document(CAIJIN_2024 / name)
    assert _errors(result) == []
    assert _row(result, "new") == [2, 0, 0, 0, 0, 0, 2]  # printed 20 0 0 0 02
    assert _row(result, "handled_total") == [2, 0, 0, 0, 0, 0, 2]
    assert result.report.figures["t2.fees.fee_amount"] == Decimal("18651.064104")
    assert result.report.figures["t2.normative.in_force"] == 1


def test_pdf_tables_read_by_position():
    result = audit_document(HUAIAN)
    assert result.findings == []
    assert _row(result, "new") == [3001, 53, 0, 0, 61, 4, 3119]
    assert _row(result, "handled_total") == [2932, 53, 0, 0, 61, 4, 3050]
    assert _row(result, "other_overdue_correction") == [67, 3, 0, 0, 1, 0, 71]  # printed 1、申请人…
    assert result.report.figures["t2.licensing.decisions"] == 447228
    assert result.report.figures["t4.cases.review_upheld"] == 72
    assert result.report.info.contact_phone == "0517-83605210"
    locations = read_published(HUAIAN).locations  # findings name the printed table, row, column and page
    assert locations["t3.handled_total.natural"] == ("三、依申请公开（第5页）", "（七）总计（自然人）")
    assert locations["t2.licensing.decisions"] == ("二、主动公开（第3页）", "行政许可（本年处理决定数量）")


def test_mixed_structure_and_bare_other_label_are_warnings():
    result = audit_document(DATA / "2021_pingtan_shehuishiye" / "page.txt")
    assert _errors(result) == []
    codes = {(item.code, item.sheet, item.cell) for item in result.findings}
    assert ("published-format-mixed", "二、主动公开", None) in codes
    assert ("published-label-deviates", T3, "3.其他") in codes


@pytest.mark.parametrize("number", ["003", "000", "004"])
def test_seed_text_figures_cell_for_cell(number):
    """003 puts every cell between bars, 000 between tabs, 004 on tab-indented lines; all leave cells blank
    (the seed records them as 0)."""
    result = audit_document(next(DATA.glob(f"{number}_*.txt")))
    assert {key: result.report.figures.get(key, 0) for key in seed_report(number).figures} == seed_report(number).figures
    assert _errors(result) == ([("info-missing", "标题", None, None, None)] if number == "003" else [])  # no title
    blanks = [item for item in result.findings if item.code == "published-cell-blank"]
    assert blanks and all(item.severity is Severity.WARNING for item in blanks)
    if number == "000":
        assert ("published-cell-blank", "四、复议诉讼", "行政复议（结果维持）") in {
            (item.code, item.sheet, item.cell) for item in blanks}
        assert "t4.cases.review_upheld" not in result.report.figures  # blank, not 0
    if number == "004":
        assert (result.report.figures["t2.licensing.change"], result.report.figures["t2.other_services.change"]) == (
            -1, -14)
        assert (result.report.figures["t2.procurement.amount"], result.report.units["t2.procurement.amount"]) == (
            109994, "元")


def test_gbk_web_page_without_charset_declaration(tmp_path):
    page = (CAIJIN_2024 / "page.html").read_text(encoding="utf-8")
    page = page.replace("charset=", "data-x=")
    path = tmp_path / "年报.html"
    path.write_bytes(page.encode("gbk", errors="ignore"))
    result = audit_document(path)
    assert result.report.info.agency == "平潭综合实验区财政金融局"
    assert _row(result, "new") == [2, 0, 0, 0, 0, 0, 2]


def test_scanned_pdf_exits_3_with_a_chinese_message(tmp_path):
    path = tmp_path / "扫描件.pdf"
    Image.new("RGB", (595, 842), "white").save(path)
    outcome = CliRunner().invoke(main, ["audit", str(path)])
    assert outcome.exit_code == 3
    assert "扫描件" in outcome.output and "没有文字层" in outcome.output


def test_own_docx_round_trip_gives_identical_figures(tmp_path):
    docx = build_report(SAMPLE, tmp_path / "年报.docx").output
    source = check_workbook(SAMPLE).report
    result = audit_document(docx)
    assert _errors(result) == []
    assert (result.report.info.agency, result.report.info.year) == (source.info.agency, source.info.year)
    assert {key: result.report.figures.get(key, 0) for key in source.figures} == source.figures
    assert result.report.units == source.units


def test_audit_json_has_check_shape_and_export_is_written_despite_errors(tmp_path):
    exported = tmp_path / "2021.json"
    outcome = CliRunner().invoke(main, ["audit", str(NONGYE), "--json", "--export", str(exported)])
    assert outcome.exit_code == 1
    document = json.loads(outcome.stdout)
    assert set(document) == {"file", "readable", "counts", "findings"}
    assert set(document["findings"][0]) == {"code", "severity", "sheet", "cell", "message", "expected", "actual"}
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["entered_totals"]["t3.handled_total.natural"] == 3
    assert data["figures"]["t3.new.other"] == 1


def test_template_previous_from_a_published_report_prefills_carried_over(tmp_path):
    output = tmp_path / "年报-2025.xlsx"
    outcome = CliRunner().invoke(main, ["template", str(output), "--year", "2025", "--previous", str(HUAIAN)])
    assert outcome.exit_code == 0, outcome.output
    report = read_workbook(output).report
    assert report.info.agency == "淮安市人民政府"
    assert report.info.contact_phone == "0517-83605210"
    assert [report.figures.get(f"t3.carried_over.{column}", 0) for column in ("natural", "business", "other")] == [
        103, 0, 0]


def test_check_previous_accepts_a_published_report(tmp_path):
    output = tmp_path / "年报-2025.xlsx"
    CliRunner().invoke(main, ["template", str(output), "--year", "2025", "--previous", str(HUAIAN)])
    result = check_workbook(output, previous=HUAIAN)
    # 上年结转 was pre-filled from the PDF's 结转下年度, so only 现行有效件数 (left 0) does not follow last year
    assert sorted((item.code, item.expected, item.actual) for item in result.findings
                  if item.code.endswith("carry-over")) == [("t2-carry-over", "11", "0"), ("t2-carry-over", "66", "0")]


def test_audit_all_writes_one_summary_row_per_report(tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    for path in (NONGYE, CAIJIN_2024 / "page.html"):
        (folder / f"{path.parent.name}{path.suffix}").write_bytes(path.read_bytes())
    summary = tmp_path / "评估结果.xlsx"
    outcome = CliRunner().invoke(main, ["audit-all", str(folder), "--summary", str(summary), "--jobs", "2"])
    assert outcome.exit_code == 1
    rows = list(openpyxl.load_workbook(summary).active.iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[2], row[3], row[6]) for row in rows] == [
        ("2021_pingtan_nongye.txt", "平潭综合实验区农业农村局", 2021, 2),
        ("2024_pingtan_caijin.html", "平潭综合实验区财政金融局", 2024, 0)]


def _edited_caijin(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = (CAIJIN_2024 / "page.txt").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "edited.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_typos_and_printed_variants_are_read_with_a_warning_naming_both_labels(tmp_path):
    path = _edited_caijin(
        tmp_path,
        ("勾稽", "钩稽"), ("行政复议行政诉讼", "行政法复议行政诉讼"), ("本年废止件数", "本年废纸件数"),
        ("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"), ("行政规范性文件021", "规范性文件021"),
        ("1.属于国家秘密", "1、属于国家秘密"), ("规章000", ""), ("行政处罚1", "行政处罚\u30001"))
    result = audit_document(path)
    assert _errors(result) == []
    assert _row(result, "new") == [2, 0, 0, 0, 0, 0, 2]
    assert result.report.figures["t2.normative.in_force"] == 1 and result.report.figures["t2.penalty.decisions"] == 1
    deviations = {(item.cell, item.actual) for item in result.findings if item.code == "published-label-deviates"}
    assert {("本年废止件数", "本年废纸件数"), ("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"),
            ("行政规范性文件", "规范性文件"), ("行政复议", "行政法复议")} <= deviations
    assert any(cell.startswith("（本列数据的勾稽关系") and "钩稽" in actual for cell, actual in deviations)
    missing = [(item.code, item.cell) for item in result.findings if item.code == "published-label-missing"]
    assert missing == [("published-label-missing", "规章")]
    assert {"t2.regulation.issued", "t2.regulation.in_force"} <= read_unknown(path)


def test_single_other_handling_row_of_2019_inside_a_2021_report(tmp_path):
    text = (CAIJIN_2024 / "page.txt").read_text(encoding="utf-8")
    start, end = text.index("（六）其他处理1."), text.index("（七）总计")
    path = tmp_path / "edited.txt"
    path.write_text(text[:start] + "（六）其他处理1 0 0 0 0 01" + text[end:], encoding="utf-8")
    result = audit_document(path)
    assert _row(result, "other_misc") == [1, 0, 0, 0, 0, 0, 1]
    assert _row(result, "other_overdue_fee") == [0] * 7
    assert [(item.code, item.cell) for item in result.findings if item.severity is not Severity.INFO] == [
        ("published-label-deviates", "（六）其他处理"),
        ("t3-outcome-total", "（七）总计（自然人）"),  # the edit added an outcome the 总计 does not count
    ]


def test_audit_previous_checks_carry_over_at_the_printed_cell(tmp_path):
    from tests.workbooks import edited_copy, last_year_of_sample, set_figure, write_report

    docx = build_report(SAMPLE, tmp_path / "2020.docx").output
    last_year = write_report(tmp_path / "2019.xlsx", last_year_of_sample())
    assert audit_document(docx, previous=last_year).findings == []
    broken = edited_copy(last_year, tmp_path / "2019-edited.xlsx", set_figure("t3.carried_forward.natural", 12))
    item, = audit_document(docx, previous=broken).findings
    assert (item.code, item.sheet, item.cell, item.expected, item.actual) == (
        "t3-carry-over", T3, "二、上年结转政府信息公开申请数量（自然人）", "12", "11")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("坏.pdf", b"not a pdf", "无法打开这个 PDF"), ("坏.docx", b"not a docx", "无法打开这个 DOCX"),
    ("空.html", b"<html></html>", "没有读到任何文字"), ("年报.xlsx", b"PK", "不是可读取的已发布年报")])
def test_unreadable_published_files_exit_3_in_chinese(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    outcome = CliRunner().invoke(main, ["audit", str(path)])
    assert outcome.exit_code == 3 and message in outcome.output and "Error" not in outcome.output


def test_old_portal_page_with_its_table_flattened_into_text_declared_gb2312(tmp_path):
    body = JUNSHAN.read_text(encoding="utf-8").split("==================== 正文 ====================")[1]
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            "<title>平潭综合实验区君山片区管理局2020年政府信息公开工作年度报告</title><script>var x = '2000013';</script>"
            f"</head><body><div class='nav'>首页 政务公开</div><div>{body}</div><div>版权所有</div></body></html>")
    path = tmp_path / "君山.htm"
    path.write_bytes(page.encode("gb18030"))
    result = audit_document(path)
    assert _row(result, "new") == [1, 0, 0, 0, 0, 1, 2]
    assert _errors(result) == _errors(audit_document(JUNSHAN))


def test_exported_figures_start_a_workbook_with_template_from(tmp_path):
    exported, workbook = tmp_path / "2024.json", tmp_path / "2024.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["audit", str(CAIJIN_2024 / "page.html"), "--export", str(exported)]).exit_code == 0
    assert runner.invoke(main, ["template", str(workbook), "--from", str(exported)]).exit_code == 0
    published, filled = audit_document(CAIJIN_2024 / "page.html").report, check_workbook(workbook)
    assert filled.findings == []
    assert filled.report.figures == published.figures and filled.report.info.agency == published.info.agency


def _cut(start: str, end: str) -> Callable[[str], str]:
    return lambda text: text[:text.index(start)] + text[text.index(end):]


STRUCTURE_SCENARIOS = [  # (what the edit does to a report that adds up, the one finding it must give)
    ("section_missing", lambda text: text.replace("六、其他需要报告的事项", "", 1),
     ("published-section-missing", "六、其他需要报告的事项", None)),
    ("section_out_of_order",
     lambda text: text.replace("五、存在的主要问题及改进情况", "", 1).replace("一、总体情况", "五、存在的主要问题及改进情况一、总体情况", 1),
     ("published-section-order", "五、存在的主要问题及改进情况", None)),
    ("table_not_printed", _cut("（本列数据的勾稽关系", "四、政府信息公开行政复议"),
     ("published-table-unreadable", T3, None)),
    ("row_one_cell_short", lambda text: text.replace("（七）总计2 0 0 0 0 02", "（七）总计2 0 0 0 02", 1),
     ("published-cells-unreadable", T3, "（七）总计（自然人）")),
]


@pytest.mark.parametrize(("name", "edit", "expected"), STRUCTURE_SCENARIOS, ids=[s[0] for s in STRUCTURE_SCENARIOS])
def test_structure_findings_on_an_edited_real_report(tmp_path, name, edit, expected):
    path = tmp_path / f"{name}.txt"
    path.write_text(edit((CAIJIN_2024 / "page.txt").read_text(encoding="utf-8")), encoding="utf-8")
    findings = [(item.code, item.sheet, item.cell) for item in audit_document(path).findings
                if item.code.startswith("published-")]
    assert findings[:1] == [expected]
    assert findings.count(expected) == 1
