"""Hostile workbooks (tests/hostile/bombs.py) through a real `reportgen check` process limited to 1 GB of
address space: refused with a Chinese message naming the file (exit 3) in bounded memory and time; a
``<dimension>`` that understates the data loses nothing; NaN/INF in a count cell is a finding at that cell."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.api import check_workbook
from reportgen.cli import EXIT_FINDINGS, EXIT_UNREADABLE
from tests.hostile import bombs
from tests.workbooks import SAMPLE, cell_of

ADDRESS_SPACE = 1 << 30
PEAK_MEMORY_MB = 200
TIME_LIMIT_S = 60

# Runs the command line as `reportgen` does, under the limit, and reports its own peak RSS on stderr.
LIMITED_CHECK = f"""
import resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))
sys.argv = ["reportgen", "check", sys.argv[1]]
try:
    runpy.run_module("reportgen", run_name="__main__")
finally:
    print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def limited_check(path: Path) -> tuple[int, str, float]:
    """Exit code, output and peak memory (MB) of `reportgen check path` in a limited process."""
    done = subprocess.run([sys.executable, "-c", LIMITED_CHECK, str(path)], capture_output=True, text=True,
                          timeout=TIME_LIMIT_S)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    peak = int(re.search(r"PEAK_RSS_KB (\d+)", done.stderr).group(1)) / 1024
    return done.returncode, done.stdout, peak


BOMBS: dict[str, tuple[Callable[[Path], None], str]] = {
    "one_cell_of_1.2_GB": (bombs.one_cell_inflating_to_a_gigabyte, "解压后为 1200.0 MB，超过上限 16.0 MB"),
    "1.5_GB_of_empty_rows": (bombs.endless_empty_rows, "解压后为 1500.0 MB，超过上限 16.0 MB"),
    "ods_of_1.2_GB": (bombs.ods_content_inflating_to_a_gigabyte, "“content.xml”解压后为 1200.0 MB"),
    "ods_cell_far_away": (bombs.ods_cell_far_away, "工作表“Sheet1”第 1000002 行第 16001 列超出填报工作簿的范围"),
    "xls_cell_far_away": (bombs.xls_cell_far_away, "工作表“三、依申请公开”第 65536 行第 256 列超出填报工作簿的范围"),
    "ods_repeated_long_text": (bombs.ods_repeated_long_text, "工作表“Sheet1”的内容展开后超过 32.0 MB"),
    "xls_shared_long_text": (bombs.xls_shared_long_text, "工作表“一、总体情况”的内容展开后超过 32.0 MB"),
    "rows_past_a_declared_small_size": (bombs.endless_empty_rows_declared_small,
                                        "工作表“一、总体情况”第 10001 行超出填报工作簿的范围"),
    "one_row_of_many_cells": (bombs.one_row_of_many_cells, "工作表“一、总体情况”第 1 行超出填报工作簿的范围"),
    "cell_far_away": (bombs.cell_far_away, "工作表“一、总体情况”第 1048576 行超出填报工作簿的范围"),
    "whole_sheet_dimension_and_40000_rows": (bombs.whole_sheet_dimension_with_many_rows,
                                             "工作表“一、总体情况”第 10001 行超出填报工作簿的范围"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_refused_in_bounded_memory(name: str, tmp_path: Path) -> None:
    make, message = BOMBS[name]
    path = tmp_path / f"{name}.{name[:3] if name.startswith(('ods', 'xls_')) else 'xlsx'}"
    make(path)
    assert path.stat().st_size < 3 * 1024 * 1024
    code, output, peak = limited_check(path)
    assert code == EXIT_UNREADABLE
    assert f"{path}：" in output and message in output and "已拒绝读取" in output
    assert peak < PEAK_MEMORY_MB


def test_understated_dimension_loses_no_narrative(tmp_path: Path) -> None:
    path = tmp_path / "understated.xlsx"
    bombs.understated_dimension(path)
    expected, result = check_workbook(SAMPLE), check_workbook(path)
    paragraphs = result.report.narrative["s1"]
    assert len(paragraphs) > 1 and paragraphs == expected.report.narrative["s1"]
    assert result.findings == expected.findings
    code, _, peak = limited_check(path)
    assert code == 0 and peak < PEAK_MEMORY_MB


@pytest.mark.parametrize("make, typed", [(bombs.not_a_number_in_count_cell, "NaN"),
                                         (bombs.infinity_in_count_cell, "INF")])
def test_non_number_in_count_cell_is_a_finding_at_that_cell(make, typed: str, tmp_path: Path) -> None:
    path = tmp_path / f"{typed}.xlsx"
    make(path)
    sheet, cell = cell_of(bombs.COUNT_KEY)
    findings = check_workbook(path).findings
    assert [(item.code, item.sheet, item.cell, item.actual) for item in findings] == [
        ("count-not-number", sheet, cell, typed)]
    code, output, peak = limited_check(path)
    assert code == EXIT_FINDINGS and f"'{sheet}'!{cell}" in output and peak < PEAK_MEMORY_MB
