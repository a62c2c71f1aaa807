"""Every reader of a zip-based upload refuses a zip bomb, in its own words, before it reads
it, and its memory stays small: evidence for accreditation, population workbooks, prevalence
rate sets, CQC workbooks."""

import io
import tracemalloc

import pytest

from commissioning.market import cqc_formats, evidence_files
from commissioning.needs import population_formats, prevalence_formats
from tests.kit import bombs

PEAK_LIMIT = 50 * bombs.MB

BOMBS = {
    "truthful": (bombs.xlsx_bomb, "inflated"),
    "tight": (lambda: bombs.xlsx_with([bombs.zeros("xl/sharedStrings.xml", 40)]), "ratio"),
    "lying": (bombs.xlsx_lying, "mismatch"),
    "crowded": (lambda: bombs.xlsx_crowded(12_000), "entries"),
}


def _peak(read):
    tracemalloc.start()
    try:
        error = read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"peak {peak / bombs.MB:.0f} MB"
    return error


def _raised(kind, function, *args, **kwargs):
    def read():
        with pytest.raises(kind) as raised:
            result = function(*args, **kwargs)
            if hasattr(result, "__next__"):
                list(result)
        return raised.value

    return _peak(read)


@pytest.mark.parametrize("name", BOMBS)
def test_evidence_refuses_a_workbook_bomb(name):
    build, reason = BOMBS[name]
    data = build()
    error = _raised(
        evidence_files.EvidenceFileError,
        evidence_files.identify,
        io.BytesIO(data),
        "accounts.xlsx",
        size=len(data),
        max_bytes=10 * bombs.MB,
    )
    expected = {"inflated": "unpacked_too_large", "ratio": "unpacked_too_large",
                "entries": "entries", "mismatch": "mismatch"}[reason]  # fmt: skip
    assert error.code == expected


def test_evidence_refuses_an_odt_whose_mimetype_is_a_gigabyte():
    data = bombs.odt_bomb(1024)
    error = _raised(
        evidence_files.EvidenceFileError,
        evidence_files.identify,
        io.BytesIO(data),
        "policy.odt",
        size=len(data),
        max_bytes=10 * bombs.MB,
    )
    assert error.code == "unpacked_too_large"
    assert "200 MB once unpacked" in str(error)


@pytest.mark.parametrize("name", BOMBS)
def test_a_population_import_refuses_a_workbook_bomb(name, tmp_path):
    build, reason = BOMBS[name]
    path = tmp_path / "MYEB1.xlsx"
    path.write_bytes(build())
    error = _raised(population_formats.PopulationFileError, population_formats.read_cells, path)
    expected = {"inflated": "unzipped", "ratio": "packed", "entries": "entries",
                "mismatch": "unreadable"}[reason]  # fmt: skip
    assert error.code == expected
    if reason == "inflated":
        assert str(error) == (
            "The workbook would be 1,024 MB once unpacked; the largest accepted is 200 MB."
        )


@pytest.mark.parametrize("name", BOMBS)
def test_a_prevalence_rate_set_refuses_a_workbook_bomb(name):
    build, reason = BOMBS[name]
    error = _raised(
        prevalence_formats.PrevalenceFileError, prevalence_formats.parse_rate_bands, build()
    )
    expected = {"inflated": "too_large", "ratio": "packed", "entries": "entries",
                "mismatch": "unreadable"}[reason]  # fmt: skip
    assert error.code == expected


@pytest.mark.parametrize("name", BOMBS)
def test_a_cqc_import_refuses_a_workbook_bomb(name, tmp_path):
    build, reason = BOMBS[name]
    path = tmp_path / "HSCA_Active_Locations.xlsx"
    path.write_bytes(build())
    error = _raised(cqc_formats.CqcFileError, cqc_formats.detect_layout, path)
    expected = {"inflated": "too_large_unzipped", "ratio": "packed", "entries": "entries",
                "mismatch": "unreadable"}[reason]  # fmt: skip
    assert error.code == expected
