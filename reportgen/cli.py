"""Command line: a thin shell over reportgen.api that prints findings and maps outcomes to exit codes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from reportgen import __version__
from reportgen.batch import FILE_TIME_LIMIT
from reportgen.exceptions import OutputError, ReportgenError

if TYPE_CHECKING:
    from reportgen import api

# reportgen.api and what it pulls in (openpyxl, python-docx, jinja2), the formats and the findings
# are imported by the commands that use them, so `reportgen --version`, `--help` and a mistyped
# command answer at once.

SUMMARY_NAME = "汇总检查结果.xlsx"
AUDIT_SUMMARY_NAME = "评估结果.xlsx"
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
HELP = {"help_option_names": ["-h", "--help"]}
COMMAND = {"context_settings": HELP, "options_metavar": "[选项]"}

# click's own messages (usage, errors, help headings) in Simplified Chinese
CLICK_MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "default: {default}": "默认：{default}",
    "Aborted!": "已中止。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "required": "必填",
}


def _translate_click(message: str) -> str:
    return CLICK_MESSAGES.get(message, message)


def _install_click_messages() -> None:
    """Point click's message lookup at the Chinese table (click calls gettext as ``_`` per module)."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        module._ = _translate_click


_install_click_messages()


class ReportgenGroup(click.Group):
    """Turns operational errors into one Chinese line and an exit code; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # --help, usage errors (exit 2) and Ctrl-C are click's to report
        except ReportgenError as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"错误：{error}", err=True)
            sys.exit(error.exit_code)
        except Exception as error:  # a bug must still not drown the clerk in a traceback
            if ctx.params.get("debug"):
                raise
            click.echo(f"程序内部错误（{type(error).__name__}：{error}）。请加 --debug 重新运行并把输出报告给维护人员。", err=True)
            sys.exit(EXIT_UNREADABLE)


@click.group(cls=ReportgenGroup, subcommand_metavar="命令 [参数]...", **COMMAND)
@click.version_option(__version__, "-V", "--version", prog_name="reportgen")
@click.option("--debug", is_flag=True, help="出错时显示完整的程序调用栈（供开发人员排查）。")
def main(debug: bool) -> None:
    """reportgen：生成政府信息公开工作年度报告。

    \b
    典型流程：
      reportgen template 年报-2020.xlsx --year 2020 --agency "某某局"   生成填报工作簿
      reportgen check 年报-2020.xlsx                                      校验填报内容
      reportgen build 年报-2020.xlsx -o 年报-2020.docx                    校验并生成报告

    退出码：0 无错误；1 发现错误；2 命令用法有误；3 无法读取输入或无法写出。
    """


class _FormatChoice(click.Choice):
    """The ids of reportgen.formats, read when --format is shown or parsed: building the formats
    at start-up would slow down every command."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> list[str]:
        from reportgen.formats import FORMATS

        return sorted(FORMATS)

    @choices.setter
    def choices(self, ignored) -> None:  # click.Choice.__init__ assigns the (empty) choices
        pass


# a missing, unreadable or odd input file is the reader's to name (exit 3), not a usage error (exit 2)
INPUT_FILE = click.Path(path_type=Path, readable=False)
FORCE = click.option("--force", is_flag=True, help="允许覆盖已存在的文件（即使它不是 reportgen 生成的）。")
PROFILE = click.option("--profile", "profile_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
                       envvar="REPORTGEN_PROFILE", help="配置方案文件夹（也可用环境变量 REPORTGEN_PROFILE 指定）。")


def _report_year(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    from reportgen.formats import FIRST_YEAR, LAST_YEAR  # building the formats at start-up would slow every command

    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise click.BadParameter(f"应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份。")
    return value


@main.command(**COMMAND)
@click.argument("output", metavar="输出文件.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, callback=_report_year, metavar="年度",
              help="报告年度，如 2020（使用 --from 时取自数据文件）。")
@click.option("--agency", default="", metavar="名称", help="机关名称（也可稍后在工作簿“基本信息”中填写）。")
@click.option("--format", "format_id", type=_FormatChoice(), default=None,
              help="报告格式：2019（60号文）或 2021（30号文）；默认按年度选择（2020 年及以前为 2019）。")
@PROFILE
@FORCE
@click.option("--from", "data", type=INPUT_FILE,
              help="用 JSON 数据文件（reportgen export 导出）预填工作簿；年度、格式和机关名称取自该文件。")
@click.option("--previous", type=INPUT_FILE, default=None,
              metavar="上年度报告",
              help="上年度的报告（填报工作簿，或已发布的网页、PDF、DOCX、文本）：预填“二、上年结转”，沿用机关名称和联系方式。")
def template(output: Path, year: int | None, agency: str, format_id: str | None, profile_dir: Path | None,
             force: bool, data: Path | None, previous: Path | None) -> None:
    """生成供填报的 Excel 工作簿（写到“输出文件.xlsx”）。"""
    from reportgen import api
    from reportgen.profile.templates import load_profile

    if data and previous:
        raise click.UsageError("--from 与 --previous 只能选用一个。")
    report = _data_report(data, year, format_id) if data else None
    if report is not None:
        year, format_id, agency = report.info.year, report.info.format_id, agency or report.info.agency
    elif year is None:
        raise click.UsageError("缺少选项 '--year'（或用 --from 指定数据文件）。")
    elif previous is not None:
        report = api.carried_into(previous, year, format_id)
        agency = agency or report.info.agency
    fmt = api.create_template(output, year=year, agency=agency, format_id=format_id, report=report,
                              profile=load_profile(profile_dir), overwrite=force)
    click.echo(f"已生成填报工作簿：{output}（{year} 年度，{fmt.document} 格式）")


PREVIOUS = click.option("--previous", type=INPUT_FILE, default=None, metavar="上年度报告",
                        help="上年度的填报工作簿或已发布的年报（网页、PDF、DOCX、文本），用于核对上年结转等承接关系。")
STRICT = click.option("--strict", is_flag=True, help="警告也视为错误（退出码 1，build 不生成报告）。")


@main.command(**COMMAND)
@click.argument("workbook", metavar="工作簿", type=INPUT_FILE)
@PREVIOUS
@STRICT
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题，便于其他系统读取。")
def check(workbook: Path, previous: Path | None, strict: bool, as_json: bool) -> None:
    """校验填报工作簿（或 JSON 数据文件），列出发现的问题。有错误时退出码为 1。"""
    from reportgen import api

    result = api.check_workbook(workbook, previous=previous)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_findings(result)
    sys.exit(_exit_code(result, strict))


@main.command(**COMMAND)
@click.argument("workbook", metavar="工作簿", type=INPUT_FILE)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的 DOCX 文件。")
@PROFILE
@PREVIOUS
@STRICT
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成同名 PDF（需已安装 LibreOffice）。")
@FORCE
def build(workbook: Path, output: Path, profile_dir: Path | None, previous: Path | None, strict: bool,
          pdf: bool, force: bool) -> None:
    """校验工作簿，无错误时生成 DOCX 报告；有错误时不生成并列出问题。"""
    from reportgen import api
    from reportgen.profile.templates import load_profile

    result = api.build_report(workbook, output, profile=load_profile(profile_dir), previous=previous, strict=strict,
                              force=force)
    _print_findings(result.check)
    if result.output is None:
        problem = "存在错误" if result.check.has_errors or not strict else "存在警告（使用了 --strict）"
        click.echo(f"{problem}，未生成报告。请修改工作簿后重试。", err=True)
        sys.exit(_exit_code(result.check, strict))
    click.echo(f"已生成报告：{result.output}")
    if pdf:
        from reportgen.document.pdf import convert_to_pdf

        click.echo(f"已生成 PDF：{convert_to_pdf(result.output, result.output.with_suffix('.pdf'))}")


@main.group(subcommand_metavar="命令 [参数]...", **COMMAND)
def profile() -> None:
    """配置方案：各地统一报告的版式、文字和填报工作簿的说明。

    \b
      reportgen profile init 某省方案      复制内置方案作为起点（每项设置都有注释）
      reportgen profile check 某省方案     发出前检查方案
    """


@profile.command("init", **COMMAND)
@click.argument("directory", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """把内置配置方案复制到一个新文件夹，作为编写配置方案的起点。"""
    from reportgen.profile.init import init_profile

    init_profile(directory)
    click.echo(f"已生成配置方案：{directory}。请按其中 README.md 的说明修改 profile.toml 和 text/ 中的模板，"
               f"然后运行 reportgen profile check {directory} 检查。")


@profile.command("check", **COMMAND)
@click.argument("directory", metavar="文件夹", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--sample", "samples", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="另用这个已填好的填报工作簿试生成报告（可多次指定）。")
def check_command(directory: Path, samples: tuple[Path, ...]) -> None:
    """检查配置方案文件夹：设置、模板语法和变量，并用示例数据试生成报告。有错误时退出码为 1。"""
    from reportgen.profile.check import check_profile

    problems = check_profile(directory, samples)
    for problem in problems:
        click.echo(f"错误：{problem}")
    click.echo(f"{directory}：共 {len(problems)} 个错误。" if problems else f"{directory}：未发现问题。")
    sys.exit(EXIT_FINDINGS if problems else EXIT_OK)


def _data_report(data: Path, year: int | None, format_id: str | None):
    """The report of a JSON data file, checked like a workbook; exits when it has errors."""
    from reportgen import api

    if year is not None or format_id is not None:
        raise click.UsageError("使用 --from 时不能再指定 --year 或 --format：年度和格式取自数据文件。")
    result = api.check_workbook(data)
    if result.findings:
        _print_findings(result)
    if result.has_errors or result.report is None:
        click.echo("数据文件存在错误，未生成工作簿。", err=True)
        sys.exit(_exit_code(result))
    return result.report


@main.command(short_help="评估已发布的年报（网页、PDF、DOCX、文本）：读出数字并核对。", **COMMAND)
@click.argument("document", metavar="已发布年报", type=INPUT_FILE)
@PREVIOUS
@STRICT
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题（与 check --json 相同）。")
@click.option("--export", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="数据.json",
              help="把读到的数字和文字写成 JSON 数据文件（即使数字有错误也写出，可用于 template --from）。")
@FORCE
def audit(document: Path, previous: Path | None, strict: bool, as_json: bool, export: Path | None,
          force: bool) -> None:
    """评估已发布的年报（网页 .html、PDF、DOCX 或文本 .txt）：读出表格数字并按全部规则核对。
    数字对不上时退出码为 1；扫描件等无法读取的文件退出码为 3。"""
    from reportgen import api

    result = api.audit_document(document, previous=previous)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_findings(result)
    if export is not None and result.report is not None:
        written = api.export_figures(result, export, force=force)
        click.echo(f"已导出读到的数据：{written}", err=as_json)
    sys.exit(_exit_code(result, strict))


@main.command(**COMMAND)
@click.argument("workbook", metavar="工作簿", type=INPUT_FILE)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的 JSON 数据文件。")
@FORCE
def export(workbook: Path, output: Path, force: bool) -> None:
    """把工作簿的数字和文字导出为 JSON 数据文件；有错误时不导出。"""
    from reportgen import api

    result = api.export_data(workbook, output, force=force)
    _print_findings(result.check)
    if result.output is None:
        click.echo("存在错误，未导出。请修改工作簿后重试。", err=True)
        sys.exit(_exit_code(result.check))
    click.echo(f"已导出数据：{result.output}")


@main.command(**COMMAND)
def schema() -> None:
    """输出 JSON 数据文件的 JSON Schema，供其他系统对接。"""
    from reportgen.workbook.exchange import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _positive(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter("应为不小于 1 的整数。")
    return value


TIME_LIMIT = click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="秒",
                          default=FILE_TIME_LIMIT, show_default=True,
                          help="每个文件的处理时限（秒）；超时的文件记为无法读取，不影响其他文件。")
JOBS = click.option("-j", "--jobs", type=int, metavar="进程数", default=None, callback=_positive,
                    help="并行处理的进程数（不小于 1），默认为本机 CPU 核数。")


@main.command("check-all", **COMMAND)
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), default=Path(SUMMARY_NAME),
              show_default=True, help="汇总检查结果工作簿。")
@JOBS
@TIME_LIMIT
@FORCE
def check_all(folder: Path, summary: Path, jobs: int | None, time_limit: float, force: bool) -> None:
    """校验文件夹及其子文件夹中的全部工作簿，写出汇总表。任一工作簿有错误时退出码为 1。"""
    _check_folder(folder, summary, jobs, time_limit, force, published=False)


@main.command("audit-all", short_help="评估文件夹中全部已发布的年报，写出汇总表。", **COMMAND)
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), default=Path(AUDIT_SUMMARY_NAME),
              show_default=True, help="评估结果汇总工作簿。")
@JOBS
@TIME_LIMIT
@FORCE
def audit_all(folder: Path, summary: Path, jobs: int | None, time_limit: float, force: bool) -> None:
    """评估文件夹及其子文件夹中全部已发布的年报（.html、.htm、.pdf、.docx、.txt），写出汇总表（每份年报一行）。
    任一年报有错误时退出码为 1。"""
    _check_folder(folder, summary, jobs, time_limit, force, published=True)


def _check_folder(folder: Path, summary: Path, jobs: int | None, time_limit: float, force: bool, *,
                  published: bool) -> None:
    """check-all and audit-all: every file under ``folder`` checked in parallel, then the summary workbook."""
    from reportgen.batch.folder import run_folder
    from reportgen.batch.summary import check_summary_path, write_summary

    check_summary_path(summary, folder, force=force)
    result = run_folder(folder, workers=_workers(jobs), exclude=[summary], time_limit=time_limit,
                        published=published, progress=_ProgressBar("评估" if published else "校验"))
    write_summary(summary, result)
    _finish_batch(result, summary)


@main.command("build-all", **COMMAND)
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="输出文件夹：报告按原文件夹结构存放，另有汇总表 " + SUMMARY_NAME + "。")
@PROFILE
@JOBS
@TIME_LIMIT
@FORCE
def build_all(folder: Path, outdir: Path, profile_dir: Path | None, jobs: int | None, time_limit: float,
              force: bool) -> None:
    """校验文件夹中的全部工作簿，为无错误的生成 DOCX 报告，写出汇总表。任一有错误时退出码为 1。"""
    from reportgen.batch.folder import run_folder
    from reportgen.batch.summary import check_summary_path, write_summary
    from reportgen.profile.templates import load_profile

    load_profile(profile_dir)  # a broken profile stops the run before any worker starts
    check_summary_path(outdir / SUMMARY_NAME, folder, force=force)
    _make_folder(outdir)
    result = run_folder(folder, workers=_workers(jobs), outdir=outdir, profile_dir=profile_dir, force=force,
                        exclude=[outdir / SUMMARY_NAME], time_limit=time_limit, progress=_ProgressBar("生成"))
    write_summary(outdir / SUMMARY_NAME, result, outdir=outdir)
    _finish_batch(result, outdir / SUMMARY_NAME)


@main.command(**COMMAND)
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的合计工作簿，如 合计.xlsx。")
@click.option("--agency", default="", metavar="名称", help="合计工作簿的机关名称（也可稍后在“基本信息”中填写）。")
@FORCE
@JOBS
@TIME_LIMIT
def aggregate(folder: Path, output: Path, agency: str, force: bool, jobs: int | None, time_limit: float) -> None:
    """把文件夹中同一年度、同一格式的全部工作簿的数字相加，写成一个已填好的工作簿。"""
    from reportgen.batch.aggregate import aggregate_folder

    done = aggregate_folder(folder, output, agency=agency, workers=_workers(jobs), time_limit=time_limit,
                            overwrite=force, progress=_ProgressBar("校验"))
    for outcome in done.batch.outcomes:
        if outcome.note:
            click.echo(f"[{outcome.status.label}] {outcome.relative}：{outcome.note}")
    click.echo(f"已汇总 {len(done.sources)} 个工作簿，生成：{output}（来源清单见“填报说明”工作表）")


def _workers(jobs: int | None) -> int:
    """--jobs, or the cores this process may run on."""
    if jobs:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"无法创建输出文件夹 {folder}：{error.strerror or error}") from error


class _ProgressBar:
    """A batch.Progress: click's progress bar on stderr, only when stderr is a terminal (not in logs)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty() and total:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)

    def done(self, outcome) -> None:
        if self.bar is not None:
            self.bar.update(1)
            if self.bar.finished:
                self.bar.render_finish()


def _finish_batch(result, summary: Path) -> None:
    from reportgen.batch.folder import Status
    from reportgen.batch.summary import first_findings

    for outcome in result.outcomes:
        if outcome.status is not Status.PASSED:
            detail = outcome.note or "；".join(item.message for item in first_findings(outcome)[:1])
            click.echo(f"[{outcome.status.label}] {outcome.relative}：{detail}")
    counts = "，".join(f"{status.label} {result.count(status)}" for status in Status if result.count(status))
    click.echo(f"共 {len(result.outcomes)} 个文件：{counts}。汇总表：{summary}")
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command(**COMMAND)
@click.option("--host", default="127.0.0.1", show_default=True, metavar="地址",
              help="监听地址；默认只允许本机访问，在内网提供服务时设为本机的内网地址或 0.0.0.0。")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, metavar="端口",
              help="监听端口。")
@PROFILE
@click.option("--workers", type=int, default=None, callback=_positive, metavar="进程数",
              help="处理文件的工作进程数（不小于 1），默认为本机 CPU 核数。")
@click.option("--max-upload-mb", type=click.IntRange(1, 2048), default=20, show_default=True, metavar="MB",
              help="一次请求最多上传多少 MB。")
@click.option("--token", envvar="REPORTGEN_TOKEN", default=None, metavar="令牌",
              help="访问令牌（也可用环境变量 REPORTGEN_TOKEN 指定）；设置后须先输入令牌才能使用。")
def serve(host: str, port: int, profile_dir: Path | None, workers: int | None, max_upload_mb: int,
          token: str | None) -> None:
    """启动网页服务：在浏览器中生成填报工作簿、校验并生成报告、批量校验、审核已发布年报；另有 JSON 接口。"""
    from reportgen.profile.templates import load_profile
    from reportgen.web.server import serve as run_server
    from reportgen.web.service import Settings
    from reportgen.web.uploads import MB, Limits

    load_profile(profile_dir)  # a broken profile stops here, not in every worker
    if host not in LOOPBACK and not token:
        click.echo("警告：服务对其他计算机开放，但没有设置访问令牌（--token 或 REPORTGEN_TOKEN）。", err=True)
    settings = Settings(profile_dir=profile_dir, workers=_workers(workers), token=token or None,
                        limits=Limits(upload_bytes=max_upload_mb * MB))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"reportgen 网页服务：http://{shown}:{port}/ （{settings.workers} 个工作进程；按 Ctrl+C 停止）")
    run_server(host, port, settings)


@main.command(**COMMAND)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--markdown", is_flag=True, help="以 Markdown 输出（即 docs/rules.md 的内容）。")
def rules(as_json: bool, markdown: bool) -> None:
    """列出全部校验规则：代码、级别、名称和说明。"""
    from reportgen.checks import catalogue

    if as_json:
        click.echo(json.dumps(catalogue.rule_entries(), ensure_ascii=False, indent=2))
    else:
        click.echo(catalogue.catalogue_markdown() if markdown else catalogue.catalogue_text())


def _print_findings(result: api.CheckResult) -> None:
    from reportgen.checks.findings import Severity

    for item in result.findings:
        click.echo(str(item))
    counts = "、".join(f"{result.count(severity)} 个{severity.label}" for severity in Severity)
    click.echo(f"{result.path}：共 {counts}。")


def _exit_code(result: api.CheckResult, strict: bool = False) -> int:
    if not result.readable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if result.fails(strict) else EXIT_OK
