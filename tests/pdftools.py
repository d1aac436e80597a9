"""Helpers for tests that inspect a PDF: text lines, footers, fonts, table extents and page images.

Text, fonts and images come from poppler's command-line tools (pdftotext -bbox-layout, pdffonts,
pdfinfo, pdftoppm). Table borders come from pdfplumber, because poppler has no tool that lists
drawn lines. Pages are numbered from 1. Positions are in millimetres from the page's top-left
corner, so they compare directly with the style spec (A4: left margin 28 mm, text block 156 mm).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

MM_PER_PT = 25.4 / 72
_XHTML = "{http://www.w3.org/1999/xhtml}"
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
# Lines whose bottoms differ by less than this share a baseline: pdftotext derives the bottom from
# each font's descent, so Latin and CJK text on one baseline can differ by about 0.8 mm at 三号.
BASELINE_TOLERANCE_MM = 1.0
# Edges closer than this (in points) belong to the same ruled table.
_EDGE_JOIN_PT = 1.5


@dataclass(frozen=True)
class TextBlock:
    """The 版心 in millimetres from the top-left corner of the page."""

    left: float = 28.0
    top: float = 37.0
    right: float = 184.0
    bottom: float = 262.0


A4_TEXT_BLOCK = TextBlock()


@dataclass(frozen=True)
class Line:
    """One text line as pdftotext groups it; all positions in mm."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str

    @property
    def y(self) -> float:
        """Bottom of the line box: equal (within BASELINE_TOLERANCE_MM) for text on one baseline."""
        return self.bottom

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def _mm(points: str | float) -> float:
    return float(points) * MM_PER_PT


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFFEF or code >= 0x20000


def _join_words(words: list[str]) -> str:
    # pdftotext splits at LibreOffice's automatic CJK/Latin spacing too ("第 1 段"); a space is kept
    # only between two non-CJK words, so Chinese text reads as written and Latin words stay apart.
    text = ""
    for word in words:
        if text and not _is_cjk(text[-1]) and not _is_cjk(word[0]):
            text += " "
        text += word
    return text


def page_count(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)", _run(["pdfinfo", str(pdf)]), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"pdfinfo reported no page count for {pdf}")
    return int(match.group(1))


def _lines_by_page(pdf: Path, first: int | None = None, last: int | None = None) -> dict[int, list[Line]]:
    command = ["pdftotext", "-bbox-layout"]
    if first is not None:
        command += ["-f", str(first), "-l", str(last if last is not None else first)]
    root = ET.fromstring(_run(command + [str(pdf), "-"]))
    pages: dict[int, list[Line]] = {}
    for index, page in enumerate(root.iter(f"{_XHTML}page"), start=first or 1):
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = [word.text or "" for word in line.iter(f"{_XHTML}word")]
            box = {key: _mm(line.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")}
            lines.append(Line(index, box["yMin"], box["yMax"], box["xMin"], box["xMax"], _join_words(words)))
        pages[index] = sorted(lines, key=lambda item: (round(item.top, 1), item.x0))
    return pages


def page_text_lines(pdf: Path, page: int) -> list[Line]:
    """All text lines of one page, top to bottom, then left to right."""
    return _lines_by_page(pdf, page, page).get(page, [])


def all_text_lines(pdf: Path) -> dict[int, list[Line]]:
    """Text lines of every page, keyed by page number (one pdftotext run)."""
    return _lines_by_page(pdf)


def baselines(lines: list[Line], tolerance: float = BASELINE_TOLERANCE_MM) -> list[float]:
    """The distinct baselines (as line bottoms in mm) of lines, top to bottom."""
    groups: list[float] = []
    for y in sorted(line.y for line in lines):
        if not groups or y - groups[-1] > tolerance:
            groups.append(y)
    return groups


def body_lines(pdf: Path, page: int, block: TextBlock = A4_TEXT_BLOCK) -> list[Line]:
    """Lines whose vertical middle lies inside the text block (so footers and headers are left out)."""
    return [line for line in page_text_lines(pdf, page) if block.top <= line.middle <= block.bottom]


def body_line_count(pdf: Path, page: int, block: TextBlock = A4_TEXT_BLOCK) -> int:
    """Number of distinct baselines inside the text block of one page (table cells on a row count once)."""
    return len(baselines(body_lines(pdf, page, block)))


def footer_texts(pdf: Path, block: TextBlock = A4_TEXT_BLOCK) -> list[str]:
    """Per page (index 0 = page 1), the text below the text block, e.g. "— 1 —"; "" when there is none."""
    pages = all_text_lines(pdf)
    texts = []
    for number in range(1, page_count(pdf) + 1):
        below = [line.text for line in pages.get(number, []) if line.middle > block.bottom]
        texts.append(" ".join(below))
    return texts


def font_names(pdf: Path) -> set[str]:
    """Base font names used in the PDF, with the subset prefix (ABCDEF+) removed."""
    output = _run(["pdffonts", str(pdf)]).splitlines()
    # The dashed second line gives the width of the name column, which may contain spaces.
    if len(output) < 2 or not output[1].startswith("-"):
        return set()
    width = len(output[1].split(" ")[0])
    return {_SUBSET_PREFIX.sub("", row[:width].strip()) for row in output[2:] if row.strip()}


def _edge_groups(edges: list[dict]) -> list[list[dict]]:
    """Connected groups of edges that touch or cross (union-find)."""
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def touch(a: dict, b: dict) -> bool:
        return (
            a["x0"] - _EDGE_JOIN_PT <= b["x1"]
            and b["x0"] - _EDGE_JOIN_PT <= a["x1"]
            and a["top"] - _EDGE_JOIN_PT <= b["bottom"]
            and b["top"] - _EDGE_JOIN_PT <= a["bottom"]
        )

    for i in range(len(edges)):
        for j in range(i + 1, len(edges)):
            if touch(edges[i], edges[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[dict]] = {}
    for i, edge in enumerate(edges):
        groups.setdefault(find(i), []).append(edge)
    return list(groups.values())


def table_boxes(pdf: Path, page: int) -> list[tuple[float, float, float, float]]:
    """Extents (x0, x1, top, bottom) in mm of the ruled tables on one page, top to bottom.

    A table is a connected group of drawn edges with at least two horizontal and two vertical
    ones; a lone rule (a footnote separator, an underline) is not a table. Positions are the
    path geometry as drawn, without half the stroke width.
    """
    import pdfplumber  # test dependency; imported here so the poppler helpers work without it

    with pdfplumber.open(str(pdf)) as document:
        edges = [edge for edge in document.pages[page - 1].edges if edge["orientation"] in ("h", "v")]
    boxes = []
    for group in _edge_groups(edges):
        horizontal = sum(1 for edge in group if edge["orientation"] == "h")
        if horizontal < 2 or len(group) - horizontal < 2:
            continue
        x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
        top, bottom = min(e["top"] for e in group), max(e["bottom"] for e in group)
        boxes.append((_mm(x0), _mm(x1), _mm(top), _mm(bottom)))
    return sorted(boxes, key=lambda box: box[2])


def render_png(pdf: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    """Render every page to outdir/page-N.png with pdftoppm; returns the files in page order."""
    outdir.mkdir(parents=True, exist_ok=True)
    _run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(outdir / "page")])
    # pdftoppm pads the number to the width of the page count (page-01.png), so sort numerically.
    pages = outdir.glob("page-*.png")
    return sorted(pages, key=lambda path: int(path.stem.rsplit("-", 1)[1]))


def _tools_present() -> bool:
    from reportgen.document.pdf import find_soffice
    from reportgen.exceptions import PdfConversionError

    try:
        find_soffice()
    except PdfConversionError:
        return False
    return all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo", "fc-match"))


# CI installs LibreOffice and poppler, so there a missing tool must fail the run, not skip it.
needs_soffice = pytest.mark.skipif(
    os.environ.get("CI") != "true" and not _tools_present(),
    reason="LibreOffice (soffice) or poppler-utils is not installed",
)
