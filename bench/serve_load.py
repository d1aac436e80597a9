"""Load test of `reportgen serve` on 127.0.0.1: N builds through POST /api/build at a fixed concurrency, compared
with `reportgen build-all --jobs 2` on the same workbooks.

Usage: python bench/serve_load.py [--count 200] [--concurrency 8] [--workers 2] [--workdir DIR]

Bounded: exactly --count requests, each with a 120 s timeout, the whole run stopped after --deadline seconds.
Prints the number of 200 answers, p50/p95 latency, throughput of both, their ratio, and the server's RSS
(server process and its worker processes together) before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import build_all, children, generate  # noqa: E402

from tests.webserver import live_server  # noqa: E402

REQUEST_TIMEOUT = 120


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        pending += children(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds used so far by ``pid`` itself and by its descendants (the worker processes)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(current: int) -> float:
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    descendants, pending = 0.0, list(children(pid))
    while pending:
        current = pending.pop()
        pending += children(current)
        descendants += own(current)
    return own(pid), descendants


def server_pid(port: int) -> int:
    """The process listening on 127.0.0.1:port (found through /proc, no extra tools)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
            inodes.add(fields[9])
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            links = [fd.readlink().name for fd in (process / "fd").iterdir()]
        except OSError:
            continue
        if any(link.startswith("socket:[") and link[8:-1] in inodes for link in links):
            return int(process.name)
    raise SystemExit(f"no process listens on port {port}")


def load(base: str, workbooks: list[Path], concurrency: int, deadline: float) -> tuple[list[float], int, float]:
    """Latencies of the answered requests, the count of 200s, and the wall time of the whole run."""
    contents = [(path.name, path.read_bytes()) for path in workbooks]
    stop_at = time.monotonic() + deadline

    # one client for all threads: its connection pool keeps the 8 connections open, as a real caller would
    client = httpx.Client(timeout=REQUEST_TIMEOUT, limits=httpx.Limits(max_connections=concurrency))

    def build(item: tuple[str, bytes]) -> tuple[float, int]:
        if time.monotonic() > stop_at:
            return 0.0, 0
        start = time.perf_counter()
        answer = client.post(f"{base}/api/build", files={"file": item})
        return time.perf_counter() - start, answer.status_code

    start = time.perf_counter()
    latencies, ok = [], 0
    with client, ThreadPoolExecutor(concurrency) as pool:
        for future in as_completed([pool.submit(build, item) for item in contents]):
            latency, status = future.result()
            if status:
                latencies.append(latency)
            ok += status == 200
    return latencies, ok, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--deadline", type=float, default=600, help="stop sending after this many seconds")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "reportgen-bench")
    args = parser.parse_args()
    workbooks = generate(args.workdir / "workbooks", args.count)
    folder = args.workdir / f"serve-load-{args.count}"
    folder.mkdir(parents=True, exist_ok=True)
    for path in workbooks:  # build-all takes a folder: exactly these workbooks
        target = folder / path.name
        if not target.exists():
            target.hardlink_to(path)

    with tempfile.TemporaryDirectory() as out:
        all_wall, _, _, _ = build_all(folder, Path(out), jobs=2)
    batch_rate = len(workbooks) / all_wall
    print(f"build-all --jobs 2: {len(workbooks)} reports in {all_wall:.1f} s, {batch_rate:.1f} reports/s")

    with live_server(workers=args.workers) as base:
        pid = server_pid(int(base.rsplit(":", 1)[1]))
        before, cpu_before = rss_mb(pid), cpu_seconds(pid)
        latencies, ok, wall = load(base, workbooks, args.concurrency, args.deadline)
        after, cpu_after = rss_mb(pid), cpu_seconds(pid)
    server_cpu, worker_cpu = (end - start for start, end in zip(cpu_before, cpu_after, strict=True))
    rate = ok / wall
    quantiles = statistics.quantiles(latencies, n=20)
    print(f"serve --workers {args.workers}, {len(workbooks)} POST /api/build at concurrency {args.concurrency}: "
          f"{ok}/{len(workbooks)} answered 200 in {wall:.1f} s, {rate:.1f} reports/s")
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {quantiles[18] * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")
    print(f"CPU per request: server process {server_cpu / ok * 1000:.1f} ms, "
          f"workers {worker_cpu / ok * 1000:.1f} ms")
    print(f"server RSS (server and workers): {before:.0f} MB before, {after:.0f} MB after")
    print(f"throughput ratio serve / build-all: {rate / batch_rate:.0%} (target ≥ 80%)")
    if ok != len(workbooks):
        raise SystemExit(f"only {ok} of {len(workbooks)} requests answered 200")


if __name__ == "__main__":
    main()
