"""Hostile files through every file reader: random bytes, damaged and lying zips, text in
the wrong encoding, NUL bytes, formulas, huge cells. A reader either reads the file or refuses
it with its own refusal; it never fails another way.

Bounded: EXAMPLES cases for each of the strategies below and each reader."""

import contextlib
import io
import os
import tempfile
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from commissioning.market import cqc_formats, evidence_files
from commissioning.needs import population_formats, prevalence_formats
from tests.kit import bombs

EXAMPLES = 100
bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

HEADERS = [
    ["GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE", "DATE_NAME"],
    ["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP", "2020", "2021"],
    ["age_band", "sex", "prevalence", "lower_95", "upper_95"],
    ["Location ID", "Location Name", "Provider ID", "Provider Name", "Location Postal Code",
     "Location Local Authority", "Care homes beds", "Service type - Care home service"],
    ["Name", "Address", "Postcode", "Service types", "Provider name", "Local authority",
     "CQC Location ID (for office use only)", "CQC Provider ID (for office use only)"],
]  # fmt: skip

HOSTILE_CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=SUM(A1:A9)", "=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3", "\x00",
                     "E06000047", "1-101641021", "65-69", "male", "0.012", "1,5", "90+", "NaN",
                     "inf", "-1", "99999999999999999999", "2021", "Y", "DL1 5AB"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.just("x" * 70_000),
)  # fmt: skip
TABLES = st.tuples(
    st.sampled_from(HEADERS),
    st.lists(st.lists(HOSTILE_CELLS, min_size=0, max_size=9), max_size=6),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "latin-1"])
DELIMITERS = st.sampled_from([",", ";", "\t", "|"])


def _csv(table, encoding: str, delimiter: str) -> bytes:
    header, rows = table
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return "\r\n".join(lines).encode(encoding, errors="replace")


def _xlsx(table) -> bytes:
    header, rows = table
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def damaged(draw, source: bytes) -> bytes:
    """`source` cut short, or with bytes overwritten."""
    data = bytearray(source)
    if draw(st.booleans()):
        return bytes(data[: draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


WORKBOOK = bombs.xlsx_with([])
FILES = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
    st.builds(_csv, TABLES, ENCODINGS, DELIMITERS),
    st.builds(lambda t, e, d: _csv(t, e, d).replace(b",", b"\x00", 1), TABLES, ENCODINGS,
              DELIMITERS),
    TABLES.map(_xlsx),
    damaged(WORKBOOK),
    st.sampled_from([bombs.xlsx_lying(8), bombs.xlsx_with([bombs.zeros("xl/workbook.xml", 2)])]),
)  # fmt: skip


def _through_a_file(data: bytes, read: Callable[[str], object]) -> None:
    handle, path = tempfile.mkstemp(suffix=".upload")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        read(path)
    finally:
        os.unlink(path)


def _population(path: str) -> None:
    for _cell in population_formats.read_cells(path, year=2021):
        pass


def _cqc(path: str) -> None:
    for _record in cqc_formats.read_locations(path):
        pass


READERS = {
    "population": (
        population_formats.PopulationFileError,
        lambda d: _through_a_file(d, _population),
    ),
    "prevalence": (prevalence_formats.PrevalenceFileError, prevalence_formats.parse_rate_bands),
    "cqc": (cqc_formats.CqcFileError, lambda d: _through_a_file(d, _cqc)),
    "evidence": (
        evidence_files.EvidenceFileError,
        lambda d: evidence_files.identify(
            io.BytesIO(d), "evidence.xlsx", size=len(d), max_bytes=10 * bombs.MB
        ),
    ),
}  # fmt: skip


@pytest.mark.parametrize("reader", READERS)
@bounded
@given(data=FILES)
def test_a_hostile_file_is_read_or_refused_never_a_crash(reader, data):
    refusal, read = READERS[reader]
    with contextlib.suppress(refusal):
        read(data)


@pytest.mark.parametrize("reader", ["population", "prevalence", "cqc"])
@given(table=TABLES, encoding=st.sampled_from(["utf-8", "cp1252"]), at=st.integers(0, 200))
@bounded
def test_every_csv_reader_refuses_a_nul_byte_the_same_way(reader, table, encoding, at):
    data = _csv(table, encoding, ",")
    data = data[:at] + b"\x00" + data[at:]
    refusal, read = READERS[reader]
    with pytest.raises(refusal) as refused:
        read(data)
    assert refused.value.code == "encoding"
