"""Data exchange: export to JSON, pre-fill a workbook from it, and JSON checked like a workbook."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from reportgen.api import check_workbook
from reportgen.cli import main
from tests.seeds import sample_path


def run(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def exported(tmp_path: Path, number: str = "003") -> Path:
    path = tmp_path / "data.json"
    assert run("export", sample_path(number), "-o", path).exit_code == 0
    return path


def test_round_trip_workbook_export_template_export_is_identical(tmp_path: Path) -> None:
    first = exported(tmp_path)
    result = run("template", tmp_path / "预填.xlsx", "--from", first)
    assert result.exit_code == 0, result.output
    assert run("export", tmp_path / "预填.xlsx", "-o", tmp_path / "again.json").exit_code == 0

    assert (tmp_path / "again.json").read_bytes() == first.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["info"]["agency"] == "福州高新技术产业开发区"
    assert data["figures"]["t3.new.natural"] == 39 and data["units"] == {"t2.procurement.amount": "万元"}
    assert data["figures"]["t2.procurement.amount"] == "19696.99"
    assert "t3.new.total" not in data["figures"]  # totals are recomputed, never stored
    assert data["narrative"]["s1"][0]["text"]


def test_json_is_checked_with_the_workbook_rules(tmp_path: Path) -> None:
    path = exported(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["figures"]["t3.new.business"] = -2
    data["figures"]["t3.disclosed.natural"] = "十二"
    data["figures"]["t3.new.total"] = 99  # a total from another system is checked, not trusted
    data["figures"]["t5.nothing.here"] = 1
    data["units"]["t2.procurement.amount"] = "美元"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    result = check_workbook(path)

    codes = {(item.code, item.cell) for item in result.findings}
    assert ("count-negative", "t3.new.business") in codes
    assert ("count-not-number", "t3.disclosed.natural") in codes
    assert ("t3-row-total", "t3.new.total") in codes
    assert ("data-unknown-cell", "t5.nothing.here") in codes
    assert ("amount-unit-invalid", "t2.procurement.amount") in codes
    assert any(item.code == "t3-balance" for item in result.findings)
    refused = run("template", tmp_path / "x.xlsx", "--from", path)
    assert refused.exit_code == 1 and not (tmp_path / "x.xlsx").exists()
    assert "[错误] 'figures'!t3.new.business：一、本年新收政府信息公开申请数量（商业企业）不能为负数" in refused.output


def test_a_malformed_data_file_is_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"info": {"agency": "某局", "year": "二〇二〇"}, "figures": {}', encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 3 and "不是有效的 JSON（第 1 行" in result.output

    path.write_text('{"info": {"agency": "某局", "year": "二〇二〇"}}', encoding="utf-8")
    result = run("template", tmp_path / "x.xlsx", "--from", path)
    assert result.exit_code == 3
    assert "info.year：应为整数" in result.output and "info.format_id：缺少该项" in result.output
    assert "Traceback" not in result.output


def test_template_from_refuses_year_or_format(tmp_path: Path) -> None:
    result = run("template", tmp_path / "x.xlsx", "--from", exported(tmp_path), "--year", "2021")
    assert result.exit_code == 2 and "年度和格式取自数据文件" in result.output


def test_schema_describes_the_exported_file(tmp_path: Path) -> None:
    result = run("schema")
    schema = json.loads(result.output)
    data = json.loads(exported(tmp_path).read_text(encoding="utf-8"))

    assert result.exit_code == 0 and schema["required"] == ["info"]
    assert set(data) == set(schema["properties"])
    assert set(data["info"]) == set(schema["$defs"]["ReportInfo"]["properties"])
    assert "输入单元格的数值" in schema["properties"]["figures"]["description"]


def test_a_data_file_builds_the_same_report_as_its_workbook(tmp_path: Path) -> None:
    assert run("build", exported(tmp_path), "-o", tmp_path / "from-json.docx").exit_code == 0
    assert run("build", sample_path("003"), "-o", tmp_path / "from-xlsx.docx").exit_code == 0
    texts = [[p.text for p in Document(tmp_path / name).paragraphs] for name in ("from-json.docx", "from-xlsx.docx")]
    assert texts[0] == texts[1] and any("福州高新技术产业开发区" in text for text in texts[0])
