"""Profiles in use: the example provincial profile in the DOCX and workbook, overrides, and every refusal."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from reportgen.cli import main
from reportgen.document.content import sign_off_indents
from reportgen.document.context import build_context
from reportgen.exceptions import ProfileError
from reportgen.model import Report, ReportInfo
from reportgen.profile.settings import STRUCTURE_REASON
from reportgen.profile.templates import load_profile
from reportgen.workbook.reader import read_workbook
from tests.official import HEADINGS
from tests.seeds import ROOT, sample_path, seed_report

EXAMPLE = ROOT / "sample_inputs" / "profiles" / "云梦省"
FUZHOU = sample_path("003")
NPC_TEXT = (
    "（一）人大代表建议和政协提案办理结果公开情况。2020年，福州高新技术产业开发区按照"
    "《云梦省人大代表建议和政协提案办理结果公开办法》要求，对承办的人大代表建议和政协提案办理复文，"
    "除依法不予公开的以外，均在本单位门户网站“建议提案办理”专栏全文公开。"
)


def make_profile(root: Path, settings: str = 'name = "测试方案"\n', **templates: str) -> Path:
    """A profile folder with this profile.toml and text/{name}.j2 files."""
    directory = root / "profile"
    (directory / "text").mkdir(parents=True)
    (directory / "profile.toml").write_text(settings, encoding="utf-8")
    for name, source in templates.items():
        (directory / "text" / f"{name}.j2").write_text(source, encoding="utf-8")
    return directory


def build(tmp_path: Path, *options: str, env: dict | None = None):
    output = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["build", str(FUZHOU), "-o", str(output), *options],
                                env={"REPORTGEN_PROFILE": None, **(env or {})})
    assert result.exit_code == 0, result.output
    return docx.Document(str(output))


def east_asia_font(document, style: str) -> str:
    return document.styles[style].element.rPr.rFonts.get(qn("w:eastAsia"))


def texts(document, style: str | None = None) -> list[str]:
    return [p.text for p in document.paragraphs if style is None or p.style.name == style]


def section_texts(document, heading: str) -> list[str]:
    """Body paragraphs after a GW-H1 heading, up to the next heading or the sign-off."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading) + 1
    found = []
    for paragraph in paragraphs[start:]:
        if paragraph.style.name in ("GW-H1", "GW-Sign") or not paragraph.text:
            break
        found.append(paragraph.text)
    return found


def cell_texts(document) -> list[list[str]]:
    return [[cell.text for cell in table._cells] for table in document.tables]


def test_example_profile_changes_fonts_title_sign_off_and_adds_a_paragraph_in_six(tmp_path):
    default = build(tmp_path)
    example = build(tmp_path, "--profile", str(EXAMPLE))
    assert texts(default, "GW-Title") == ["福州高新技术产业开发区", "2020年政府信息公开工作年度报告"]
    assert texts(example, "GW-Title") == ["福州高新技术产业开发区", "2020年度政府信息公开工作报告"]
    fonts = {style: east_asia_font(example, style) for style in ("GW-Title", "GW-Body", "GW-H1", "GW-H2")}
    assert fonts == {"GW-Title": "方正小标宋_GBK", "GW-Body": "方正仿宋_GBK", "GW-H1": "方正黑体_GBK",
                     "GW-H2": "方正楷体_GBK"}
    assert east_asia_font(default, "GW-Body") == "仿宋_GB2312"
    assert section_texts(default, "六、其他需要报告的事项") == ["本年度无其他需要报告的事项。"]
    assert section_texts(example, "六、其他需要报告的事项") == ["本年度无其他需要报告的事项。", NPC_TEXT]
    name_indent, _ = sign_off_indents("福州高新技术产业开发区", "2021年1月20日", "unsealed")
    sign = next(p for p in example.paragraphs if p.style.name == "GW-Sign")
    assert sign.paragraph_format.element.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == str(round(name_indent * 100))


def test_a_profile_cannot_change_sections_or_tables(tmp_path):
    default = build(tmp_path)
    example = build(tmp_path, "--profile", str(EXAMPLE))
    assert texts(example, "GW-H1") == texts(default, "GW-H1") == HEADINGS
    assert cell_texts(example) == cell_texts(default)


def test_environment_variable_selects_the_profile(tmp_path):
    document = build(tmp_path, env={"REPORTGEN_PROFILE": str(EXAMPLE)})
    assert texts(document, "GW-Title")[1] == "2020年度政府信息公开工作报告"


def test_block_override_keeps_the_rest_of_the_builtin_template(tmp_path):
    profile = make_profile(tmp_path, intro='{% extends "builtin/intro.j2" %}\n'
                                           "{% block contact %}咨询电话：{{ contact_phone }}。{% endblock %}\n")
    context = build_context(seed_report("003"))
    [builtin] = load_profile().render_text("intro", context)
    [overridden] = load_profile(profile).render_text("intro", context)
    kept = builtin[: builtin.index("如对本报告有疑问")]
    assert kept.endswith("“政府信息公开年度报告”专栏公布。")
    assert overridden == kept + "咨询电话：0591-22880207。"


def test_example_profile_overrides_one_block_of_the_intro(tmp_path):
    [default_lead] = texts(build(tmp_path), "GW-Lead")
    [example_lead] = texts(build(tmp_path, "--profile", str(EXAMPLE)), "GW-Lead")
    assert example_lead.startswith("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）、国办公开办函〔2019〕60号"
                                   "和《云梦省政府信息公开工作年度报告编制规范》要求编制，由总体情况")
    assert example_lead[example_lead.index("由总体情况"):] == default_lead[default_lead.index("由总体情况"):]


def test_extra_paragraphs_continue_the_clerks_numbering_and_vanish_when_empty(tmp_path):
    settings = ('name = "测试方案"\n'
                '[[extra]]\nsection = 1\nheading = "政务公开工作要点落实情况"\ntemplate = "points"\n'
                '[[extra]]\nsection = 6\nheading = "信息处理费收取情况"\ntemplate = "fees"\n')
    profile = make_profile(tmp_path, settings, points="{{ year }}年工作要点均已落实。\n第二段。",
                           fees='{% if format_id == "2021" %}本年度未收取信息处理费。{% endif %}')
    document = build(tmp_path, "--profile", str(profile))
    section1 = section_texts(document, "一、总体情况")
    assert section1[-2:] == ["（七）政务公开工作要点落实情况。2020年工作要点均已落实。", "第二段。"]
    assert section_texts(document, "六、其他需要报告的事项") == ["本年度无其他需要报告的事项。"]


def test_example_adds_its_paragraph_only_to_2019_format_reports_whose_six_lacks_that_item():
    profile = load_profile(EXAMPLE)
    headings = {}
    for format_id, year in (("2019", 2020), ("2021", 2021)):
        context = build_context(Report(info=ReportInfo(agency="某局", year=year, format_id=format_id)))
        headings[format_id] = [paragraph.heading for paragraph in profile.extra_paragraphs(6, context)]
    assert headings == {"2019": ["人大代表建议和政协提案办理结果公开情况"], "2021": []}


def test_template_output_is_made_safe_for_docx_xml(tmp_path):
    settings = 'name = "测试方案"\n[[extra]]\nsection = 6\ntemplate = "odd"\n'
    profile = make_profile(tmp_path, settings, odd="甲\x01乙<&>丙{{ '\x1f' }}丁\t戊")
    assert section_texts(build(tmp_path, "--profile", str(profile)), "六、其他需要报告的事项")[-1] == "甲乙<&>丙丁 戊"


def render_title(tmp_path: Path, source: str) -> None:
    load_profile(make_profile(tmp_path, title=source)).render_text("title", build_context(seed_report("003")))


def test_misspelt_variable_is_an_error_naming_file_and_line(tmp_path):
    with pytest.raises(ProfileError) as error:
        render_title(tmp_path, "{{ agency }}\n{{ yaer }}年报告")
    path = tmp_path / "profile" / "text" / "title.j2"
    assert str(error.value) == f"{path} 第 2 行：渲染环境中没有变量 yaer（是否拼错？可用变量见 CONTEXT.md）"


def test_template_syntax_error_names_file_and_line(tmp_path):
    with pytest.raises(ProfileError) as error:
        render_title(tmp_path, "{{ agency }}\n{% if year %}\n报告")
    path = tmp_path / "profile" / "text" / "title.j2"
    assert str(error.value).startswith(f"{path} 第 3 行：模板语法错误：Unexpected end of template.")


def test_sandbox_escape_is_refused_naming_file_and_line(tmp_path):
    with pytest.raises(ProfileError) as error:
        render_title(tmp_path, "{{ agency }}\n{{ ''.__class__.__mro__ }}")
    path = tmp_path / "profile" / "text" / "title.j2"
    assert str(error.value) == (f"{path} 第 2 行：模板试图访问 __class__，已被安全沙箱拒绝："
                                "模板不能访问 Python 内部对象，也不能修改报告数据")


def test_a_template_cannot_change_the_figures(tmp_path):
    profile = make_profile(tmp_path, lead_t2="{{ figures.update({'t3.new.total': 999}) }}")
    output = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["build", str(FUZHOU), "-o", str(output), "--profile", str(profile)])
    assert result.exit_code == 3
    assert "lead_t2.j2 第 1 行：模板试图访问 update，已被安全沙箱拒绝" in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_bad_settings_name_each_key_and_the_file(tmp_path):
    settings = 'name = "测试方案"\n[style]\nbody_size_pt = "三号"\ntitle_fnt = "黑体"\n[[extra]]\nsection = 7\ntemplate = "x"\n'
    profile = make_profile(tmp_path, settings)
    with pytest.raises(ProfileError) as error:
        load_profile(profile)
    assert str(error.value) == "\n".join([
        f"{profile / 'profile.toml'}：配置有误",
        '  style.body_size_pt：应为数字，现为 "三号"',
        "  style.title_fnt：不认识的配置项（请检查拼写和所在的小节）",
        "  extra[1].section：不能大于 6，现为 7",
    ])


@pytest.mark.parametrize("attempt, key", [
    ('[sections]\norder = ["一", "二", "三", "四", "六"]\n', "sections"),
    ('[tables.t3.labels]\n"（七）总计" = "合计"\n', "tables"),
])
def test_dropping_a_section_or_renaming_a_table_label_is_rejected(tmp_path, attempt, key):
    profile = make_profile(tmp_path, 'name = "测试方案"\n' + attempt)
    result = CliRunner().invoke(main, ["build", str(FUZHOU), "-o", str(tmp_path / "r.docx"), "--profile", str(profile)])
    assert result.exit_code == 3
    assert result.output == f"错误：{profile / 'profile.toml'}：配置有误\n  {key}：不认识的配置项。{STRUCTURE_REASON}\n"


def test_a_folder_without_settings_is_not_a_profile(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["build", str(FUZHOU), "-o", str(tmp_path / "r.docx"),
                                       "--profile", str(tmp_path / "empty")])
    assert result.exit_code == 3
    assert result.output == (f"错误：{tmp_path / 'empty'}：不是配置方案文件夹（缺少 profile.toml）；"
                             "可用 reportgen profile init 生成一个\n")


def test_template_command_puts_the_profiles_instructions_and_hints_in_the_workbook(tmp_path):
    output = tmp_path / "年报.xlsx"
    result = CliRunner().invoke(main, ["template", str(output), "--year", "2020", "--profile", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(output)
    instructions = [row[0] for row in book["填报说明"].iter_rows(min_row=3, values_only=True)]
    settings = load_profile(EXAMPLE).settings.workbook
    clerk = len(settings.instructions)
    assert instructions[:clerk] == list(settings.instructions)
    assert instructions[clerk] is None and instructions[clerk + 1].startswith("供收集工作簿的人员参考")
    assert instructions[0].startswith("云梦省政府信息公开工作年度报告填报工作簿")
    assert book["一、总体情况"]["A2"].value == settings.hints.s1
    assert book["三、依申请公开"]["A2"].value == settings.hints.s3
    assert book["六、其他事项"]["A2"].value == settings.hints.s6
    assert book["二、主动公开"]["A2"].value.startswith("黄色单元格填写数字。")  # 表二 has no totals
    assert read_workbook(output).report.info.profile == "云梦省政务公开办"
