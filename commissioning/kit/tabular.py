"""One way to begin reading a tabular file a person uploads (a CSV, or a workbook read a row at
a time), shared by every reader of such files so that none of them accepts what another refuses:

- a size cap, checked before a byte is read (`check_size`, `read_capped`);
- what kind of file it is from its first bytes (`sniff`): a zip (a workbook), an old Excel
  97-2003 workbook (refused: `refuse_xls`), or text;
- the encoding of a text file, the whole file checked, refusing a NUL byte anywhere, a start
  thick with control characters, or bytes no encoding here reads (`detect_encoding`, `decode`);
- a workbook opened read only by openpyxl, from a file object (openpyxl refuses paths without
  an Excel extension, and uploads are saved under temporary names), its rows as values with the
  dimensions it claims ignored (`open_workbook`, `sheet_rows`);
- a formula refused, naming its cell: a reader reads what was typed, never a formula's cached
  result (`refuse_formulas`).

Every refusal is a `Refused`: a short `code`, where it is, and a `phrase` in words. Each reader's
own refusal is a `Refused` too, with its own wording; `translated` turns the kit's into it.

Pure: no Django.
"""

import io
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO, TypeVar

from commissioning.kit import text_files
from commissioning.kit.phrases import Phrase, gettext_noop

PathLike = str | os.PathLike[str]
MB = 1024**2
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
XLS_START = b"\xd0\xcf\x11\xe0"  # an OLE2 compound file: an Excel 97-2003 workbook
FORMULA_TYPES = frozenset({"ArrayFormula", "DataTableFormula"})

_ = gettext_noop
MESSAGES = {
    "too_large": _("The file is {size_mb} MB; the largest file accepted is {max_mb} MB"),
    "xls": _("This is an Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV"),
    "encoding": _("The file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8"),
    "unreadable": _("The workbook can't be read ({reason}); save it again as .xlsx or as CSV"),
    "formula": _("Cell {cell} holds a formula; export the values instead"),
}


class Refused(Exception):
    """A tabular file refused, and the type every reader's refusal is: `code` a short machine
    code (a key of the class's `MESSAGES`), `line` the line of a CSV or row of a worksheet (None
    when the problem is the whole file), `column` the column's name as written in the file,
    `params` what the message needs. `phrase` is the problem in words, led by where it is
    (`sheet` in `params` names the worksheet); `str()` is its English.

    The kit refuses with these codes: ``too_large`` (`size` and `limit` in bytes), ``xls``,
    ``encoding`` (`byte`, such as "0x81", when a Windows-1252 byte with no character is why),
    ``unreadable`` (`reason`, the name of openpyxl's error) and ``formula`` (`cell`, such as
    C2). A reader subclasses it with its own `MESSAGES` and turns these into its own words."""

    MESSAGES: Mapping[str, str] = MESSAGES

    def __init__(
        self, code: str, *, line: int | None = None, column: str | None = None, **params: Any
    ) -> None:
        super().__init__(code, line, column, params)
        self.code = code
        self.line = line
        self.column = column
        self.params = params

    @property
    def phrase(self) -> Phrase:
        """The problem in words, led by where it is, to be rendered in the reader's language."""
        values = {"column": self.column or "?", "line": self.line, **self.params}
        message = Phrase(self.MESSAGES.get(self.code, self.code), **values)
        sheet = self.params.get("sheet")
        if self.line is None:
            if sheet:
                return Phrase(_("Sheet '{sheet}': {message}."), sheet=sheet, message=message)
            return Phrase(_("{message}."), message=message)
        if sheet:
            return Phrase(
                _("Sheet '{sheet}', row {line}: {message}."),
                sheet=sheet,
                line=self.line,
                message=message,
            )
        return Phrase(_("Line {line}: {message}."), line=self.line, message=message)

    def __str__(self) -> str:
        return self.phrase.render()


def _too_large(size: int, limit: int) -> Refused:
    return Refused(
        "too_large",
        size=size,
        limit=limit,
        size_mb=f"{size / MB:,.0f}",
        max_mb=f"{limit / MB:,.0f}",
    )


# --- size and kind ----------------------------------------------------------------------------


def check_size(path: PathLike, max_bytes: int) -> int:
    """The size of the file at `path`, refused when over `max_bytes`; nothing is read."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    return size


def read_capped(path: PathLike, max_bytes: int) -> bytes:
    """The bytes of a small file, refused when over `max_bytes` (at most one byte more is
    read)."""
    with open(path, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def sniff(start: bytes) -> str:
    """What a file's first bytes say it is: "zip" (a workbook, if anything we read), "xls" (an
    Excel 97-2003 workbook) or "text"."""
    if start.startswith(ZIP_STARTS):
        return "zip"
    if start.startswith(XLS_START):
        return "xls"
    return "text"


def refuse_xls(start: bytes) -> None:
    if start.startswith(XLS_START):
        raise Refused("xls")


# --- text -------------------------------------------------------------------------------------


def detect_encoding(source: PathLike | BinaryIO) -> str:
    """The encoding of the text file at `source` (a path, or a binary stream read from its
    start): "utf-16" with a byte order mark, "utf-8-sig" or "utf-8", else "cp1252", the whole
    file checked (`text_files.detect_encoding`). A file that is not text is refused at the
    line where it shows: a NUL byte anywhere, a start thick with control characters, a byte
    Windows-1252 has no character for."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return detect_encoding(stream)
    try:
        return text_files.detect_encoding(source)
    except text_files.NotText as exc:
        if exc.byte is None:
            raise Refused("encoding", line=exc.line) from None
        raise Refused("encoding", line=exc.line, byte=f"0x{exc.byte:02X}") from None


def decode(data: bytes) -> str:
    """The text of a small file's bytes, in the encoding `detect_encoding` finds."""
    encoding = detect_encoding(io.BytesIO(data))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:  # checked whole already; kept for safety
        raise Refused("encoding") from None


def open_text(path: PathLike, encoding: str) -> tuple[BinaryIO, io.TextIOWrapper]:
    """The file at `path` as text for `csv.reader` (universal newlines off), and the binary
    stream under it (its position tells progress). The caller closes both."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the callers, which stream
    return raw, io.TextIOWrapper(raw, encoding=encoding, newline="")


# --- workbooks --------------------------------------------------------------------------------


def open_workbook(source: PathLike | bytes) -> tuple[BinaryIO, Any]:
    """An .xlsx workbook opened read only by openpyxl, formulas as written (not their cached
    values), and the binary stream under it; the caller closes the workbook, then the stream.
    A workbook openpyxl fails to open is refused as unreadable. Check the archive first
    (`archives.check_archive`): openpyxl inflates what it is given."""
    import openpyxl  # here, so that a CSV import never pays for it

    raw: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    try:
        workbook = openpyxl.load_workbook(raw, read_only=True, data_only=False)
    except Exception as exc:  # a damaged or foreign workbook fails in many ways in openpyxl
        raw.close()
        raise Refused("unreadable", reason=type(exc).__name__) from None
    return raw, workbook


def sheet_rows(
    worksheet: Any, *, first: int = 1, max_col: int | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of a read-only worksheet from row `first` on, trusting the rows
    rather than the size the file claims; an empty cell is None."""
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(min_row=first, max_col=max_col, values_only=True)
    return enumerate(rows, start=first)


def is_sheet(worksheet: Any) -> bool:
    """Whether a workbook's sheet holds cells (a chart sheet has none)."""
    return hasattr(worksheet, "iter_rows")


def is_formula(value: object) -> bool:
    """Whether a cell's value, read with formulas as written, is a formula."""
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in FORMULA_TYPES


def cell_name(index: int, row: int) -> str:
    """The spreadsheet name of the cell in column `index` (from 0) of `row`: C2."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{row}"


def refuse_formulas(values: Sequence[Any], row: int) -> None:
    """Refuses the first formula among a row's `values`, naming its cell."""
    for index, value in enumerate(values):
        if value is not None and is_formula(value):
            cell = cell_name(index, row)
            raise Refused("formula", line=row, column=cell, cell=cell)


ReaderRefusal = TypeVar("ReaderRefusal", bound=Refused)


def translated(exc: Refused, error: type[ReaderRefusal], **where: Any) -> ReaderRefusal:
    """The kit's refusal `exc` as the reader's `error`, same code, line, column and params,
    with `where` (such as the sheet) added."""
    return error(exc.code, line=exc.line, column=exc.column, **exc.params, **where)
