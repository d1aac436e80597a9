"""DOCX → PDF through headless LibreOffice, rendering the official fonts with free preview substitutes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from reportgen.atomic import write_atomically
from reportgen.exceptions import OutputError, PdfConversionError

SOFFICE_ENV = "REPORTGEN_SOFFICE"
SYSTEM_FONTS_CONF = "/etc/fonts/fonts.conf"
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
ALIAS_FILE = "fontconfig-gongwen-aliases.conf"
# TeX Live ships the Fandol fonts outside fontconfig's search path, so they must be named as <dir>s.
FANDOL_DIR_PATTERNS = (
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/texmf/fonts/opentype/public/fandol",
    "/usr/local/texlive/*/texmf-dist/fonts/opentype/public/fandol",
)
_STDERR_TAIL = 1500


def find_soffice() -> str:
    """Return the LibreOffice executable: $REPORTGEN_SOFFICE if set, else soffice/libreoffice on PATH."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        # An explicit choice must not silently fall back to another installation.
        found = shutil.which(override)
        if found is None:
            raise PdfConversionError(
                f"找不到 LibreOffice：环境变量 {SOFFICE_ENV} 指定的程序“{override}”不存在或不可执行。"
                f"请改正该变量，或安装 LibreOffice（例如 {INSTALL_HINT}）。"
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found is not None:
            return found
    raise PdfConversionError(
        f"找不到 LibreOffice（soffice），无法把 DOCX 转换为 PDF。请先安装：{INSTALL_HINT}，"
        f"或用环境变量 {SOFFICE_ENV} 指定 soffice 的路径。"
    )


def alias_conf_text() -> str:
    """Return the packaged fontconfig alias file (official font names → preview substitutes)."""
    return (resources.files("reportgen") / "fonts" / ALIAS_FILE).read_text(encoding="utf-8")


def extra_font_dirs() -> list[str]:
    """Return the existing folders of substitute fonts that fontconfig does not search by itself."""
    found: list[str] = []
    for pattern in FANDOL_DIR_PATTERNS:
        found.extend(sorted(str(path) for path in Path("/").glob(pattern.lstrip("/")) if path.is_dir()))
    return found


def write_fonts_conf(directory: Path) -> Path:
    """Write fonts.conf (system config, extra font dirs, then our aliases) and the alias file into directory."""
    alias_path = directory / ALIAS_FILE
    # A real file on disk, because fontconfig cannot <include> a resource inside a zip or wheel.
    alias_path.write_text(alias_conf_text(), encoding="utf-8")
    fonts_conf = directory / "fonts.conf"
    dirs = "".join(f"  <dir>{escape(folder)}</dir>\n" for folder in extra_font_dirs())
    # The system file comes first so every installed font and cache dir stays known; the aliases
    # come later so they are applied on top of Debian's own substitutions.
    fonts_conf.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{SYSTEM_FONTS_CONF}</include>\n'
        f"{dirs}"
        f"  <include>{escape(str(alias_path))}</include>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return fonts_conf


def _env_with_fonts(directory: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment whose FONTCONFIG_FILE (written into directory) applies the preview aliases."""
    env = dict(os.environ if base is None else base)
    env["FONTCONFIG_FILE"] = str(write_fonts_conf(directory))
    return env


@contextlib.contextmanager
def fontconfig_env(base: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Yield a copy of the environment whose FONTCONFIG_FILE applies the preview aliases."""
    with tempfile.TemporaryDirectory(prefix="reportgen-fc-") as tmp:
        yield _env_with_fonts(Path(tmp), base)


def _tail(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text[-_STDERR_TAIL:]


def _run_soffice(command: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    # A new session makes soffice (a shell script), oosplash and soffice.bin one process group,
    # so a timeout can kill all of them instead of leaving soffice.bin running.
    proc = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise PdfConversionError(
            f"LibreOffice 在 {timeout:g} 秒内未完成 DOCX → PDF 转换，已强制结束。"
            "请检查文档是否过大或损坏，或调大超时时间后重试。"
        ) from None
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def _soffice_command(soffice: str, work: Path, source: Path, outdir: Path) -> list[str]:
    # A private profile per call: LibreOffice refuses to share one between processes, so parallel
    # conversions with the default profile would block or hand the document to another instance.
    profile = (work / "profile").as_uri()
    return [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--norestore",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        str(source),
    ]


def _convert_in(work: Path, soffice: str, docx_path: Path, timeout: float) -> Path:
    """Convert a private copy of docx_path inside work and return the PDF produced there."""
    source = work / "in" / "document.docx"
    source.parent.mkdir()
    # A private copy keeps LibreOffice's lock and backup files out of the user's folder and
    # gives the output a predictable name whatever the input is called.
    try:
        shutil.copyfile(docx_path, source)
    except OSError as error:
        raise PdfConversionError(f"无法读取要转换的 DOCX 文件“{docx_path}”：{error.strerror or error}") from error
    outdir = work / "out"
    outdir.mkdir()
    result = _run_soffice(_soffice_command(soffice, work, source, outdir), _env_with_fonts(work), timeout)
    produced = outdir / "document.pdf"
    if result.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
        # soffice exits 0 after some failures ("Error: source file could not be loaded").
        detail = _tail(result.stderr) or _tail(result.stdout) or "（无输出）"
        raise PdfConversionError(
            f"LibreOffice 未能把“{docx_path.name}”转换为 PDF（退出码 {result.returncode}）。"
            f"LibreOffice 的输出末尾：\n{detail}"
        )
    return produced


def convert_to_pdf(docx_path: Path, pdf_path: Path, *, timeout: float = 180) -> Path:
    """Convert docx_path to pdf_path with LibreOffice; an existing pdf_path is replaced only on success."""
    docx_path, pdf_path = Path(docx_path), Path(pdf_path)
    soffice = find_soffice()
    if not docx_path.is_file():
        raise PdfConversionError(f"找不到要转换的 DOCX 文件：{docx_path}")
    # Checked before the slow conversion rather than discovered after it.
    if not pdf_path.parent.is_dir():
        raise OutputError(f"无法写入 PDF 文件“{pdf_path}”：目录“{pdf_path.parent}”不存在。")
    # Cleanup errors are ignored so that they never hide the conversion's own error.
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-", ignore_cleanup_errors=True) as tmp:
        produced = _convert_in(Path(tmp), soffice, docx_path, timeout)
        # copied next to the target first: the temp dir may be on another file system
        write_atomically(pdf_path, lambda temp: shutil.copyfile(produced, temp))
    return pdf_path
