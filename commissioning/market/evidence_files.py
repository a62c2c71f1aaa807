"""What an evidence upload really is, from its bytes rather than its name or the browser's
word for it: a PDF, a Word or OpenDocument text, an Excel workbook, or a PNG or JPEG image.
Anything else, or a file whose content does not match its extension, is refused.

Pure: no Django.
"""

from pathlib import Path
from typing import BinaryIO

from commissioning.kit import archives, file_kinds
from commissioning.kit.file_kinds import Kind
from commissioning.kit.phrases import Phrase, gettext_noop

_ = gettext_noop


KINDS = (
    file_kinds.PDF,
    file_kinds.DOCX,
    file_kinds.XLSX,
    file_kinds.ODT,
    file_kinds.PNG,
    file_kinds.JPEG,
)
ACCEPTED_EXTENSIONS = tuple(ext for kind in KINDS for ext in kind.extensions)
MAX_ZIP_ENTRIES = file_kinds.MAX_ZIP_ENTRIES
MAX_UNZIPPED_BYTES = file_kinds.MAX_UNZIPPED_BYTES


class EvidenceFileError(Exception):
    def __init__(self, phrase: Phrase, code: str) -> None:
        super().__init__(phrase.render())
        self.phrase = phrase
        self.code = code


def _sniff(stream: BinaryIO, file_name: str) -> Kind | None:
    """The kind the file's bytes say, refusing a zip-based file too large once unpacked."""
    try:
        return file_kinds.sniff(stream)
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
    kind = _sniff(stream, file_name)
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
