"""The JSON API of `reportgen serve`: every endpoint, and every kind of bad upload gets a 4xx Chinese message."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import httpx
import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from starlette.requests import Request
from starlette.testclient import TestClient

from reportgen.cli import main
from reportgen.web import work
from reportgen.web.app import create_app
from reportgen.web.service import Settings
from reportgen.web.uploads import MB, BadRequest, Limits, read_form
from reportgen.web.workers import Workers
from tests.test_bad_input import UNREADABLE
from tests.webserver import live_server, table_row
from tests.workbooks import SAMPLE, cell_of, edited_copy, set_figure


@pytest.fixture(scope="module")
def private_tmp(tmp_path_factory) -> Path:
    """Where the server makes its per-request directories, so a test can see they are gone."""
    folder = tmp_path_factory.mktemp("server-tmp")
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    yield folder
    tempfile.tempdir = previous


@pytest.fixture(scope="module")
def client(private_tmp) -> TestClient:
    limits = Limits(upload_bytes=2 * MB, files=5, unzipped_bytes=20 * MB)
    with TestClient(create_app(Settings(workers=1, limits=limits)), raise_server_exceptions=False) as test_client:
        yield test_client


def _upload(path: Path, name: str | None = None) -> dict:
    return {"file": (name or path.name, path.read_bytes())}


def _broken_balance(tmp_path: Path) -> Path:
    """The sample with 本年新收（自然人） raised by 5: 勾稽关系 no longer holds in that column."""
    return edited_copy(SAMPLE, tmp_path / "broken.xlsx", set_figure("t3.new.natural", 44))


def _assert_chinese_error(answer, status: int, *phrases: str) -> None:
    assert answer.status_code == status, answer.text
    message = answer.json()["error"]
    assert any("\u4e00" <= char <= "\u9fff" for char in message)
    assert "Traceback" not in answer.text
    for phrase in phrases:
        assert phrase in message


def test_template_is_the_workbook_for_the_year_named_after_the_agency(client, tmp_path):
    answer = client.get("/api/template", params={"year": 2025, "agency": "某某市某某局"})
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=\"report.xlsx\"; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == "某某市某某局-2025.xlsx"
    path = tmp_path / "t.xlsx"
    path.write_bytes(answer.content)
    book = openpyxl.load_workbook(path)
    assert "三、依申请公开" in book.sheetnames
    sheet, cell = cell_of("t2.regulation.issued", "2021")  # only the 2021 format has 本年制发件数
    assert book[sheet][cell].value == 0


def test_template_format_can_be_overridden(client, tmp_path):
    answer = client.get("/api/template", params={"year": 2025, "format": "2019"})
    path = tmp_path / "t.xlsx"
    path.write_bytes(answer.content)
    sheet, cell = cell_of("t2.licensing.previous", "2019")
    assert openpyxl.load_workbook(path)[sheet][cell].value == 0
    assert unquote(answer.headers["content-disposition"].split("''", 1)[1]) == "填报工作簿-2025.xlsx"


@pytest.mark.parametrize("params, phrase", [
    ({"year": "二〇二五"}, "报告年度"), ({"year": 1999}, "报告年度"), ({}, "报告年度"),
    ({"year": 2025, "format": "2030"}, "报告格式"), ({"year": 2025, "agency": "局" * 101}, "机关名称太长"),
])
def test_template_refuses_bad_fields_in_chinese(client, params, phrase):
    _assert_chinese_error(client.get("/api/template", params=params), 400, phrase)


def test_check_answers_exactly_the_json_of_check_json(client, tmp_path):
    broken = _broken_balance(tmp_path)
    answer = client.post("/api/check", files=_upload(broken, "福州高新区.xlsx"))
    assert answer.status_code == 200
    cli = json.loads(CliRunner().invoke(main, ["check", str(broken), "--json"]).output)
    cli["file"] = "福州高新区.xlsx"
    assert answer.json() == cli
    balance = next(item for item in answer.json()["findings"] if item["code"] == "t3-balance")
    assert (balance["sheet"], balance["expected"], balance["actual"]) == ("三、依申请公开", "55", "50")


def test_build_answers_the_docx_with_the_figures(client, tmp_path):
    answer = client.post("/api/build", files=_upload(SAMPLE))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert unquote(answer.headers["content-disposition"].split("''", 1)[1]) == "福州高新技术产业开发区-2020.docx"
    table3 = Document(io.BytesIO(answer.content)).tables[1]
    assert table_row(table3, "一、本年新收")[-7:] == ["39", "1", "0", "0", "0", "0", "40"]


def test_build_with_errors_is_422_with_the_findings(client, tmp_path):
    answer = client.post("/api/build", files=_upload(_broken_balance(tmp_path)))
    assert answer.status_code == 422
    assert answer.json()["counts"]["error"] >= 1
    assert {item["code"] for item in answer.json()["findings"]} >= {"t3-balance"}


def test_strict_build_stops_at_warnings(client, tmp_path):
    # 本年新公开数量 10 > 对外公开总数量 9: a plausibility warning and nothing else
    warned = edited_copy(SAMPLE, tmp_path / "warned.xlsx", set_figure("t2.normative.published", 10))
    assert client.post("/api/build", files=_upload(warned)).status_code == 200
    strict = client.post("/api/build", files=_upload(warned), data={"strict": "true"})
    assert strict.status_code == 422
    assert strict.json()["counts"] == {"error": 0, "warning": 1, "info": 0}


def test_check_all_summarises_many_workbooks_and_skips_others(client, tmp_path):
    broken = _broken_balance(tmp_path)
    files = [("file", ("a.xlsx", SAMPLE.read_bytes())), ("file", ("b.xlsx", broken.read_bytes())),
             ("file", ("说明.txt", "请查收".encode()))]
    answer = client.post("/api/check-all", files=files)
    assert answer.status_code == 200
    summary = answer.json()
    assert [(row["file"], row["status"]) for row in summary["files"]] == [
        ("a.xlsx", "passed"), ("b.xlsx", "errors"), ("说明.txt", "skipped")]
    assert summary["files"][0]["report"] == "福州高新技术产业开发区-2020.docx"
    assert summary["has_errors"] is True
    assert summary["counts"]["passed"] == 1


def test_check_all_reads_one_zip_with_folders(client, tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("各单位/甲.xlsx", SAMPLE.read_bytes())
        bundle.writestr("各单位/~$甲.xlsx", b"lock")
        bundle.writestr("../乙.xlsx", _broken_balance(tmp_path).read_bytes())
    answer = client.post("/api/check-all", files={"file": ("报告.zip", archive.getvalue())})
    rows = {row["file"]: row["status"] for row in answer.json()["files"]}
    assert rows == {"各单位/甲.xlsx": "passed", "乙.xlsx": "errors", "各单位/~$甲.xlsx": "skipped"}


@pytest.mark.parametrize("kind", ["empty_file", "legacy_xls", "password_protected", "csv_renamed", "random_bytes",
                                  "docx_renamed", "truncated_download", "workbook_not_made_by_reportgen"])
@pytest.mark.parametrize("endpoint", ["/api/check", "/api/build"])
def test_unreadable_uploads_are_4xx_in_chinese_naming_the_file(client, tmp_path, kind, endpoint):
    make, phrase = UNREADABLE[kind]
    path = tmp_path / "upload.xlsx"
    make(path)
    answer = client.post(endpoint, files=_upload(path, "我的报告.xlsx"))
    _assert_chinese_error(answer, 400 if kind == "empty_file" else 422, phrase, "“我的报告.xlsx”")
    assert str(tmp_path) not in answer.text and "reportgen-web-" not in answer.text


def test_too_large_upload_is_413(client):
    answer = client.post("/api/check", files={"file": ("big.xlsx", b"PK" + b"\0" * (3 * MB))})
    _assert_chinese_error(answer, 413, "2 MB")


def _bomb() -> bytes:
    """A 30 MB member that compresses to a few kilobytes."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("[Content_Types].xml", "<Types/>")
        bundle.writestr("xl/workbook.xml", b"\0" * (30 * MB))
    return archive.getvalue()


def test_zip_bomb_workbook_is_refused_before_it_is_opened(client):
    bomb = _bomb()
    assert len(bomb) < 100_000
    _assert_chinese_error(client.post("/api/check", files={"file": ("bomb.xlsx", bomb)}), 413, "压缩炸弹")


def test_zip_bomb_archive_is_refused_in_a_batch(client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("甲.xlsx", b"\0" * (30 * MB))
    answer = client.post("/api/check-all", files={"file": ("报告.zip", archive.getvalue())})
    _assert_chinese_error(answer, 413, "压缩炸弹")


def test_too_many_files_is_413(client):
    files = [("file", (f"{number}.xlsx", b"PK")) for number in range(7)]
    _assert_chinese_error(client.post("/api/check-all", files=files), 413, "最多校验 5 个")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        for number in range(6):
            bundle.writestr(f"{number}.xlsx", b"PK")
    _assert_chinese_error(client.post("/api/check-all", files={"file": ("a.zip", archive.getvalue())}), 413, "最多")


@pytest.mark.parametrize("endpoint", ["/api/check", "/api/build", "/api/check-all"])
def test_no_file_or_not_multipart_is_400(client, endpoint):
    _assert_chinese_error(client.post(endpoint, data={"strict": "1"}), 400, "没有收到")
    _assert_chinese_error(client.post(endpoint, content=b"{}", headers={"content-type": "application/json"}),
                          400, "没有收到")


def test_two_files_to_check_is_400(client):
    files = [("file", ("a.xlsx", SAMPLE.read_bytes())), ("file", ("b.xlsx", SAMPLE.read_bytes()))]
    _assert_chinese_error(client.post("/api/check", files=files), 400, "批量校验")


def test_unknown_path_and_method_answer_in_chinese(client):
    _assert_chinese_error(client.get("/api/nothing"), 404, "没有这个页面")
    _assert_chinese_error(client.get("/api/check"), 405, "请求方式")


def test_every_answer_carries_the_security_headers(client):
    for answer in (client.get("/"), client.get("/static/style.css"), client.get("/api/template")):
        csp = answer.headers["content-security-policy"]
        assert "script-src" not in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    assert client.get("/").headers["cache-control"] == "no-store"


def test_no_request_leaves_a_private_directory_behind(client, private_tmp, tmp_path):
    client.post("/api/build", files=_upload(SAMPLE))
    client.post("/api/check", files={"file": ("x.xlsx", b"not a workbook")})
    client.post("/api/check-all", files={"file": ("a.zip", _bomb())})
    assert not list(private_tmp.glob("reportgen-web-*"))


def test_pages_use_no_external_resource_and_no_script(client):
    for path in ("/", "/check", "/batch", "/audit"):
        page = client.get(path).text
        assert "<script" not in page and "http://" not in page and "https://" not in page
        assert page.count('rel="stylesheet" href="/static/style.css"') == 1


def test_token_guards_the_api_and_the_pages(tmp_path):
    app = create_app(Settings(workers=1, token="s3cret"))
    with TestClient(app) as guarded:
        _assert_chinese_error(guarded.get("/api/template", params={"year": 2025}), 401, "访问令牌")
        assert guarded.get("/api/template", params={"year": 2025},
                           headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert guarded.get("/check", follow_redirects=False).headers["location"] == "/login"
        assert guarded.post("/login", data={"token": "wrong"}).status_code == 401
        assert guarded.post("/login", data={"token": "s3cret"}, follow_redirects=False).status_code == 303
        assert guarded.get("/check").status_code == 200  # the cookie from the login
        assert "s3cret" not in str(guarded.cookies)


def test_a_request_over_its_time_limit_is_503_in_chinese():
    slow = Settings(workers=1, limits=Limits(seconds=0.001))
    with TestClient(create_app(slow)) as impatient:
        _assert_chinese_error(impatient.post("/api/build", files=_upload(SAMPLE)), 503, "处理超时")


def test_client_file_names_are_only_shown_never_used_as_paths(client, private_tmp):
    answer = client.post("/api/check", files=_upload(SAMPLE, "../../evil-7f3a\\..\\年报-7f3a.xlsx"))
    assert answer.json()["file"] == "年报-7f3a.xlsx"
    assert not list(private_tmp.parent.rglob("*7f3a*"))


def test_the_cli_does_not_import_the_web_stack():
    code = "import sys, reportgen.cli; print(sorted(m for m in ('starlette', 'uvicorn', 'multipart') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_serve_help_is_chinese():
    output = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--max-upload-mb" in output and "访问令牌" in output and "127.0.0.1" in output


def test_a_body_without_length_is_cut_off_at_the_limit(client):
    """A chunked upload says nothing of its size up front; it is counted as it arrives."""
    def body():
        yield b"--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\n\r\nPK"
        for _ in range(40):
            yield b"\0" * 100_000
        yield b"\r\n--cut--\r\n"

    answer = client.post("/api/check", content=body(),
                         headers={"content-type": "multipart/form-data; boundary=cut"})
    _assert_chinese_error(answer, 413, "2 MB")


def test_serve_options_become_the_service_settings(monkeypatch):
    started = {}
    monkeypatch.setattr("reportgen.web.server.serve", lambda host, port, settings: started.update(
        host=host, port=port, settings=settings))
    monkeypatch.setenv("REPORTGEN_TOKEN", "from-env")
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "3",
                                       "--max-upload-mb", "5"])
    assert result.exit_code == 0, result.output
    settings = started["settings"]
    assert (started["host"], started["port"], settings.workers, settings.token) == ("0.0.0.0", 8123, 3, "from-env")
    assert settings.limits.upload_bytes == 5 * MB
    assert "http://0.0.0.0:8123/" in result.output and "警告" not in result.output


def test_serve_warns_when_open_to_others_without_a_token(monkeypatch):
    monkeypatch.setattr("reportgen.web.server.serve", lambda host, port, settings: None)
    monkeypatch.delenv("REPORTGEN_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert "没有设置访问令牌" in result.output
    assert CliRunner().invoke(main, ["serve", "--workers", "0"]).exit_code == 2


def test_a_long_batch_does_not_block_the_page():
    """The batch runs in the worker process; the event loop answers the page meanwhile."""
    files = [("file", (f"{number}.xlsx", SAMPLE.read_bytes())) for number in range(60)]
    with live_server(workers=1) as base, httpx.Client(base_url=base, timeout=120) as client:
        with ThreadPoolExecutor(1) as pool:
            batch = pool.submit(client.post, "/api/check-all", files=files)
            time.sleep(0.5)  # the upload is in and the worker busy
            start = time.perf_counter()
            page = client.get("/")
            answered = time.perf_counter() - start
            still_running = not batch.done()
            assert batch.result().status_code == 200
    assert page.status_code == 200 and still_running
    assert answered < 1.0


def test_a_worker_that_dies_is_replaced_and_the_request_gets_503():
    workers = Workers(1, None, seconds=60)
    workers.start()
    try:
        with pytest.raises(BadRequest) as refused:
            asyncio.run(workers.run(os._exit, 1))  # as if the kernel killed it (out of memory)
        assert refused.value.status == 503 and "工作进程意外退出" in str(refused.value)
        assert asyncio.run(workers.run(work.ready)) is True
    finally:
        workers.close()


@pytest.mark.parametrize("path, fields, phrase", [
    ("/template", {"year": "明年"}, "报告年度应为"),
    ("/check", {"strict": "1"}, "没有收到文件"),
    ("/batch", {}, "没有收到文件"),
    ("/audit", {}, "没有收到文件"),
])
def test_page_forms_show_a_bad_request_on_the_same_page(client, path, fields, phrase):
    answer = client.post(path, data=fields)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert phrase in answer.text and 'role="alert"' in answer.text
    assert f'action="{path}"' in answer.text  # the form is there to try again


def test_the_profile_given_to_the_server_shapes_workbooks_and_reports(tmp_path):
    profile = Path(__file__).resolve().parent.parent / "sample_inputs" / "profiles" / "云梦省"
    with TestClient(create_app(Settings(workers=1, profile_dir=profile))) as provincial:
        workbook = tmp_path / "年报.xlsx"
        workbook.write_bytes(provincial.get("/api/template", params={"year": 2020}).content)
        first = next(openpyxl.load_workbook(workbook)["填报说明"].iter_rows(min_row=3, values_only=True))[0]
        assert first.startswith("云梦省政府信息公开工作年度报告填报工作簿")
        report = Document(io.BytesIO(provincial.post("/api/build", files=_upload(SAMPLE)).content))
    assert "云梦省" in "\n".join(paragraph.text for paragraph in report.paragraphs)


def test_an_upload_that_trickles_in_is_408():
    async def trickle():
        await asyncio.sleep(2)
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/api/check", "query_string": b"",
             "headers": [(b"content-type", b"multipart/form-data; boundary=x")]}
    with pytest.raises(BadRequest) as refused:
        asyncio.run(read_form(Request(scope, trickle), Limits(upload_seconds=0.05)))
    assert refused.value.status == 408 and "上传超时" in str(refused.value)


def test_a_zip_made_on_chinese_windows_shows_its_gbk_names(client):
    """Windows' built-in zip stores names in the local code page (GBK) without the UTF-8 flag."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("AB.xlsx", SAMPLE.read_bytes())  # an ASCII placeholder as long as the GBK name
    raw = archive.getvalue().replace(b"AB.xlsx", "甲.xlsx".encode("gbk"))
    answer = client.post("/api/check-all", files={"file": ("各单位.zip", raw)})
    assert [row["file"] for row in answer.json()["files"]] == ["甲.xlsx"]


PUBLISHED = Path(__file__).parent / "data" / "published"
NONGYE = PUBLISHED / "2021_pingtan_nongye" / "page.txt"


def test_audit_answers_exactly_the_json_of_audit_json(client):
    answer = client.post("/api/audit", files=_upload(NONGYE, "农业农村局.txt"))
    assert answer.status_code == 200
    cli = json.loads(CliRunner().invoke(main, ["audit", str(NONGYE), "--json"]).output)
    cli["file"] = "农业农村局.txt"
    assert answer.json() == cli
    errors = [(item["sheet"], item["cell"], item["expected"], item["actual"])
              for item in answer.json()["findings"] if item["severity"] == "error"]
    assert errors == [("三、依申请公开", "（七）总计（自然人）", "2", "3"), ("三、依申请公开", "（七）总计（其他）", "1", "0")]


def test_audit_reads_a_saved_web_page(client):
    answer = client.post("/api/audit", files=_upload(PUBLISHED / "2024_pingtan_caijin" / "page.html"))
    assert answer.status_code == 200 and answer.json()["counts"]["error"] == 0


@pytest.mark.parametrize("name, content, status, phrase", [
    ("年报.exe", b"MZ\x90\x00", 415, "只能审核"),
    ("年报.xlsx", SAMPLE.read_bytes(), 415, "只能审核"),
    ("年报.pdf", b"", 400, "文件是空的"),
    ("年报.pdf", b"%PDF-1.4 not really", 422, "无法打开这个 PDF"),
    ("年报.docx", _bomb(), 413, "压缩炸弹"),
])
def test_audit_refuses_bad_uploads_in_chinese(client, name, content, status, phrase):
    answer = client.post("/api/audit", files={"file": (name, content)})
    _assert_chinese_error(answer, status, phrase, f"“{name}”")
