"""Benchmark: reading a workbook's sheets, openpyxl (what reportgen used) against the direct lxml reader.

Usage: python bench/read.py [--repeat 200]

Prints ms per workbook (median of the per-round means, rounds interleaved so both see the same machine
load) for every sample in sample_inputs/, and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.workbook.grid import load_grids  # noqa: E402
from reportgen.workbook.sniff import FileKind  # noqa: E402
from tests.test_xlsx_reader import openpyxl_grids as read_with_openpyxl  # noqa: E402

ROUNDS = 5


def read_directly(path: Path) -> dict:
    return load_grids(path, FileKind.XLSX)


def ms_per_call(read, path: Path, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        read(path)
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="reads per round and reader")
    args = parser.parse_args()
    samples = sorted((ROOT / "sample_inputs").glob("*.xlsx"))
    print("| 工作簿 | openpyxl (ms) | 直接读取 lxml (ms) | 比值 |")
    print("|---|---:|---:|---:|")
    totals = {read_with_openpyxl: [], read_directly: []}
    for path in samples:
        rounds = {read: [] for read in totals}
        for _ in range(ROUNDS):
            for read in rounds:
                rounds[read].append(ms_per_call(read, path, args.repeat // ROUNDS))
        old, new = (statistics.median(times) for times in rounds.values())
        totals[read_with_openpyxl].append(old)
        totals[read_directly].append(new)
        print(f"| {path.stem} | {old:.2f} | {new:.2f} | {new / old:.2f}× |")
    old, new = (statistics.mean(times) for times in totals.values())
    print(f"| 平均 | {old:.2f} | {new:.2f} | {new / old:.2f}× |")


if __name__ == "__main__":
    main()
