"""Command line: a thin shell over reportgen.api that prints findings and maps outcomes to exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from reportgen import __version__, api, catalogue, clickzh
from reportgen.exceptions import ReportgenError
from reportgen.findings import Severity
from reportgen.formats import FORMATS
from reportgen.profile import load_profile

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
HELP = {"help_option_names": ["-h", "--help"]}
COMMAND = {"context_settings": HELP, "options_metavar": "[选项]"}

clickzh.install()


class ReportgenGroup(click.Group):
    """Turns operational errors into one Chinese line and an exit code; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReportgenError as error:
            if ctx.params.get("debug"):
                raise
            click.echo(f"错误：{error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # --help, usage errors (exit 2) and Ctrl-C are click's to report
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


@main.command(**COMMAND)
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="报告年度，如 2020。")
@click.option("--agency", default="", help="机关名称（也可稍后在工作簿“基本信息”中填写）。")
@click.option("--format", "format_id", type=click.Choice(sorted(FORMATS)), default=None,
              help="报告格式：2019（60号文）或 2021（30号文）；默认按年度选择（2020 年及以前为 2019）。")
@click.option("--profile", "profile_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              envvar="REPORTGEN_PROFILE", help="配置方案文件夹（也可用环境变量 REPORTGEN_PROFILE 指定）。")
@click.option("--force", is_flag=True, help="允许覆盖已存在的文件。")
def template(output: Path, year: int, agency: str, format_id: str | None, profile_dir: Path | None,
             force: bool) -> None:
    """生成供填报的 Excel 工作簿 OUTPUT。"""
    fmt = api.create_template(output, year=year, agency=agency, format_id=format_id,
                              profile=load_profile(profile_dir), overwrite=force)
    click.echo(f"已生成填报工作簿：{output}（{year} 年度，{fmt.document} 格式）")


PREVIOUS = click.option("--previous", type=click.Path(path_type=Path), default=None, metavar="上年度.xlsx",
                        help="上年度的填报工作簿，用于核对上年结转等承接关系。")
STRICT = click.option("--strict", is_flag=True, help="警告也视为错误（退出码 1，build 不生成报告）。")


@main.command(**COMMAND)
@click.argument("workbook", type=click.Path(path_type=Path))
@PREVIOUS
@STRICT
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题，便于其他系统读取。")
def check(workbook: Path, previous: Path | None, strict: bool, as_json: bool) -> None:
    """校验填报工作簿 WORKBOOK，列出发现的问题。有错误时退出码为 1。"""
    result = api.check_workbook(workbook, previous=previous)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_findings(result)
    sys.exit(_exit_code(result, strict))


@main.command(**COMMAND)
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的 DOCX 文件。")
@click.option("--profile", "profile_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              envvar="REPORTGEN_PROFILE", help="配置方案文件夹（也可用环境变量 REPORTGEN_PROFILE 指定）。")
@PREVIOUS
@STRICT
def build(workbook: Path, output: Path, profile_dir: Path | None, previous: Path | None, strict: bool) -> None:
    """校验 WORKBOOK，无错误时生成 DOCX 报告；有错误时不生成并列出问题。"""
    result = api.build_report(workbook, output, profile=load_profile(profile_dir), previous=previous, strict=strict)
    _print_findings(result.check)
    if result.output is None:
        problem = "存在错误" if result.check.has_errors or not strict else "存在警告（使用了 --strict）"
        click.echo(f"{problem}，未生成报告。请修改工作簿后重试。", err=True)
        sys.exit(_exit_code(result.check, strict))
    click.echo(f"已生成报告：{result.output}")


@main.command(**COMMAND)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--markdown", is_flag=True, help="以 Markdown 输出（即 docs/rules.md 的内容）。")
def rules(as_json: bool, markdown: bool) -> None:
    """列出全部校验规则：代码、级别、名称和说明。"""
    if as_json:
        click.echo(json.dumps(catalogue.rule_entries(), ensure_ascii=False, indent=2))
    else:
        click.echo(catalogue.catalogue_markdown() if markdown else catalogue.catalogue_text())


def _print_findings(result: api.CheckResult) -> None:
    for item in result.findings:
        click.echo(str(item))
    counts = "、".join(f"{result.count(severity)} 个{severity.label}" for severity in Severity)
    click.echo(f"{result.path}：共 {counts}。")


def _exit_code(result: api.CheckResult, strict: bool = False) -> int:
    if not result.readable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if result.fails(strict) else EXIT_OK
