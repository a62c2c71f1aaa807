"""What a document attached to a consultation really is, from its bytes rather than its name
or the browser's word for it: a PDF, a Word document (DOCX) or an OpenDocument text (ODT).
Anything else, or a file whose contents do not match its name, is refused, with the reason.

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
    extension: str
    content_type: str
    label: str


PDF = Kind("pdf", ".pdf", "application/pdf", "PDF")
DOCX = Kind(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOCX",
)
ODT = Kind("odt", ".odt", "application/vnd.oasis.opendocument.text", "ODT")
KINDS = (PDF, DOCX, ODT)
ACCEPTED_EXTENSIONS = tuple(kind.extension for kind in KINDS)
MAX_ZIP_ENTRIES = 5000
MAX_UNZIPPED_BYTES = 200 * 1024**2  # a document's parts once inflated (a zip bomb otherwise)


class DocumentFileError(Exception):
    def __init__(self, phrase: Phrase, code: str) -> None:
        super().__init__(phrase.render())
        self.phrase = phrase
        self.code = code


def _zip_kind(stream: BinaryIO, file_name: str) -> Kind | None:
    """The kind of a zip-based document, once its inflated size is known to be safe."""
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
            raise DocumentFileError(
                Phrase(
                    _(
                        "The file {name} would be far larger once unpacked than a document "
                        "needs. Save it again, or attach it as a PDF."
                    ),
                    name=file_name,
                ),
                "unpacked_too_large",
            ) from None
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    return None


def identify(stream: BinaryIO, file_name: str, *, size: int, max_bytes: int) -> Kind:
    """The kind of an attached document, or `DocumentFileError` saying why it is refused."""
    extension = Path(file_name).suffix.lower()
    if size == 0:
        raise DocumentFileError(Phrase(_("The file is empty.")), "empty")
    if size > max_bytes:
        raise DocumentFileError(
            Phrase(
                _("The file is {size_mb} MB; a consultation document can be up to {max_mb} MB."),
                size_mb=f"{size / 1024**2:.1f}",
                max_mb=f"{max_bytes / 1024**2:.0f}",
            ),
            "too_large",
        )
    if extension not in ACCEPTED_EXTENSIONS:
        raise DocumentFileError(
            Phrase(
                _("The file must be a PDF, DOCX or ODT document (this one is {extension})."),
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
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(stream, file_name)
        stream.seek(0)
    if kind is None or extension != kind.extension:
        raise DocumentFileError(
            Phrase(
                _(
                    "The file is called {name} but its contents are not a {extension} "
                    "document. Save it again in that format, or attach the original."
                ),
                name=file_name,
                extension=extension.lstrip(".").upper(),
            ),
            "mismatch",
        )
    return kind
