"""The whole path for the 2019 format: sample workbooks → check → DOCX, checked cell by cell against the seeds."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import docx
import pytest
from click.testing import CliRunner

from reportgen.cli import main
from tests.conftest import copy_sample, set_cells
from tests.docxgrid import table_grid, table_spans
from tests.official import HEADINGS
from tests.seeds import SAMPLES, load_seed_json

T2_COLUMNS = 4
T3_LABEL_COLUMNS = 3


def build(tmp_path, number: str):
    source = copy_sample(number, tmp_path)
    output = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return docx.Document(str(output))


def expected_table3(seed: dict) -> list[list[int]]:
    """Table 三 as it must be printed: the seed's inputs, every total recomputed independently."""
    rows = [list(values[:6]) for values in seed["table3"].values()]
    outcome = rows[2:-2]
    rows[-2] = [sum(row[c] for row in outcome) for c in range(6)]
    return [row + [sum(row)] for row in rows]


def expected_table4(seed: dict) -> list[int]:
    parts = seed["table4"]
    return [value for start in (0, 5, 10) for value in (*parts[start:start + 4], sum(parts[start:start + 4]))]


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_sample_builds_with_six_headings_in_order(tmp_path, number):
    document = build(tmp_path, number)
    headings = [p.text for p in document.paragraphs if p.style.name == "GW-H1"]
    assert headings == HEADINGS
    assert len(document.tables) == 3


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_table3_cells_match_the_seed(tmp_path, number):
    seed = load_seed_json(number)
    grid = table_grid(build(tmp_path, number).tables[1])
    body = grid[3:]
    assert len(body) == 23
    for printed, path, expected in zip(body, seed["table3"], expected_table3(seed)):
        assert printed[T3_LABEL_COLUMNS - 1] == path.split(" / ")[-1]
        assert printed[T3_LABEL_COLUMNS:] == [str(value) for value in expected]


def test_published_totals_of_consistent_seeds_equal_the_recomputed_ones():
    for number in ("000", "003"):
        seed = load_seed_json(number)
        assert [list(values) for values in seed["table3"].values()] == expected_table3(seed)
        assert seed["table4"] == expected_table4(seed)


def test_table3_merged_structure(tmp_path):
    spans = table_spans(build(tmp_path, "003").tables[1])
    assert (spans[(0, 0)].rowspan, spans[(0, 0)].colspan) == (3, 3)
    assert spans[(0, 0)].text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (spans[(0, 3)].text, spans[(0, 3)].colspan) == ("申请人情况", 7)
    assert (spans[(1, 3)].text, spans[(1, 3)].rowspan) == ("自然人", 2)
    assert (spans[(1, 4)].text, spans[(1, 4)].colspan) == ("法人或其他组织", 5)
    assert (spans[(1, 9)].text, spans[(1, 9)].rowspan) == ("总计", 2)
    assert [spans[(2, c)].text for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert (spans[(5, 0)].text, spans[(5, 0)].rowspan) == ("三、本年度办理结果", 20)
    groups = {spans[(r, 1)].text: spans[(r, 1)].rowspan for r in (7, 15, 18)}
    assert groups == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5}
    assert spans[(3, 0)].colspan == spans[(25, 0)].colspan == 3
    assert (spans[(24, 1)].text, spans[(24, 1)].colspan) == ("（七）总计", 2)


def test_fuzhou_figures_quoted_in_the_spec(tmp_path):
    grid = table_grid(build(tmp_path, "003").tables[1])
    by_label = {row[2]: row[3:] for row in grid[3:]}
    assert by_label["一、本年新收政府信息公开申请数量"][0] == "39"
    assert by_label["一、本年新收政府信息公开申请数量"][6] == "40"
    assert by_label["（七）总计"][0] == "37" and by_label["（七）总计"][6] == "38"
    assert by_label["四、结转下年度继续办理"][6] == "13"


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_table2_rows_match_the_seed(tmp_path, number):
    seed = load_seed_json(number)
    grid = table_grid(build(tmp_path, number).tables[0])
    rows = {row[0]: row[1:] for row in grid}
    for label, columns in seed["table2"].items():
        printed = rows[label][: len(columns)]
        assert printed == [_printed(value, column) for column, value in columns.items()], label


def _printed(value, column: str) -> str:
    if isinstance(value, dict):
        return f"{value['value']}{value['unit']}"
    return f"+{value}" if column == "本年增/减" and value > 0 else str(value)


def test_table2_layout_and_signed_and_amount_cells(tmp_path):
    table = build(tmp_path, "003").tables[0]
    spans = table_spans(table)
    captions = [s.text for (r, c), s in sorted(spans.items()) if s.colspan == T2_COLUMNS]
    assert captions == [f"第二十条第（{n}）项" for n in ("一", "五", "六", "八", "九")]
    rows = {row[0]: row[1:] for row in table_grid(table)}
    assert rows["行政许可"] == ["95", "+107", "9260"]
    assert rows["政府集中采购"][:2] == ["81", "19696.99万元"]
    (tmp_path / "dinghai").mkdir()
    assert table_grid(build(tmp_path / "dinghai", "004").tables[0])[6][2] == "-1"


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_table4_matches_the_seed(tmp_path, number):
    grid = table_grid(build(tmp_path, number).tables[2])
    assert grid[0][0] == "行政复议" and grid[0][5] == "行政诉讼"
    assert grid[1][5] == "未经复议直接起诉" and grid[1][10] == "复议后起诉"
    assert grid[2][10:] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[3] == [str(value) for value in expected_table4(load_seed_json(number))]


def test_title_narrative_leads_and_sign_off(tmp_path):
    document = build(tmp_path, "003")
    texts = [p.text for p in document.paragraphs]
    title = [p.text for p in document.paragraphs if p.style.name == "GW-Title"]
    assert "".join(title) == "福州高新技术产业开发区2020年政府信息公开工作年度报告"
    assert "本年度共" not in texts  # leads are full sentences, never a stub
    assert any("新收政府信息公开申请40件" in t and "上年结转11件" in t and "办结38件" in t for t in texts)
    assert any("行政复议2件" in t and "行政诉讼1件" in t for t in texts)
    assert any(t.startswith("（一）") for t in texts)
    assert texts[-2:] == ["福州高新技术产业开发区", "2021年1月20日"]


def test_build_refuses_when_the_balance_is_broken(tmp_path, fuzhou):
    set_cells(fuzhou, {"t3.new.natural": 40})
    output = tmp_path / "out.docx"
    result = CliRunner().invoke(main, ["build", str(fuzhou), "-o", str(output)])
    assert result.exit_code == 1
    assert not output.exists()
    assert "'三、依申请公开'!D29：自然人列：一、本年新收 + 二、上年结转 = 51，而（七）总计 + 四、结转下年度 = 50" in result.output
    assert "总计列" not in result.output  # same cause as the 自然人 column: reported once


def test_check_reports_a_wrong_hand_typed_total(fuzhou):
    set_cells(fuzhou, {"t3.handled_total.natural": 20})
    result = CliRunner().invoke(main, ["check", str(fuzhou)])
    assert result.exit_code == 1
    assert "[错误] '三、依申请公开'!D29：（七）总计（自然人）应为 37，填写为 20（t3-outcome-total）" in result.output


def test_failed_build_keeps_the_previous_output(tmp_path, fuzhou):
    output = tmp_path / "out.docx"
    assert CliRunner().invoke(main, ["build", str(fuzhou), "-o", str(output)]).exit_code == 0
    previous = output.read_bytes()
    set_cells(fuzhou, {"t4.cases.review_total": 0})
    result = CliRunner().invoke(main, ["build", str(fuzhou), "-o", str(output)])
    assert result.exit_code == 1 and "表四" not in result.output
    assert "行政复议总计" not in result.output
    assert "'四、复议诉讼'!E8" in result.output
    assert output.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_python_dash_m_runs_with_chinese_help():
    result = subprocess.run([sys.executable, "-m", "reportgen", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "用法" in result.stdout and "生成供填报的 Excel 工作簿" in result.stdout
    for command in ("template", "check", "build"):
        sub = subprocess.run([sys.executable, "-m", "reportgen", command, "--help"], capture_output=True, text=True)
        assert "用法" in sub.stdout and "选项" in sub.stdout, command


def _every_command(group: click.Group, path: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command of the CLI by its words, so that a new command cannot escape the help checks."""
    commands = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            commands += _every_command(command, (*path, name))
        else:
            commands.append([*path, name])
    return commands


def test_the_command_list_gives_every_command_a_short_help():
    result = CliRunner().invoke(main, ["--help"])
    listed = result.output.split("命令:")[1]
    assert "..." not in listed
    assert all(f"  {words[0]} " in listed for words in _every_command(main))


@pytest.mark.parametrize("command", _every_command(main), ids=" ".join)
def test_every_help_text_is_chinese_down_to_the_placeholders(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    leftovers = re.findall(r"\b(?:INTEGER|TEXT|PATH|FILE|DIRECTORY|FOLDER|WORKBOOK|OUTPUT|RANGE)\b|\[required\]",
                           result.output)
    assert leftovers == [], command


def test_usage_error_exits_2_in_chinese():
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "缺少参数" in result.output
