"""`reportgen profile init` and `profile check`: the copied profile, the lint, the smoke build, the context doc."""

from __future__ import annotations

import re
import tomllib

from click.testing import CliRunner
from jinja2 import meta

from reportgen.cli import main
from reportgen.profile.check import check_profile
from reportgen.profile.init import CONTEXT_DOC, context_markdown
from reportgen.profile.settings import ProfileSettings
from reportgen.profile.style import StyleSettings
from reportgen.profile.templates import NOT_UTF8, builtin_profile_dir, builtin_template_names, template_environment
from tests.seeds import sample_path
from tests.test_profile import EXAMPLE, make_profile

BUILTIN = builtin_profile_dir()
UNKNOWN = "（是否拼错？可用变量见 CONTEXT.md）"


def run(*arguments: str):
    return CliRunner().invoke(main, list(arguments), env={"REPORTGEN_PROFILE": None})


def test_example_profile_passes_check_with_the_fuzhou_sample():
    result = run("profile", "check", str(EXAMPLE), "--sample", str(sample_path("003")))
    assert (result.exit_code, result.output) == (0, f"{EXAMPLE}：未发现问题。\n")


def test_init_copies_the_builtin_profile_with_a_comment_over_every_setting(tmp_path):
    target = tmp_path / "某省方案"
    result = run("profile", "init", str(target))
    assert result.exit_code == 0, result.output
    settings_text = (target / "profile.toml").read_text(encoding="utf-8")
    assert ProfileSettings.model_validate(tomllib.loads(settings_text)) == ProfileSettings(name="某省方案")
    lines = settings_text.splitlines()
    settings_lines = {line.split(" = ")[0]: i for i, line in enumerate(lines) if re.match(r"^[a-z]\w* = ", line)}
    scalars = set(StyleSettings.model_fields) - {"heading_bold"}
    assert set(settings_lines) == {"name", "description", "section1_summary", "instructions", *scalars}
    assert all(lines[i - 1].startswith("# ") for i in settings_lines.values())
    assert "[style.heading_bold]" in lines and "# [[extra]]" in lines and '# s1 = ""' in lines
    for name in builtin_template_names():
        relative = f"text/{name}.j2"
        assert (target / relative).read_text(encoding="utf-8") == (BUILTIN / relative).read_text(encoding="utf-8")
    assert (target / CONTEXT_DOC).read_text(encoding="utf-8") == context_markdown()
    assert run("profile", "check", str(target)).exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "profile.toml").write_text('name = "旧方案"\n', encoding="utf-8")
    result = run("profile", "init", str(tmp_path))
    assert result.exit_code == 3
    assert result.output == f"错误：{tmp_path} 已存在且不是空文件夹；为免覆盖已有的配置方案，请指定一个新的文件夹\n"
    assert (tmp_path / "profile.toml").read_text(encoding="utf-8") == 'name = "旧方案"\n'


def test_check_lists_every_problem_with_file_and_line_and_exits_1(tmp_path):
    profile = make_profile(
        tmp_path,
        'name = "测试方案"\n[[extra]]\nsection = 6\ntemplate = "missing"\n',
        title="{{ agency }}\n{{ yaer }}年报告",
        intro="{% if year %}\n导语",
        lead_t3="{% if stats.received > 1000 %}{{ stats.recieved }}{% endif %}",
        titel="{{ agency }}",
    )
    text = profile / "text"
    result = run("profile", "check", str(profile))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"错误：{profile / 'profile.toml'}：extra[1].template：找不到模板文件 text/missing.j2",
        f"错误：{text / 'intro.j2'} 第 2 行：模板语法错误：Unexpected end of template. Jinja was looking for the"
        " following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
        f"错误：{text / 'lead_t3.j2'} 第 1 行：渲染环境中没有“stats.recieved”这一项{UNKNOWN}",
        f"错误：{text / 'title.j2'} 第 2 行：渲染环境中没有变量 yaer{UNKNOWN}",
        f"错误：{text / 'titel.j2'}：不会被使用：它不是内置模板的名字（见 CONTEXT.md），也没有被 [[extra]] 或其他模板引用",
        f"{profile}：共 5 个错误。",
    ]


def test_check_reports_a_bad_setting_with_key_and_file(tmp_path):
    profile = make_profile(tmp_path, 'name = "测试方案"\n[style]\nsign_off_layout = "盖章"\n')
    assert check_profile(profile) == [
        f"{profile / 'profile.toml'}：配置有误\n  style.sign_off_layout：只能是 'sealed' or 'unsealed'，现为 \"盖章\""
    ]


def test_check_reports_a_sandbox_escape_once(tmp_path):
    profile = make_profile(tmp_path, sign_off="{{ agency.__class__ }}")
    assert check_profile(profile) == [
        f"{profile / 'text' / 'sign_off.j2'} 第 1 行：模板试图访问 __class__，已被安全沙箱拒绝："
        "模板不能访问 Python 内部对象，也不能修改报告数据（用2019 格式示例（数字均为 0，选填信息未填写）试生成报告时）"
    ]


def test_smoke_build_finds_a_figure_the_other_format_does_not_have(tmp_path):
    profile = make_profile(tmp_path, lead_t2="本年新制作规范性文件{{ figures['t2.normative.made'] }}件。")
    assert check_profile(profile) == [
        f"{profile / 'text' / 'lead_t2.j2'} 第 1 行：渲染环境中没有“t2.normative.made”这一项{UNKNOWN}"
        "（用2021 格式示例（数字均为 0，选填信息未填写）试生成报告时）"
    ]


def test_builtin_templates_explain_every_variable_they_use():
    environment = template_environment((BUILTIN,))
    for name in builtin_template_names():
        source = (BUILTIN / "text" / f"{name}.j2").read_text(encoding="utf-8")
        comment = re.match(r"\{#(.*?)#\}", source, re.DOTALL)
        assert comment, name
        for variable in meta.find_undeclared_variables(environment.parse(source)):
            assert re.search(rf"\b{variable}\b", comment.group(1)), (name, variable)


def test_context_doc_is_in_sync_with_the_definitions():
    # regenerate with: python -m reportgen.profile.init
    assert (BUILTIN / CONTEXT_DOC).read_text(encoding="utf-8") == context_markdown()


def test_check_reports_a_template_saved_in_gbk_once(tmp_path):
    profile = make_profile(tmp_path)
    (profile / "text" / "title.j2").write_bytes("{{ agency }}年度报告".encode("gbk"))
    assert check_profile(profile) == [f"{profile / 'text' / 'title.j2'}：{NOT_UTF8}"]
