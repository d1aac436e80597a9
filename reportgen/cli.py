"""Command line: a thin shell over reportgen.api that prints findings and maps outcomes to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reportgen import __version__, api, clickzh
from reportgen.exceptions import ReportgenError
from reportgen.findings import Severity
from reportgen.formats import FORMATS
from reportgen.profile import load_profile
from reportgen.profile_check import check_profile
from reportgen.profile_init import init_profile

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
HELP = {"help_option_names": ["-h", "--help"]}
COMMAND = {"context_settings": HELP, "options_metavar": "[选项]"}

clickzh.install()


class ReportgenGroup(click.Group):
    """Turns operational errors into one Chinese line and an exit code; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
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


@main.command(**COMMAND)
@click.argument("workbook", type=click.Path(path_type=Path))
def check(workbook: Path) -> None:
    """校验填报工作簿 WORKBOOK，列出发现的问题。有错误时退出码为 1。"""
    result = api.check_workbook(workbook)
    _print_findings(result)
    sys.exit(_exit_code(result))


@main.command(**COMMAND)
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出的 DOCX 文件。")
@click.option("--profile", "profile_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              envvar="REPORTGEN_PROFILE", help="配置方案文件夹（也可用环境变量 REPORTGEN_PROFILE 指定）。")
def build(workbook: Path, output: Path, profile_dir: Path | None) -> None:
    """校验 WORKBOOK，无错误时生成 DOCX 报告；有错误时不生成并列出问题。"""
    result = api.build_report(workbook, output, profile=load_profile(profile_dir))
    _print_findings(result.check)
    if result.output is None:
        click.echo("存在错误，未生成报告。请修改工作簿后重试。", err=True)
        sys.exit(_exit_code(result.check))
    click.echo(f"已生成报告：{result.output}")


@main.group(subcommand_metavar="命令 [参数]...", **COMMAND)
def profile() -> None:
    """配置方案：各地统一报告的版式、文字和填报工作簿的说明。

    \b
      reportgen profile init 某省方案      复制内置方案作为起点（每项设置都有注释）
      reportgen profile check 某省方案     发出前检查方案
    """


@profile.command("init", **COMMAND)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """把内置配置方案复制到新文件夹 DIRECTORY，作为编写配置方案的起点。"""
    init_profile(directory)
    click.echo(f"已生成配置方案：{directory}。请按其中 README.md 的说明修改 profile.toml 和 text/ 中的模板，"
               f"然后运行 reportgen profile check {directory} 检查。")


@profile.command("check", **COMMAND)
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--sample", "samples", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="另用这个已填好的填报工作簿试生成报告（可多次指定）。")
def check_command(directory: Path, samples: tuple[Path, ...]) -> None:
    """检查配置方案 DIRECTORY：设置、模板语法和变量，并用示例数据试生成报告。有错误时退出码为 1。"""
    problems = check_profile(directory, samples)
    for problem in problems:
        click.echo(f"错误：{problem}")
    click.echo(f"{directory}：共 {len(problems)} 个错误。" if problems else f"{directory}：未发现问题。")
    sys.exit(EXIT_FINDINGS if problems else EXIT_OK)


def _print_findings(result: api.CheckResult) -> None:
    for item in result.findings:
        click.echo(str(item))
    counts = "、".join(f"{result.count(severity)} 个{severity.label}" for severity in Severity)
    click.echo(f"{result.path}：共 {counts}。")


def _exit_code(result: api.CheckResult) -> int:
    if not result.readable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if result.has_errors else EXIT_OK
