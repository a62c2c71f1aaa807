"""What an evidence upload really is, from its bytes rather than its name or the browser's
word for it: a PDF, a Word or OpenDocument text, an Excel workbook, or a PNG or JPEG image.
Anything else, or a file whose content does not match its extension, is refused.

Pure: no Django.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from commissioning.kit import archives
from commissioning.kit.phrases import Phrase, gettext_noop

_ = gettext_noop


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    content_type: str


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
KINDS = (PDF, DOCX, XLSX, ODT, PNG, JPEG)
ACCEPTED_EXTENSIONS = tuple(ext for kind in KINDS for ext in kind.extensions)
MAX_ZIP_ENTRIES = 5000
MAX_UNZIPPED_BYTES = 200 * 1024**2  # a document's parts once inflated (a zip bomb otherwise)


class EvidenceFileError(Exception):
    def __init__(self, phrase: Phrase, code: str) -> None:
        super().__init__(phrase.render())
        self.phrase = phrase
        self.code = code


def _zip_kind(stream: BinaryIO, file_name: str) -> Kind | None:
    """The kind of a zip-based file, once its inflated size is known to be safe."""
    try:
        infos = archives.check_archive(
            stream, max_inflated=MAX_UNZIPPED_BYTES, max_entries=MAX_ZIP_ENTRIES
        )
        names = {info.filename for info in infos}
        if "mimetype" in names:
            mimetype = archives.read_member_start(stream, "mimetype", 100)
            return ODT if mimetype.decode("ascii", "replace").strip() == ODT.content_type else None
    except archives.ArchiveRefused as exc:
        if exc.reason == "entries":
            raise EvidenceFileError(
                Phrase(
                    _(
                        "The file {name} holds more than {limit} parts, far more than a "
                        "document needs. Save it again, or upload it as a PDF."
                    ),
                    name=file_name,
                    limit=f"{MAX_ZIP_ENTRIES:,}",
                ),
                "entries",
            ) from None
        if exc.reason in ("inflated", "ratio"):
            raise EvidenceFileError(
                Phrase(
                    _(
                        "The file {name} would be more than {max_mb} MB once unpacked. Save "
                        "it again, or upload it as a PDF."
                    ),
                    name=file_name,
                    max_mb=f"{MAX_UNZIPPED_BYTES / 1024**2:.0f}",
                ),
                "unpacked_too_large",
            ) from None
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def identify(stream: BinaryIO, file_name: str, *, size: int, max_bytes: int) -> Kind:
    """The kind of an uploaded evidence file, or `EvidenceFileError` saying why it is refused."""
    extension = Path(file_name).suffix.lower()
    if size == 0:
        raise EvidenceFileError(Phrase(_("The file is empty.")), "empty")
    if size > max_bytes:
        raise EvidenceFileError(
            Phrase(
                _("The file is {size_mb} MB; evidence files can be up to {max_mb} MB."),
                size_mb=f"{size / 1024**2:.1f}",
                max_mb=f"{max_bytes / 1024**2:.0f}",
            ),
            "too_large",
        )
    if extension not in ACCEPTED_EXTENSIONS:
        raise EvidenceFileError(
            Phrase(
                _(
                    "The file must be a PDF, DOCX, XLSX, ODT, PNG or JPEG (this one is "
                    "{extension})."
                ),
                extension=extension or "?",
            ),
            "type",
        )
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    kind: Kind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream, file_name)
        stream.seek(0)
    if kind is None or extension not in kind.extensions:
        raise EvidenceFileError(
            Phrase(
                _(
                    "The file is called {name} but its contents are not a {extension} file. "
                    "Save it again in that format, or upload the original."
                ),
                name=file_name,
                extension=extension.lstrip(".").upper(),
            ),
            "mismatch",
        )
    return kind
