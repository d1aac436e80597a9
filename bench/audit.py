"""Milliseconds per published report read and checked (reportgen audit in process), by input kind.

    python bench/audit.py [--repeat N]

Compare with the in-process build time in bench/RESULTS.md (read + check + render ≈ 33 ms).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.api import audit_document, build_report  # noqa: E402

DATA = ROOT / "tests" / "data" / "published"
SAMPLE = ROOT / "sample_inputs" / "福州高新区-2020.xlsx"


def inputs(folder: Path) -> dict[str, list[Path]]:
    docx = folder / "福州高新区-2020.docx"
    build_report(SAMPLE, docx)
    return {
        "txt": sorted(DATA.glob("*/page.txt")) + sorted(DATA.glob("*.txt")),
        "html": sorted(DATA.glob("*/page.html")),
        "pdf": sorted(DATA.glob("*/report.pdf")),
        "docx": [docx],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        for kind, paths in inputs(Path(folder)).items():
            audit_document(paths[0])  # warm up imports and caches
            start = time.perf_counter()
            for _ in range(repeat):
                for path in paths:
                    audit_document(path)
            per_report = (time.perf_counter() - start) * 1000 / (repeat * len(paths))
            print(f"{kind:5} {len(paths):2} 份  每份 {per_report:7.1f} 毫秒")


if __name__ == "__main__":
    main()
