"""The 2019 format: 国办公开办函〔2019〕60号, for reports on 2019 and 2020."""

from reportgen.formats.schema import CarryOver, CellKind, Column, Comparison, ReportFormat, Row, Term
from reportgen.formats.shared import (
    APPLICATION_CARRY_OVERS,
    OTHER_HANDLING,
    RESULTS,
    REVIEW_LITIGATION_TABLE,
    application_table,
    proactive_block,
    proactive_table,
    six_sections,
)

_PROJECT_COLUMNS = (
    Column(key="previous", path=("上一年项目数量",)),
    Column(key="change", path=("本年增/减",), kind=CellKind.SIGNED),
)
_DECISIONS = Column(key="decisions", path=("处理决定数量",))

PROACTIVE_TABLE = proactive_table(
    proactive_block(
        "art20_1",
        "第二十条第（一）项",
        (
            Column(key="made", path=("本年新制作数量",)),
            Column(key="published", path=("本年新公开数量",)),
            Column(key="public_total", path=("对外公开总数量",)),
        ),
        (Row(key="regulation", path=("规章",)), Row(key="normative", path=("规范性文件",))),
        comparisons=(Comparison(lesser="published", greater="public_total", code="t2-published-exceeds-total"),),
    ),
    proactive_block(
        "art20_5",
        "第二十条第（五）项",
        (*_PROJECT_COLUMNS, _DECISIONS),
        (Row(key="licensing", path=("行政许可",)), Row(key="other_services", path=("其他对外管理服务事项",))),
    ),
    proactive_block(
        "art20_6",
        "第二十条第（六）项",
        (*_PROJECT_COLUMNS, _DECISIONS),
        (Row(key="penalty", path=("行政处罚",)), Row(key="enforcement", path=("行政强制",))),
    ),
    proactive_block("art20_8", "第二十条第（八）项", _PROJECT_COLUMNS, (Row(key="fees", path=("行政事业性收费",)),)),
    proactive_block(
        "art20_9",
        "第二十条第（九）项",
        (
            Column(key="items", path=("采购项目数量",)),
            Column(key="amount", path=("采购总金额",), kind=CellKind.AMOUNT, units=("万元", "元")),
        ),
        (Row(key="procurement", path=("政府集中采购",)),),
    ),
)

# Last year's 上一年项目数量 plus its 本年增/减 is this year's 上一年项目数量.
_PROJECT_CARRY_OVERS = tuple(
    CarryOver(
        target=f"t2.{row.key}.previous",
        terms=(Term(key=f"t2.{row.key}.previous", last_year=True), Term(key=f"t2.{row.key}.change", last_year=True)),
        code="t2-carry-over",
    )
    for block in PROACTIVE_TABLE.blocks
    if _PROJECT_COLUMNS[0] in block.columns
    for row in block.rows
)

FORMAT_2019 = ReportFormat(
    id="2019",
    document="国办公开办函〔2019〕60号",
    title="中华人民共和国政府信息公开工作年度报告格式（试行）",
    years=(2019, 2020),
    sections=six_sections(
        section5_prompt="本年度政府信息公开工作存在的主要问题，以及下一步的改进措施。",
        section6_prompt="其他需要报告的事项（如信息处理费收取情况等）；没有则可留空，报告中将写明“无其他需要报告的事项”。",
    ),
    tables=(
        PROACTIVE_TABLE,
        application_table((Row(key="other_handling", path=(RESULTS, OTHER_HANDLING)),)),
        REVIEW_LITIGATION_TABLE,
    ),
    carry_overs=(*APPLICATION_CARRY_OVERS, *_PROJECT_CARRY_OVERS),
)
