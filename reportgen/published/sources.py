"""Each kind of published file as one text: paragraphs on their own lines, every table row as ``a | b |``.

Web pages and DOCX keep their real table cells; a PDF's tables are found by their ruling lines and read
by position (pypdfium2); plain text is taken as it is. The heavy readers are imported here, per kind.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from reportgen.exceptions import InputError

KINDS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".txt": "txt"}  # suffix -> reader
SUFFIXES = tuple(KINDS)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_RULE_WIDTH = 2.0  # points: a path thinner than this is a table rule
_WORD_GAP = 0.6  # a gap wider than this share of the glyph height separates words
_PAGE_NUMBER = re.compile(r"\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*")  # a PDF page's footer: — 4 —
_CRAWL_BODY = "==================== 正文 ===================="
_CRAWL_TITLE = re.compile(r"^标题:\s*(.+)$", re.MULTILINE)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "head", "iframe", "select", "option", "button"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
                         "ul", "ol", "dd", "dt", "center", "blockquote", "pre", "header", "footer"})


@dataclass
class Source:
    """A published report as text; ``page_starts`` holds the text offset where each PDF page begins."""

    text: str
    title: str | None = None
    page_starts: list[int] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The 1-based PDF page of a text offset, None for other kinds."""
        return bisect_right(self.page_starts, offset) if self.page_starts else None


def read_source(path: Path) -> Source:
    """The text of a published report; raises InputError (a Chinese message) when it cannot be read."""
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}：不是可读取的已发布年报（应为 {'、'.join(SUFFIXES)} 文件）")
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(f"{path}：文件不存在") from error
    except OSError as error:
        raise InputError(f"{path}：无法读取（{error.strerror or error}）") from error
    if not data.strip():
        raise InputError(f"{path}：文件为空")
    source = _READERS[kind](path, data)
    if not source.text.strip():
        raise InputError(f"{path}：没有读到任何文字")
    return source


def decode(data: bytes) -> str:
    """Bytes of a Chinese page: the declared charset, else UTF-8, else GB18030 (which includes GBK and GB2312)."""
    declared = _CHARSET.search(data[:4096])
    names = ["utf-8-sig", "gb18030"]
    if declared:
        name = declared.group(1).decode("ascii").lower()
        names.insert(0, "gb18030" if name in ("gbk", "gb2312", "gb18030", "x-gbk") else name)
    for name in names:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def _read_text(path: Path, data: bytes) -> Source:
    """A page's text; a crawler's header (标题: …, then a 正文 line) gives the title and is left out."""
    text = decode(data)
    if _CRAWL_BODY not in text:
        return Source(text)
    header, body = text.split(_CRAWL_BODY, 1)
    title = _CRAWL_TITLE.search(header)
    return Source(body, title.group(1).strip() if title else None)


def _read_html(path: Path, data: bytes) -> Source:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(decode(data))
    except (lxml.etree.ParserError, ValueError) as error:
        raise InputError(f"{path}：无法解析这个网页（内容为空或不是 HTML）") from error
    title = root.findtext(".//title")
    parts: list[str] = []
    _html_text(root.find("body") if root.find("body") is not None else root, parts)
    return Source("".join(parts), title.strip() if title else None)


def _html_text(element, parts: list[str]) -> None:
    """Text in reading order; a table without tables inside becomes bar-separated rows."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED_TAGS:
        parts.append(element.tail or "")
        return
    if tag == "table" and element.find(".//table") is None:
        parts.append("\n" + "".join(_row(cell.text_content() for cell in row.xpath("./td|./th"))
                                    for row in element.iter("tr")))
    else:
        parts.append("\n" if tag in _BLOCK_TAGS else "")
        parts.append(element.text or "")
        for child in element:
            _html_text(child, parts)
        parts.append("\n" if tag in _BLOCK_TAGS else "")
    parts.append(element.tail or "")


def _row(cells) -> str:
    """One table row as text: every cell's text on one line, each followed by a bar."""
    return "".join(" ".join(str(text or "").split()) + " | " for text in cells) + "\n"


def _read_docx(path: Path, data: bytes) -> Source:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    try:
        body = docx.Document(str(path)).element.body
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as error:
        raise InputError(f"{path}：无法打开这个 DOCX（文件已损坏、不是 DOCX，或设置了打开密码）") from error
    parts = []
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            parts.append(_docx_text(element) + "\n")
        elif element.tag == qn("w:tbl"):
            parts.extend(_row(_docx_text(cell) for cell in row.iterchildren(qn("w:tc")) if not _continued(cell))
                         for row in element.iterchildren(qn("w:tr")))
    return Source("".join(parts))


def _docx_text(element) -> str:
    from docx.oxml.ns import qn

    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def _continued(cell) -> bool:
    """A cell that continues a vertical merge from the row above (its text was read there)."""
    from docx.oxml.ns import qn

    merge = cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val")) in (None, "continue")


def _read_pdf(path: Path, data: bytes) -> Source:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:  # PDFium's own message is English: say it in Chinese
        raise InputError(f"{path}：无法打开这个 PDF（文件已损坏、不是 PDF，或设置了打开密码）") from error
    try:
        pages = [_pdf_page_text(document[index]) for index in range(len(document))]
    finally:
        document.close()
    if not "".join(pages).strip():
        raise InputError(f"{path}：这是扫描件（PDF 中只有图片，没有文字层），无法读取其中的文字和数字；"
                         f"请使用带文字的 PDF（由 WPS 或 Word 导出）、网页或 DOCX 版本")
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text)
    return Source("".join(pages), page_starts=starts)


class _Glyph(NamedTuple):
    """One printed character and its box in PDF space (up is larger); a tuple, as pages hold thousands."""

    char: str
    x0: float
    x1: float
    bottom: float
    top: float
    y: float  # vertical middle

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _pdf_page_text(page) -> str:
    """The page's lines and tables top to bottom; a table row is a band between two ruling lines crossed by
    vertical rules, its cells the glyphs between those rules (PDFium gives glyph boxes and the rules' paths)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    glyphs = []
    for index in range(textpage.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
        if not char.isspace():
            left, bottom, right, top = textpage.get_charbox(index)
            glyphs.append(_Glyph(char, left, right, bottom, top, (top + bottom) / 2))
    horizontals, verticals = _rules(page)
    levels = sorted({round(y) for y, _, _ in horizontals}, reverse=True)
    rows: list[tuple[float, list[list[_Glyph] | None]]] = []
    placed: set[int] = set()
    above: dict[tuple[int, int], list[_Glyph]] = {}  # the cell each column span last started, for merges
    for upper, lower in zip(levels, levels[1:]):
        middle = (upper + lower) / 2
        walls = sorted({round(x) for x, low, high in verticals if low <= middle <= high})
        if len(walls) < 2:
            above = {}
            continue
        band = [i for i, glyph in enumerate(glyphs) if lower <= glyph.y <= upper and walls[0] <= glyph.x0 <= walls[-1]]
        placed.update(band)
        cells: list[list[_Glyph] | None] = []
        for left, right in zip(walls, walls[1:]):
            inside = [glyphs[i] for i in band if left <= (glyphs[i].x0 + glyphs[i].x1) / 2 < right]
            ruled = any(abs(y - upper) <= _RULE_WIDTH and x0 <= (left + right) / 2 <= x1 for y, x0, x1 in horizontals)
            if not ruled and (left, right) in above:  # a cell merged with the one above: its text is read there
                above[(left, right)].extend(inside)
                cells.append(None)
            else:
                above[(left, right)] = inside
                cells.append(inside)
        rows.append((upper, cells))
    chunks = [(upper, _row(_line_text(cell, joined=True) for cell in cells if cell is not None))
              for upper, cells in rows]
    loose = [glyph for i, glyph in enumerate(glyphs) if i not in placed]
    for line in _lines(loose):
        text = _line_text(line)
        if not _PAGE_NUMBER.fullmatch(text):
            chunks.append((max(glyph.y for glyph in line), text + "\n"))
    return "".join(text for _, text in sorted(chunks, key=lambda chunk: -chunk[0]))


def _rules(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal rules as (y, x0, x1) and vertical ones as (x, y0, y1), from line and rectangle paths."""
    import pypdfium2.raw as raw

    horizontals, verticals = [], []
    for path in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = path.get_bounds()
        if top - bottom <= _RULE_WIDTH:
            horizontals.append(((top + bottom) / 2, left, right))
        elif right - left <= _RULE_WIDTH:
            verticals.append(((left + right) / 2, bottom, top))
        else:  # a cell drawn as a rectangle: its four sides
            horizontals += [(top, left, right), (bottom, left, right)]
            verticals += [(left, bottom, top), (right, bottom, top)]
    return horizontals, verticals


def _lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into printed lines, top line first, each left to right. A glyph joins the line whose
    tallest glyph spans its middle, so low punctuation (、，。) stays on its line."""
    lines: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda glyph: -glyph.top):
        line = next((line for line in reversed(lines[-3:]) if line[0].bottom <= glyph.y <= line[0].top), None)
        if line is None:
            lines.append([glyph])
        else:
            line.append(glyph)
    return [sorted(line, key=lambda glyph: glyph.x0) for line in sorted(lines, key=lambda line: -line[0].y)]


def _line_text(glyphs: list[_Glyph], joined: bool = False) -> str:
    """Glyphs as text: lines of a cell run together (``joined``); a wide gap within a line is a space, except
    around a decimal point (PDFs often place it apart)."""
    parts = []
    for line in _lines(glyphs):
        text = line[0].char
        for before, glyph in zip(line, line[1:]):
            gap = glyph.x0 - before.x1 > max(glyph.height, 1) * _WORD_GAP and "." not in (before.char, glyph.char)
            text += (" " if gap else "") + glyph.char
        parts.append(text)
    return ("" if joined else " ").join(parts)


_READERS = {"txt": _read_text, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf}
