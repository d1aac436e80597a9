"""The 2021 format: 国办公开办函〔2021〕30号, for reports on 2021 and later."""

from reportgen.formats.schema import CarryOver, CellKind, Column, ItemKind, ReportFormat, Row, SectionItem, Term
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

_DECISIONS = Column(key="decisions", path=("本年处理决定数量",), span=3)

PROACTIVE_TABLE = proactive_table(
    proactive_block(
        "art20_1",
        "第二十条第（一）项",
        (
            Column(key="issued", path=("本年制发件数",)),
            Column(key="repealed", path=("本年废止件数",)),
            Column(key="in_force", path=("现行有效件数",)),
        ),
        (Row(key="regulation", path=("规章",)), Row(key="normative", path=("行政规范性文件",))),
    ),
    proactive_block("art20_5", "第二十条第（五）项", (_DECISIONS,), (Row(key="licensing", path=("行政许可",)),)),
    proactive_block(
        "art20_6",
        "第二十条第（六）项",
        (_DECISIONS,),
        (Row(key="penalty", path=("行政处罚",)), Row(key="enforcement", path=("行政强制",))),
    ),
    proactive_block(
        "art20_8",
        "第二十条第（八）项",
        (Column(key="fee_amount", path=("本年收费金额（单位：万元）",), kind=CellKind.DECIMAL, span=3,
                unit="万元"),),
        (Row(key="fees", path=("行政事业性收费",)),),
    ),
)

_OTHER_HANDLING_ROWS = (
    Row(
        key="other_overdue_correction",
        path=(RESULTS, OTHER_HANDLING, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ),
    Row(
        key="other_overdue_fee",
        path=(RESULTS, OTHER_HANDLING, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ),
    Row(key="other_misc", path=(RESULTS, OTHER_HANDLING, "3.其他")),
)

# What 2021-format reports customarily say in 五 and 六 (spec §2), asked for one by one in the workbook.
SECTION5_ITEMS = (
    SectionItem(key="rectification", heading="上年度问题整改情况", hint="上年度报告所列问题的整改措施和成效。"),
    SectionItem(key="problems", heading="本年度存在的问题", hint="本年度政府信息公开工作存在的主要问题。"),
    SectionItem(key="improvements", heading="改进措施", hint="针对上述问题的下一步改进措施。"),
)
SECTION6_ITEMS = (
    SectionItem(
        key="processing_fee",
        heading="信息处理费收取情况",
        kind=ItemKind.AMOUNT,
        unit="元",
        template="processing_fee",
        hint="依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）本年度收取的信息处理费，未收取填 0；报告中自动生成相应表述。",
    ),
    SectionItem(key="work_priorities", heading="政务公开工作要点落实情况", optional=True,
                hint="本年度政务公开工作要点的落实情况。"),
    SectionItem(key="proposals", heading="人大代表建议和政协提案办理结果公开情况", optional=True,
                hint="人大代表建议和政协提案办理结果的公开情况。"),
)

# 现行有效件数 = last year's 现行有效件数 + this year's 本年制发件数 − 本年废止件数.
_IN_FORCE_CARRY_OVERS = tuple(
    CarryOver(
        target=f"t2.{row}.in_force",
        terms=(
            Term(key=f"t2.{row}.in_force", last_year=True),
            Term(key=f"t2.{row}.issued"),
            Term(key=f"t2.{row}.repealed", sign=-1),
        ),
        code="t2-carry-over",
    )
    for row in ("regulation", "normative")
)

FORMAT_2021 = ReportFormat(
    id="2021",
    document="国办公开办函〔2021〕30号",
    title="中华人民共和国政府信息公开工作年度报告格式",
    years=(2021, None),
    sections=six_sections(
        section5_prompt="请在下表分别填写上年度问题整改情况、本年度存在的问题和改进措施；其他内容可在下方逐段补充。",
        section6_prompt="请填写本年度收取的信息处理费（元）和选填栏目；其他需要报告的事项可在下方逐段补充。",
        section5_items=SECTION5_ITEMS,
        section6_items=SECTION6_ITEMS,
    ),
    tables=(PROACTIVE_TABLE, application_table(_OTHER_HANDLING_ROWS), REVIEW_LITIGATION_TABLE),
    carry_overs=(*APPLICATION_CARRY_OVERS, *_IN_FORCE_CARRY_OVERS),
    # the two long （六） rows are also printed with a comma where the official text has 、
    label_variants={row.label: (row.label.replace("、", "，"),) for row in _OTHER_HANDLING_ROWS[:2]},
)
