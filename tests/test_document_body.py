"""The body written as text is exactly what python-docx and lxml would have written for it."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.opc.oxml import serialize_part_xml

from reportgen.document.body import BlankPackage, ReportDocument
from reportgen.document.ooxml import clean_text

# every character a cleaned text may hold that XML escapes or python-docx treats specially, then the
# whole Basic Multilingual Plane in one paragraph
TEXTS = ["<a & b>", "“引号” 'x' \"y\"", " 前导空格", "结尾全角空格\u3000", "\u00a0不换行\u00a0", "\x7f\x85\u2028\u2029",
         "", "".join(map(chr, range(0x20, 0x10000)))]


def blank_pair() -> tuple[docx.document.Document, ReportDocument]:
    """python-docx's own blank document and a ReportDocument made from its saved bytes."""
    reference = docx.Document()
    saved = io.BytesIO()
    reference.save(saved)
    return reference, ReportDocument(BlankPackage.from_docx(saved.getvalue(), text_width_twips=8844))


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_paragraphs_and_runs_serialize_like_python_docx(text):
    reference, document = blank_pair()
    text = clean_text(text)
    plain = reference.add_paragraph(text)
    plain._p.get_or_add_pPr().style = "GW-Body"
    plain.paragraph_format.keep_with_next = plain.paragraph_format.keep_together = True
    run_in = reference.add_paragraph()
    run_in._p.get_or_add_pPr().style = "GW-Sign"
    run_in.add_run(text)._r.get_or_add_rPr().style = "GW-HeadingSpan-2"
    run_in.add_run(text)
    indent = run_in._p.get_or_add_pPr().get_or_add_ind()
    indent.set(docx.oxml.ns.qn("w:rightChars"), "175")
    indent.set(docx.oxml.ns.qn("w:right"), "560")

    mine = document.add_paragraph("GW-Body", text)
    mine.keep_next = mine.keep_lines = True
    document.add_paragraph("GW-Sign").runs += [(text, "GW-HeadingSpan-2"), (text, None)]
    document.paragraphs[-1].right_indent = (175, 560)
    assert document.document_xml() == serialize_part_xml(reference.element)


def test_saved_package_holds_every_part_once_and_reopens(tmp_path):
    reference, document = blank_pair()
    document.add_paragraph("GW-Body", "正文")
    document.save(tmp_path / "report.docx")
    with zipfile.ZipFile(tmp_path / "report.docx") as package:
        names = package.namelist()
    assert sorted(names) == sorted(_saved_names(reference))
    assert len(names) == len(set(names))
    assert [p.text for p in docx.Document(str(tmp_path / "report.docx")).paragraphs] == ["正文"]


def _saved_names(reference) -> list[str]:
    saved = io.BytesIO()
    reference.save(saved)
    return zipfile.ZipFile(saved).namelist()
