"""The report's document as it is written: body paragraphs and tables as WordprocessingML text, saved
into the blank package prepared once per style.

python-docx makes the blank package (styles, settings, footers: see blank.py). Building each report's
body through python-docx's element API and saving the whole package again cost ~15 ms per report; the
body is instead written as the XML text lxml would serialize for it (tests/test_golden.py holds the
bytes), placed between the blank document.xml's head and its sectPr, and appended to a zip that
already holds every other part, compressed once.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import IO

DOCUMENT_PART = "word/document.xml"
_BODY_START = b"<w:body>"
_SECTION_START = b"<w:sectPr"


def text_xml(text: str) -> str:
    """A w:t as python-docx writes it: xml:space="preserve" only when the text starts or ends with space."""
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text, quote=False)}</w:t>"


@dataclass
class BodyParagraph:
    """One body paragraph: a GW-* style, its runs (text, character style or None) and its properties."""

    style: str
    runs: list[tuple[str, str | None]] = field(default_factory=list)
    keep_next: bool = False
    keep_lines: bool = False
    right_indent: tuple[int, int] | None = None  # (w:rightChars, w:right in twips)

    def xml(self) -> str:
        properties = f'<w:pStyle w:val="{self.style}"/>'
        properties += "<w:keepNext/>" if self.keep_next else ""
        properties += "<w:keepLines/>" if self.keep_lines else ""
        if self.right_indent is not None:
            properties += '<w:ind w:rightChars="{}" w:right="{}"/>'.format(*self.right_indent)
        runs = "".join(_run_xml(text, style) for text, style in self.runs)
        return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"


def _run_xml(text: str, style: str | None) -> str:
    properties = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    content = text_xml(text) if text else ""
    return f"<w:r>{properties}{content}</w:r>" if properties or content else "<w:r/>"


@dataclass(frozen=True)
class BlankPackage:
    """A blank DOCX split for filling: document.xml around its body's content, and every other part."""

    head: bytes  # document.xml up to and including <w:body>
    tail: bytes  # the body's sectPr and the closing tags
    other_parts: bytes  # a zip of every part but document.xml
    text_width_twips: int

    @classmethod
    def from_docx(cls, data: bytes, text_width_twips: int) -> BlankPackage:
        other_parts = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as blank, \
                zipfile.ZipFile(other_parts, "w", zipfile.ZIP_DEFLATED) as parts:
            document = blank.read(DOCUMENT_PART)
            for info in blank.infolist():
                if info.filename != DOCUMENT_PART:
                    parts.writestr(info, blank.read(info))
        body = document.index(_BODY_START) + len(_BODY_START)
        if not document.startswith(_SECTION_START, body):
            raise ValueError("the blank document's body must hold only its sectPr")
        return cls(document[:body], document[body:], other_parts.getvalue(), text_width_twips)


class ReportDocument:
    """A report being written: body blocks in order, saved as a DOCX by ``save``."""

    def __init__(self, blank: BlankPackage) -> None:
        self.blank = blank
        self.paragraphs: list[BodyParagraph] = []
        self._blocks: list[BodyParagraph | str] = []

    @property
    def text_width_twips(self) -> int:
        return self.blank.text_width_twips

    def add_paragraph(self, style: str, text: str = "") -> BodyParagraph:
        """A paragraph in a GW-* style with ``text`` in one run (none when empty), as python-docx adds it."""
        paragraph = BodyParagraph(style, [(text, None)] if text else [])
        self.paragraphs.append(paragraph)
        self._blocks.append(paragraph)
        return paragraph

    def add_table(self, table_xml: str) -> None:
        self._blocks.append(table_xml)

    def document_xml(self) -> bytes:
        body = "".join(block if isinstance(block, str) else block.xml() for block in self._blocks)
        return self.blank.head + body.encode() + self.blank.tail

    def save(self, target: str | Path | IO[bytes]) -> None:
        package = io.BytesIO(self.blank.other_parts)
        with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as docx:
            docx.writestr(DOCUMENT_PART, self.document_xml())
        if isinstance(target, (str, Path)):
            Path(target).write_bytes(package.getvalue())
        else:
            target.write(package.getvalue())
