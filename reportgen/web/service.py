"""The four things the page and the API both do, from a request's fields to results, each request in its own
private temporary directory that is removed when the request ends, also after an error."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import FormData

from reportgen.batch.folder import Job, Outcome, Status, process
from reportgen.formats import FIRST_YEAR, FORMATS, LAST_YEAR
from reportgen.web import work
from reportgen.web.names import download_stem
from reportgen.web.uploads import BadRequest, Limits, files_of, save_batch, save_document, save_workbook
from reportgen.web.workers import Workers

MAX_AGENCY = 100


@dataclass(frozen=True)
class Settings:
    profile_dir: Path | None = None
    workers: int = 2
    limits: Limits = Limits()
    token: str | None = None


@contextmanager
def private_dir() -> Iterator[Path]:
    """A directory only this process can read (mkdtemp makes it 0700), removed when the request ends."""
    with tempfile.TemporaryDirectory(prefix="reportgen-web-", ignore_cleanup_errors=True) as workdir:
        yield Path(workdir)


@dataclass(frozen=True)
class TemplateRequest:
    year: int
    agency: str
    format_id: str | None

    @classmethod
    def parse(cls, year: str | None, agency: str | None, format_id: str | None) -> TemplateRequest:
        """Validated fields; a bad one is a BadRequest naming it."""
        year = (year or "").strip()
        if not year.isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
            raise BadRequest(400, f"报告年度应为 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份，如 2025")
        agency = " ".join((agency or "").split())
        if len(agency) > MAX_AGENCY:
            raise BadRequest(400, f"机关名称太长（最多 {MAX_AGENCY} 个字）")
        format_id = (format_id or "").strip() or None
        if format_id is not None and format_id not in FORMATS:
            raise BadRequest(400, f"报告格式应为 {' 或 '.join(sorted(FORMATS))}，或留空按年度自动选择")
        return cls(int(year), agency, format_id)


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = settings.limits
        self.workers = Workers(settings.workers, settings.profile_dir, settings.limits.seconds)

    async def template(self, wanted: TemplateRequest) -> tuple[bytes, str]:
        """The workbook's bytes and its download name."""
        with private_dir() as workdir:
            content = await self.workers.run(work.template, str(workdir), year=wanted.year, agency=wanted.agency,
                                                format_id=wanted.format_id)
        return content, f"{download_stem(wanted.agency, wanted.year, fallback='填报工作簿')}.xlsx"

    async def check(self, form: FormData) -> work.Built:
        with private_dir() as workdir:
            upload = await save_workbook(_single(form), workdir, self.limits)
            return _readable(await self.workers.run(work.check, str(upload.path), upload.name))

    async def build(self, form: FormData, *, strict: bool, pdf: bool = False) -> work.Built:
        with private_dir() as workdir:
            upload = await save_workbook(_single(form), workdir, self.limits)
            built = await self.workers.run(work.build, str(workdir), str(upload.path), upload.name,
                                           strict=strict, pdf=pdf)
            return _readable(built)

    async def audit(self, form: FormData) -> work.Built:
        with private_dir() as workdir:
            upload = await save_document(_single(form), workdir, self.limits)
            return _readable(await self.workers.run(work.audit, str(upload.path), upload.name))

    async def check_all(self, form: FormData) -> work.Packed:
        """Every workbook checked and built in parallel across the workers, then packed in one of them."""
        with private_dir() as workdir:
            workbooks, skipped = await save_batch(files_of(form), workdir, self.limits)
            reports = workdir / "reports"
            reports.mkdir()
            jobs = [Job(saved.path, Path(saved.name), reports / f"{number:03d}.docx")
                    for number, saved in enumerate(workbooks, start=1)]
            outcomes = list(await asyncio.gather(*(self.workers.run(process, job) for job in jobs)))
            outcomes += [Outcome(Path(item.name), Status.SKIPPED, note=item.reason) for item in skipped]
            uploads = {str(saved.path): saved.name for saved in workbooks}
            return await self.workers.run(work.pack, str(workdir), outcomes, uploads)


def _single(form: FormData):
    files = files_of(form)
    if len(files) > 1:
        raise BadRequest(400, "一次只能上传一个文件；多个工作簿请使用批量校验")
    return files[0]


def _readable(built: work.Built) -> work.Built:
    """A file the library cannot read at all is the client's mistake: a 422 with the library's own message."""
    if not built.document["readable"]:
        raise BadRequest(422, built.document["findings"][0]["message"])
    return built
