"""Benchmark: generate N realistic filled workbooks, then time reportgen beside the naive peer (bench/peer.py).

Usage: python bench/run.py [--count 500] [--workdir DIR] [--tree DIR]

--tree measures another source tree of reportgen (e.g. an export of an older commit) with this bench and
this peer, for before/after figures. Prints, as Markdown lines for bench/RESULTS.md:
- each phase of one report (read, to-report, checks, render, write) in one process, CPU median, beside the
  peer's and as a ratio to it;
- the per-report time of `build-all --jobs 1` (the whole command's wall and CPU time / N), its CPU time against
  0.2× the peer's;
- one `reportgen check WORKBOOK` process against a bare `python -c "import openpyxl, docx, jinja2, pydantic,
  click"`, and `reportgen --version` / `--help` (wall and CPU medians, run alternately);
- throughput of `build-all` with --jobs 1 and 2, peak RSS of each worker (VmHWM from /proc, polled) for
  several N to show it stays flat.
CPU times are the steadier figures when other work shares the machine; wall times show what a clerk waits.
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

BENCH = Path(__file__).resolve().parent
PHASES = ("read", "to-report", "checks", "render", "write")
BARE_IMPORTS = "import openpyxl, docx, jinja2, pydantic, click"
SEEDS = ("000", "001", "002", "003", "004")
T3_COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "other")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "reportgen-bench")
    parser.add_argument("--tree", type=Path, default=BENCH.parent, help="the reportgen source tree to measure")
    return parser.parse_args()


ARGS = parse_arguments() if __name__ == "__main__" else None
TREE = (ARGS.tree if ARGS else BENCH.parent).resolve()
sys.path[:0] = [str(TREE), str(BENCH)]

import peer  # noqa: E402

from reportgen import api  # noqa: E402
from reportgen.atomic import write_atomically  # noqa: E402
from reportgen.checks.rules import run_checks  # noqa: E402
from reportgen.document.render import build_document  # noqa: E402
from reportgen.model import Report  # noqa: E402
from reportgen.profile.templates import load_profile  # noqa: E402
from reportgen.workbook import reader  # noqa: E402
from tests.seeds import seed_report  # noqa: E402

# --- workbooks ---------------------------------------------------------------------------------


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


# --- one report, phase by phase ----------------------------------------------------------------


class Clock:
    """CPU seconds per named phase (steadier than wall time on a shared machine)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {phase: [] for phase in PHASES}
        self.last = 0.0

    def start(self) -> None:
        self.last = time.process_time()

    def lap(self, phase: str) -> None:
        now = time.process_time()
        self.times[phase].append(now - self.last)
        self.last = now

    def median_ms(self, phase: str) -> float:
        return 1000 * statistics.median(self.times[phase])


def reportgen_report(workbook: Path, output: Path, profile, clock: Clock) -> None:
    clock.start()
    original = reader.load_grids

    def timed_load_grids(*args):  # whatever the tree's signature: "read" ends when the sheets are read
        grids = original(*args)
        clock.lap("read")
        return grids

    reader.load_grids = timed_load_grids
    try:
        read = reader.read_workbook(workbook)
    finally:
        reader.load_grids = original
    clock.lap("to-report")
    findings = run_checks(read.report, read.locations)
    clock.lap("checks")
    assert not [item for item in findings if item.severity.value == "error"], workbook
    document = build_document(read.report, profile)
    clock.lap("render")
    write_atomically(output, document.save)
    clock.lap("write")


def peer_report(workbook: Path, output: Path, clock: Clock) -> None:
    clock.start()
    book = peer.read(workbook)
    clock.lap("read")
    report = peer.to_report(book)
    clock.lap("to-report")
    problems = peer.check(report)
    clock.lap("checks")
    assert not problems, (workbook, problems)
    document = peer.render(report)
    clock.lap("render")
    peer.write(document, output)
    clock.lap("write")


def phases(workbooks: list[Path], out: Path) -> tuple[Clock, Clock]:
    profile = load_profile()
    ours, theirs = Clock(), Clock()
    reportgen_report(workbooks[0], out / "warm.docx", profile, Clock())
    peer_report(workbooks[0], out / "warm-peer.docx", Clock())
    for workbook in workbooks:  # alternately, so both meet the same load on the machine
        reportgen_report(workbook, out / f"{workbook.stem}.docx", profile, ours)
        peer_report(workbook, out / f"{workbook.stem}-peer.docx", theirs)
    return ours, theirs


def print_phases(ours: Clock, theirs: Clock, count: int) -> float:
    print(f"\nOne report in one process, CPU median over {count} workbooks (ms):\n")
    print("| phase | reportgen | peer | ratio |\n| --- | --- | --- | --- |")
    for phase in PHASES:
        mine, peers = ours.median_ms(phase), theirs.median_ms(phase)
        print(f"| {phase} | {mine:.1f} | {peers:.1f} | {mine / peers:.2f}× |")
    mine, peers = (sum(clock.median_ms(phase) for phase in PHASES) for clock in (ours, theirs))
    print(f"| **total** | **{mine:.1f}** | **{peers:.1f}** | **{mine / peers:.2f}×** |")
    return peers


# --- processes ---------------------------------------------------------------------------------


def reportgen_command() -> list[str]:
    return [sys.executable, "-m", "reportgen"]


def environment() -> dict[str, str]:
    # with the working directory, the tree measured comes first on the path (before an installed reportgen)
    return {**os.environ, "PYTHONPATH": str(TREE)}


def run_seconds(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, env=environment(), cwd=TREE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - cpu


def start_up(workbook: Path, runs: int = 11) -> None:
    commands = {
        "bare `python -c \"" + BARE_IMPORTS + "\"`": [sys.executable, "-c", BARE_IMPORTS],
        f"`reportgen check {workbook.name}`": [*reportgen_command(), "check", str(workbook)],
        "`reportgen --version`": [*reportgen_command(), "--version"],
        "`reportgen --help`": [*reportgen_command(), "--help"],
    }
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(runs):  # alternately, so that all meet the same load
        for label, command in commands.items():
            times[label].append(run_seconds(command))
    walls = {label: statistics.median(wall for wall, _ in values) for label, values in times.items()}
    cpus = {label: statistics.median(cpu for _, cpu in values) for label, values in times.items()}
    bare_wall, bare_cpu = next(iter(walls.values())), next(iter(cpus.values()))
    print(f"\nProcesses, median of {runs} runs:\n")
    for label in commands:
        print(f"- {label}: wall {walls[label]:.3f} s ({walls[label] / bare_wall:.2f}× the bare imports), "
              f"CPU {cpus[label]:.3f} s ({cpus[label] / bare_cpu:.2f}×)")


def build_all(folder: Path, out: Path, jobs: int) -> tuple[float, float, dict[int, int], int]:
    """Wall and CPU seconds of build-all, peak RSS (kB) per worker pid, and the main process's peak RSS (kB)."""
    start, cpu = time.perf_counter(), children_cpu()
    process = subprocess.Popen([*reportgen_command(), "build-all", str(folder), "-o", str(out), "-j", str(jobs)],
                               env=environment(), cwd=TREE, stdout=subprocess.DEVNULL)
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


def batches(workbooks: list[Path], folder: Path, workdir: Path, peer_ms: float) -> None:
    print()
    for jobs in (1, 2):
        elapsed, cpu, peaks, parent = build_all(folder, workdir / f"all-j{jobs}", jobs)
        worker = max(peaks.values(), default=parent)
        wall_ms, cpu_ms = (1000 * seconds / len(workbooks) for seconds in (elapsed, cpu))
        print(f"- build-all of {len(workbooks)} workbooks, --jobs {jobs}: {elapsed:.1f} s wall, "
              f"{len(workbooks) / elapsed:.1f} reports/s; per report {wall_ms:.1f} ms wall, {cpu_ms:.1f} ms CPU"
              + (f" = {cpu_ms / peer_ms:.2f}× the peer's CPU (target ≤ 0.2×, {0.2 * peer_ms:.1f} ms)"
                 if jobs == 1 else "")
              + f"; peak RSS per worker {worker / 1024:.0f} MB, main process {parent / 1024:.0f} MB")
    for count in sorted({max(1, len(workbooks) // 5), len(workbooks) // 2, len(workbooks)}):
        subset = workdir / f"subset-{count}"
        subset.mkdir(exist_ok=True)
        for workbook in workbooks[:count]:
            if not (subset / workbook.name).exists():
                os.link(workbook, subset / workbook.name)
        _, _, peaks, parent = build_all(subset, workdir / f"mem-{count}", 2)
        rss = ", ".join(f"{value / 1024:.0f}" for value in sorted(peaks.values()))
        print(f"- memory with N = {count} (--jobs 2): peak RSS per worker {rss} MB, main {parent / 1024:.0f} MB")


def main() -> None:
    folder = ARGS.workdir / "workbooks"
    started = time.perf_counter()
    workbooks = generate(folder, ARGS.count)
    print(f"generated {len(workbooks)} workbooks in {folder} ({time.perf_counter() - started:.1f} s)")
    print(f"measuring {TREE}; machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before "
          f"the run, Python {sys.version.split()[0]}")
    out = ARGS.workdir / "out"
    out.mkdir(exist_ok=True)
    sample = workbooks[: min(100, len(workbooks))]
    peer_ms = print_phases(*phases(sample, out), len(sample))
    start_up(workbooks[0])
    batches(workbooks, folder, ARGS.workdir, peer_ms)
    print(f"load average {os.getloadavg()[0]:.2f} after the run (other work on the machine slows the wall times)")


if __name__ == "__main__":
    main()
