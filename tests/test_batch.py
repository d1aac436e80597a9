"""check-all / build-all on a folder as an office receives it: good, broken, corrupt and stray files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from reportgen.api import create_template
from reportgen.batch.folder import Status, output_names, run_folder
from reportgen.cli import SUMMARY_NAME, main
from reportgen.document.body import ReportDocument
from tests.seeds import sample_path, seed_report

HEADERS = ("序号", "文件", "机关名称", "年度", "格式", "状态", "错误", "警告", "提示", "主要问题",
           "本年新收申请", "上年结转申请", "本年办结", "结转下年度", "行政复议", "行政诉讼")


@pytest.fixture
def received(tmp_path: Path) -> Path:
    """Two valid workbooks (one in a subfolder), one that breaks 勾稽关系, a corrupt one, a lock file, a note."""
    folder = tmp_path / "收到的年报"
    (folder / "县区").mkdir(parents=True)
    shutil.copy(sample_path("003"), folder / "福州高新区.xlsx")
    shutil.copy(sample_path("004"), folder / "县区" / "定海区.xlsx")
    unbalanced = seed_report("000")
    unbalanced.figures["t3.new.natural"] += 5  # 一 + 二 no longer equals 三 + 四
    create_template(folder / "福田区.xlsx", year=2020, agency=unbalanced.info.agency, report=unbalanced)
    (folder / "损坏.xlsx").write_bytes(sample_path("003").read_bytes()[:3000])  # a zip cut short
    (folder / "~$福州高新区.xlsx").write_bytes(b"\x06clerk" + b"\x00" * 100)
    (folder / "说明.txt").write_text("请于1月31日前报送。", encoding="utf-8")
    return folder


def summary_rows(path: Path) -> dict[str, dict[str, object]]:
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][: len(HEADERS)] == HEADERS
    return {row[1]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_build_all_lists_every_file_and_builds_only_the_valid_ones(received: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "报告"
    result = CliRunner().invoke(main, ["build-all", str(received), "-o", str(outdir), "--jobs", "2"])

    assert result.exit_code == 1, result.output
    rows = summary_rows(outdir / SUMMARY_NAME)
    # path order (by code point), whatever order the workers finished in
    assert list(rows) == ["~$福州高新区.xlsx", "县区/定海区.xlsx", "损坏.xlsx", "福州高新区.xlsx", "福田区.xlsx",
                          "说明.txt"]
    assert [row["序号"] for row in rows.values()] == [1, 2, 3, 4, 5, 6]
    good = rows["福州高新区.xlsx"]
    assert (good["机关名称"], good["年度"], good["格式"], good["状态"], good["错误"]) == (
        "福州高新技术产业开发区", 2020, "2019", "通过", 0)
    # seed 003 as published: 40 new + 11 carried over = 38 handled + 13 carried forward;
    # 行政复议 总计 2; 行政诉讼 0 direct + 1 after review
    assert (good["本年新收申请"], good["上年结转申请"], good["本年办结"], good["结转下年度"]) == (40, 11, 38, 13)
    assert (good["行政复议"], good["行政诉讼"]) == (2, 1)
    assert good["生成的报告"] == "福州高新区.docx"
    assert rows["县区/定海区.xlsx"]["生成的报告"] == "县区/定海区.docx"
    broken = rows["福田区.xlsx"]
    # one broken column: the 总计 column's imbalance has the same cause and is not reported again
    assert (broken["状态"], broken["错误"], broken["生成的报告"]) == ("有错误", 1, None)
    assert "t3-balance" in broken["主要问题"] and "'三、依申请公开'!" in broken["主要问题"]
    corrupt = rows["损坏.xlsx"]
    assert (corrupt["状态"], corrupt["错误"], corrupt["机关名称"]) == ("无法读取", 1, None)
    assert "已损坏" in corrupt["主要问题"]
    assert rows["~$福州高新区.xlsx"]["状态"] == "已跳过" and "锁定文件" in rows["~$福州高新区.xlsx"]["主要问题"]
    assert rows["说明.txt"]["状态"] == "已跳过" and "不是 Excel 工作簿" in rows["说明.txt"]["主要问题"]

    built = sorted(str(path.relative_to(outdir)) for path in outdir.rglob("*") if path.is_file())
    assert built == ["县区/定海区.docx", "汇总检查结果.xlsx", "福州高新区.docx"]
    text = "\n".join(paragraph.text for paragraph in Document(outdir / "福州高新区.docx").paragraphs)
    assert "福州高新技术产业开发区" in text and "政府信息公开工作年度报告" in text


def test_check_all_writes_the_summary_and_no_reports(received: Path, tmp_path: Path) -> None:
    summary = tmp_path / "检查.xlsx"
    result = CliRunner().invoke(main, ["check-all", str(received), "--summary", str(summary), "--jobs", "1"])

    assert result.exit_code == 1
    rows = summary_rows(summary)
    assert [row["状态"] for row in rows.values()] == ["已跳过", "通过", "无法读取", "通过", "有错误", "已跳过"]
    assert "生成的报告" not in next(iter(rows.values()))
    assert "[有错误] 福田区.xlsx" in result.output and "共 6 个文件" in result.output
    assert not list(received.rglob("*.docx"))


def test_a_folder_of_valid_workbooks_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_path("003"), folder / "a.xlsx")
    result = CliRunner().invoke(main, ["check-all", str(folder), "--summary", str(folder / SUMMARY_NAME)])

    assert result.exit_code == 0, result.output
    # a second run does not take its own summary workbook for a clerk's workbook
    again = CliRunner().invoke(main, ["check-all", str(folder), "--summary", str(folder / SUMMARY_NAME)])
    assert again.exit_code == 0 and list(summary_rows(folder / SUMMARY_NAME)) == ["a.xlsx"]


def test_a_failed_build_leaves_no_partial_docx(tmp_path: Path, monkeypatch) -> None:
    folder, outdir = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    outdir.mkdir()
    shutil.copy(sample_path("003"), folder / "a.xlsx")

    save = ReportDocument.save

    def disk_full(document, target) -> None:
        if not isinstance(target, (str, Path)):  # in memory, not on the disk
            return save(document, target)
        Path(target).write_bytes(b"PK\x03\x04 half a docx")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ReportDocument, "save", disk_full)
    result = run_folder(folder, workers=1, outdir=outdir)

    [outcome] = result.outcomes
    assert outcome.status is Status.BUILD_FAILED and result.has_errors
    assert outcome.findings[-1].code == "build-failed" and "磁盘空间不足" in outcome.findings[-1].message
    assert list(outdir.iterdir()) == []


def test_outputs_inside_the_input_folder_are_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_path("004"), folder / "b.xlsx")
    for _ in range(2):
        result = CliRunner().invoke(main, ["build-all", str(folder), "-o", str(folder / "报告")])
        assert result.exit_code == 0, result.output
    assert list(summary_rows(folder / "报告" / SUMMARY_NAME)) == ["b.xlsx"]


def test_a_folder_without_workbooks_is_one_clear_message(tmp_path: Path) -> None:
    (tmp_path / "说明.txt").write_text("空", encoding="utf-8")
    result = CliRunner().invoke(main, ["check-all", str(tmp_path), "--summary", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 3 and "没有找到 Excel 工作簿" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_output_names_mirror_the_inputs_and_never_collide() -> None:
    names = output_names([Path("县区/a.xlsx"), Path("县区/a.xls"), Path("县区/A.XLSX"), Path("b.xlsm")])
    assert names == [Path("县区/a.docx"), Path("县区/a.xls.docx"), Path("县区/A.XLSX.docx"), Path("b.docx")]
