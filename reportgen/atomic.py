"""Atomic file output: a failed write never leaves a half-written file or clobbers the previous one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportgen.exceptions import OutputError


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Call ``write(temp_path)`` for a temporary file beside ``path``, then move it into place."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"输出目录不存在：{path.parent}")
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp's private 0600 would make reports unreadable to others
        os.replace(temp, path)
    except OSError as error:
        raise OutputError(f"无法写入 {path}：{error.strerror or error}") from error
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
