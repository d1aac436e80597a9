"""Hostile and broken inputs, each written by one function ``name(folder) -> path`` from a real sample.

Reproductions of issue 13: live formulas in user text, files that hang or loop a reader, JSON that crashes a
parser, names past the file-system limit, profile templates that escape their folder or never end.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from reportgen.profile.init import init_profile
from reportgen.workbook.exchange import export_json
from reportgen.workbook.sheets import INFO_SHEET, info_cell, lead_cell
from tests.seeds import sample_2021_report
from tests.workbooks import SAMPLE, narrative_cell

INJECTION = '=HYPERLINK("http://x.invalid","点我")'
FILE_NAME_INJECTION = '=HYPERLINK("x.invalid","点我")'  # no slash: it names a file
INVISIBLE_AGENCY = "福州\u202e高新区\u200b管委会\n办公室"  # right-to-left override, zero-width space, line break
LONG_STEM = ("福州高新技术产业开发区管理委员会" * 5)[:80]  # 80 characters, 240 bytes in UTF-8
TOO_LONG_SUFFIX = "附件第一号"  # five more characters pass the 255-byte limit of a file name
PIPE_NAME = "pipe.xlsx"
LOOP_NAMES = ("loop-a.xlsx", "loop-b.xlsx")
NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}报告"


def formula_workbook(folder: Path) -> Path:
    """The sample whose file name, agency, first paragraph and table-三 lead are each an =HYPERLINK formula text."""
    target = folder / f"{FILE_NAME_INJECTION}.xlsx"
    book = load_workbook(SAMPLE)
    for sheet, cell in ((INFO_SHEET, info_cell("agency")), ("一、总体情况", narrative_cell(0)),
                        ("三、依申请公开", lead_cell())):
        book[sheet][cell] = INJECTION
        book[sheet][cell].data_type = "s"  # typed as text, as Excel keeps '=... after an apostrophe
    book.save(target)
    return target


def formula_json(folder: Path) -> Path:
    """A 2021 data file whose agency, paragraph, lead and item text are =HYPERLINK formula texts."""
    report = sample_2021_report()
    item = next(iter(report.item_texts)) if report.item_texts else "s5.rectification"
    data = json.loads(export_json(report))
    data["info"]["agency"] = INJECTION
    data["narrative"]["s1"][0]["text"] = INJECTION
    data["leads"]["t3"] = INJECTION
    data["item_texts"][item] = INJECTION
    return _write_json(folder / "formula.json", data)


def line_breaks_workbook(folder: Path, lines: int = 200_000) -> Path:
    """A ~24 KB workbook whose first paragraph cell holds ``lines`` short lines (a build took 15 minutes).

    Written into the sheet's XML directly: openpyxl cuts a cell at Excel's 32,767 characters, other writers do not.
    """
    target = folder / f"line-breaks-{lines}.xlsx"
    book = load_workbook(SAMPLE)
    book["一、总体情况"][narrative_cell(0)] = _PLACEHOLDER
    book.save(target)
    _replace_in_zip(target, _PLACEHOLDER, "开头" + "甲\n" * lines + "结尾")
    return target


_PLACEHOLDER = "HOSTILE-PLACEHOLDER"


def _replace_in_zip(path: Path, placeholder: str, text: str) -> None:
    """Put ``text`` where ``placeholder`` is in any XML part of the workbook at ``path``."""
    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.items():
            target.writestr(info, data.replace(placeholder.encode(), text.encode()), zipfile.ZIP_DEFLATED)


def named_pipe(folder: Path) -> Path:
    """A FIFO named like a workbook: opening it for reading blocks until someone writes."""
    target = folder / PIPE_NAME
    os.mkfifo(target)
    return target


def symlink_loop(folder: Path) -> Path:
    """Two workbook names that link to each other."""
    first, second = (folder / name for name in LOOP_NAMES)
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first


def long_name_workbook(folder: Path) -> Path:
    """The sample under an 80-character Chinese name: its DOCX name is 245 bytes, 10 under the limit."""
    target = folder / f"{LONG_STEM}.xlsx"
    shutil.copyfile(SAMPLE, target)
    return target


def unreadable_workbook(folder: Path) -> Path:
    """The sample with no read permission for anyone (root excepted)."""
    target = folder / "unreadable.xlsx"
    shutil.copyfile(SAMPLE, target)
    target.chmod(0)
    return target


def deep_json(folder: Path) -> Path:
    """A JSON file nested 10,000 deep."""
    target = folder / "deep.json"
    target.write_text('{"info": ' + "[" * 10_000 + "]" * 10_000 + "}", encoding="utf-8")
    return target


def huge_integer_json(folder: Path) -> Path:
    """A data file whose one figure has 5,000 digits."""
    data = _sample_data()
    data["figures"]["t3.new.natural"] = "__HUGE__"
    target = _write_json(folder / "huge-integer.json", data)
    target.write_text(target.read_text(encoding="utf-8").replace('"__HUGE__"', "9" * 5000), encoding="utf-8")
    return target


def control_character_json(folder: Path) -> Path:
    """A data file whose agency name holds a BEL character (openpyxl refuses to write it)."""
    data = _sample_data()
    data["info"]["agency"] = "福州高新区\x07管委会"
    return _write_json(folder / "control-character.json", data)


def negative_year_json(folder: Path) -> Path:
    data = _sample_data()
    data["info"]["year"] = -2020
    return _write_json(folder / "negative-year.json", data)


def invisible_agency_json(folder: Path) -> Path:
    """A data file whose agency name hides a right-to-left override, a zero-width space and a line break."""
    data = _sample_data()
    data["info"]["agency"] = INVISIBLE_AGENCY
    return _write_json(folder / "invisible-agency.json", data)


def passwd_link_profile(folder: Path) -> Path:
    """A profile whose title template is a symbolic link to /etc/passwd."""
    profile = _profile(folder / "passwd-link-profile")
    title = profile / "text" / "title.j2"
    title.unlink(missing_ok=True)
    title.symlink_to("/etc/passwd")
    return profile


def nested_loops_profile(folder: Path) -> Path:
    """A profile whose title template runs two nested range(100000) loops (10^10 steps)."""
    profile = _profile(folder / "nested-loops-profile")
    (profile / "text" / "title.j2").write_text(NESTED_LOOPS, encoding="utf-8")
    return profile


def _profile(directory: Path) -> Path:
    init_profile(directory)
    return directory


def _sample_data() -> dict:
    return json.loads(export_json(sample_2021_report()))


def _write_json(target: Path, data: dict) -> Path:
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


GENERATORS: dict[str, Callable[[Path], Path]] = {
    function.__name__: function
    for function in (formula_workbook, formula_json, line_breaks_workbook, named_pipe, symlink_loop,
                     long_name_workbook, unreadable_workbook, deep_json, huge_integer_json, control_character_json,
                     negative_year_json, invisible_agency_json, passwd_link_profile, nested_loops_profile)
}
