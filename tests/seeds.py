"""The five real 2020 reports (tests/data/seeds) as Reports, and the sample workbooks made from them.

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
from reportgen.model import Paragraph, Report, ReportInfo  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
SAMPLES = {
    "000": "福田区企业发展服务中心-2020.xlsx",
    "003": "福州高新区-2020.xlsx",
    "004": "定海区经信局-2020.xlsx",
}


def load_seed_json(number: str) -> dict:
    return json.loads((SEEDS / f"seed_{number}.json").read_text(encoding="utf-8"))


def seed_report(number: str) -> Report:
    """The seed's inputs as a Report; published totals are left out because reportgen recomputes them."""
    data = load_seed_json(number)
    fmt = get_format(data["format"])
    figures, units = {}, {}
    for field in fmt.input_fields():
        value = published_value(data, field)
        if isinstance(value, dict):
            figures[field.key], units[field.key] = Decimal(value["value"]), value["unit"]
        else:
            figures[field.key] = value
    narrative = data.get("narrative") or {}
    return Report(
        info=ReportInfo(
            agency=data["agency"], year=data["year"], format_id=fmt.id,
            report_date=dt.date.fromisoformat(data["report_date"]) if data["report_date"] else dt.date(2021, 1, 20),
            **(data.get("intro") or {}),
        ),
        figures=figures,
        units=units,
        narrative={key: [Paragraph(**p) for p in narrative.get(f"section{key[1]}", [])] for key in ("s1", "s5", "s6")},
    )


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

    for number in SAMPLES:
        report = seed_report(number)
        create_template(sample_path(number), year=report.info.year, agency=report.info.agency,
                        report=report, overwrite=True)
        print(sample_path(number))


if __name__ == "__main__":
    write_samples()
