"""Tell what a file given as a workbook really is, so a wrong file gets a message that names it."""

from __future__ import annotations

from pathlib import Path

from reportgen.exceptions import InputError

COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: .xls, or an .xlsx encrypted with a password
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
MAX_SNIFFED_BYTES = 64 * 1024 * 1024


def check_workbook_file(path: Path) -> None:
    """Raise InputError with a message naming what ``path`` is when it cannot be an .xlsx workbook."""
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
    if head.startswith(COMPOUND_FILE):
        raise InputError(_compound_file_message(path))
    if not head.startswith(b"PK"):
        raise InputError(_foreign_file_message(path, head))


def _compound_file_message(path: Path) -> str:
    with path.open("rb") as stream:
        content = stream.read(MAX_SNIFFED_BYTES)
    if ENCRYPTED_STREAM in content:
        return (f"{path}：工作簿设置了打开密码，无法读取。请在 Excel 中打开，"
                "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除密码并保存后再试")
    return (f"{path}：这是旧版 Excel 97-2003 工作簿（.xls），reportgen 只能读取由 reportgen template "
            "生成的 .xlsx 工作簿；请把内容填入 reportgen 生成的工作簿")


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
