"""Helpers for the web tests: a real `reportgen serve` on 127.0.0.1 at a free port, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docxgrid import table_grid

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}

# CI installs chromium, so there a missing browser must fail the run, not skip it.
needs_chromium = pytest.mark.skipif(
    os.environ.get("CI") != "true" and not shutil.which("chromium"),
    reason="Debian's chromium is not installed",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def live_server(*options: str, workers: int = 2, ready_seconds: float = 60) -> Iterator[str]:
    """`reportgen serve` in its own process on 127.0.0.1; yields its base URL and stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "reportgen", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), *options]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, ready_seconds)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"reportgen serve exited: {process.stdout.read().decode(errors='replace')}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        time.sleep(0.2)
    raise RuntimeError(f"reportgen serve did not answer within {seconds} s")


def table_row(table, label: str) -> list[str]:
    """The cells of the row of a report table whose first cell starts with ``label``."""
    return next(row for row in table_grid(table) if row[0].startswith(label))


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
