"""Save workbooks through LibreOffice, the way a clerk on LibreOffice Calc hands them back."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path

from reportgen.document.pdf import find_soffice


def save_as(sources: list[Path], extension: str, outdir: Path, timeout: float = 240) -> list[Path]:
    """Each of ``sources`` converted by one headless soffice run into ``outdir`` as ``extension`` (xlsx, ods,
    xls); the results in the order of ``sources``."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [find_soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--convert-to", extension, "--outdir", str(outdir), *map(str, sources)]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # soffice, oosplash and soffice.bin are one group
            process.communicate()
            raise
    saved = [outdir / f"{source.stem}.{extension}" for source in sources]
    missing = [path.name for path in saved if not path.exists()]
    assert not missing, f"LibreOffice did not write {missing}: {errors.decode(errors='replace')}"
    return saved
