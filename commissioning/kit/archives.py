"""Zip archives (workbooks, Word and OpenDocument files) checked before anything reads them.

A zip says in its headers how many members it holds and how large each is once inflated, but
whoever made the file wrote those headers. `check_archive` refuses an archive whose headers
claim too much (too many members, too many bytes in all, a member that inflates more than
`max_ratio` times its stored size), then inflates every member a chunk at a time, throwing the
bytes away, and counts what really comes out: a member that gives more than its header says is
refused at the first chunk past it. Memory stays at a few chunks whatever the archive holds, so
a reader that opens the archive afterwards (openpyxl, calamine, zipfile) reads only what was
counted.

Readers call it before opening a zip and turn `ArchiveRefused` into their own refusal, through
`refusal`.

Pure: no Django.
"""

import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO, TypeVar

MB = 1024**2
MAX_INFLATED = 200 * MB  # a workbook or document, all its members inflated
MAX_ENTRIES = 10_000
MAX_RATIO = 100  # inflated bytes per stored byte, per member
RATIO_FLOOR = MB  # members smaller than this inflated cannot hurt, whatever their ratio
CHUNK = 64 * 1024

ZIP_START = b"PK\x03\x04"

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # a central directory entry, without its name
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # a member's local header, without its name
_ENCRYPTED, _DESCRIPTOR = 0x1, 0x8
_UNKNOWN = 0xFFFFFFFF  # a size given in the zip64 extra field instead


class ArchiveRefused(Exception):
    """Why an archive was refused. `reason` is one of:

    - ``unreadable``: not a zip, or damaged;
    - ``entries``: more than `limit` members (`size` of them, or more);
    - ``inflated``: more than `limit` bytes once inflated (`size`, declared or counted);
    - ``ratio``: `member` inflates `size` times its stored size, more than `limit`;
    - ``mismatch``: `member` inflates to other than its header says;
    - ``encrypted``: `member` is encrypted;
    - ``compression``: `member` is compressed other than stored or deflated.
    """

    def __init__(
        self,
        reason: str,
        *,
        member: str | None = None,
        size: int | None = None,
        limit: int | None = None,
    ) -> None:
        super().__init__(reason, member, size, limit)
        self.reason = reason
        self.member = member
        self.size = size
        self.limit = limit


Refusal = TypeVar("Refusal", bound=Exception)

# The reasons a damaged archive is refused, named as readers named them before archives were
# checked.
_READER_REASONS = {"unreadable": "BadZipFile"}


def refusal(
    exc: ArchiveRefused,
    error: Callable[..., Refusal],
    *,
    too_large: Callable[[int, int], Refusal],
    unreadable: Callable[[str], Refusal],
) -> Refusal:
    """A reader's own refusal of an archive `check_archive` refused: `error(code, **params)`
    with the codes every reader shares, "entries" (`limit`, written with thousands
    separators) and "packed" (`member`, `limit`); `too_large(size, limit)` for one too large
    once inflated; `unreadable(reason)` for any other, `reason` being "BadZipFile" for a
    damaged one and otherwise the archive's reason ("encrypted", "mismatch"...)."""
    if exc.reason == "inflated":
        return too_large(exc.size or 0, exc.limit or 0)
    if exc.reason == "entries":
        return error("entries", limit=f"{exc.limit:,}")
    if exc.reason == "ratio":
        return error("packed", member=exc.member, limit=exc.limit)
    return unreadable(_READER_REASONS.get(exc.reason, exc.reason))


def check_archive(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    max_inflated: int = MAX_INFLATED,
    max_entries: int = MAX_ENTRIES,
    max_ratio: int = MAX_RATIO,
) -> list[zipfile.ZipInfo]:
    """The members of the zip archive at `source` (a path, or a seekable binary stream, left
    where it was), once its headers and its inflated bytes are within the caps. Raises
    `ArchiveRefused`."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return _check(stream, max_inflated, max_entries, max_ratio)
    position = source.tell()
    try:
        return _check(source, max_inflated, max_entries, max_ratio)
    finally:
        source.seek(position)


def _check(
    stream: BinaryIO, max_inflated: int, max_entries: int, max_ratio: int
) -> list[zipfile.ZipInfo]:
    _count_entries(stream, max_entries)
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ArchiveRefused("unreadable") from None
    declared = 0
    for info in infos:
        if info.flag_bits & _ENCRYPTED:
            raise ArchiveRefused("encrypted", member=info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveRefused("compression", member=info.filename)
        declared += info.file_size
        if declared > max_inflated:
            raise ArchiveRefused("inflated", size=declared, limit=max_inflated)
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > max_ratio:
                raise ArchiveRefused("ratio", member=info.filename, size=ratio, limit=max_ratio)
    inflated = 0
    for info in infos:
        inflated = _inflate(stream, info, inflated, max_inflated)
    return infos


def _count_entries(stream: BinaryIO, max_entries: int) -> None:
    """Refuses an archive whose central directory lists more than `max_entries` members,
    walking the directory's records rather than trusting the count at its end (zipfile reads
    them all, however many, before anything can be asked of it)."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    tail_start = max(0, size - (_END.size + 0xFFFF))
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        raise ArchiveRefused("unreadable")
    end = _END.unpack_from(tail, at)
    count, directory_size, end_position = end[4], end[5], tail_start + at
    if at >= _END64_LOCATOR.size and tail[at - _END64_LOCATOR.size : at - 16] == b"PK\x06\x07":
        end_position -= _END64_LOCATOR.size + _END64.size
        stream.seek(end_position)
        record = stream.read(_END64.size)
        if len(record) < _END64.size or not record.startswith(b"PK\x06\x06"):
            raise ArchiveRefused("unreadable")
        end64 = _END64.unpack(record)
        count, directory_size = end64[7], end64[8]
    if count > max_entries:
        raise ArchiveRefused("entries", size=count, limit=max_entries)
    position, stop, walked = end_position - directory_size, end_position, 0
    if position < 0:
        raise ArchiveRefused("unreadable")
    while position < stop:
        stream.seek(position)
        fixed = stream.read(_CENTRAL.size)
        if len(fixed) < _CENTRAL.size or not fixed.startswith(b"PK\x01\x02"):
            raise ArchiveRefused("unreadable")
        fields = _CENTRAL.unpack(fixed)
        walked += 1
        if walked > max_entries:
            raise ArchiveRefused("entries", size=walked, limit=max_entries)
        position += _CENTRAL.size + fields[12] + fields[13] + fields[14]


def _inflate(stream: BinaryIO, info: zipfile.ZipInfo, inflated: int, max_inflated: int) -> int:
    """Inflates one member from its stored bytes, counting and discarding what comes out;
    the running total of inflated bytes afterwards."""
    name = info.filename
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL.size)
    if len(header) < _LOCAL.size or not header.startswith(ZIP_START):
        raise ArchiveRefused("unreadable")
    local = _LOCAL.unpack(header)
    flags, method, stored, size = local[3], local[4], local[8], local[9]
    if method != info.compress_type:
        raise ArchiveRefused("mismatch", member=name)
    sizes_given = not flags & _DESCRIPTOR and _UNKNOWN not in (stored, size)
    if sizes_given and (stored, size) != (info.compress_size, info.file_size):
        raise ArchiveRefused("mismatch", member=name)
    stream.seek(info.header_offset + _LOCAL.size + local[10] + local[11])
    left = info.compress_size
    counted = _Counted(name, info.file_size, inflated, max_inflated)
    if method == zipfile.ZIP_STORED:
        while left > 0:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                raise ArchiveRefused("unreadable")
            left -= len(chunk)
            counted.add(chunk)
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            while left > 0 and not inflater.eof:
                chunk = stream.read(min(CHUNK, left))
                if not chunk:
                    raise ArchiveRefused("unreadable")
                left -= len(chunk)
                while chunk and not inflater.eof:
                    counted.add(inflater.decompress(chunk, CHUNK))
                    chunk = inflater.unconsumed_tail
            # Output may still be held back for input already taken.
            while not inflater.eof and counted.add(inflater.decompress(b"", CHUNK)):
                pass
        except zlib.error:
            raise ArchiveRefused("unreadable") from None
        if not inflater.eof and info.file_size:
            raise ArchiveRefused("unreadable")
    if counted.produced != info.file_size or counted.crc != info.CRC:
        raise ArchiveRefused("mismatch", member=name)
    return counted.inflated


class _Counted:
    """Bytes inflated from one member, checked against its header and the archive's cap as
    they come."""

    def __init__(self, name: str, declared: int, inflated: int, max_inflated: int) -> None:
        self.name, self.declared = name, declared
        self.inflated, self.max_inflated = inflated, max_inflated
        self.produced = 0
        self.crc = 0

    def add(self, out: bytes) -> int:
        self.produced += len(out)
        self.inflated += len(out)
        if self.produced > self.declared:
            raise ArchiveRefused("mismatch", member=self.name)
        if self.inflated > self.max_inflated:
            raise ArchiveRefused("inflated", size=self.inflated, limit=self.max_inflated)
        self.crc = zlib.crc32(out, self.crc)
        return len(out)


def read_member_start(stream: BinaryIO, name: str, length: int) -> bytes:
    """The first `length` bytes of member `name` of an archive `check_archive` has passed,
    however large the member."""
    position = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive, archive.open(name) as member:
            return member.read(length)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
        raise ArchiveRefused("unreadable") from None
    finally:
        stream.seek(position)
