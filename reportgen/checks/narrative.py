"""Numbers the narrative states in common phrasings (收到申请40件, 行政复议2起, …), compared with the tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.checks.context import CheckContext
from reportgen.checks.findings import Finding
from reportgen.formats.shared import NOT_PROCESSED, UNABLE, WITHHELD

_N = r"\s*(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)\s*"
_GAP = r"(?:(?!复议|诉讼)[^。；，,、\d]){0,15}?"  # a few words within one clause, not about 复议/诉讼
_NONE = r"(?:未发生|没有发生|未出现|未收到|没有收到|无)"
_OTHER_YEAR = re.compile(r"去年|上年度|上一年度|前年|(?P<year>\d{4})\s*年")
_CLAUSE_END = re.compile(r"[。；！？\n]")
_PARTIAL_APPLICANTS = re.compile(r"自然人|企业|科研机构|公益组织|法律服务机构")  # one column, not the 总计


@dataclass(frozen=True)
class Claim:
    """A phrasing that states a table figure; ``n`` in the pattern is the number (none: it states zero)."""

    name: str  # the table figure in words, for the message
    pattern: re.Pattern[str]
    keys: tuple[str, ...] = ()  # cells whose sum is stated
    group: str = ""  # or: the 总计 of every table 三 row under this group label


def _claim(name: str, pattern: str, *keys: str, group: str = "") -> Claim:
    return Claim(name, re.compile(pattern), keys, group)


_RECEIVED = "表三“一、本年新收政府信息公开申请数量”总计"
_REVIEW = "表四行政复议总计"
_LITIGATION = "表四行政诉讼总计（未经复议直接起诉与复议后起诉之和）"
_LITIGATION_KEYS = ("t4.cases.direct_suit_total", "t4.cases.suit_after_review_total")
_IN_FORCE_KEYS = ("t2.regulation.in_force", "t2.normative.in_force")

CLAIMS = (
    _claim(_RECEIVED, rf"(?:收到|新收|受理|接收){_GAP}申请(?:共计|共|合计)?{_N}[件个]", "t3.new.total"),
    _claim(_RECEIVED, rf"新收{_N}件", "t3.new.total"),
    _claim(_RECEIVED, rf"(?:未收到|没有收到){_GAP}申请", "t3.new.total"),
    _claim("表三“二、上年结转政府信息公开申请数量”总计",
           rf"上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?{_N}件", "t3.carried_over.total"),
    _claim("表三“（一）予以公开”总计", rf"(?:予以公开|同意公开|全部公开){_N}件", "t3.disclosed.total"),
    _claim("表三“（二）部分公开”总计", rf"部分公开{_N}件", "t3.partly_disclosed.total"),
    _claim("表三“（三）不予公开”各项总计之和", rf"不予公开{_N}件", group=WITHHELD),
    _claim("表三“（四）无法提供”各项总计之和", rf"无法提供{_N}件", group=UNABLE),
    _claim("表三“（五）不予处理”各项总计之和", rf"不予处理{_N}件", group=NOT_PROCESSED),
    _claim("表三“（七）总计”总计", rf"(?:办结|答复完毕|办理完毕){_N}件", "t3.handled_total.total"),
    _claim("表三“四、结转下年度继续办理”总计",
           rf"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?(?:申请)?(?:共)?{_N}件", "t3.carried_forward.total"),
    _claim(_REVIEW, rf"行政复议(?:申请|案件|案)?(?:共|共计)?{_N}[件起宗]", "t4.cases.review_total"),
    _claim(_LITIGATION, rf"行政诉讼(?:案件|案)?(?:共|共计)?{_N}[件起宗]", *_LITIGATION_KEYS),
    _claim(_REVIEW, rf"行政复议[^。；，\d]{{0,8}}行政诉讼[^。；，\d]{{0,8}}均为{_N}[件起宗]?", "t4.cases.review_total"),
    _claim(_LITIGATION, rf"行政复议[^。；，\d]{{0,8}}行政诉讼[^。；，\d]{{0,8}}均为{_N}[件起宗]?", *_LITIGATION_KEYS),
    _claim(_REVIEW, rf"{_NONE}[^。；\d]{{0,15}}?行政复议", "t4.cases.review_total"),
    _claim(_LITIGATION, rf"{_NONE}[^。；\d]{{0,15}}?行政诉讼", *_LITIGATION_KEYS),
    _claim("表二规章“现行有效件数”", rf"现行有效(?:的)?规章(?:共)?{_N}件", "t2.regulation.in_force"),
    _claim("表二行政规范性文件“现行有效件数”",
           rf"现行有效(?:的)?(?:行政)?规范性文件(?:共)?{_N}件", "t2.normative.in_force"),
    _claim("表二“现行有效件数”之和（规章与行政规范性文件）",
           rf"现行有效(?:的)?(?:文件|规章和(?:行政)?规范性文件)?(?:共|合计)?{_N}件", *_IN_FORCE_KEYS),
)


def narrative_mismatches(context: CheckContext) -> Iterator[Finding]:
    """A number stated in 一、总体情况 or in a table's lead sentence that the tables contradict."""
    year = context.report.info.year
    claims = [(claim, sum(context.values[key] for key in keys)) for claim in CLAIMS
              if (keys := _claim_keys(context, claim)) and context.known(*keys)]  # once, not once per passage
    for location, passage, text in _passages(context):
        seen: set[tuple[str, int]] = set()
        for claim, table_value in claims:
            for quote, stated in _statements(claim, text, year):
                if stated != table_value and (claim.name, stated) not in seen:
                    seen.add((claim.name, stated))
                    yield context.at(location, "narrative-mismatch", label=claim.name, expected=table_value,
                                     actual=stated, quote=quote, passage=passage)


def _passages(context: CheckContext) -> Iterator[tuple[str, str, str]]:
    """(location key, the passage in words, its text) of every passage that may quote the tables."""
    for index, paragraph in enumerate(context.report.narrative.get("s1", [])):
        yield f"s1.{index}", f"“一、总体情况”第 {index + 1} 段", unicodedata.normalize("NFKC", paragraph.text)
    for table, lead in context.report.leads.items():
        section = context.format.table(table).section
        heading = next(item.heading for item in context.format.sections if item.number == section)
        yield f"lead.{table}", f"“{heading}”的表前说明", unicodedata.normalize("NFKC", lead)


def _claim_keys(context: CheckContext, claim: Claim) -> tuple[str, ...]:
    """The cells a claim refers to in this format; empty when the format lacks any of them."""
    if claim.group:
        rows = context.format.table("t3").blocks[0].rows
        return tuple(f"t3.{row.key}.total" for row in rows if claim.group in row.path)
    values = context.values
    return claim.keys if all(key in values for key in claim.keys) else ()


def _statements(claim: Claim, text: str, year: int) -> Iterator[tuple[str, int]]:
    """(quoted words, number) for each statement of the claim about this year's figures."""
    for match in claim.pattern.finditer(text):
        if _PARTIAL_APPLICANTS.search(match.group(0)) or _about_other_year(text, match.start(), year):
            continue
        number = match.groupdict().get("n")
        yield match.group(0).strip(), 0 if number is None else _number(number)


def _about_other_year(text: str, start: int, year: int) -> bool:
    """Whether the clause before ``start`` speaks of another year (去年, 2019年 in a 2020 report)."""
    clause = _CLAUSE_END.split(text[:start])[-1]
    for match in _OTHER_YEAR.finditer(clause):
        if match.group("year") is None or int(match.group("year")) != year:
            return True
    return False


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _number(text: str) -> int:
    """Arabic digits, or a Chinese numeral such as 两, 十二, 一百零五."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            current = _DIGITS[char]
    return total + current
