"""What a document attached to a consultation really is, from its bytes rather than its name
or the browser's word for it: a PDF, a Word document (DOCX) or an OpenDocument text (ODT).
Anything else, or a file whose contents do not match its name, is refused, with the reason.

Pure: no Django.
"""

from pathlib import Path
from typing import BinaryIO

from commissioning.kit import archives, file_kinds
from commissioning.kit.file_kinds import DOCX, ODT, PDF, Kind
from commissioning.kit.phrases import Phrase, gettext_noop

_ = gettext_noop


KINDS = (PDF, DOCX, ODT)
ACCEPTED_EXTENSIONS = tuple(kind.extension for kind in KINDS)


class DocumentFileError(Exception):
    def __init__(self, phrase: Phrase, code: str) -> None:
        super().__init__(phrase.render())
        self.phrase = phrase
        self.code = code


def _sniff(stream: BinaryIO, file_name: str) -> Kind | None:
    """The kind the file's bytes say, if it is one a consultation takes; refuses a zip-based
    file too large once unpacked."""
    try:
        kind = file_kinds.sniff(stream)
    except archives.ArchiveRefused:
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
    return kind if kind in KINDS else None


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
    kind = _sniff(stream, file_name)
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
