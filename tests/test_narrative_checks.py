"""Numbers stated in the narrative in common phrasings, against the sample's tables (福州高新区 2020)."""

from __future__ import annotations

import os

import pytest

from reportgen.checks.rules import run_checks
from reportgen.model import Paragraph, Report
from tests.seeds import ROOT, seed_report
from tests.workbooks import report_2021

# The published texts of the seeds live in the project's shared folder beside the repository.
SHARED_SEEDS = next((folder / "seeds" for folder in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
                     if (folder / "seeds").is_dir()), None)
needs_shared_seeds = pytest.mark.skipif(SHARED_SEEDS is None and os.environ.get("CI") != "true",
                                        reason="the shared seed texts are not beside this checkout")

# The sample's tables: 新收 40, 上年结转 11, 予以公开 22, 部分公开 8, 不予公开 0, 无法提供 4, 不予处理 1,
# （七）总计 38, 结转下年度 13; 行政复议 2, 行政诉讼 1 (复议后起诉).
CONSISTENT = ("2020年，本机关共收到政府信息公开申请40件，上年结转11件。全年办结38件，其中予以公开22件，部分公开8件，"
              "无法提供4件，不予处理1件，不予公开0件；结转下年度继续办理13件。全年被申请行政复议2件，"
              "行政诉讼案件1件。")


def _findings(text: str, report: Report | None = None, lead: str | None = None):
    report = report or seed_report("003")
    narrative = {**report.narrative, "s1": [Paragraph(text="本年度，我区认真贯彻《条例》。"), Paragraph(text=text)]}
    leads = {"t4": lead} if lead else {}
    locations = {"s1.1": ("一、总体情况", "B5"), "lead.t4": ("四、复议诉讼", "B3")}
    report = report.model_copy(update={"narrative": narrative, "leads": leads})
    return [item for item in run_checks(report, locations) if item.code == "narrative-mismatch"]


def test_consistent_narrative_gives_no_warning() -> None:
    assert _findings(CONSISTENT) == []


@pytest.mark.parametrize(("text", "quote", "stated", "table"), [
    ("本年度共收到政府信息公开申请41件。", "收到政府信息公开申请41件", "41", "40"),
    ("全年新收政府信息公开申请39件。", "新收政府信息公开申请39件", "39", "40"),
    ("共受理依申请公开申请四十五件。", "受理依申请公开申请四十五件", "45", "40"),
    ("上年结转政府信息公开申请12件。", "上年结转政府信息公开申请12件", "12", "11"),
    ("其中予以公开20件。", "予以公开20件", "20", "22"),
    ("部分公开9件。", "部分公开9件", "9", "8"),
    ("不予公开2件。", "不予公开2件", "2", "0"),
    ("无法提供3件。", "无法提供3件", "3", "4"),
    ("不予处理两件。", "不予处理两件", "2", "1"),
    ("已全部办结，共办结40件。", "办结40件", "40", "38"),
    ("结转下年度继续办理12件。", "结转下年度继续办理12件", "12", "13"),
    ("全年被申请行政复议3件。", "行政复议3件", "3", "2"),
    ("提起行政诉讼2起。", "行政诉讼2起", "2", "1"),
])
def test_each_phrasing_that_contradicts_the_table_warns(text, quote, stated, table) -> None:
    [item] = _findings(text)
    assert (item.sheet, item.cell, item.actual, item.expected) == ("一、总体情况", "B5", stated, table)
    assert item.message.startswith(f"“一、总体情况”第 2 段写的“{quote}”与表格不符：")
    assert item.message.endswith(f"为 {table}，文中为 {stated}")


@pytest.mark.parametrize("text", ["本年度未发生因政府信息公开引起的行政复议和行政诉讼。", "本年度行政复议、行政诉讼均为0件。"])
def test_no_review_or_litigation_claimed_when_there_was_some(text: str) -> None:
    review, litigation = _findings(text)
    assert (review.expected, review.actual, litigation.expected, litigation.actual) == ("2", "0", "1", "0")
    assert "表四行政复议总计为 2" in review.message and "表四行政诉讼总计" in litigation.message


def test_lead_sentence_of_table_four_is_checked() -> None:
    [item] = _findings("", lead="本年度本机关被申请行政复议3起。")
    assert (item.sheet, item.cell, item.actual, item.expected) == ("四、复议诉讼", "B3", "3", "2")
    assert item.message.startswith("“四、政府信息公开行政复议、行政诉讼情况”的表前说明写的“行政复议3起”")


@pytest.mark.parametrize("text", [
    "2019年共收到政府信息公开申请30件，2020年有所增加。",  # another year
    "与去年收到申请25件相比有所增加。",  # last year
    "收到的申请中，自然人申请39件。",  # one applicant column, not the 总计
    "全年收到行政复议申请2件。",  # 行政复议 申请, not a 政府信息公开 application
    "截至目前已向在库企业推送政策匹配结果1538748条。",  # a number of something else
])
def test_statements_about_something_else_are_not_compared(text: str) -> None:
    assert _findings(text) == []


def test_in_force_documents_in_a_2021_report() -> None:
    report = report_2021(2021, (5, 30))
    assert _findings("现行有效行政规范性文件30件，现行有效规章5件。", report) == []
    [item] = _findings("截至年底，现行有效行政规范性文件32件。", report)
    assert (item.expected, item.actual) == ("30", "32")
    [item] = _findings("现行有效文件共40件。", report)
    assert (item.expected, item.actual) == ("35", "40")


def test_in_force_phrasing_is_ignored_by_the_2019_format_without_that_column() -> None:
    assert _findings("现行有效规范性文件32件。") == []


@needs_shared_seeds
def test_published_reports_contradict_their_tables_only_where_the_seed_notes_say() -> None:
    """Each seed's published text against its own tables: only 001 disagrees, as its notes record.

    Seed 001 writes 办结1件, but its table lost the outcome row of that application (README quirk),
    so the stored outcome rows add up to 0.
    """
    warnings = {}
    for number in ("000", "001", "002", "003", "004"):
        [path] = SHARED_SEEDS.glob(f"{number}_*.txt")
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        report = seed_report(number)
        report = report.model_copy(update={"narrative": {"s1": [Paragraph(text=line) for line in lines]}})
        warnings[number] = [(item.actual, item.expected) for item in run_checks(report)
                            if item.code == "narrative-mismatch"]
    assert warnings == {"000": [], "001": [("1", "0")], "002": [], "003": [], "004": []}
