"""Which layout a file is in, from its first bytes and header row, and workbooks read a row
at a time (python-calamine, or openpyxl for a workbook with formulas). Pure: no Django."""

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from commissioning.kit import archives, tabular
from commissioning.kit.phrases import Phrase, gettext_noop
from commissioning.market.cqc.layouts import (
    DEFAULT_MAX_BYTES,
    HEADER_SEARCH_ROWS,
    MAX_HEADER_CHARS,
    CqcFileError,
    Layout,
    PathLike,
    _best,
    _Guess,
    _guess,
    _missing,
    _no_header,
    _shown,
)

_ = gettext_noop

# A workbook's parts once inflated, checked before it is read (a zip bomb otherwise): the
# national HSCA workbook is a few hundred megabytes.
MAX_UNZIPPED_BYTES = 1024**3


_DELIMITERS = {
    ",": Phrase(_("comma-separated")),
    ";": Phrase(_("semicolon-separated")),
    "\t": Phrase(_("tab-separated")),
}
_KINDS = {
    "pdf": _("a PDF document"),
    "word": _("a Word document"),
    "powerpoint": _("a PowerPoint presentation"),
    "odt": _("an OpenDocument text document"),
    "opendocument": _("an OpenDocument file that is not a spreadsheet"),
    "xlsb": _("an Excel binary workbook (.xlsb)"),
    "png": _("a PNG image"),
    "jpeg": _("a JPEG image"),
    "gif": _("a GIF image"),
    "html": _("a web page (HTML)"),
    "xml": _("an XML file"),
    "gzip": _("a gzip archive"),
    "7z": _("a 7-Zip archive"),
    "rar": _("a RAR archive"),
    "rtf": _("a Rich Text document (RTF)"),
}
_SIGNATURES = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "rar"),
    (b"{\\rtf", "rtf"),
)


def _wrong_kind(kind: str) -> CqcFileError:
    return CqcFileError("wrong_kind", kind=kind, what=Phrase(_KINDS[kind]))


def detect_layout(path: PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Layout:
    """Which layout `path` is in, from its first bytes and header; refuses what can't be read."""
    size = _check_size(path, max_bytes)
    if size == 0:
        raise CqcFileError("empty", what=Phrase(_("The file is empty")))
    kind = _sniff(path)
    if kind == "csv":
        return _detect_text(path)
    with _Workbook(path, kind) as workbook:
        return _detect_workbook(workbook)


def _refused(exc: tabular.Refused, sheet: str | None = None) -> CqcFileError:
    """The kit's refusal of a tabular file in this reader's words: sizes in MB, KB or bytes."""
    if exc.code == "too_large":
        size, limit = exc.params["size"], exc.params["limit"]
        return CqcFileError(
            "too_large", size=_bytes(size), limit=_bytes(limit), size_bytes=size, max_bytes=limit
        )
    return tabular.translated(exc, CqcFileError, **({"sheet": sheet} if sheet else {}))


def _check_size(path: PathLike, max_bytes: int) -> int:
    try:
        return tabular.check_size(path, max_bytes)
    except tabular.Refused as exc:
        raise _refused(exc) from None


def _bytes(count: int) -> Phrase:
    if count >= 1024**2:
        return Phrase(_("{count} MB"), count=f"{count / 1024**2:,.0f}")
    if count >= 1024:
        return Phrase(_("{count} KB"), count=f"{count / 1024:,.0f}")
    return Phrase(_("{count} bytes"), count=f"{count:,}")


def _sniff(path: PathLike) -> str:
    """The kind of file, from its first bytes: "csv", "xlsx" or "ods". Other kinds of file
    (a PDF, a web page, an old .xls) are refused by name."""
    with open(path, "rb") as raw:
        start = raw.read(2048)
    kind = tabular.sniff(start)
    if kind == "zip":
        return _sniff_zip(path)
    if kind == "xls":
        raise CqcFileError("xls")
    for signature, kind in _SIGNATURES:
        if start.startswith(signature):
            raise _wrong_kind(kind)
    if not start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = start.decode("latin-1").lstrip("\ufeff\u00ef\u00bb\u00bf \t\r\n").lower()
        if text.startswith(("<!doctype html", "<html", "<head", "<body")) or (
            text.startswith("<") and "<html" in text
        ):
            raise _wrong_kind("html")
        if text.startswith("<?xml"):
            raise _wrong_kind("xml")
    return "csv"


def _sniff_zip(path: PathLike) -> str:
    try:
        infos = archives.check_archive(path, max_inflated=MAX_UNZIPPED_BYTES)
        names = {info.filename for info in infos}
        mimetype = b""
        if "mimetype" in names:
            with open(path, "rb") as raw:
                mimetype = archives.read_member_start(raw, "mimetype", 200).strip()
    except archives.ArchiveRefused as exc:
        raise _archive_refused(exc) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise _wrong_kind("xlsb")
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise _wrong_kind("odt")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _wrong_kind("opendocument")
    if "word/document.xml" in names:
        raise _wrong_kind("word")
    if "ppt/presentation.xml" in names:
        raise _wrong_kind("powerpoint")
    raise CqcFileError("zip")


def _archive_refused(exc: archives.ArchiveRefused) -> CqcFileError:
    return archives.refusal(
        exc,
        CqcFileError,
        too_large=lambda size, limit: CqcFileError(
            "too_large_unzipped", size=_bytes(size), limit=_bytes(limit)
        ),
        unreadable=lambda reason: CqcFileError("unreadable", reason=reason),
    )


def _detect_encoding(path: PathLike) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one (Excel's "Unicode text"),
    else Windows-1252, the whole file checked (`tabular.detect_encoding`); a file that is
    not text is refused at the line where it shows."""
    try:
        return tabular.detect_encoding(path)
    except tabular.Refused as exc:
        raise _refused(exc) from None


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, fields) of each record a csv.reader reads."""
    consumed = 0
    try:
        for row in reader:
            yield consumed + 1, row
            consumed = reader.line_num
    except csv.Error as exc:
        raise CqcFileError("malformed", line=consumed + 1, reason=str(exc)) from None


def _detect_text(path: PathLike) -> Layout:
    encoding = _detect_encoding(path)
    raw, text = tabular.open_text(path, encoding)
    lines: list[str] = []
    long_line = False
    try:
        with raw, text:
            for _number in range(HEADER_SEARCH_ROWS):
                line = text.readline(MAX_HEADER_CHARS)
                if not line:
                    break
                if len(line) >= MAX_HEADER_CHARS and not line.endswith(("\n", "\r")):
                    long_line = True
                    break
                lines.append(line)
    except UnicodeDecodeError:
        raise CqcFileError("encoding") from None
    if not any(line.strip() for line in lines) and not long_line:
        raise CqcFileError("empty", what=Phrase(_("The file holds nothing but blank lines")))
    head = "".join(lines)
    guesses: list[tuple[_Guess, str]] = []
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
        try:
            found = _best(_guess(line, row) for line, row in _records(reader))
        except CqcFileError:
            continue  # not this delimiter
        if found is not None:
            guesses.append((found, delimiter))
    guess = _best(g for g, _d in guesses)
    if guess is None:
        first = next((line for line in lines if line.strip()), "")
        if long_line and not first:
            shown = Phrase(_("a first line too long to be a header"))
        elif not any(d in first for d in _DELIMITERS):
            shown = Phrase(
                _("one column, '{found}': columns must be separated by commas, semicolons or tabs"),
                found=_shown(first.strip()),
            )
        else:
            shown = Phrase(_("no row naming two or more columns"))
        raise _no_header(shown)
    delimiter = next(d for g, d in guesses if g is guess)
    if guess.missing:
        raise _missing(guess)
    if guess.layout == "cqc_care_directory":
        label = Phrase(_("CQC care directory (CSV)"))
    elif guess.layout == "cqc_hsca_workbook":
        label = Phrase(_("CQC care directory with filters, HSCA Active Locations (CSV)"))
    else:
        label = Phrase(
            _("Your own list of services (CSV, {delimiter})"), delimiter=_DELIMITERS[delimiter]
        )
    return Layout(
        name=guess.layout,
        label=label,
        header=guess.header,
        header_line=guess.line,
        encoding=encoding,
        delimiter=delimiter,
    )


# ---------------------------------------------------------------------------------------------
# Workbooks


def _xlsx_has_formulas(path: PathLike) -> bool:
    """Whether any worksheet of an .xlsx holds a formula (an <f> element), from a quick scan
    of the parts' bytes: the fast reader gives formulas' last values, so a workbook with any
    goes to openpyxl, which finds the cell to name."""
    markers = (b"<f>", b"<f ", b"<f/>")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    window = tail + chunk
                    if any(marker in window for marker in markers):
                        return True
                    tail = chunk[-4:]
    return False


class _Workbook:
    """An .xlsx or .ods workbook, read a row at a time: by python-calamine (fast, in Rust),
    or, for an .xlsx with formulas in it, by openpyxl (read only), which names their cells."""

    def __init__(self, path: PathLike, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.raw: BinaryIO | None = None
        self.book: Any = None
        self.engine = "calamine"

    def __enter__(self) -> "_Workbook":
        try:
            if self.kind == "xlsx" and _xlsx_has_formulas(self.path):
                self.engine = "openpyxl"
                self.raw, self.book = tabular.open_workbook(self.path)  # closed in __exit__
            else:
                import python_calamine

                self.book = python_calamine.CalamineWorkbook.from_path(os.fspath(self.path))
        except tabular.Refused as exc:
            self.__exit__(None, None, None)
            raise _refused(exc) from None
        except Exception as exc:
            self.__exit__(None, None, None)
            raise CqcFileError("unreadable", reason=type(exc).__name__) from None
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.book is not None:
                self.book.close()
        finally:
            self.book = None
            if self.raw is not None:
                self.raw.close()
                self.raw = None

    def sheets(self) -> list[str]:
        if self.engine == "openpyxl":
            return [
                title
                for title in self.book.sheetnames
                if tabular.is_sheet(self.book[title])  # not a chart sheet
            ]
        return list(self.book.sheet_names)

    def rows(self, sheet: str, first: int = 1) -> tuple[int, Iterator[tuple[int, tuple[Any, ...]]]]:
        """The rows claimed (for progress), and (row number, cells) from row `first` on; an
        empty cell is None."""
        if self.engine == "openpyxl":
            worksheet = self.book[sheet]
            claimed = worksheet.max_row or 0
            return claimed, tabular.sheet_rows(worksheet, first=first)
        found = self.book.get_sheet_by_name(sheet)
        end = found.end
        top, offset = found.start if found.start else (0, 0)
        rows = _calamine_rows(found.iter_rows(), offset, first, top + 1)
        return (end[0] + 1 if end else 0), rows


def _calamine_rows(
    rows: Iterator[list[Any]], offset: int, first: int, start: int = 1
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # Calamine leaves out empty rows above and columns on the left of the data, and gives ""
    # for an empty cell.
    pad = (None,) * offset
    for number, values in enumerate(rows, start=start):
        if number >= first:
            yield number, pad + tuple(None if value == "" else value for value in values)


def _detect_workbook(workbook: _Workbook) -> Layout:
    """The first sheet whose header is a CQC layout's; failing that, the sheet whose header
    names most of our fields."""
    try:
        sheets = workbook.sheets()
        best: tuple[_Guess, str] | None = None
        for sheet in sheets:
            _claimed, rows = workbook.rows(sheet)
            guesses = []
            for number, row in rows:
                if number > HEADER_SEARCH_ROWS:
                    break
                guesses.append(_guess(number, row))
            guess = _best(guesses)
            if guess is None:
                continue
            if best is None or guess.rank > best[0].rank:
                best = (guess, sheet)
            if guess.layout != "generic" and not guess.missing:
                break
    except CqcFileError:
        raise
    except Exception as exc:
        raise CqcFileError("unreadable", reason=type(exc).__name__) from None
    if best is None:
        if not sheets:
            raise CqcFileError("empty", what=Phrase(_("The workbook has no sheets")))
        where = (
            Phrase(_(" of sheet {sheet}"), sheet=sheets[0])
            if len(sheets) == 1
            else Phrase(_(" of any sheet"))
        )
        raise _no_header(Phrase(_("no row naming two or more columns")), where)
    guess, sheet = best
    if guess.missing:
        raise _missing(guess, sheet=sheet)
    _refuse_formulas(guess.header, guess.line, sheet)
    if guess.layout == "cqc_hsca_workbook":
        label = Phrase(
            _("CQC care directory with filters, HSCA Active Locations (sheet {sheet})"),
            sheet=sheet,
        )
    elif guess.layout == "cqc_care_directory":
        label = Phrase(_("CQC care directory (sheet {sheet})"), sheet=sheet)
    else:
        label = Phrase(_("Your own list of services (sheet {sheet})"), sheet=sheet)
    return Layout(
        name=guess.layout, label=label, header=guess.header, header_line=guess.line, sheet=sheet
    )


_cell = tabular.cell_name


def _refuse_formulas(row: Sequence[Any], number: int, sheet: str) -> None:
    try:
        tabular.refuse_formulas(row, number)
    except tabular.Refused as exc:
        raise _refused(exc, sheet) from None


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_formula(path: PathLike, sheet: str) -> tuple[int, int] | None:
    """(row, column index) of the first formula in `sheet` of an .ods file, if any. Calamine
    reads the values formulas last gave; like a formula in an .xlsx, that is refused. A quick
    scan of the bytes first: most files have none."""
    marker = b"table:formula="
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        tail = b""
        while chunk := content.read(1 << 20):
            if marker in tail + chunk:
                break
            tail = chunk[-len(marker) :]
        else:
            return None
    from xml.etree.ElementTree import iterparse  # the zip's size is checked

    table, row_tag = _ODS_TABLE + "table", _ODS_TABLE + "table-row"
    cells = {_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"}
    inside, row, column = False, 0, 0
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        for event, element in iterparse(content, events=("start", "end")):  # noqa: S314
            tag = element.tag
            if event == "start":
                if tag == table:
                    inside, row = element.get(_ODS_TABLE + "name") == sheet, 0
                elif inside and tag == row_tag:
                    column = 0
                elif inside and tag in cells and element.get(_ODS_TABLE + "formula"):
                    return row + 1, column
            elif tag in cells:
                column += int(element.get(_ODS_TABLE + "number-columns-repeated") or 1)
            elif tag == row_tag:
                row += int(element.get(_ODS_TABLE + "number-rows-repeated") or 1)
                element.clear()
            elif tag == table:
                if inside:
                    return None
                element.clear()
    return None
