"""Golden DOCX parts: every sample workbook built with the built-in profile and with 云梦省, part by part.

Run ``python tests/golden.py`` to rewrite tests/data/golden/ — only after a deliberate change to the
report's output, and review the diff of the XML before committing it.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen import api  # noqa: E402
from reportgen.profile.templates import load_profile  # noqa: E402

GOLDEN = ROOT / "tests" / "data" / "golden"
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.xlsx"))
PROFILES = {"default": None, "yunmeng": ROOT / "sample_inputs" / "profiles" / "云梦省"}
# the parts the report's own code writes; the rest come unchanged from python-docx's default template
PARTS = (
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
    "word/footer2.xml",
    "word/_rels/document.xml.rels",
    "[Content_Types].xml",
)


def golden_folder(sample: Path, profile_name: str) -> Path:
    return GOLDEN / f"{sample.stem}.{profile_name}"


def part_file(folder: Path, part: str) -> Path:
    return folder / part.replace("/", "__")


def build_parts(sample: Path, profile_name: str, workdir: Path) -> dict[str, bytes]:
    """The DOCX's parts of PARTS, built from ``sample`` with the named profile."""
    output = workdir / f"{sample.stem}.{profile_name}.docx"
    result = api.build_report(sample, output, profile=load_profile(PROFILES[profile_name]))
    assert result.output is not None, [str(item) for item in result.check.findings]
    with zipfile.ZipFile(output) as package:
        return {part: package.read(part) for part in PARTS}


def write_golden() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        for sample in SAMPLES:
            for profile_name in PROFILES:
                folder = golden_folder(sample, profile_name)
                folder.mkdir(parents=True, exist_ok=True)
                for part, data in build_parts(sample, profile_name, Path(workdir)).items():
                    part_file(folder, part).write_bytes(data)
                print(folder.relative_to(ROOT))


if __name__ == "__main__":
    write_golden()
