"""Issue 13 on generated hostile files (tests/hostile/): each run as the clerk would, in a subprocess with an
address-space limit, asserting the exit code, the Chinese message and that no file of the user's was touched."""

from __future__ import annotations

import json
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from reportgen.batch import folder as batch_folder
from reportgen.batch.folder import Status, run_folder
from reportgen.document.blank import new_document
from reportgen.document.content import add_body
from reportgen.profile.style import StyleSettings
from reportgen.workbook.sheets import INFO_SHEET, info_cell
from tests.hostile import bombs, inputs
from tests.workbooks import SAMPLE

MEMORY_LIMIT = 512 * 1024 * 1024  # address space, libraries included; the sample builds in under 300 MB
SUMMARY = "汇总检查结果.xlsx"


# Root reads every file, and user nobody may not reach this interpreter (under /root/.pyenv, say): so the child
# loads reportgen, and what the commands import lazily, as root, then gives up root for nobody before it runs.
AS_NOBODY = """
import os, sys
import reportgen.api, reportgen.document.render, reportgen.profile.templates, reportgen.workbook.writer
from reportgen.cli import main
if os.geteuid() == 0:
    os.setgroups([])
    os.setgid({gid})
    os.setuid({uid})
sys.argv[0] = "reportgen"
main()
"""


def run(*args: object, timeout: float = 120, unprivileged: bool = False) -> subprocess.CompletedProcess:
    """``reportgen ARGS`` in a child limited to MEMORY_LIMIT; ``unprivileged`` runs it as nobody when we are root."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    nobody = pwd.getpwnam("nobody")
    command = ["-c", AS_NOBODY.format(uid=nobody.pw_uid, gid=nobody.pw_gid)] if unprivileged else ["-m", "reportgen"]
    env = {key: value for key, value in os.environ.items() if key != "REPORTGEN_PROFILE"}
    return subprocess.run([sys.executable, *command, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, env=env, cwd=tempfile.gettempdir())


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` with its bytes (a link or a pipe by what it is), to prove nothing changed."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            entries[str(path)] = f"link to {os.readlink(path)}"
        elif path.is_file():
            entries[str(path)] = path.read_bytes()
        else:
            entries[str(path)] = "folder" if path.is_dir() else "other"
    return entries


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder the unprivileged user can enter (pytest's own tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="reportgen-hostile-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def copy_sample(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE, target)
    return target


# --- 2. formula injection --------------------------------------------------------------------------------


def formula_cells(path: Path) -> list[openpyxl.cell.Cell]:
    """Every cell of the workbook at ``path`` whose value holds the injected =HYPERLINK text."""
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str) and "HYPERLINK" in cell.value]


def assert_all_text(path: Path, expected: int) -> None:
    cells = formula_cells(path)
    assert len(cells) >= expected, [cell.coordinate for cell in cells]
    assert {cell.data_type for cell in cells} == {"s"}, [(cell.coordinate, cell.data_type) for cell in cells]


def test_user_texts_stay_text_in_the_summary_and_in_build_all_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    inputs.formula_workbook(folder)
    checked = run("check-all", folder, "--summary", tmp_path / "summary.xlsx")
    assert checked.returncode == 0, checked.stderr
    summary = openpyxl.load_workbook(tmp_path / "summary.xlsx").active
    header = [cell.value for cell in summary[1]]
    row = summary[2]
    for column, text in (("文件", inputs.FILE_NAME_INJECTION + ".xlsx"), ("机关名称", inputs.INJECTION)):
        cell = row[header.index(column)]
        assert (cell.value, cell.data_type) == (text, "s")

    built = run("build-all", folder, "-o", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    summary = openpyxl.load_workbook(tmp_path / "out" / SUMMARY).active
    header = [cell.value for cell in summary[1]]
    report = summary[2][header.index("生成的报告")]
    assert (report.value, report.data_type) == (inputs.FILE_NAME_INJECTION + ".docx", "s")
    assert_all_text(tmp_path / "out" / SUMMARY, expected=3)


def test_user_texts_stay_text_in_aggregate_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    inputs.formula_workbook(folder)
    done = run("aggregate", folder, "-o", tmp_path / "sum.xlsx", "--agency", inputs.INJECTION)
    assert done.returncode == 0, done.stderr
    agency = openpyxl.load_workbook(tmp_path / "sum.xlsx")[INFO_SHEET][info_cell("agency")]
    assert (agency.value, agency.data_type) == (inputs.INJECTION, "s")
    assert_all_text(tmp_path / "sum.xlsx", expected=2)  # the agency, and the source list naming the file


def test_user_texts_stay_text_in_a_workbook_made_from_json(tmp_path):
    made = run("template", tmp_path / "from-json.xlsx", "--from", inputs.formula_json(tmp_path))
    assert made.returncode == 0, made.stderr
    book = tmp_path / "from-json.xlsx"
    agency = openpyxl.load_workbook(book)[INFO_SHEET][info_cell("agency")]
    assert (agency.value, agency.data_type) == (inputs.INJECTION, "s")
    assert_all_text(book, expected=4)  # agency, paragraph, lead, item text
    checked = run("check", book)  # and it reads back as the same text
    assert checked.returncode == 0, checked.stdout


# --- 3. never overwrite the user's files ------------------------------------------------------------------


def test_an_output_whose_suffix_does_not_match_is_refused(tmp_path):
    filled = copy_sample(tmp_path / "other-filled.xlsx")
    before = snapshot(tmp_path)
    for args, suffix in (
        (("build", SAMPLE, "-o", filled), ".docx"),
        (("build", SAMPLE, "-o", filled, "--force"), ".docx"),
        (("export", SAMPLE, "-o", filled), ".json"),
        (("template", tmp_path / "x.docx", "--year", "2020"), ".xlsx"),
        (("aggregate", tmp_path, "-o", tmp_path / "sum.docx"), ".xlsx"),
    ):
        result = run(*args)
        assert result.returncode == 3, (args, result.stderr)
        assert f"扩展名应为 {suffix}" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_foreign_file_is_replaced_only_with_force_and_our_own_always(tmp_path):
    foreign_docx = tmp_path / "report.docx"
    document = Document()
    document.add_paragraph("本单位自己写的材料")
    document.save(foreign_docx)
    foreign_json = tmp_path / "data.json"
    foreign_json.write_text('{"note": "本单位自己的数据"}', encoding="utf-8")
    before = snapshot(tmp_path)

    refused = run("build", SAMPLE, "-o", foreign_docx)
    assert refused.returncode == 3 and "已存在且不是 reportgen 生成的DOCX 报告" in refused.stderr
    refused = run("export", SAMPLE, "-o", foreign_json)
    assert refused.returncode == 3 and "已存在且不是 reportgen 生成的JSON 数据文件" in refused.stderr
    assert snapshot(tmp_path) == before

    for command, output in (("build", foreign_docx), ("export", foreign_json)):
        assert run(command, SAMPLE, "-o", output, "--force").returncode == 0
        assert output.read_bytes() != before[str(output)]
        assert run(command, SAMPLE, "-o", output).returncode == 0  # now ours: replaced without --force
    assert "本单位自己写的材料" not in "".join(p.text for p in Document(foreign_docx).paragraphs)


def test_a_summary_never_replaces_an_input_of_its_run(tmp_path):
    folder = tmp_path / "各单位"
    unit = copy_sample(folder / "某单位.xlsx")
    before = snapshot(tmp_path)
    for force in ((), ("--force",)):
        result = run("check-all", folder, "--summary", unit, *force)
        assert result.returncode == 3 and "是本次读取的输入文件" in result.stderr
    assert snapshot(tmp_path) == before

    elsewhere = copy_sample(tmp_path / "别的工作簿.xlsx")
    before = snapshot(tmp_path)
    refused = run("check-all", folder, "--summary", elsewhere)
    assert refused.returncode == 3 and "已存在且不是 reportgen 生成的汇总检查结果工作簿" in refused.stderr
    assert snapshot(tmp_path) == before
    assert run("check-all", folder, "--summary", elsewhere, "--force").returncode == 0
    assert openpyxl.load_workbook(elsewhere).sheetnames == ["检查结果"]


def test_a_summary_from_before_the_marker_is_still_replaced_and_skipped(tmp_path):
    copy_sample(tmp_path / "某单位.xlsx")
    older = openpyxl.Workbook()
    older.active.title = "检查结果"  # what summaries were before they carried reportgen:summary
    older.save(tmp_path / SUMMARY)
    result = run("check-all", tmp_path, "--summary", tmp_path / SUMMARY)
    assert result.returncode == 0 and "共 1 个文件" in result.stdout, result.stdout + result.stderr
    assert openpyxl.load_workbook(tmp_path / SUMMARY).active["B2"].value == "某单位.xlsx"


def test_build_all_into_its_own_folder_twice_does_not_read_its_summary(tmp_path):
    copy_sample(tmp_path / "甲单位.xlsx")
    copy_sample(tmp_path / "乙单位.xlsx")
    runs = [run("build-all", tmp_path, "-o", tmp_path) for _ in range(2)]
    assert [result.returncode for result in runs] == [0, 0], runs[1].stdout
    assert "无法读取" not in runs[1].stdout and SUMMARY not in runs[1].stdout.split("汇总表：")[0]
    files = [row[1] for row in openpyxl.load_workbook(tmp_path / SUMMARY).active.iter_rows(min_row=2, values_only=True)]
    assert files == ["乙单位.docx", "乙单位.xlsx", "甲单位.docx", "甲单位.xlsx"]  # the DOCX skipped, no summary


# --- 5. one file must not sink or stall a batch -----------------------------------------------------------


def test_a_named_pipe_is_refused_at_once(tmp_path):
    pipe = inputs.named_pipe(tmp_path)
    result = run("check", pipe, timeout=60)
    assert result.returncode == 3 and f"{pipe}：不是普通文件（而是命名管道、设备等），无法读取" in result.stdout
    copy_sample(tmp_path / "正常.xlsx")
    batch = run("check-all", tmp_path, "--summary", tmp_path / SUMMARY, timeout=60)
    assert batch.returncode == 0, batch.stdout
    assert "[已跳过] pipe.xlsx：不是普通文件（而是命名管道、设备等），无法读取，已跳过" in batch.stdout


def test_a_symlink_loop_is_skipped_with_a_note(tmp_path):
    loop = inputs.symlink_loop(tmp_path)
    copy_sample(tmp_path / "正常.xlsx")
    before = snapshot(tmp_path)
    result = run("check", loop)
    assert result.returncode == 3 and "符号链接形成了循环" in result.stdout
    for command in (("check-all", tmp_path, "--summary", tmp_path.parent / f"{tmp_path.name}.xlsx"),
                    ("aggregate", tmp_path, "-o", tmp_path.parent / f"{tmp_path.name}-sum.xlsx")):
        batch = run(*command)
        assert batch.returncode == 0, batch.stdout + batch.stderr
        for name in inputs.LOOP_NAMES:
            assert f"[已跳过] {name}：符号链接形成了循环，找不到实际的文件，已跳过" in batch.stdout
    assert snapshot(tmp_path) == before


_REAL_PROCESS = batch_folder._process  # the work inside the time limit


def _stall_on_slow(job):
    """A worker stuck on slow.xlsx (as on a file that takes hours), fine on the others."""
    if job.path.name == "slow.xlsx":
        time.sleep(120)
    return _REAL_PROCESS(job)


def test_a_file_over_its_time_limit_costs_only_itself(tmp_path, monkeypatch):
    for name in ("a.xlsx", "slow.xlsx", "b.xlsx", "c.xlsx"):
        copy_sample(tmp_path / name)
    monkeypatch.setattr(batch_folder, "_process", _stall_on_slow)  # workers are forked: they see the patch
    started = time.monotonic()
    result = run_folder(tmp_path, workers=2, time_limit=3)
    assert time.monotonic() - started < 60
    statuses = {str(outcome.relative): outcome.status for outcome in result.outcomes}
    assert statuses.pop("slow.xlsx") is Status.UNREADABLE
    assert set(statuses.values()) <= {Status.PASSED, Status.WARNINGS}, statuses
    [slow] = [outcome for outcome in result.outcomes if outcome.relative.name == "slow.xlsx"]
    assert slow.findings[0].message.endswith("处理时间超过 3 秒，已停止（文件内容可能异常庞大）")


def test_the_time_limit_is_set_on_the_command_line(tmp_path):
    copy_sample(tmp_path / "a.xlsx")
    result = run("check-all", tmp_path, "--summary", tmp_path.parent / "summary.xlsx", "--time-limit", "0.001")
    assert result.returncode == 1
    assert "[无法读取] a.xlsx：" in result.stdout and "处理时间超过 0.001 秒，已停止" in result.stdout


def _die_on_killer(job):
    """A worker that is killed (as by the OOM killer) while it holds killer.xlsx."""
    if job.path.name == "killer.xlsx":
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_PROCESS(job)


def test_a_killed_worker_costs_only_its_own_file(tmp_path, monkeypatch):
    for name in ("a.xlsx", "b.xlsx", "killer.xlsx", "c.xlsx", "d.xlsx", "e.xlsx"):
        copy_sample(tmp_path / name)
    monkeypatch.setattr(batch_folder, "_process", _die_on_killer)  # workers are forked: they see the patch
    result = run_folder(tmp_path, workers=2)
    statuses = {str(outcome.relative): outcome.status for outcome in result.outcomes}
    assert statuses.pop("killer.xlsx") is Status.UNREADABLE
    assert set(statuses.values()) <= {Status.PASSED, Status.WARNINGS}, statuses
    [killed] = [outcome for outcome in result.outcomes if outcome.relative.name == "killer.xlsx"]
    assert "处理该文件的进程意外终止" in killed.findings[0].message


def test_a_cell_of_many_lines_builds_every_line(tmp_path):
    workbook = inputs.line_breaks_workbook(tmp_path, lines=20_000)
    result = run("build", workbook, "-o", tmp_path / "report.docx", timeout=120)
    assert result.returncode == 0, result.stderr
    texts = [paragraph.text for paragraph in Document(tmp_path / "report.docx").paragraphs]
    assert texts.count("甲") == 19_999 and "结尾" in texts  # past Excel's 32,767 characters, nothing lost


def _seconds_to_add(paragraphs: int) -> float:
    """The best of three runs: a single run of a few milliseconds is at the mercy of warm-up and the collector."""
    timings = []
    for _ in range(3):
        document = new_document(StyleSettings())
        started = time.process_time()
        for _ in range(paragraphs):
            add_body(document, "甲")
        document.document_xml()
        timings.append(time.process_time() - started)
    return min(timings)


def test_paragraphs_are_added_in_linear_time():
    """Four times the paragraphs take about four times as long (it was 10 times, 21 times for 10,000 → 40,000:
    the 200,000-line workbook built for more than 15 minutes; now in about 30 seconds)."""
    assert _seconds_to_add(20_000) < 6 * _seconds_to_add(5_000)


# --- 6. ordinary failures get their own message -----------------------------------------------------------


@pytest.fixture
def read_only_folder(tmp_path) -> Iterator[Path]:
    """A folder no one may write to: mode 555, and immutable (chattr +i) when we are root, who ignores modes."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", folder], capture_output=True).returncode != 0:
        pytest.skip("root ignores folder permissions and chattr +i is not available")
    yield folder
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", folder], check=True)
    folder.chmod(0o755)


def test_a_read_only_output_folder_is_named(read_only_folder):
    result = run("build", SAMPLE, "-o", read_only_folder / "report.docx")
    assert result.returncode == 3, result.stderr
    assert f"无法写入 {read_only_folder / 'report.docx'}：没有写入该文件夹的权限（或文件夹只读）" in result.stderr
    assert list(read_only_folder.iterdir()) == []


def test_an_unreadable_input_exits_3_naming_it(shared_tmp):
    unreadable = inputs.unreadable_workbook(shared_tmp)
    data = shared_tmp / "data.json"
    data.write_text("{}", encoding="utf-8")
    data.chmod(0)
    for args in (("check", unreadable), ("template", shared_tmp / "t.xlsx", "--from", data)):
        result = run(*args, unprivileged=True)
        assert result.returncode == 3, (args, result.stdout, result.stderr)
        assert "没有读取该文件的权限" in result.stdout
    assert not (shared_tmp / "t.xlsx").exists()


def test_an_eighty_character_chinese_name_is_written(tmp_path):
    workbook = inputs.long_name_workbook(tmp_path)
    report = workbook.with_suffix(".docx")
    assert len(report.name.encode()) == 245
    result = run("build", workbook, "-o", report)
    assert result.returncode == 0, result.stderr
    assert report.is_file() and [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []
    too_long = tmp_path / f"{inputs.LONG_STEM}{inputs.TOO_LONG_SUFFIX}.docx"
    result = run("build", workbook, "-o", too_long)
    assert result.returncode == 3 and "文件名过长" in result.stderr


@pytest.mark.parametrize(("generate", "message"), [
    (inputs.deep_json, "JSON 嵌套层数过多"),
    (inputs.huge_integer_json, "JSON 中有位数过多的数字（超过 4300 位）"),
    (inputs.control_character_json, "info.agency 含有不可见的控制字符 U+0007"),
    (inputs.negative_year_json, "info.year：应不小于 2008"),
])
def test_a_broken_json_file_gets_its_own_message(tmp_path, generate, message):
    data = generate(tmp_path)
    before = snapshot(tmp_path)
    for args in (("check", data), ("template", tmp_path / "t.xlsx", "--from", data),
                 ("build", data, "-o", tmp_path / "r.docx")):
        result = run(*args)
        assert result.returncode == 3, (args, result.stdout, result.stderr)
        assert f"{data}：" in result.stdout and message in result.stdout
        assert "程序内部错误" not in result.stderr
    assert snapshot(tmp_path) == before


def test_invisible_characters_leave_the_agency_name(tmp_path):
    data = inputs.invisible_agency_json(tmp_path)
    assert run("build", data, "-o", tmp_path / "r.docx").returncode == 0
    title = "".join(p.text for p in Document(tmp_path / "r.docx").paragraphs[:3])
    assert title.startswith("福州高新区管委会 办公室")
    assert run("template", tmp_path / "t.xlsx", "--from", data).returncode == 0
    agency = openpyxl.load_workbook(tmp_path / "t.xlsx")[INFO_SHEET][info_cell("agency")].value
    assert agency == "福州高新区管委会 办公室"


# --- 7. profiles ------------------------------------------------------------------------------------------


def test_a_template_linked_outside_its_profile_is_refused(tmp_path):
    profile = inputs.passwd_link_profile(tmp_path)
    report = tmp_path / "r.docx"
    built = run("build", SAMPLE, "-o", report, "--profile", profile)
    assert built.returncode == 3 and not report.exists()
    link = profile / "text" / "title.j2"
    assert f"{link}：模板文件是指向配置方案文件夹以外（/etc/passwd）的符号链接，已拒绝读取" in built.stderr
    checked = run("profile", "check", profile)
    assert checked.returncode == 1 and "/etc/passwd）的符号链接" in checked.stdout and "root:" not in checked.stdout


def test_runaway_template_loops_stop_with_a_message(tmp_path):
    profile = inputs.nested_loops_profile(tmp_path)
    report = tmp_path / "r.docx"
    for args, code, stream in ((("build", SAMPLE, "-o", report, "--profile", profile), 3, "stderr"),
                               (("profile", "check", profile), 1, "stdout")):
        started = time.monotonic()
        result = run(*args, timeout=90)
        assert time.monotonic() - started < 60
        assert result.returncode == code
        assert "title.j2 第 1 行：模板运行超出限制：循环次数超过 1,000,000 次" in getattr(result, stream)
    assert not report.exists()


# --- 8. no leftovers --------------------------------------------------------------------------------------

SLOW_WRITER = """
import sys, time
from pathlib import Path
from reportgen.atomic import write_atomically

def write(temp):
    Path(temp).write_bytes(b"half")
    Path(sys.argv[2]).write_text("writing")
    time.sleep(60)

write_atomically(Path(sys.argv[1]), write)
"""


def _start_slow_write(target: Path, ready: Path) -> subprocess.Popen:
    writer = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target), str(ready)])
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert time.monotonic() < deadline and writer.poll() is None
        time.sleep(0.05)
    return writer


def test_sigterm_during_a_write_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    writer = _start_slow_write(out / "report.docx", tmp_path / "ready")
    assert len(list(out.iterdir())) == 1  # the temp file
    writer.terminate()
    assert writer.wait(30) == -signal.SIGTERM
    assert list(out.iterdir()) == []


def test_the_next_write_removes_what_kill_9_left(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    writer = _start_slow_write(out / "report.docx", tmp_path / "ready")
    writer.kill()
    writer.wait(30)
    [stale] = list(out.iterdir())
    assert stale.name.startswith(f".reportgen-{writer.pid}-") and stale.name.endswith(".docx.tmp")
    live = _start_slow_write(out / "other.docx", tmp_path / "ready-too")  # another run writing right now
    try:
        assert run("build", SAMPLE, "-o", out / "report.docx").returncode == 0
        names = sorted(path.name for path in out.iterdir())
        assert names[-1] == "report.docx" and len(names) == 2  # the stale temp gone, the live one kept
        assert names[0].startswith(f".reportgen-{live.pid}-")
    finally:
        live.kill()
        live.wait(30)


def test_the_corpus_generator_writes_every_file(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tests.hostile", tmp_path], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent, timeout=300)
    assert result.returncode == 0, result.stderr
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {
        *inputs.GENERATORS, *(f"bombs/{name}" for name in bombs.GENERATORS)}
    assert all((tmp_path / "bombs" / name).is_file() for name in bombs.GENERATORS)
    assert (tmp_path / "named_pipe" / inputs.PIPE_NAME).is_fifo()
    assert json.loads((tmp_path / "negative_year_json" / "negative-year.json").read_text("utf-8"))["info"]["year"] < 0
