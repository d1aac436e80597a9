"""A published report (web page, PDF, DOCX or page text) read into a Report with findings and printed locations."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportgen.checks.findings import finding
from reportgen.formats import FORMATS, ReportFormat, Table, format_for_year
from reportgen.formats.detect import distinctive_labels
from reportgen.formats.schema import Section
from reportgen.model import Paragraph, ReadResult, Report, ReportInfo
from reportgen.published.labels import Match, find_exact, fold, fold_label
from reportgen.published.sources import Source, read_source
from reportgen.published.tables import Document, TableRead, TableReader

TITLE_SHEET = "标题"
_TITLE_SUFFIX = r"\s*政府信息公开工作年度报告"
_TITLES = (  # 某某局2020年度政府信息公开工作年度报告, or 2020年某某局政府信息公开工作年度报告
    re.compile(r"(?P<agency>[^\s，。：:；;、|“”\"》《]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年度?" + _TITLE_SUFFIX),
    re.compile(r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<agency>[^\s，。：:；;、|“”\"》《]{2,40}?)" + _TITLE_SUFFIX),
)
_PERIOD = re.compile(r"(?:统计期限|统计期|统计时限)\D{0,4}((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_SIGN_OFF = re.compile(r"(?P<agency>[\u4e00-\u9fff（）()]{4,40})\s*(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月"
                       r"\s*(?P<day>\d{1,2})\s*日")
_ADDRESS = re.compile(r"地址\s*[:：]\s*([^；;，,）)\n|]{4,60})")
_PHONE = re.compile(r"电话\s*[:：]\s*([0-9０-９][0-9０-９\-－—（）() ]{5,20}[0-9０-９])")
_NUMERALS = "一二三四五六"
_HEADING_WORDS = re.compile(r"..[^\n。，,；;《（(]*")  # a heading as printed: number and words up to punctuation
TAIL = 400  # characters at the end of the report where the sign-off is looked for


def read_published(path: Path) -> ReadResult:
    """Read a published report; raises InputError only when no text can be read from the file at all."""
    source = read_source(Path(path))
    text = source.text
    folded = fold(text)
    document = Document(text, folded.text, folded.origin, source.page_at)
    result = ReadResult(report=None, printed=True)
    agency, year = _title(source, text, result)
    headings = _find_sections(document, format_for_year(year or 2021).sections, result)
    fmt, mixed = _choose_format(document, headings, year)
    reads = {table.key: _read_table(document, fmt, table, headings, mixed.get(table.sheet)) for table in fmt.tables}
    for read in reads.values():
        result.findings.extend(read.findings)
        result.locations.update(read.locations)
        result.unreadable.update(read.unknown)
    if year is not None:  # a missing agency is a finding; the figures can still be checked
        result.report = _report(document, fmt, agency or "", year, headings, reads)
    return result


def _title(source: Source, text: str, result: ReadResult) -> tuple[str | None, int | None]:
    """Agency and year from the title; the sign-off and the statistics period when the title lacks them."""
    agency = year = None
    for candidate in (source.title or "", text[:3000]):
        match = next((found for pattern in _TITLES if (found := pattern.search(candidate))), None)
        if match:
            agency, year = match.group("agency"), int(match.group("year"))
            break
    sign_off = _SIGN_OFF.search(text[-TAIL:])
    if agency is None and sign_off:
        agency = sign_off.group("agency")
    if year is None and (period := _PERIOD.search(text)):
        year = int(period.group(1))
    for value, label in ((agency, "标题中的机关名称"), (year, "标题中的报告年度")):
        if value is None:
            result.findings.append(finding("info-missing", sheet=TITLE_SHEET, label=label))
    return agency, year


def _find_sections(document: Document, sections: tuple[Section, ...], result: ReadResult) -> dict[int, Match]:
    """The six headings in order; a heading found only before the previous one is out of order."""
    found: dict[int, Match] = {}
    cursor = 0
    for section in sections:
        wanted = (section.heading, *section.variants)
        match = _heading(document, wanted, cursor, len(document.folded))
        if match is None:
            match = _heading(document, wanted, 0, cursor)
            if match is not None:
                result.findings.append(finding("published-section-order", sheet=section.heading,
                                               label=section.heading))
        if match is None:
            result.findings.append(finding("published-section-missing", sheet=section.heading,
                                           label=section.heading))
            continue
        if not match.exact:
            result.findings.append(finding("published-label-deviates", sheet=section.heading, label=section.heading,
                                           expected=section.heading,
                                           actual=document.original(match.start, match.end).strip()))
        found[section.number] = match
        cursor = max(cursor, match.end)
    return found


def _heading(document: Document, wanted: tuple[str, ...], start: int, end: int) -> Match | None:
    """A section heading as printed, else its number (``五、`` or ``5、``) with the heading's words close after
    it, else its Chinese number before other words (``六、需要说明的其他事项``). Never a loose match in running
    text: the 导语 names every section without its number."""
    folded = document.folded
    exact = find_exact(folded, wanted, start, end)
    if exact is not None:
        return exact
    number, words = fold_label(wanted[0]).split(".", 1)
    numbered = [found for found in re.finditer(f"[{number}{_NUMERALS.index(number) + 1}]" + r"\.(?=[\u4e00-\u9fff])",
                                               folded[:end])
                if found.start() >= start and folded[found.start() - 1:found.start()] not in "(（"]
    for found in numbered:
        near = folded.find(words, found.start(), found.start() + len(words) + 12)
        if near >= 0:
            return Match(found.start(), near + len(words), folded[found.start():near + len(words)], False)
    chinese = [found.start() for found in numbered if found.group().startswith(number)]
    if not chinese:
        return None
    origin = document.origin[chinese[0]]
    printed = _HEADING_WORDS.match(document.text, origin, origin + len(wanted[0]) + 8).group()
    length = len(fold_label(printed))
    return Match(chinese[0], chinese[0] + length, folded[chinese[0]:chinese[0] + length], False)


def _window(document: Document, headings: dict[int, Match], number: int) -> tuple[int, int]:
    """Folded range of section ``number``: from its heading (or the nearest earlier one) to the next heading."""
    before = [match.end for section, match in headings.items() if section <= number]
    after = [match.start for section, match in headings.items() if section > number]
    start = max(before, default=0)
    return start, min([position for position in after if position >= start], default=len(document.folded))


def _choose_format(document: Document, headings: dict[int, Match],
                   year: int | None) -> tuple[ReportFormat, dict[str, str]]:
    """The format the tables' labels show (the year's format among equals), and tables printed in another."""
    votes: dict[str, str] = {}
    for table in FORMATS[next(iter(FORMATS))].tables:
        scores = _format_scores(document, _window(document, headings, table.section), table)
        best = max(scores, key=scores.get)
        if scores[best] > 0 and list(scores.values()).count(scores[best]) == 1:
            votes[table.sheet] = best
    preferred = format_for_year(year).id if year else None
    counts = {format_id: list(votes.values()).count(format_id) for format_id in FORMATS}
    if preferred is None or (votes and preferred not in votes.values()):
        preferred = max(counts, key=counts.get)
    return FORMATS[preferred], {sheet: format_id for sheet, format_id in votes.items() if format_id != preferred}


def _format_scores(document: Document, window: tuple[int, int], table: Table) -> dict[str, float]:
    scores = {}
    for format_id, fmt in FORMATS.items():
        labels = distinctive_labels(format_id).get(table.sheet, frozenset())
        found = sum(1 for label in labels
                    if any(document.folded.find(fold_label(text), *window) >= 0 for text in fmt.accepted_labels(label)))
        scores[format_id] = found / len(labels) if labels else 0.0
    return scores


def _read_table(document: Document, fmt: ReportFormat, table: Table, headings: dict[int, Match],
                other: str | None) -> TableRead:
    """The table read with ``fmt``; one printed with another format's labels is reported, not read."""
    window = _window(document, headings, table.section)
    if other is not None:
        read = TableRead(unknown={field.key for field in table.fields()})
        read.findings.append(finding("published-format-mixed", sheet=document.sheet(table, window[0]),
                                     label=table.sheet, actual=FORMATS[other].document, expected=fmt.document))
        return read
    return TableReader(document, fmt, table, window).read()


def _report(document: Document, fmt: ReportFormat, agency: str, year: int, headings: dict[int, Match],
            reads: dict[str, TableRead]) -> Report:
    figures, entered, units = {}, {}, {}
    for read in reads.values():
        for key, cell in read.cells.items():
            if cell.blank:
                continue
            field = fmt.field(key)
            (figures if field.is_input else entered)[key] = cell.value
            if cell.unit:
                units[key] = cell.unit
    text = document.text
    sign_off = _SIGN_OFF.search(text[-TAIL:])
    opening = " ".join(text[:3000].replace("|", " ").split())  # a boxed 导语 in a PDF is a one-cell table
    address, phone = _ADDRESS.search(opening), _PHONE.search(opening)
    info = ReportInfo(
        agency=agency, year=year, format_id=fmt.id,
        report_date=_date(sign_off) if sign_off else None,
        contact_address=_squeezed(address), contact_phone=_squeezed(phone),
    )
    narrative = {section.key: _paragraphs(document, _window(document, headings, section.number))
                 for section in fmt.narrative_sections() if section.number in headings}
    return Report(info=info, figures=figures, units=units, entered_totals=entered, narrative=narrative)


def _squeezed(match: re.Match | None) -> str | None:
    """A contact detail without the spaces a PDF's glyph gaps or a page's line breaks put into it."""
    return "".join(match.group(1).split()) if match else None


def _date(match: re.Match) -> dt.date | None:
    try:
        return dt.date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    except ValueError:
        return None


def _paragraphs(document: Document, window: tuple[int, int]) -> list[Paragraph]:
    """A narrative section's text, one paragraph per printed line."""
    lines = (" ".join(line.replace("|", " ").split()) for line in document.original(*window).splitlines())
    return [Paragraph(text=line) for line in lines if line]

