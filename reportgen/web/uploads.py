"""Uploads: a request's files are copied into its private directory under generated names and screened, so a bad
file is refused with a Chinese message before any worker opens it."""

from __future__ import annotations

import asyncio
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from reportgen.batch.folder import name_skip_reason
from reportgen.exceptions import InputError
from reportgen.published.sources import SUFFIXES as PUBLISHED_SUFFIXES
from reportgen.web.names import display_name
from reportgen.workbook.sniff import check_workbook_file

MB = 1024 * 1024
WORKBOOK_PART = "xl/workbook.xml"  # every .xlsx holds it; a plain .zip of workbooks does not


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 20 * MB  # a whole request body
    files: int = 200  # workbooks in one batch, counting those inside a .zip
    unzipped_bytes: int = 200 * MB  # what one .xlsx or .zip may expand to
    seconds: float = 300  # one request's work in the worker processes
    upload_seconds: float = 120  # receiving one request's body: a trickling client must not hold a connection


class BadRequest(Exception):
    """Raised when a request's files cannot be processed; ``str(error)`` is the Chinese message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Upload:
    name: str  # as the client sent it, for showing only
    path: Path  # a generated name inside the request's private directory


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


async def read_form(request: Request, limits: Limits) -> FormData:
    """The request's form; a body over the limit or too many files is a BadRequest, not Starlette's English 400."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.upload_bytes:
        raise too_large(limits)
    try:
        async with asyncio.timeout(limits.upload_seconds):
            return await request.form(max_files=limits.files, max_fields=50)
    except TimeoutError:
        raise BadRequest(408, f"上传超时：{limits.upload_seconds:g} 秒内没有收完文件，请检查网络后重试") from None
    except HTTPException as error:
        if "files" in str(error.detail):
            raise too_many(limits) from error
        raise BadRequest(400, "上传的内容格式有误，请通过网页或 multipart/form-data 上传文件") from error


def too_large(limits: Limits) -> BadRequest:
    return BadRequest(413, f"上传的文件太大：一次最多上传 {limits.upload_bytes // MB} MB")


def too_many(limits: Limits) -> BadRequest:
    return BadRequest(413, f"文件太多：一次最多校验 {limits.files} 个工作簿")


def files_of(form: FormData, field: str = "file") -> list[UploadFile]:
    files = [item for item in form.getlist(field) if isinstance(item, UploadFile) and (item.filename or item.size)]
    if not files:
        raise BadRequest(400, "没有收到文件：请选择要上传的工作簿")
    return files


async def save_workbook(upload: UploadFile, workdir: Path, limits: Limits) -> Upload:
    """One uploaded workbook, screened: empty, encrypted, not a workbook, or a zip bomb is a BadRequest."""
    saved = await _save(upload, workdir / "upload.xlsx")
    screen_workbook(saved, limits)
    return saved


async def save_batch(uploads: list[UploadFile], workdir: Path, limits: Limits) -> tuple[list[Upload], list[Skipped]]:
    """Several workbooks, or .zip archives of them; other files are listed as skipped, not refused.

    Only a zip bomb refuses the whole batch: any other unreadable workbook is reported in its own row.
    """
    workbooks: list[Upload] = []
    skipped: list[Skipped] = []
    for number, upload in enumerate(uploads, start=1):
        saved = await _save(upload, workdir / f"upload-{number:03d}.xlsx")  # openpyxl insists on the suffix
        if _is_archive(saved):
            found, passed = expand_archive(saved, workdir / f"archive-{number:03d}", limits)
            workbooks += found
            skipped += passed
        elif reason := name_skip_reason(PurePosixPath(saved.name)):
            skipped.append(Skipped(saved.name, reason))
        else:
            workbooks.append(saved)
        if len(workbooks) > limits.files:
            raise too_many(limits)
    if not workbooks:
        raise BadRequest(400, "没有收到 Excel 工作簿（.xlsx）：请选择工作簿，或包含工作簿的 .zip 文件")
    for saved in workbooks:
        if zipfile.is_zipfile(saved.path):
            _refuse_bomb(saved, limits)
    return workbooks, skipped


async def _save(upload: UploadFile, path: Path) -> Upload:
    await upload.seek(0)
    with path.open("wb") as target:
        shutil.copyfileobj(upload.file, target)
    return Upload(display_name(upload.filename), path)


async def save_document(upload: UploadFile, workdir: Path, limits: Limits) -> Upload:
    """One published report (web page, PDF, DOCX or text), saved under a generated name with its kind's suffix."""
    name = display_name(upload.filename)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in PUBLISHED_SUFFIXES:
        raise BadRequest(415, f"“{name}”：只能审核网页（.html、.htm）、PDF、DOCX 或文本（.txt）格式的已发布年报")
    saved = await _save(upload, workdir / f"report{suffix}")
    if saved.path.stat().st_size == 0:
        raise BadRequest(400, f"“{name}”：文件是空的（0 字节）")
    if zipfile.is_zipfile(saved.path):  # a .docx
        _refuse_bomb(saved, limits)
    return saved


def screen_workbook(saved: Upload, limits: Limits) -> None:
    try:
        check_workbook_file(saved.path)
    except InputError as error:
        status = 400 if saved.path.stat().st_size == 0 else 422
        raise BadRequest(status, str(error).replace(str(saved.path), f"“{saved.name}”")) from error
    _refuse_bomb(saved, limits)


def _refuse_bomb(saved: Upload, limits: Limits) -> None:
    """A zip whose members would expand past the limit (a "zip bomb") is refused before anything unpacks it."""
    try:
        with zipfile.ZipFile(saved.path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip at all: the reader says so in its own words
    if sum(member.file_size for member in members) > limits.unzipped_bytes or len(members) > 10_000:
        raise BadRequest(413, f"“{saved.name}”：解压后超过 {limits.unzipped_bytes // MB} MB，"
                             "不像是填报工作簿（可能是“压缩炸弹”），已拒绝")


def _is_archive(saved: Upload) -> bool:
    """A .zip of workbooks (not an .xlsx, which is a zip too)."""
    if not zipfile.is_zipfile(saved.path):
        return False
    try:
        with zipfile.ZipFile(saved.path) as archive:
            return WORKBOOK_PART not in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def expand_archive(saved: Upload, target: Path, limits: Limits) -> tuple[list[Upload], list[Skipped]]:
    """The workbooks inside a .zip, each under a generated name; member names are only ever shown."""
    _refuse_bomb(saved, limits)
    target.mkdir()
    workbooks, skipped = [], []
    with zipfile.ZipFile(saved.path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            name = _member_name(member)
            if reason := name_skip_reason(PurePosixPath(name)):
                skipped.append(Skipped(name, reason))
                continue
            if len(workbooks) >= limits.files:
                raise too_many(limits)
            path = target / f"{len(workbooks) + 1:03d}.xlsx"
            try:
                with archive.open(member) as source, path.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
            # zipfile raises RuntimeError for a password and NotImplementedError for a compression it lacks
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as error:
                raise BadRequest(422, f"“{saved.name}”中的“{name}”无法解压（文件已损坏或设置了密码）") from error
            workbooks.append(Upload(name, path))
    return workbooks, skipped


def _member_name(member: zipfile.ZipInfo) -> str:
    """A member's path for showing; zips made on Chinese Windows store names in GBK without saying so."""
    name = member.filename
    if not member.flag_bits & 0x800:  # not flagged UTF-8: zipfile decoded it as cp437
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    parts = [display_name(part, "") for part in name.replace("\\", "/").split("/")]
    return "/".join(part for part in parts if part and part != "..") or "未命名"
