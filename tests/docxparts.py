"""Read back a saved DOCX: reopen it, read a part's XML, find w: elements, styles and their attributes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from lxml import etree


def reopen(doc, tmp_path: Path):
    path = tmp_path / "report.docx"
    doc.save(path)
    return docx.Document(str(path))


def part_xml(doc, tmp_path: Path, name: str):
    path = tmp_path / "parts.docx"
    doc.save(path)
    with zipfile.ZipFile(path) as package:
        return parse_xml(package.read(name))


def xpath(element, path: str) -> list:
    """XPath with the w: prefix on any element, python-docx's own classes or plain lxml."""
    return etree.XPath(path, namespaces=nsmap)(element)


def attr(element, path: str, name: str) -> str | None:
    found = xpath(element, path)
    assert found, f"{path} missing"
    return found[0].get(qn(f"w:{name}"))


def style_el(doc, style_id: str):
    (style,) = doc.styles.element.xpath(f'w:style[@w:styleId="{style_id}"]')
    return style


def paragraphs_in(doc, style_id: str):
    return [p for p in doc.paragraphs if p.style.style_id == style_id]
