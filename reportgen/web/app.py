"""The Starlette application: the pages, the JSON API, and how errors become Chinese messages."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hmac
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from reportgen import __version__
from reportgen.batch.folder import BatchResult, Outcome, Status
from reportgen.batch.summary import COLUMNS
from reportgen.checks.findings import Severity
from reportgen.formats import FORMATS
from reportgen.web.guard import TOKEN_COOKIE, BodyLimit, SecurityHeaders, TokenGuard, cookie_value
from reportgen.web.names import content_disposition, download_stem
from reportgen.web.service import Service, Settings, TemplateRequest
from reportgen.web.uploads import BadRequest, read_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
ZIP = "application/zip"
SUMMARY_NAME = "汇总检查结果.xlsx"
REPORTS_NAME = "批量生成的报告.zip"
TRUE_VALUES = ("1", "true", "on", "yes")
SEVERITY_LABELS = {severity.value: severity.label for severity in Severity}
SEVERITY_ORDER = [severity.value for severity in Severity]  # errors first on the page, as in the summary
# the page's batch table: these columns of the summary workbook, taken from its own definition
PAGE_COLUMNS = ("文件", "机关名称", "年度", "状态", "错误", "警告", "主要问题")
ERROR_PAGES = {"/": "template.html", "/template": "template.html", "/check": "check.html", "/batch": "batch.html",
               "/audit": "audit.html", "/login": "login.html"}

pages = Environment(loader=PackageLoader("reportgen.web", "templates"), autoescape=select_autoescape(),
                    trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class Download:
    """A link that carries its file (a data: URI), so the service keeps nothing between requests."""

    name: str
    href: str
    size: int

    @classmethod
    def of(cls, name: str, media_type: str, content: bytes) -> Download:
        return cls(name, f"data:{media_type};base64,{base64.b64encode(content).decode()}", len(content))


def create_app(settings: Settings) -> Starlette:
    service = Service(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        service.workers.start()
        try:
            yield
        finally:
            service.workers.close()

    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(SecurityHeaders), Middleware(TokenGuard, token=settings.token),
                    Middleware(BodyLimit, limits=settings.limits)],
        exception_handlers={BadRequest: _bad_request, HTTPException: _http_error, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.has_pdf = _has_libreoffice()
    return app


def _routes() -> list:
    return [
        Route("/", template_page),
        Route("/template", template_download, methods=["POST"]),
        Route("/check", check_page, methods=["GET", "POST"]),
        Route("/batch", batch_page, methods=["GET", "POST"]),
        Route("/audit", audit_page, methods=["GET", "POST"]),
        Route("/login", login_page, methods=["GET", "POST"]),
        Route("/healthz", lambda request: JSONResponse({"status": "ok"})),
        Route("/api/template", api_template),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/build", api_build, methods=["POST"]),
        Route("/api/check-all", api_check_all, methods=["POST"]),
        Route("/api/audit", api_audit, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("reportgen.web", "static")]), name="static"),
    ]


def _has_libreoffice() -> bool:
    from reportgen.document.pdf import find_soffice
    from reportgen.exceptions import PdfConversionError

    try:
        find_soffice()
    except PdfConversionError:
        return False
    return True


def _service(request: Request) -> Service:
    return request.app.state.service


def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    context = {"version": __version__, "path": request.url.path, "has_pdf": request.app.state.has_pdf,
               "limits": _service(request).limits, "formats": FORMATS.values(), "severity_labels": SEVERITY_LABELS,
               "by_severity": _by_severity,
               "default_year": dt.date.today().year - 1, **context}
    return HTMLResponse(pages.get_template(name).render(**context), status_code=status)


def _by_severity(findings: list[dict]) -> list[dict]:
    return sorted(findings, key=lambda item: SEVERITY_ORDER.index(item["severity"]))


def download(content: bytes, media_type: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers={"content-disposition": content_disposition(name)})


def _flag(value) -> bool:
    return str(value or "").strip().lower() in TRUE_VALUES


# --- pages ---

async def template_page(request: Request) -> HTMLResponse:
    return render(request, "template.html")


async def template_download(request: Request) -> Response:
    return await _template(request, await read_form(request, _service(request).limits))


async def _template(request: Request, fields) -> Response:
    """The workbook for the year, agency and format in ``fields`` (the page's form or the API's query)."""
    wanted = TemplateRequest.parse(fields.get("year"), fields.get("agency"), fields.get("format"))
    content, name = await _service(request).template(wanted)
    return download(content, XLSX, name)


async def check_page(request: Request) -> HTMLResponse:
    if request.method == "GET":
        return render(request, "check.html")
    form = await read_form(request, _service(request).limits)
    strict, pdf = _flag(form.get("strict")), _flag(form.get("pdf")) and request.app.state.has_pdf
    built = await _service(request).build(form, strict=strict, pdf=pdf)
    stem = download_stem(built.agency, built.year)
    downloads = [Download.of(f"{stem}.{suffix}", media_type, content)
                 for suffix, media_type, content in (("docx", DOCX, built.docx), ("pdf", PDF, built.pdf)) if content]
    return render(request, "check.html", result=built.document, downloads=downloads, strict=strict,
                  pdf_problem=built.pdf_problem)


async def batch_page(request: Request) -> HTMLResponse:
    if request.method == "GET":
        return render(request, "batch.html")
    form = await read_form(request, _service(request).limits)
    packed = await _service(request).check_all(form)
    downloads = [Download.of(SUMMARY_NAME, XLSX, packed.summary)]
    if packed.reports:
        downloads.append(Download.of(REPORTS_NAME, ZIP, packed.reports))
    columns = [(header, value) for header, _, value in COLUMNS if header in PAGE_COLUMNS]
    batch = BatchResult(packed.outcomes)
    return render(request, "batch.html", outcomes=packed.outcomes, columns=columns, downloads=downloads,
                  report_count=packed.report_count, statuses=[(status, batch.count(status)) for status in Status])


async def audit_page(request: Request) -> HTMLResponse:
    if request.method == "GET":
        return render(request, "audit.html")
    form = await read_form(request, _service(request).limits)
    audited = await _service(request).audit(form)
    return render(request, "audit.html", result=audited.document)


async def login_page(request: Request) -> Response:
    token = _service(request).settings.token
    if not token:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return render(request, "login.html")
    form = await read_form(request, _service(request).limits)
    if not hmac.compare_digest(cookie_value(str(form.get("token") or "")), cookie_value(token)):
        raise BadRequest(401, "访问令牌不正确，请向本单位的管理员索取")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, cookie_value(token), httponly=True, samesite="strict")
    return response


# --- JSON API ---

async def api_template(request: Request) -> Response:
    return await _template(request, request.query_params)


async def api_check(request: Request) -> JSONResponse:
    form = await read_form(request, _service(request).limits)
    return JSONResponse((await _service(request).check(form)).document)


async def api_build(request: Request) -> Response:
    form = await read_form(request, _service(request).limits)
    built = await _service(request).build(form, strict=_flag(form.get("strict")))
    if built.docx is None:
        return JSONResponse(built.document, status_code=422)
    return download(built.docx, DOCX, f"{download_stem(built.agency, built.year)}.docx")


async def api_check_all(request: Request) -> JSONResponse:
    form = await read_form(request, _service(request).limits)
    packed = await _service(request).check_all(form)
    batch = BatchResult(packed.outcomes)
    return JSONResponse({
        "files": [_outcome_json(outcome) for outcome in batch.outcomes],
        "counts": {status.value: batch.count(status) for status in Status},
        "has_errors": batch.has_errors,
    })


async def api_audit(request: Request) -> JSONResponse:
    form = await read_form(request, _service(request).limits)
    return JSONResponse((await _service(request).audit(form)).document)


def _outcome_json(outcome: Outcome) -> dict:
    info = outcome.info
    return {
        "file": str(outcome.relative),
        "agency": info.agency if info else None,
        "year": info.year if info else None,
        "format": info.format_id if info else None,
        "status": outcome.status.value,
        "status_label": outcome.status.label,
        "counts": {severity.value: outcome.count(severity) for severity in Severity},
        "findings": [item.as_dict() for item in outcome.findings],
        "note": outcome.note or None,
        "report": outcome.output.name if outcome.output else None,
    }


# --- errors: a Chinese message as JSON for the API, on the page for people; never a stack trace ---

def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, ERROR_PAGES.get(request.url.path, "error.html"), status=status, error=message)


async def _bad_request(request: Request, error: BadRequest) -> Response:
    return _error(request, error.status, str(error))


HTTP_MESSAGES = {404: "没有这个页面，请从首页进入", 405: "不支持这种请求方式"}


async def _http_error(request: Request, error: HTTPException) -> Response:
    return _error(request, error.status_code, HTTP_MESSAGES.get(error.status_code, "请求有误"))


async def _internal_error(request: Request, error: Exception) -> Response:
    return _error(request, 500, f"服务器处理时出现内部错误（{type(error).__name__}），请稍后重试；如再次出现，请告知管理员")
