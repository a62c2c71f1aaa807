"""What an uploaded document really is, from its bytes rather than its name or the browser's
word for it: a PDF, a Word or OpenDocument text, an Excel workbook, or a PNG or JPEG image.

Each upload (accreditation evidence, a consultation's documents) accepts some of these kinds and
says in its own words why it refuses a file; what the bytes are is decided here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from commissioning.kit import archives


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    content_type: str

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = Kind("pdf", (".pdf",), "application/pdf")
DOCX = Kind(
    "docx",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = Kind("xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = Kind("odt", (".odt",), "application/vnd.oasis.opendocument.text")
PNG = Kind("png", (".png",), "image/png")
JPEG = Kind("jpeg", (".jpg", ".jpeg"), "image/jpeg")

MAX_ZIP_ENTRIES = 5000
MAX_UNZIPPED_BYTES = 200 * 1024**2  # a document's parts once inflated (a zip bomb otherwise)


def sniff(stream: BinaryIO) -> Kind | None:
    """The kind the file's bytes say it is, or None for anything else. A zip-based file is
    opened only once its inflated size is known to be safe: `archives.ArchiveRefused` (reason
    "entries", "inflated" or "ratio") says it would be too large unpacked. Leaves the stream at
    its start."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        return _zip_kind(stream)
    finally:
        stream.seek(0)


def _zip_kind(stream: BinaryIO) -> Kind | None:
    try:
        infos = archives.check_archive(
            stream, max_inflated=MAX_UNZIPPED_BYTES, max_entries=MAX_ZIP_ENTRIES
        )
        names = {info.filename for info in infos}
        if "mimetype" in names:
            mimetype = archives.read_member_start(stream, "mimetype", 100)
            return ODT if mimetype.decode("ascii", "replace").strip() == ODT.content_type else None
    except archives.ArchiveRefused as exc:
        if exc.reason in ("entries", "inflated", "ratio"):
            raise
        return None  # not a readable zip: not a document of ours
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None
