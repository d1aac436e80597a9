"""Tables drawn by add_grid_table: rules, widths, merges, styles, alignment and page-break behaviour."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn

from reportgen.document.ooxml import mm_to_twips
from reportgen.document.render import add_table
from reportgen.document.tables import GridCell, add_grid_table
from reportgen.formats import get_format
from reportgen.formats.layout import layout_table
from reportgen.model import compute_values
from tests.docxgrid import table_spans
from tests.docxparts import reopen
from tests.seeds import seed_report


def attr(element, path: str, name: str) -> str | None:
    found = element.xpath(path)
    return found[0].get(qn(f"w:{name}")) if found else None


def table_4(document, keep_together: bool = False):
    cells = [GridCell(0, 0, 1, 5, "行政复议", header=True), GridCell(0, 5, 1, 10, "行政诉讼", header=True),
             *(GridCell(3, column, 1, 1, str(column)) for column in range(15))]
    return add_grid_table(document, 4, cells, [10.4] * 15, header_rows=3, tight_margins=True,
                          keep_together=keep_together)


def test_table_spans_the_text_block_with_half_point_rules(doc, tmp_path):
    table_4(doc)
    tbl = reopen(doc, tmp_path).tables[0]._tbl
    assert (attr(tbl, "w:tblPr/w:tblW", "w"), attr(tbl, "w:tblPr/w:tblW", "type")) == ("8844", "dxa")
    assert attr(tbl, "w:tblPr/w:jc", "val") == "center"
    assert attr(tbl, "w:tblPr/w:tblInd", "w") == "0"
    assert attr(tbl, "w:tblPr/w:tblLayout", "type") == "fixed"
    borders = tbl.xpath("w:tblPr/w:tblBorders/*")
    assert [b.tag.split("}")[1] for b in borders] == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert {(b.get(qn("w:val")), b.get(qn("w:sz"))) for b in borders} == {("single", "4")}
    assert attr(tbl, "w:tblPr/w:tblCellMar/w:left", "w") == attr(tbl, "w:tblPr/w:tblCellMar/w:right", "w") == "57"
    # text kept off the rules above and below
    assert attr(tbl, "w:tblPr/w:tblCellMar/w:top", "w") == attr(tbl, "w:tblPr/w:tblCellMar/w:bottom", "w") == "19"
    grid = [int(w) for w in tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    assert len(grid) == 15 and sum(grid) == 8844


def test_header_rows_repeat_and_no_row_splits(doc, tmp_path):
    table_4(doc)
    rows = reopen(doc, tmp_path).tables[0]._tbl.tr_lst
    assert [bool(tr.xpath("w:trPr/w:tblHeader")) for tr in rows] == [True, True, True, False]
    assert all(tr.xpath("w:trPr/w:cantSplit") for tr in rows)


def test_header_rows_stay_with_the_body_and_kept_tables_stay_whole(doc, tmp_path):
    cells = [GridCell(row, 0, 1, 1, str(row), header=row == 0) for row in range(6)]
    add_grid_table(doc, 6, cells, [156], header_rows=1)
    add_grid_table(doc, 6, cells, [156], header_rows=1, keep_together=True)
    split, whole = reopen(doc, tmp_path).tables
    kept = [[bool(tr.xpath("w:tc/w:p/w:pPr/w:keepNext")) for tr in t._tbl.tr_lst] for t in (split, whole)]
    assert kept == [[True] + [False] * 5, [True] * 5 + [False]]


def test_cells_are_centred_vertically_and_sized_to_their_span(doc, tmp_path):
    table_4(doc)
    tbl = reopen(doc, tmp_path).tables[0]._tbl
    grid = [int(w) for w in tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    merged = tbl.tr_lst[0].tc_lst[0]
    assert int(attr(merged, "w:tcPr/w:tcW", "w")) == sum(grid[:5])
    assert attr(merged, "w:tcPr/w:gridSpan", "val") == "5"
    assert all(tc.xpath("w:tcPr/w:vAlign[@w:val='center']") for tr in tbl.tr_lst for tc in tr.tc_lst)


def test_column_widths_are_scaled_to_fill_the_text_block(doc, tmp_path):
    add_grid_table(doc, 2, [], [70] + [12.3] * 7, header_rows=1, numeric_cols=set(range(1, 8)))
    tbl = reopen(doc, tmp_path).tables[0]._tbl
    grid = [int(w) for w in tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    assert sum(grid) == 8844
    assert abs(grid[0] - mm_to_twips(70)) < 5
    assert attr(tbl, "w:tblPr/w:tblCellMar/w:left", "w") == "108"


def test_cells_get_table_styles_and_alignment_empty_ones_too(doc, tmp_path):
    cells = [GridCell(0, 0, 1, 1, "信息内容", header=True), GridCell(1, 0, 1, 1, "行政规范性文件", align="left"),
             GridCell(1, 1, 1, 1, "12")]
    add_grid_table(doc, 2, cells, [80, 38, 38], header_rows=1, numeric_cols={1, 2})
    rows = reopen(doc, tmp_path).tables[0].rows
    assert [c.text for c in rows[1].cells] == ["行政规范性文件", "12", ""]
    assert [c.paragraphs[0].style.style_id for c in rows[0].cells] == ["GW-TableHeader"] * 3
    assert [c.paragraphs[0].style.style_id for c in rows[1].cells] == ["GW-Table"] * 3
    assert [attr(c._tc, "w:p/w:pPr/w:jc", "val") for c in rows[0].cells] == ["center"] * 3
    assert [attr(c._tc, "w:p/w:pPr/w:jc", "val") for c in rows[1].cells] == ["left", "center", "center"]


def test_text_is_escaped_and_stripped_of_control_characters(doc, tmp_path):
    add_grid_table(doc, 1, [GridCell(0, 0, 1, 1, "数\x01字 <&> “三安全一稳定”")], [156], header_rows=0)
    assert reopen(doc, tmp_path).tables[0].cell(0, 0).text == "数字 <&> “三安全一稳定”"


def test_a_wrong_number_of_widths_is_refused(doc):
    with pytest.raises(ValueError):
        add_grid_table(doc, 1, [], [78, 78, 0], header_rows=0)


@pytest.mark.parametrize(("format_id", "table_key"), [("2019", "t2"), ("2019", "t3"), ("2021", "t3"), ("2019", "t4")])
def test_rendered_tables_have_the_layouts_merges(doc, tmp_path, format_id, table_key):
    report = seed_report("003")
    layout = layout_table(get_format(format_id).table(table_key))
    add_table(doc, layout, compute_values(get_format(format_id), {}), report.units)
    spans = table_spans(reopen(doc, tmp_path).tables[0])
    expected = {(cell.row, cell.col): (cell.rowspan, cell.colspan) for cell in layout.cells}
    assert {position: (span.rowspan, span.colspan) for position, span in spans.items()} == expected
