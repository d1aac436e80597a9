"""The render context: every variable a text template may use, built in one place from a checked Report."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from reportgen.formats.schema import Number
from reportgen.model import Report, compute_values

# Documented contract for profile authors: add variables, never rename them.
CONTEXT_VARIABLES: dict[str, str] = {
    "agency": "机关名称",
    "year": "报告年度（整数，如 2020）",
    "format_id": "报告格式编号：2019 或 2021",
    "format_document": "报告格式依据的文件，如 国办公开办函〔2019〕60号",
    "report_date": "成文日期（日期对象，有 .year .month .day；未填写时为空）",
    "publish_where": "报告公布位置（可能为空）",
    "contact_address": "联系地址（可能为空）",
    "contact_phone": "联系电话（可能为空）",
    "figures": "全部表格数值，键为 表.行.列，如 figures['t3.new.total']",
    "amount": "仅用于金额栏目的模板（如 processing_fee.j2）：该栏目填写的金额，未填写为 0",
    "stats": "常用汇总数：received 新收申请、carried_over 上年结转、handled 办结、carried_forward 结转下年度、"
    "disclosed 予以公开、partly_disclosed 部分公开、review_total 行政复议、litigation_total 行政诉讼"
    "（direct_suit_total 未经复议直接起诉 + suit_after_review_total 复议后起诉）",
}


@dataclass(frozen=True)
class Stats:
    """The headline numbers the generated sentences quote."""

    received: Number
    carried_over: Number
    handled: Number
    carried_forward: Number
    disclosed: Number
    partly_disclosed: Number
    review_total: Number
    direct_suit_total: Number
    suit_after_review_total: Number
    litigation_total: Number


def compute_stats(values: dict[str, Number]) -> Stats:
    direct, after = values["t4.cases.direct_suit_total"], values["t4.cases.suit_after_review_total"]
    return Stats(
        received=values["t3.new.total"],
        carried_over=values["t3.carried_over.total"],
        handled=values["t3.handled_total.total"],
        carried_forward=values["t3.carried_forward.total"],
        disclosed=values["t3.disclosed.total"],
        partly_disclosed=values["t3.partly_disclosed.total"],
        review_total=values["t4.cases.review_total"],
        direct_suit_total=direct,
        suit_after_review_total=after,
        litigation_total=direct + after,
    )


def build_context(report: Report) -> dict[str, object]:
    """The variables of CONTEXT_VARIABLES for this report."""
    info = report.info
    values = compute_values(report.format, report.figures)
    context = {
        "agency": info.agency,
        "year": info.year,
        "format_id": info.format_id,
        "format_document": report.format.document,
        "report_date": info.report_date,
        "publish_where": info.publish_where,
        "contact_address": info.contact_address,
        "contact_phone": info.contact_phone,
        "figures": values,
        "stats": asdict(compute_stats(values)),
    }
    return context
