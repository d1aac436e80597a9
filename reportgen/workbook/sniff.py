"""Tell what a file given as a workbook really is, so a wrong file gets a message that names it."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from reportgen.exceptions import InputError
from reportgen.workbook.limits import check_file_size

COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: .xls, or an .xlsx encrypted with a password
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"  # stored first, uncompressed


class FileKind(Enum):
    """A workbook file format reportgen reads, by how it names it to the user."""

    XLSX = "Excel 工作簿（.xlsx）"
    ODS = "OpenDocument 电子表格（.ods）"
    XLS = "旧版 Excel 97-2003 工作簿（.xls）"

    @property
    def values_only(self) -> bool:
        """Whether only the values cells show can be read (no formulas): .ods and .xls, read by calamine."""
        return self is not FileKind.XLSX


def check_workbook_file(path: Path) -> FileKind:
    """The kind of workbook ``path`` is; InputError with a message naming what it is when it is none."""
    if not path.exists():
        raise InputError(f"{path}：文件不存在，请检查文件名和所在文件夹")
    if path.is_dir():
        raise InputError(f"{path}：这是一个文件夹，不是工作簿")
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError as error:
        raise InputError(f"{path}：无法打开文件（{error.strerror or type(error).__name__}）") from error
    if not head:
        raise InputError(f"{path}：文件是空的（0 字节），请重新保存或重新生成工作簿")
    check_file_size(path)
    if head.startswith(COMPOUND_FILE):
        _refuse_encrypted(path)
        return FileKind.XLS
    if not head.startswith(b"PK"):
        raise InputError(_foreign_file_message(path, head))
    return FileKind.ODS if ODS_MIMETYPE in head[:128] else FileKind.XLSX


def _refuse_encrypted(path: Path) -> None:
    """An .xlsx with an opening password is stored in the same container as an .xls."""
    if ENCRYPTED_STREAM in path.read_bytes():
        raise InputError(f"{path}：工作簿设置了打开密码，无法读取。请在 Excel 中打开，"
                         "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码并保存后再试")


def _foreign_file_message(path: Path, head: bytes) -> str:
    if _looks_like_text(head):
        return (f"{path}：这是一个文本文件（如 CSV），只是扩展名为 {path.suffix or '（无）'}，不是 Excel 工作簿；"
                "请使用 reportgen template 生成的 .xlsx 工作簿填报")
    return f"{path}：不是 Excel 工作簿（.xlsx），文件内容无法识别；请使用 reportgen template 生成的工作簿填报"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
            continue
        return True
    return False
