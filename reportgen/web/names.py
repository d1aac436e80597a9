"""Names that come from clients: shown to people and used for downloads, never as paths on the server."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

MAX_NAME = 80
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')  # characters Windows or a shell would trip over


def display_name(client_name: str | None, fallback: str = "上传的文件") -> str:
    """The last part of a client's file name (browsers may send a whole path), cleaned for showing."""
    name = PurePosixPath((client_name or "").replace("\\", "/")).name
    return _cleaned(name)[:MAX_NAME] or fallback


def download_stem(agency: str, year: int | None, fallback: str = "年度报告") -> str:
    """A file name stem such as 某某市某某局-2025 for a download or an archive member."""
    stem = _cleaned(agency)[:MAX_NAME] or _cleaned(fallback)[:MAX_NAME] or "年度报告"
    return f"{stem}-{year}" if year else stem


def _cleaned(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return UNSAFE.sub("_", text).strip(" ._")


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the real (Chinese) name per RFC 5987 / RFC 6266."""
    suffix = PurePosixPath(filename).suffix
    ascii_name = filename.encode("ascii", "ignore").decode()
    fallback = ascii_name if ascii_name == filename else f"report{suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
