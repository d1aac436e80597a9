"""How big a workbook may be: a clerk workbook is tens of KB, so anything near these bounds is refused
before it is inflated (decompression bombs) or as soon as a sheet runs past them (amplification)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from reportgen.exceptions import InputError

MAX_FILE_BYTES = 20 * 1024 * 1024  # the file on disk
MAX_PART_BYTES = 16 * 1024 * 1024  # one part of the zip, inflated, as declared and as counted
MAX_TOTAL_BYTES = 48 * 1024 * 1024  # all parts, inflated, as declared
MAX_RATIO = 200  # inflated / compressed, for parts large enough for it to matter
RATIO_FROM_BYTES = 256 * 1024
MAX_PARTS = 1000
MAX_ROWS = 10_000  # a filled clerk workbook uses a few hundred rows at most
MAX_COLUMNS = 64  # and a dozen columns
MAX_EXPANDED_BYTES = 32 * 1024 * 1024  # cells of an .ods/.xls once repeats and shared strings are expanded


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}：文件过大（{_megabytes(size)}，上限 {_megabytes(MAX_FILE_BYTES)}），"
                         "不像填报工作簿，已拒绝读取")


def check_archive(archive: zipfile.ZipFile, path: Path) -> None:
    """Refuse, from the sizes the zip declares, what would inflate too far; nothing is inflated here."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise InputError(f"{path}：工作簿内含 {len(parts)} 个部件（上限 {MAX_PARTS}），不像填报工作簿，已拒绝读取")
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            raise _bomb(path, f"其中“{part.filename}”解压后为 {_megabytes(part.file_size)}，"
                              f"超过上限 {_megabytes(MAX_PART_BYTES)}")
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _bomb(path, f"其中“{part.filename}”压缩比为 {part.file_size // max(part.compress_size, 1)} 倍，"
                              f"超过上限 {MAX_RATIO} 倍")
    total = sum(part.file_size for part in parts)
    if total > MAX_TOTAL_BYTES:
        raise _bomb(path, f"解压后共 {_megabytes(total)}，超过上限 {_megabytes(MAX_TOTAL_BYTES)}")


class BoundedStream:
    """A part's inflated bytes, counted as they are read: refused past the limit whatever the zip declared."""

    def __init__(self, stream, path: Path, name: str) -> None:
        self.stream, self.path, self.name, self.count = stream, path, name, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if 0 <= size <= 1 << 20 else 1 << 20)
        self.count += len(data)
        if self.count > MAX_PART_BYTES:
            raise _bomb(self.path, f"其中“{self.name}”解压后超过 {_megabytes(MAX_PART_BYTES)}（与声明的大小不符）")
        return data

    def __enter__(self) -> BoundedStream:
        return self

    def __exit__(self, *exc) -> None:
        self.stream.close()


def too_large(path: Path, sheet: str, where: str) -> InputError:
    return InputError(f"{path}：工作表“{sheet}”{where}超出填报工作簿的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列），"
                      "可能是恶意构造或已损坏的文件，已拒绝读取；如确有内容，请删除该处内容后重新保存")


def too_much_content(path: Path, sheet: str) -> InputError:
    return InputError(f"{path}：工作表“{sheet}”的内容展开后超过 {_megabytes(MAX_EXPANDED_BYTES)}（重复的单元格或文字过多），"
                      "可能是恶意构造的文件，已拒绝读取")


def _bomb(path: Path, detail: str) -> InputError:
    return InputError(f"{path}：工作簿解压后过大（{detail}），可能是恶意构造的“压缩炸弹”，已拒绝读取")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
