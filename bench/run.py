"""Benchmark: generate N realistic filled workbooks, then time one build, in-process builds and build-all.

Usage: python bench/run.py [--count 500] [--workdir DIR]

Prints, as Markdown lines for bench/RESULTS.md:
- wall time of one `reportgen build` including interpreter start (subprocess, median of 7);
- per-report time of read + check + render (DOCX written) inside one process;
- throughput of `reportgen build-all` with --jobs 1 and --jobs 2 (wall time of the whole command);
- peak RSS of each build-all worker (VmHWM from /proc, polled), for several N to show it stays flat.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen import api  # noqa: E402
from reportgen.model import Report  # noqa: E402
from reportgen.profile.templates import load_profile  # noqa: E402
from tests.seeds import seed_report  # noqa: E402

SEEDS = ("000", "001", "002", "003", "004")
T3_COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other")


def varied_report(index: int) -> Report:
    """A seed's report with every figure varied; table 三 re-balanced so the workbook passes every check."""
    rng = random.Random(index)
    report = seed_report(SEEDS[index % len(SEEDS)])
    fmt = report.format
    figures = dict(report.figures)
    for field in fmt.input_fields():
        value = figures.get(field.key, 0)
        if field.table.key != "t3" and not field.column.units:
            figures[field.key] = max(0, round(value * rng.uniform(0.5, 2))) if value >= 0 else value
    outcomes = [row.key for row in fmt.table("t3").blocks[0].rows if row.key not in
                ("new", "carried_over", "handled_total", "carried_forward")]
    for column in T3_COLUMNS:
        for row in (*outcomes, "carried_over"):
            figures[f"t3.{row}.{column}"] = rng.randint(0, 3) if rng.random() < 0.3 else 0
        handled = sum(figures[f"t3.{row}.{column}"] for row in outcomes)
        forward = rng.randint(0, 2)
        figures[f"t3.new.{column}"] = max(0, handled + forward - figures[f"t3.carried_over.{column}"])
        figures[f"t3.carried_forward.{column}"] = (
            figures[f"t3.new.{column}"] + figures[f"t3.carried_over.{column}"] - handled)
    info = report.info.model_copy(update={"agency": f"{report.info.agency}（样本{index:04d}）"})
    return report.model_copy(update={"figures": figures, "info": info})


def write_workbook(job: tuple[int, Path]) -> None:
    index, folder = job
    report = varied_report(index)
    api.create_template(folder / f"{index:04d}.xlsx", year=report.info.year, agency=report.info.agency,
                        report=report)


def generate(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    missing = [(index, folder) for index in range(count) if not (folder / f"{index:04d}.xlsx").exists()]
    with ProcessPoolExecutor() as pool:
        list(pool.map(write_workbook, missing, chunksize=16))
    return sorted(folder.glob("*.xlsx"))[:count]


def reportgen_command() -> list[str]:
    script = Path(sys.executable).with_name("reportgen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reportgen"]


def one_build_wall(workbook: Path, out: Path, runs: int = 7) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*reportgen_command(), "build", str(workbook), "-o", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def in_process(workbooks: list[Path], out: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds per report for check + render + write, after one warm-up build."""
    profile = load_profile()
    api.build_report(workbooks[0], out / "warm.docx", profile=profile)
    walls, cpus = [], []
    for workbook in workbooks:
        start, cpu = time.perf_counter(), time.process_time()
        result = api.build_report(workbook, out / f"{workbook.stem}.docx", profile=profile)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        assert result.output is not None, workbook
    return walls, cpus


def build_all(folder: Path, out: Path, jobs: int) -> tuple[float, float, dict[int, int], int]:
    """Wall and CPU seconds of build-all, peak RSS (kB) per worker pid, and the main process's peak RSS (kB)."""
    start, cpu = time.perf_counter(), children_cpu()
    process = subprocess.Popen([*reportgen_command(), "build-all", str(folder), "-o", str(out), "-j", str(jobs)],
                               stdout=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    parent = 0
    while process.poll() is None:
        parent = max(parent, peak_rss(process.pid))
        for pid in children(process.pid):
            peaks[pid] = max(peaks.get(pid, 0), peak_rss(pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"build-all exited {process.returncode}")
    return elapsed, children_cpu() - cpu, peaks, parent


def children_cpu() -> float:
    """CPU seconds of finished child processes, their own finished children (the workers) included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def peak_rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "reportgen-bench")
    args = parser.parse_args()
    folder = args.workdir / "workbooks"
    started = time.perf_counter()
    workbooks = generate(folder, args.count)
    print(f"generated {len(workbooks)} workbooks in {folder} ({time.perf_counter() - started:.1f} s)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the run, "
          f"Python {sys.version.split()[0]}")
    report(workbooks, folder, args.workdir)
    print(f"load average {os.getloadavg()[0]:.2f} after the run (other work on the machine slows the wall times)")


def report(workbooks: list[Path], folder: Path, workdir: Path) -> None:
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    walls = one_build_wall(workbooks[0], out / "one.docx")
    print(f"- one `reportgen build` (interpreter start included): median {statistics.median(walls):.3f} s, "
          f"min {min(walls):.3f} s over {len(walls)} runs (target < 0.8 s)")
    walls, cpus = in_process(workbooks[:100], out)
    print(f"- read + check + render + write in one process, per report over {len(walls)}: "
          f"wall median {1000 * statistics.median(walls):.1f} ms (mean {1000 * statistics.mean(walls):.1f}), "
          f"CPU median {1000 * statistics.median(cpus):.1f} ms (target < 40 ms)")
    for jobs in (1, 2):
        elapsed, cpu, peaks, parent = build_all(folder, workdir / f"all-j{jobs}", jobs)
        worker = max(peaks.values(), default=parent)
        print(f"- build-all of {len(workbooks)} workbooks, --jobs {jobs}: {elapsed:.1f} s wall, "
              f"{len(workbooks) / elapsed:.1f} reports/s, CPU {1000 * cpu / len(workbooks):.1f} ms per report; "
              f"peak RSS per worker {worker / 1024:.0f} MB, main process {parent / 1024:.0f} MB "
              f"(targets: > 40 reports/s with 2 jobs, < 150 MB)")
    for count in sorted({max(1, len(workbooks) // 5), len(workbooks) // 2, len(workbooks)}):
        subset = workdir / f"subset-{count}"
        subset.mkdir(exist_ok=True)
        for workbook in workbooks[:count]:
            if not (subset / workbook.name).exists():
                os.link(workbook, subset / workbook.name)
        _, _, peaks, parent = build_all(subset, workdir / f"mem-{count}", 2)
        rss = ", ".join(f"{value / 1024:.0f}" for value in sorted(peaks.values()))
        print(f"- memory with N = {count} (--jobs 2): peak RSS per worker {rss} MB, main {parent / 1024:.0f} MB")


if __name__ == "__main__":
    main()
