"""The five real 2020 reports (tests/data/seeds) and an invented 2021-format report as Reports, and the
sample workbooks made from them.

Run ``python tests/seeds.py`` to regenerate the workbooks in sample_inputs/ after a definition change.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.formats import get_format  # noqa: E402
from reportgen.formats.schema import ItemKind  # noqa: E402
from reportgen.model import Paragraph, Report, ReportInfo  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
SAMPLES = {
    "000": "福田区企业发展服务中心-2020.xlsx",
    "003": "福州高新区-2020.xlsx",
    "004": "定海区经信局-2020.xlsx",
}
# An invented city government's report on 2025 in the 2021 format (same shape as a seed, plus section items).
SAMPLE_2021_DATA = ROOT / "tests" / "data" / "sample_2021.json"
SAMPLE_2021 = ROOT / "sample_inputs" / "临澜市人民政府-2025.xlsx"


def load_seed_json(number: str) -> dict:
    return json.loads((SEEDS / f"seed_{number}.json").read_text(encoding="utf-8"))


def seed_report(number: str) -> Report:
    """The seed's inputs as a Report; published totals are left out because reportgen recomputes them."""
    return report_from_data(load_seed_json(number))


def load_sample_2021_json() -> dict:
    return json.loads(SAMPLE_2021_DATA.read_text(encoding="utf-8"))


def sample_2021_report() -> Report:
    return report_from_data(load_sample_2021_json())


def report_from_data(data: dict) -> Report:
    """A report in the seed JSON shape as a Report (amounts with a unit as dicts, decimals as strings)."""
    fmt = get_format(data["format"])
    figures, units = {}, {}
    for field in fmt.input_fields():
        value = published_value(data, field)
        if isinstance(value, dict):
            figures[field.key], units[field.key] = Decimal(value["value"]), value["unit"]
        else:
            figures[field.key] = Decimal(value) if isinstance(value, str) else value
    narrative = data.get("narrative") or {}
    item_texts, item_amounts = _items(fmt, data.get("items") or {})
    return Report(
        info=ReportInfo(
            agency=data["agency"], year=data["year"], format_id=fmt.id,
            report_date=dt.date.fromisoformat(data["report_date"]) if data["report_date"] else dt.date(2021, 1, 20),
            **(data.get("intro") or {}),
        ),
        figures=figures,
        units=units,
        narrative={key: [Paragraph(**p) for p in narrative.get(f"section{key[1]}", [])] for key in ("s1", "s5", "s6")},
        item_texts=item_texts,
        item_amounts=item_amounts,
    )


def _items(fmt, items: dict) -> tuple[dict, dict]:
    texts, amounts = {}, {}
    for section in fmt.narrative_sections():
        for item in section.items:
            key = section.item_key(item)
            if key in items and item.kind is ItemKind.AMOUNT:
                amounts[key] = Decimal(items[key])
            elif key in items:
                texts[key] = items[key]
    return texts, amounts


def published_value(data: dict, field):
    """The number the seed publishes for a cell of the format (derived totals included)."""
    if field.table.key == "t2":
        return data["table2"][field.row.label][field.column.label]
    if field.table.key == "t3":
        path = " / ".join(field.row.path)
        return data["table3"][path][list(field.block.columns).index(field.column)]
    return data["table4"][list(field.block.columns).index(field.column)]


def sample_path(number: str) -> Path:
    return ROOT / "sample_inputs" / SAMPLES[number]


def write_samples() -> None:
    from reportgen.api import create_template

    samples = [(sample_path(number), seed_report(number)) for number in SAMPLES]
    for path, report in [*samples, (SAMPLE_2021, sample_2021_report())]:
        create_template(path, year=report.info.year, agency=report.info.agency, report=report, overwrite=True)
        print(path)


if __name__ == "__main__":
    write_samples()
