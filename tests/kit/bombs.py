"""Zip bombs built on the fly, and the files around them: an OpenDocument text whose
`mimetype` inflates to a gigabyte, a workbook whose sheet does, a workbook whose headers lie
about how large a member is, one with thousands of members. Written by hand (not with
zipfile) so that the headers can say whatever an attacker likes."""

import io
import struct
import zlib
from dataclasses import dataclass

from openpyxl import Workbook

MB = 1024**2
_ZEROS = bytes(MB)


def _zero_blocks() -> tuple[bytes, bytes]:
    """A deflate stream's block for a megabyte of zeros, repeatable (after a full flush the
    compressor starts again as new), and the stream's end."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(_ZEROS) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block, compressor.flush(zlib.Z_FINISH)


_BLOCK, _END = _zero_blocks()


@dataclass
class Member:
    name: str
    stored: bytes  # the bytes in the archive
    size: int  # the inflated size the headers claim
    crc: int
    method: int = 8  # deflated


def deflated(name: str, data: bytes) -> Member:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    stored = compressor.compress(data) + compressor.flush()
    return Member(name, stored, len(data), zlib.crc32(data))


def zeros(name: str, megabytes: int, *, claimed: int | None = None) -> Member:
    """A member inflating to `megabytes` of zeros, its headers claiming `claimed` bytes (the
    truth unless given). Its checksum is left at 0: refusal must come before anyone gets as
    far as checking it."""
    stored = _BLOCK * megabytes + _END
    return Member(name, stored, megabytes * MB if claimed is None else claimed, 0)


def archive(members: list[Member]) -> bytes:
    out = io.BytesIO()
    central = []
    for member in members:
        offset = out.tell()
        name = member.name.encode()
        header = struct.pack(
            "<4s2B4HL2L2H",
            b"PK\x03\x04",
            20,
            0,
            0,
            member.method,
            0,
            0x21,
            member.crc,
            len(member.stored),
            member.size,
            len(name),
            0,
        )
        out.write(header + name + member.stored)
        central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                3,
                20,
                0,
                0,
                member.method,
                0,
                0x21,
                member.crc,
                len(member.stored),
                member.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            min(len(members), 0xFFFF),
            min(len(members), 0xFFFF),
            len(directory),
            start,
            0,
        )
    )
    return out.getvalue()


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def odt_bomb(megabytes: int = 1024) -> bytes:
    """An OpenDocument text whose `mimetype` member inflates to `megabytes` of zeros."""
    return archive([zeros("mimetype", megabytes), deflated("content.xml", b"<office/>")])


def xlsx_parts() -> list[Member]:
    """The members of a small real workbook."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["age_band", "sex", "prevalence"])
    workbook.save(buffer)
    import zipfile

    with zipfile.ZipFile(buffer) as source:
        return [deflated(info.filename, source.read(info)) for info in source.infolist()]


def xlsx_with(extra: list[Member]) -> bytes:
    """A real workbook with `extra` members added, or put in place of those of the same name."""
    names = {member.name for member in extra}
    return archive([m for m in xlsx_parts() if m.name not in names] + extra)


def xlsx_bomb(megabytes: int = 1024) -> bytes:
    """A workbook whose shared strings inflate to `megabytes` of zeros (headers truthful)."""
    return xlsx_with([zeros("xl/sharedStrings.xml", megabytes)])


def xlsx_lying(megabytes: int = 1024) -> bytes:
    """A workbook whose sheet's headers claim 1 KB but which inflates to `megabytes`."""
    return xlsx_with([zeros("xl/worksheets/sheet1.xml", megabytes, claimed=1024)])


def xlsx_crowded(entries: int = 20_000) -> bytes:
    """A workbook with `entries` extra (empty) members."""
    return xlsx_with([deflated(f"xl/media/empty{n}.xml", b"") for n in range(entries)])
