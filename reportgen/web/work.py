"""What runs in the worker processes: each function takes paths inside a request's private directory and returns
small picklable results (JSON-ready dicts and file bytes), so the server process only moves data."""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from reportgen import api
from reportgen.batch import folder
from reportgen.batch.folder import BatchResult, Outcome
from reportgen.batch.summary import write_summary
from reportgen.checks.findings import Finding
from reportgen.exceptions import ReportgenError
from reportgen.profile.templates import Profile, load_profile
from reportgen.web.names import download_stem

_profile: Profile | None = None  # loaded once per worker process


def start(profile_dir: str | None) -> None:
    """Worker initializer: load the profile once, for single builds and for the batch code alike."""
    global _profile
    _profile = load_profile(Path(profile_dir) if profile_dir else None)
    folder.start_worker(Path(profile_dir) if profile_dir else None)


def ready() -> bool:
    """A no-op task that makes the pool start its processes before the first real request."""
    return True


def template(workdir: str, *, year: int, agency: str, format_id: str | None) -> bytes:
    """The clerk workbook's bytes."""
    path = Path(workdir) / "template.xlsx"
    api.create_template(path, year=year, agency=agency, format_id=format_id, profile=_profile)
    return path.read_bytes()


@dataclass
class Built:
    """A single upload checked and, when it passed, rendered; ``document`` is the JSON of ``check --json``."""

    document: dict
    docx: bytes | None = None
    pdf: bytes | None = None
    pdf_problem: str = ""  # why no PDF was made though one was asked for
    agency: str = ""
    year: int | None = None


def check(upload: str, name: str) -> Built:
    result = api.check_workbook(Path(upload))
    return _built(result, Path(upload), name)


def audit(upload: str, name: str) -> Built:
    """A published report read back and checked by every rule."""
    return _built(api.audit_document(Path(upload)), Path(upload), name)


def build(workdir: str, upload: str, name: str, *, strict: bool, pdf: bool) -> Built:
    """Check and, when nothing stops it, render the DOCX (and with ``pdf`` convert it with LibreOffice)."""
    output = Path(workdir) / "report.docx"
    result = api.build_report(Path(upload), output, profile=_profile, strict=strict)
    built = _built(result.check, Path(upload), name)
    if result.output is not None:
        built.docx = output.read_bytes()
        if pdf:
            _add_pdf(built, output)
    return built


def _add_pdf(built: Built, docx: Path) -> None:
    from reportgen.document.pdf import convert_to_pdf

    try:
        built.pdf = convert_to_pdf(docx, docx.with_suffix(".pdf"), timeout=120).read_bytes()
    except ReportgenError as error:
        built.pdf_problem = str(error).replace(str(docx), "报告")


def _built(result: api.CheckResult, upload: Path, name: str) -> Built:
    document = result.as_dict()
    document["file"] = name
    document["findings"] = [renamed(item, upload, name).as_dict() for item in result.findings]
    info = result.report.info if result.report else None
    return Built(document, agency=info.agency if info else "", year=info.year if info else None)


def renamed(item: Finding, upload: Path, name: str) -> Finding:
    """The finding as the client should read it: the upload's private path replaced by the name it was sent as."""
    private = str(upload)
    return dataclasses.replace(item, message=item.message.replace(private, f"“{name}”"),
                               actual=item.actual.replace(private, f"“{name}”") if item.actual else item.actual)


@dataclass
class Packed:
    """A batch's summary workbook and a .zip of its reports, with the outcomes as the client should read them."""

    outcomes: list[Outcome]
    summary: bytes
    reports: bytes | None = None
    report_count: int = 0
    names: dict[str, str] = field(default_factory=dict)


def pack(workdir: str, outcomes: list[Outcome], uploads: dict[str, str]) -> Packed:
    """Write the summary workbook and zip the DOCX, each named after its agency (or the upload's name).

    ``uploads`` maps each upload's private path to the name it was sent as.
    """
    outdir = Path(workdir) / "reports"
    outcomes = [_renamed_outcome(outcome, uploads) for outcome in outcomes]
    archive_names = report_names(outcomes)
    shown = [dataclasses.replace(outcome, output=outdir / archive_names[index] if index in archive_names else None)
             for index, outcome in enumerate(outcomes)]
    summary = Path(workdir) / "summary.xlsx"
    write_summary(summary, BatchResult(shown), outdir=outdir)
    packed = Packed(shown, summary.read_bytes(), report_count=len(archive_names))
    if archive_names:
        archive = Path(workdir) / "reports.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for index, name in archive_names.items():
                bundle.write(outcomes[index].output, name)
        packed.reports = archive.read_bytes()
    return packed


def _renamed_outcome(outcome: Outcome, uploads: dict[str, str]) -> Outcome:
    findings = outcome.findings
    for private, name in uploads.items():
        findings = [renamed(item, Path(private), name) for item in findings]
    return dataclasses.replace(outcome, findings=findings)


def report_names(outcomes: list[Outcome]) -> dict[int, str]:
    """Archive names of the built reports by outcome index: the agency and year, made unique."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for index, outcome in enumerate(outcomes):
        if outcome.output is None:
            continue
        stem = download_stem(outcome.info.agency if outcome.info else "", outcome.info.year if outcome.info else None,
                             fallback=PurePath(outcome.relative).stem)
        name, number = f"{stem}.docx", 2
        while name.casefold() in taken:
            name, number = f"{stem}（{number}）.docx", number + 1
        taken.add(name.casefold())
        names[index] = name
    return names
