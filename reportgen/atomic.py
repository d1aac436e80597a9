"""Safe file output: a failed or killed write never leaves a half-written file, clobbers the previous one or
leaves temp files behind; a user's file that is not an earlier output of the same kind is never replaced silently.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen.exceptions import OutputError

# Short on purpose: a temp name built from the output's name (".NAME.RANDOM.docx.tmp") passes the 255-byte limit
# of a file name when NAME is 80 Chinese characters. The pid tells a stale temp (its writer is gone) from a live one.
TEMP_PREFIX = ".reportgen-"
_TEMP_NAME = re.compile(r"\.reportgen-(\d+)-[A-Za-z0-9_]+(\.[A-Za-z0-9]+)?\.tmp")
STALE_AFTER_SECONDS = 24 * 3600  # a temp this old is stale even if its pid was reused by another process
MARKER_PREFIX = "reportgen:"  # docProps identifier of the files we write, e.g. reportgen:report
MAX_PART_BYTES = 1024 * 1024

_live_temps: set[str] = set()
_cleanup_installed = False


@dataclass(frozen=True)
class OutputKind:
    """What a command writes: its suffix, and how to recognise an earlier output of the same kind."""

    what: str  # as the clerk reads it, e.g. "DOCX 报告"
    suffix: str
    recognise: Callable[[Path], bool] | None = None  # None: an existing file is only replaced with --force


def check_output(path: Path, kind: OutputKind, *, force: bool = False, inputs: Iterable[Path] = ()) -> None:
    """Raise OutputError unless writing ``kind`` to ``path`` is safe.

    The suffix must match; an input of the same run is never replaced; any other existing file only when it is
    an earlier output of the same kind, or with ``force``.
    """
    path = Path(path)
    if path.suffix.lower() != kind.suffix:
        raise OutputError(f"输出文件 {path} 的扩展名应为 {kind.suffix}（将写入{kind.what}）；"
                          f"为免覆盖其他文件，请换一个以 {kind.suffix} 结尾的文件名")
    if not os.path.lexists(path):
        return
    if any(_same_file(path, Path(source)) for source in inputs if source is not None):
        raise OutputError(f"输出文件 {path} 是本次读取的输入文件，不能覆盖输入文件")
    if not path.is_file():
        raise OutputError(f"输出文件 {path} 已存在，且不是普通文件（如文件夹、管道），无法覆盖")
    if force or (kind.recognise is not None and kind.recognise(path)):
        return
    mine = "" if kind.recognise is None else f"且不是 reportgen 生成的{kind.what}"
    raise OutputError(f"{path} 已存在{mine}；为免覆盖其中的内容，请换一个文件名（或使用 --force 覆盖）")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def marker(kind: str) -> str:
    """The identifier written into the document properties of a file of ``kind`` (report, summary)."""
    return MARKER_PREFIX + kind


def has_marker(path: Path, kind: str) -> bool:
    """Whether the Office file at ``path`` carries our ``marker(kind)`` in docProps/core.xml."""
    return f">{marker(kind)}<" in zip_member_text(path, "docProps/core.xml")


def zip_member_text(path: Path, member: str) -> str:
    """The text of a small part of the zip (Office) file at ``path``; empty when it is not there or too big."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(member)
            return archive.read(info).decode("utf-8", "replace") if info.file_size <= MAX_PART_BYTES else ""
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError):
        return ""


def write_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Call ``write(temp_path)`` for a temporary file beside ``path``, then move it into place."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"输出目录不存在：{path.parent}")
    remove_stale_temps(path.parent)
    _install_cleanup_on_terminate()
    temp = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=path.suffix + ".tmp",
                                        dir=path.parent)
        _live_temps.add(temp)
        os.close(handle)
        write(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp's private 0600 would make reports unreadable to others
        os.replace(temp, path)
    except OSError as error:
        raise OutputError(_write_failure(path, error)) from error
    finally:
        if temp is not None:
            _live_temps.discard(temp)
            if os.path.exists(temp):
                os.remove(temp)


def _write_failure(path: Path, error: OSError) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return f"无法写入 {path}：文件名过长（超过文件系统允许的 255 字节，约 80 个汉字），请换一个短一些的文件名"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"无法写入 {path}：没有写入该文件夹的权限（或文件夹只读），请换一个输出位置"
    if error.errno == errno.ENOSPC:
        return f"无法写入 {path}：磁盘空间不足"
    return f"无法写入 {path}：{error.strerror or error}"


def remove_stale_temps(folder: Path) -> None:
    """Delete temp files of our naming in ``folder`` whose writer is gone (killed with kill -9, power cut)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match and _is_stale(folder / name, int(match.group(1))):
            try:
                os.remove(folder / name)
            except OSError:
                pass  # another run removed it first, or we may not: the write itself will tell


def _is_stale(temp: Path, pid: int) -> bool:
    try:
        if time.time() - temp.lstat().st_mtime > STALE_AFTER_SECONDS:
            return True
    except OSError:
        return False
    if pid == os.getpid():
        return str(temp) not in _live_temps
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, owned by another user
    return False


def _install_cleanup_on_terminate() -> None:
    """On SIGTERM remove our temp files, then die of SIGTERM as before (only where the default handler was)."""
    global _cleanup_installed
    if _cleanup_installed or threading.current_thread() is not threading.main_thread():
        return
    _cleanup_installed = True
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame) -> None:
    for temp in list(_live_temps):
        try:
            os.remove(temp)
        except OSError:
            pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
