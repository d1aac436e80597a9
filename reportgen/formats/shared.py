"""Structure the 2019 and 2021 formats share: the six sections, table 三's rows and columns, table 四."""

from reportgen.formats.schema import (
    Balance,
    Block,
    CarryOver,
    Column,
    ColumnSum,
    Row,
    RowSum,
    Section,
    SectionItem,
    Table,
    Term,
)

APPLICANT_COLUMNS = (
    Column(key="natural", path=("申请人情况", "自然人")),
    Column(key="business", path=("申请人情况", "法人或其他组织", "商业企业")),
    Column(key="research", path=("申请人情况", "法人或其他组织", "科研机构")),
    Column(key="nonprofit", path=("申请人情况", "法人或其他组织", "社会公益组织")),
    Column(key="legal", path=("申请人情况", "法人或其他组织", "法律服务机构")),
    Column(key="other", path=("申请人情况", "法人或其他组织", "其他")),
)
T3_COLUMNS = (*APPLICANT_COLUMNS, Column(key="total", path=("申请人情况", "总计")))
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

RESULTS = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER_HANDLING = "（六）其他处理"

T3_RECEIVED_ROWS = (
    Row(key="new", path=("一、本年新收政府信息公开申请数量",)),
    Row(key="carried_over", path=("二、上年结转政府信息公开申请数量",)),
)
T3_OUTCOME_ROWS_BEFORE_OTHER = (
    Row(key="disclosed", path=(RESULTS, "（一）予以公开")),
    Row(key="partly_disclosed", path=(RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    Row(key="withheld_secret", path=(RESULTS, WITHHELD, "1.属于国家秘密")),
    Row(key="withheld_law", path=(RESULTS, WITHHELD, "2.其他法律行政法规禁止公开")),
    Row(key="withheld_safety", path=(RESULTS, WITHHELD, "3.危及“三安全一稳定”")),
    Row(key="withheld_third_party", path=(RESULTS, WITHHELD, "4.保护第三方合法权益")),
    Row(key="withheld_internal", path=(RESULTS, WITHHELD, "5.属于三类内部事务信息")),
    Row(key="withheld_process", path=(RESULTS, WITHHELD, "6.属于四类过程性信息")),
    Row(key="withheld_enforcement", path=(RESULTS, WITHHELD, "7.属于行政执法案卷")),
    Row(key="withheld_inquiry", path=(RESULTS, WITHHELD, "8.属于行政查询事项")),
    Row(key="unable_not_held", path=(RESULTS, UNABLE, "1.本机关不掌握相关政府信息")),
    Row(key="unable_needs_creation", path=(RESULTS, UNABLE, "2.没有现成信息需要另行制作")),
    Row(key="unable_unclear", path=(RESULTS, UNABLE, "3.补正后申请内容仍不明确")),
    Row(key="not_processed_petition", path=(RESULTS, NOT_PROCESSED, "1.信访举报投诉类申请")),
    Row(key="not_processed_repeated", path=(RESULTS, NOT_PROCESSED, "2.重复申请")),
    Row(key="not_processed_publication", path=(RESULTS, NOT_PROCESSED, "3.要求提供公开出版物")),
    Row(key="not_processed_mass", path=(RESULTS, NOT_PROCESSED, "4.无正当理由大量反复申请")),
    Row(key="not_processed_confirmation", path=(RESULTS, NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息")),
)
T3_HANDLED_TOTAL = Row(key="handled_total", path=(RESULTS, "（七）总计"))
T3_CARRIED_FORWARD = Row(key="carried_forward", path=("四、结转下年度继续办理",))


def application_table(other_handling_rows: tuple[Row, ...]) -> Table:
    """Table 三, whose only difference between the formats is the （六）其他处理 rows."""
    outcome_rows = (*T3_OUTCOME_ROWS_BEFORE_OTHER, *other_handling_rows)
    block = Block(
        key="applications",
        corner=T3_CORNER,
        columns=T3_COLUMNS,
        rows=(*T3_RECEIVED_ROWS, *outcome_rows, T3_HANDLED_TOTAL, T3_CARRIED_FORWARD),
        column_sums=(
            ColumnSum(target="total", terms=tuple(c.key for c in APPLICANT_COLUMNS), code="t3-row-total"),
        ),
        row_sums=(
            RowSum(target="handled_total", terms=tuple(r.key for r in outcome_rows), code="t3-outcome-total"),
        ),
        balances=(Balance(lhs=("new", "carried_over"), rhs=("handled_total", "carried_forward"), code="t3-balance",
                          lhs_name="第一项+第二项", rhs_name="第三项+第四项"),),
    )
    return Table(key="t3", section=3, sheet="三、依申请公开", blocks=(block,))


# This year's 上年结转 is last year's 结转下年度继续办理, per applicant column (the 总计 column follows from them).
APPLICATION_CARRY_OVERS = tuple(
    CarryOver(
        target=f"t3.carried_over.{column.key}",
        terms=(Term(key=f"t3.carried_forward.{column.key}", last_year=True),),
        code="t3-carry-over",
    )
    for column in APPLICANT_COLUMNS
)


def proactive_block(key: str, caption: str, columns: tuple[Column, ...], rows: tuple[Row, ...], **rules) -> Block:
    """A block of table 二: one article item (第二十条第（x）项) with 信息内容 above its row labels."""
    return Block(key=key, caption=caption, corner="信息内容", columns=columns, rows=rows, **rules)


def proactive_table(*blocks: Block) -> Table:
    """Table 二, whose blocks differ between the formats; it is short, so its header is not repeated."""
    return Table(key="t2", section=2, sheet="二、主动公开", repeat_header=False, blocks=blocks)


def _case_columns(key: str, path: tuple[str, ...]) -> tuple[Column, ...]:
    outcomes = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
    parts = tuple(Column(key=f"{key}_{suffix}", path=(*path, label)) for suffix, label in outcomes)
    return (*parts, Column(key=f"{key}_total", path=(*path, "总计")))


def _case_sum(columns: tuple[Column, ...]) -> ColumnSum:
    *parts, total = columns
    return ColumnSum(target=total.key, terms=tuple(c.key for c in parts), code="t4-total")


REVIEW = _case_columns("review", ("行政复议",))
DIRECT_SUIT = _case_columns("direct_suit", ("行政诉讼", "未经复议直接起诉"))
SUIT_AFTER_REVIEW = _case_columns("suit_after_review", ("行政诉讼", "复议后起诉"))

REVIEW_LITIGATION_TABLE = Table(
    key="t4",
    section=4,
    sheet="四、复议诉讼",
    blocks=(
        Block(
            key="cases",
            columns=(*REVIEW, *DIRECT_SUIT, *SUIT_AFTER_REVIEW),
            rows=(Row(key="cases"),),
            column_sums=tuple(_case_sum(group) for group in (REVIEW, DIRECT_SUIT, SUIT_AFTER_REVIEW)),
        ),
    ),
)


def six_sections(
    section5_prompt: str,
    section6_prompt: str,
    section5_items: tuple[SectionItem, ...] = (),
    section6_items: tuple[SectionItem, ...] = (),
) -> tuple[Section, ...]:
    """The six mandated sections; only what the clerk is asked to give in 五 and 六 differs by format."""
    return (
        Section(
            number=1,
            heading="一、总体情况",
            sheet="一、总体情况",
            prompt="本年度贯彻落实《条例》的总体情况，可分主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面分段填写。",
        ),
        Section(number=2, heading="二、主动公开政府信息情况", table="t2"),
        Section(number=3, heading="三、收到和处理政府信息公开申请情况", table="t3"),
        Section(
            number=4,
            heading="四、政府信息公开行政复议、行政诉讼情况",
            variants=("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",),
            table="t4",
        ),
        Section(
            number=5,
            heading="五、存在的主要问题及改进情况",
            variants=("五、政府信息公开工作存在的主要问题及改进情况",),
            sheet="五、问题及改进",
            prompt=section5_prompt,
            items=section5_items,
        ),
        Section(number=6, heading="六、其他需要报告的事项", sheet="六、其他事项", prompt=section6_prompt,
                items=section6_items),
    )
