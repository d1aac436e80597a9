"""Files that are no reportgen workbook: one Chinese message naming the file, exit 3, never a traceback."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pytest
import xlwt
from click.testing import CliRunner
from docx import Document

from reportgen.api import build_report, check_workbook
from reportgen.cli import EXIT_UNREADABLE, main
from reportgen.workbook.values import control_characters
from tests.workbooks import SAMPLE, edited_copy, narrative_cell, set_cell, set_meta


def _missing(path: Path) -> None:
    pass


def _directory(path: Path) -> None:
    path.mkdir()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _legacy_xls(path: Path) -> None:
    book = xlwt.Workbook()
    book.add_sheet("三、依申请公开").write(0, 0, "一、本年新收政府信息公开申请数量")
    book.save(str(path))


def _password_protected(path: Path) -> None:
    encrypted = io.BytesIO()
    with SAMPLE.open("rb") as plain:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("gongkai2020", encrypted)
    path.write_bytes(encrypted.getvalue())


def _csv_renamed(path: Path) -> None:
    path.write_text("项目,自然人,总计\n一、本年新收政府信息公开申请数量,39,40\n", encoding="gb18030")


def _random_bytes(path: Path) -> None:
    path.write_bytes(b"\x00\x17" + random.Random(2020).randbytes(4094))


def _docx_renamed(path: Path) -> None:
    document = Document()
    document.add_paragraph("福州高新区2020年政府信息公开工作年度报告")
    document.save(str(path))


def _truncated_download(path: Path) -> None:
    path.write_bytes(SAMPLE.read_bytes()[:5000])


def _foreign_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "一、本年新收政府信息公开申请数量"
    book.save(path)


UNREADABLE: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing_file": (_missing, "文件不存在"),
    "directory": (_directory, "这是一个文件夹"),
    "empty_file": (_empty, "文件是空的"),
    "legacy_xls": (_legacy_xls, "旧版 Excel 97-2003 工作簿（.xls）"),
    "password_protected": (_password_protected, "设置了打开密码"),
    "csv_renamed": (_csv_renamed, "这是一个文本文件（如 CSV）"),
    "random_bytes": (_random_bytes, "文件内容无法识别"),
    "docx_renamed": (_docx_renamed, "无法作为 Excel 工作簿（.xlsx）打开"),
    "truncated_download": (_truncated_download, "无法作为 Excel 工作簿（.xlsx）打开"),
    "workbook_not_made_by_reportgen": (_foreign_workbook, "不是由 reportgen 生成的填报工作簿"),
}


@pytest.fixture(params=sorted(UNREADABLE))
def unreadable(request, tmp_path: Path) -> tuple[Path, str]:
    make, message = UNREADABLE[request.param]
    path = tmp_path / f"{request.param}.xlsx"
    make(path)
    return path, message


def test_unreadable_file_is_one_finding_naming_it(unreadable) -> None:
    path, message = unreadable
    result = check_workbook(path)
    assert not result.readable and result.report is None
    assert [item.code for item in result.findings] == ["file-unreadable"]
    assert str(path) in result.findings[0].message and message in result.findings[0].message


def test_unreadable_file_exits_3_without_traceback(unreadable) -> None:
    path, message = unreadable
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == EXIT_UNREADABLE
    assert message in result.output and "Traceback" not in result.output


def test_build_of_unreadable_file_writes_nothing(unreadable, tmp_path: Path) -> None:
    path, _ = unreadable
    output = tmp_path / "报告.docx"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(output)])
    assert result.exit_code == EXIT_UNREADABLE and not output.exists()


def test_real_process_prints_one_chinese_line_for_an_xls(tmp_path: Path) -> None:
    path = tmp_path / "年报.xls"
    _legacy_xls(path)
    done = subprocess.run([sys.executable, "-m", "reportgen", "check", str(path)], capture_output=True, text=True)
    assert done.returncode == EXIT_UNREADABLE
    assert "Traceback" not in done.stderr + done.stdout
    assert "旧版 Excel 97-2003 工作簿" in done.stdout


def test_unreadable_previous_workbook_is_named_as_last_years(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(SAMPLE), "--previous", str(tmp_path / "2019.xlsx")])
    assert result.exit_code == EXIT_UNREADABLE
    assert f"上年度工作簿 {tmp_path / '2019.xlsx'}：文件不存在" in result.output


CONTROLLED = "2020年，福州高新区坚持以习近平新时代中国特色社会主义思想为指导，_x0007_把政务公开摆在突出位置_x000B_，_x001F_认真执行《条例》。"


def test_control_characters_pasted_into_narrative_do_not_break_the_docx(tmp_path: Path) -> None:
    path = edited_copy(SAMPLE, tmp_path / "粘贴.xlsx", set_cell("一、总体情况", narrative_cell(0), CONTROLLED))
    assert control_characters(CONTROLLED) == 3
    result = build_report(path, tmp_path / "报告.docx")
    assert [item.code for item in result.check.findings] == ["text-control-chars"]
    texts = [paragraph.text for paragraph in Document(str(result.output)).paragraphs]
    expected = "2020年，福州高新区坚持以习近平新时代中国特色社会主义思想为指导，把政务公开摆在突出位置，认真执行《条例》。"
    assert any(text.endswith(expected) for text in texts), texts
    assert not any(control_characters(text) for text in texts)


def test_unknown_recorded_format_is_read_by_its_labels(tmp_path: Path) -> None:
    path = tmp_path / "unknown_format_recorded.xlsx"
    edited_copy(SAMPLE, path, set_meta("format", "2030"))
    result = check_workbook(path)
    assert result.readable and result.report.info.format_id == "2019"
    assert [(f.code, f.severity) for f in result.findings] == [("format-detected", "warning")]
    assert "2030" in result.findings[0].message
