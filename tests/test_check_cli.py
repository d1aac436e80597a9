"""`reportgen check/build/rules` as other systems and clerks use them: JSON, --strict, --previous, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from reportgen.checks.catalogue import catalogue_markdown
from reportgen.checks.findings import JSON_KEYS, RULES
from reportgen.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, main
from tests.workbooks import SAMPLE, cell_of, edited_copy, last_year_of_sample, set_figure, write_report

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: object):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def _warning_only(tmp_path: Path) -> Path:
    """本年新公开数量 10 > 对外公开总数量 9: a plausibility warning and nothing else."""
    return edited_copy(SAMPLE, tmp_path / "warning.xlsx", set_figure("t2.normative.published", 10))


def test_clean_sample_exits_0() -> None:
    result = _run("check", SAMPLE)
    assert result.exit_code == EXIT_OK
    assert "共 0 个错误、0 个警告、0 个提示" in result.output


def test_json_has_the_stable_keys_and_the_numbers(tmp_path: Path) -> None:
    path = edited_copy(SAMPLE, tmp_path / "t4.xlsx", set_figure("t4.cases.review_total", 0))
    result = _run("check", path, "--json")
    assert result.exit_code == EXIT_FINDINGS
    document = json.loads(result.output)
    assert document["file"] == str(path) and document["readable"] is True
    assert document["counts"] == {"error": 1, "warning": 0, "info": 0}
    [item] = document["findings"]
    assert list(item) == list(JSON_KEYS)
    sheet, cell = cell_of("t4.cases.review_total")
    assert item == {"code": "t4-total", "severity": "error", "sheet": sheet, "cell": cell,
                    "message": "行政复议（总计）应为 2，填写为 0", "expected": "2", "actual": "0"}


def test_json_of_an_unreadable_file(tmp_path: Path) -> None:
    result = _run("check", tmp_path / "没有.xlsx", "--json")
    document = json.loads(result.output)
    assert result.exit_code == 3 and document["readable"] is False
    assert [item["code"] for item in document["findings"]] == ["file-unreadable"]
    assert document["findings"][0]["sheet"] is None


def test_strict_makes_a_warning_fail(tmp_path: Path) -> None:
    path = _warning_only(tmp_path)
    assert _run("check", path).exit_code == EXIT_OK
    strict = _run("check", path, "--strict")
    assert strict.exit_code == EXIT_FINDINGS
    assert "t2-published-exceeds-total" in strict.output


def test_strict_build_writes_no_report_for_a_warning(tmp_path: Path) -> None:
    path = _warning_only(tmp_path)
    strict_output, output = tmp_path / "strict.docx", tmp_path / "report.docx"
    strict = _run("build", path, "-o", strict_output, "--strict")
    assert strict.exit_code == EXIT_FINDINGS and "存在警告（使用了 --strict），未生成报告" in strict.output
    assert not strict_output.exists()
    assert _run("build", path, "-o", output).exit_code == EXIT_OK
    assert output.stat().st_size > 0


def test_previous_reports_carry_over_in_check_and_build(tmp_path: Path) -> None:
    last_year = write_report(tmp_path / "2019.xlsx", last_year_of_sample())
    broken = edited_copy(last_year, tmp_path / "2019-edited.xlsx", set_figure("t3.carried_forward.natural", 12))
    assert _run("check", SAMPLE, "--previous", last_year).exit_code == EXIT_OK
    checked = _run("check", SAMPLE, "--previous", broken)
    assert checked.exit_code == EXIT_OK and "上年度报告的“四、结转下年度继续办理”为 12" in checked.output
    built = _run("build", SAMPLE, "-o", tmp_path / "r.docx", "--previous", broken, "--strict")
    assert built.exit_code == EXIT_FINDINGS and "t3-carry-over" in built.output


def test_previous_of_the_wrong_year_is_an_error() -> None:
    result = _run("check", SAMPLE, "--previous", SAMPLE)
    assert result.exit_code == EXIT_FINDINGS
    assert "应为 2019 年度的报告" in result.output


def test_2019_format_template_for_2021_warns(tmp_path: Path) -> None:
    path = tmp_path / "2021.xlsx"
    assert _run("template", path, "--year", 2021, "--format", "2019", "--agency", "某某局").exit_code == EXIT_OK
    result = _run("check", path, "--json")
    assert [item["code"] for item in json.loads(result.output)["findings"]] == ["format-year-mismatch"]
    assert _run("check", path, "--strict").exit_code == EXIT_FINDINGS


def test_usage_errors_exit_2() -> None:
    assert _run("check").exit_code == EXIT_USAGE
    assert _run("check", SAMPLE, "--no-such-option").exit_code == EXIT_USAGE
    assert _run("check", "--help").exit_code == EXIT_OK


def test_rules_lists_every_code() -> None:
    result = _run("rules")
    assert result.exit_code == EXIT_OK
    for code, rule in RULES.items():
        assert f"{code}  [{rule.severity.label}] {rule.title}" in result.output


def test_rules_json_is_the_catalogue() -> None:
    entries = json.loads(_run("rules", "--json").output)
    assert [entry["code"] for entry in entries] == list(RULES)
    assert entries[0] == {"code": "t3-balance", "severity": "error", "title": RULES["t3-balance"].title,
                          "description": RULES["t3-balance"].description, "message": RULES["t3-balance"].template}


def test_docs_rules_md_is_generated_from_the_code() -> None:
    """Regenerate with: reportgen rules --markdown > docs/rules.md"""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue_markdown() + "\n"
    assert _run("rules", "--markdown").output == catalogue_markdown() + "\n"
