"""The one check every zip-based upload passes before anything reads it."""

import io
import tracemalloc
import zipfile

import pytest

from commissioning.kit.archives import ArchiveRefused, check_archive, refusal
from tests.kit import bombs

PEAK_LIMIT = 50 * bombs.MB


def _refusal(data: bytes, **caps: int) -> ArchiveRefused:
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveRefused) as refused:
            check_archive(io.BytesIO(data), **caps)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"peak {peak / bombs.MB:.0f} MB"
    return refused.value


def test_a_real_workbook_passes_and_the_stream_is_left_where_it_was():
    data = bombs.xlsx_with([])
    stream = io.BytesIO(data)
    stream.seek(5)
    names = {info.filename for info in check_archive(stream)}
    assert "xl/workbook.xml" in names
    assert stream.tell() == 5


def test_a_gigabyte_declared_is_refused_from_the_headers():
    refused = _refusal(bombs.odt_bomb(1024))
    assert refused.reason == "inflated"
    assert refused.size == 1024 * bombs.MB
    assert refused.limit == 200 * bombs.MB


def test_a_member_packed_a_thousand_to_one_is_refused_within_the_total():
    refused = _refusal(bombs.xlsx_with([bombs.zeros("xl/worksheets/sheet1.xml", 20)]))
    assert (refused.reason, refused.member, refused.limit) == (
        "ratio",
        "xl/worksheets/sheet1.xml",
        100,
    )


def test_headers_that_understate_a_member_are_caught_while_inflating():
    refused = _refusal(bombs.xlsx_lying(1024))
    assert (refused.reason, refused.member) == ("mismatch", "xl/worksheets/sheet1.xml")


def test_many_members_each_under_the_ratio_floor_add_up_to_the_total():
    members = [bombs.zeros(f"part{n}.xml", 1) for n in range(20)]
    refused = _refusal(bombs.archive(members), max_inflated=10 * bombs.MB)
    assert refused.reason == "inflated"


def test_too_many_members_are_refused_before_they_are_listed():
    refused = _refusal(bombs.xlsx_crowded(12_000))
    assert (refused.reason, refused.limit) == ("entries", 10_000)


def test_a_directory_whose_count_lies_is_walked_not_believed():
    data = bytearray(bombs.xlsx_crowded(12_000))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2  # "one member"
    assert _refusal(bytes(data)).reason == "entries"


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04", b"PK\x03\x04" + b"\x00" * 100, b"not a zip at all" * 10],
)
def test_what_is_not_a_zip_is_unreadable(data):
    assert _refusal(data).reason == "unreadable"


def test_a_truncated_workbook_is_unreadable():
    data = bombs.xlsx_with([])
    assert _refusal(data[: len(data) // 2]).reason == "unreadable"


def test_encrypted_or_strangely_compressed_members_are_refused():
    plain = bombs.deflated("xl/workbook.xml", b"<workbook/>")
    data = bytearray(bombs.archive([plain]))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1  # the "encrypted" flag
    assert _refusal(bytes(data)).reason == "encrypted"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    assert _refusal(buffer.getvalue()).reason == "compression"


class _Refused(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code, self.params = code, params


@pytest.mark.parametrize(
    ("refused", "code", "params"),
    [
        (ArchiveRefused("inflated", size=300, limit=200), "too_large", {"size": 300, "limit": 200}),
        (ArchiveRefused("entries", size=12_000, limit=10_000), "entries", {"limit": "10,000"}),
        (
            ArchiveRefused("ratio", member="xl/s.xml", size=500, limit=100),
            "packed",
            {"member": "xl/s.xml", "limit": 100},
        ),
        (ArchiveRefused("unreadable"), "unreadable", {"reason": "BadZipFile"}),
        (ArchiveRefused("encrypted", member="a"), "unreadable", {"reason": "encrypted"}),
    ],
)
def test_a_refused_archive_becomes_the_readers_own_refusal(refused, code, params):
    error = refusal(
        refused,
        _Refused,
        too_large=lambda size, limit: _Refused("too_large", size=size, limit=limit),
        unreadable=lambda reason: _Refused("unreadable", reason=reason),
    )
    assert (error.code, error.params) == (code, params)
