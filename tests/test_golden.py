"""Every sample's DOCX is byte-for-byte what it was when the golden parts were stored (tests/golden.py).

The report date comes from the workbook's 成文日期 cell, never from the clock, so the parts are stable.
"""

from __future__ import annotations

import pytest

from tests.golden import PARTS, PROFILES, SAMPLES, build_parts, golden_folder, part_file


def test_every_sample_has_golden_parts():
    assert len(SAMPLES) == 4
    for sample in SAMPLES:
        for profile_name in PROFILES:
            for part in PARTS:
                assert part_file(golden_folder(sample, profile_name), part).is_file(), (sample.name, part)


@pytest.mark.parametrize("profile_name", sorted(PROFILES))
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.stem)
def test_docx_parts_equal_the_golden_files(sample, profile_name, tmp_path):
    built = build_parts(sample, profile_name, tmp_path)
    folder = golden_folder(sample, profile_name)
    for part in PARTS:
        assert built[part] == part_file(folder, part).read_bytes(), f"{part} of {sample.name} ({profile_name}) changed"
