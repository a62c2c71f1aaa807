"""Reads the population files ONS publishes, in the layouts people actually download, into
cells of one area, year, single year of age (0..89, and 90 meaning 90 and over), sex and count.

Three layouts are recognised from their header:

- ``nomis_long``: Nomis API exports, CSV or TSV, quoted or not, columns in any order:
  GEOGRAPHY_CODE, GENDER, C_AGE, OBS_VALUE and, for projections, PROJECTED_YEAR_NAME (for
  estimates the year comes from DATE_NAME or DATE, or from the caller when the file has none).
  C_AGE is either 0..90 or Nomis's codes 101..191 (decided per file from the values seen).
- ``ons_wide``: ONS projection CSVs with one column per year (AREA_CODE, AREA_NAME,
  COMPONENT, SEX, AGE_GROUP, 2018, 2019, ...).
- ``ons_myeb1_excel``: the ONS mid-year estimates workbook, sheet MYEB1 (ladcodeNN, lanameNN,
  country, sex, age, population_YYYY, ...), header a few rows down.

Everything streams: a CSV is read a line at a time and a workbook a row at a time, so a file
of the whole UK over 25 years (1.8 million cells) never sits in memory. Bad input only ever
raises `PopulationFileError`, whose `code`, `line`, `column` and `params` let the caller word
the problem in the reader's language; `str()` gives a plain English version.

Pure: no Django.
"""

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from commissioning.core import ons
from commissioning.kit import archives, tabular
from commissioning.kit.phrases import Phrase, gettext_noop

DEFAULT_MAX_BYTES = 512 * 1024**2
AGES = 91  # 0..89, and 90 meaning 90 and over
MAX_COUNT = 2**32 - 1  # the series are stored as unsigned 32-bit counts
FIRST_YEAR, LAST_YEAR = 1800, 2200
PROGRESS_EVERY = 4096  # rows between calls to `progress`
HEADER_SEARCH_ROWS = 50  # how far down a worksheet the header row may be
MAX_HEADER_CHARS = 64 * 1024
AREA_LEVELS = frozenset({"local_authority", "region", "country"})

Progress = Callable[[int, int], None]
PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Cell:
    area_code: str
    year: int
    age: int  # 0..90, 90 meaning 90 and over
    sex: int  # 1 male, 2 female
    count: int


@dataclass(frozen=True)
class Layout:
    name: str  # "nomis_long", "ons_wide" or "ons_myeb1_excel"
    label: Phrase  # for people: "Nomis long format (tab-separated)"
    kind: str  # "estimate" or "projection"
    delimiter: str | None = None  # CSV layouts only
    encoding: str | None = None  # CSV layouts only: "utf-8", "utf-8-sig", "cp1252", "utf-16"
    header: tuple[str, ...] = ()  # the header as found
    header_line: int = 1  # line (row, in a workbook) of the header
    sheet: str | None = None  # workbooks only
    year_column: str | None = None  # nomis_long: where each row's year is, if anywhere


_ = gettext_noop
_MESSAGES = {
    "too_large": _("The file is {size_mb} MB; the largest file accepted is {max_mb} MB"),
    "empty": "{what}",
    "encoding": _("The file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8"),
    "xls": _("This is an Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV"),
    "unreadable": _("The workbook can't be read ({reason}); save it again as .xlsx or as CSV"),
    "unzipped": _(
        "The workbook would be {size_mb} MB once unpacked; the largest accepted is {max_mb} MB"
    ),
    "entries": _("The workbook holds more than {limit} parts; save it again as .xlsx or as CSV"),
    "packed": _(
        "Part {member} of the workbook unpacks to more than {limit} times its packed size; "
        "save it again as .xlsx or as CSV"
    ),
    "layout": _(
        "This is not a population layout we can read: missing or renamed columns. "
        "Expected {expected}; found {found}"
    ),
    "missing_column": _(
        "This looks like {layout} but has missing or renamed columns: {missing} not found "
        "(found {found})"
    ),
    "merged_header": _(
        "The header row has empty or merged cells where {missing} should be; unmerge the "
        "header cells and give every column its own name"
    ),
    "row_length": _("Expected {expected} columns, found {found}"),
    "malformed": _("The line can't be read as {what}"),
    "not_a_number": _("{column} '{value}' is not a number"),
    "negative": _("{column} {value} is negative"),
    "too_big": _("{column} {value} is too large for a population count"),
    "area_code": _(
        "{column} '{value}' is not an ONS area code (a letter and eight digits, such as E06000047)"
    ),
    "area_entity": _("{column} {value} is not the code of a local authority, region or country"),
    "age": _("{column} '{value}' is not {expected}"),
    "sex": _("{column} '{value}' is not a sex (1 or male, 2 or female)"),
    "year": _("{column} '{value}' is not a year"),
    "year_missing": _(
        "The file has no year column (PROJECTED_YEAR_NAME, DATE_NAME or DATE); give the year "
        "the estimates are for"
    ),
    "mixed_kinds": _(
        "{column} is {this} here but {other} on line {first_line}: the file mixes estimates "
        "and projections"
    ),
    "duplicate": _(
        "{area_code} {year} age {age_label} {sex_label} appears twice, on line {first_line} "
        "and line {line}"
    ),
    "formula": _("Cell {cell} holds a formula; export the values instead"),
}


class PopulationFileError(tabular.Refused):
    """A file refused. `code` is a short machine code (see `_MESSAGES`); `line` the line of a
    CSV or row of a worksheet (None when the problem is the whole file); `column` the column's
    name as written in the file; `params` what a message needs (value, expected, found...)."""

    MESSAGES = _MESSAGES


# ---------------------------------------------------------------------------------------------
# Values


_SEXES = {
    "1": 1, "2": 2, "0": 0,
    "m": 1, "male": 1, "males": 1, "f": 2, "female": 2, "females": 2,
    "persons": 0, "person": 0, "all persons": 0, "all": 0, "total": 0, "people": 0,
}  # fmt: skip
_INTEGRAL = re.compile(r"\s*\+?[0-9]+(?:\.0*)?\s*")
_NUMBER = re.compile(r"\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*")
_DECIMAL_COMMA = re.compile(r"\s*[-+]?[0-9]+,[0-9]+\s*")
_YEAR = re.compile(r"\s*(?:[A-Za-z]+\.? )?([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2})?)?\s*")
_LADCODE = re.compile(r"ladcode\d\d")
_LANAME = re.compile(r"laname\d\d")
_POPULATION = re.compile(r"population_(\d{4})")
_YEAR_HEADER = re.compile(r"\d{4}")


def _sex(value: object, line: int, column: str, **where: Any) -> int:
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    sex = _SEXES.get(text)
    if sex is None:
        raise PopulationFileError("sex", line=line, column=column, value=_shown(value), **where)
    return sex


def _count(value: object, line: int, column: str, comma: bool = False, **where: Any) -> int:
    """A non-negative whole count; decimals (some projections have them) round half to even."""
    if isinstance(value, bool) or value is None:
        raise PopulationFileError(
            "not_a_number", line=line, column=column, value=_shown(value), **where
        )
    if isinstance(value, int):
        number: float = value
    elif isinstance(value, float):
        number = value
    else:
        text = str(value)
        if text.isascii() and text.isdigit():
            number = int(text)
        elif _NUMBER.fullmatch(text):
            number = float(text)
        elif comma and _DECIMAL_COMMA.fullmatch(text):
            number = float(text.replace(",", "."))
        else:
            raise PopulationFileError(
                "not_a_number", line=line, column=column, value=_shown(value), **where
            )
    if not math.isfinite(number):
        raise PopulationFileError(
            "not_a_number", line=line, column=column, value=_shown(value), **where
        )
    if number < 0:
        raise PopulationFileError(
            "negative", line=line, column=column, value=_shown(value), **where
        )
    whole = round(number)
    if whole > MAX_COUNT:
        raise PopulationFileError("too_big", line=line, column=column, value=_shown(value), **where)
    return whole


def _whole(value: object) -> int | None:
    """An integer written as 12, "12" or 12.0; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and _INTEGRAL.fullmatch(value):
        return int(float(value)) if "." in value else int(value)
    return None


def _age_label(value: object) -> int | None:
    """An age as ONS writes it in wide files and workbooks: 0..90, "90+", "90 and over";
    -1 for a total ("All ages") to skip; None when it is none of these."""
    number = _whole(value)
    if number is not None:
        return number if 0 <= number <= 90 else None
    text = str(value).strip().lower()
    if text in {"90+", "90 and over", "90 & over", "90 plus", "aged 90+", "aged 90 and over"}:
        return 90
    if text in {"all ages", "all", "total"}:
        return -1
    return None


def _year(value: object, line: int | None, column: str, **where: Any) -> int:
    match = _YEAR.fullmatch(str(value))
    year = int(match.group(1)) if match else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise PopulationFileError("year", line=line, column=column, value=_shown(value), **where)
    return year


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Areas:
    """ONS area codes checked once each: well formed, and of a kind of area we hold."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def check(self, value: object, line: int, column: str, **where: Any) -> str:
        text = "" if value is None else str(value)
        code = self.known.get(text)
        if code is not None:
            return code
        try:
            kind = ons.entity_type(text)
        except ons.InvalidAreaCode as exc:
            problem = "area_code" if exc.code == "format" else "area_entity"
            raise PopulationFileError(
                problem, line=line, column=column, value=_shown(text.strip()), **where
            ) from None
        if kind.level not in AREA_LEVELS:  # pragma: no cover - every kind ons holds is one
            raise PopulationFileError(
                "area_entity", line=line, column=column, value=_shown(text.strip()), **where
            )
        code = text.strip().upper()
        self.known[text] = code
        return code


# ---------------------------------------------------------------------------------------------
# Layouts


NOMIS_REQUIRED = ("GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE")
NOMIS_SEX_ALIASES = ("GENDER", "C_SEX", "SEX")
NOMIS_YEAR_COLUMNS = ("DATE_NAME", "DATE")
WIDE_REQUIRED = ("AREA_CODE", "SEX", "AGE_GROUP", "YYYY (one column per year)")
EXCEL_REQUIRED = ("ladcodeNN", "sex", "age", "population_YYYY (one column per year)")
_DELIMITERS = {
    "\t": Phrase(_("tab-separated")),
    ",": Phrase(_("comma-separated")),
    ";": Phrase(_("semicolon-separated")),
}


def _expected() -> Phrase:
    return Phrase(
        _(
            "Nomis long format ({nomis}, and PROJECTED_YEAR_NAME for projections) or ONS wide "
            "format ({wide})"
        ),
        nomis=", ".join(NOMIS_REQUIRED),
        wide=", ".join(WIDE_REQUIRED),
    )


def _found(header: Sequence[str | None]) -> Phrase:
    """The header as found, for a message; None stands for an empty (perhaps merged) cell."""
    if not header:
        return Phrase(_("nothing"))
    shown = header[:20]
    names = {
        f"c{i}": Phrase(_("(empty)")) if name is None else _shown(name)
        for i, name in enumerate(shown)
    }
    # Not a template to translate: a list whose empty cells are.
    listed = ", ".join(f"{{c{i}}}" for i in range(len(shown)))
    return Phrase(listed + (", ..." if len(header) > 20 else ""), **names)


def detect_layout(path: PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Layout:
    """Which layout `path` is in, from its first bytes and header; refuses what can't be read."""
    size = _check_size(path, max_bytes)
    if size == 0:
        raise PopulationFileError("empty", what=Phrase(_("The file is empty")))
    with open(path, "rb") as raw:
        start = raw.read(8)
    kind = tabular.sniff(start)
    if kind == "zip":
        return _detect_workbook(path)
    if kind == "xls":
        raise PopulationFileError("xls")
    return _detect_text(path)


def _refused(exc: tabular.Refused, sheet: str | None = None) -> PopulationFileError:
    """The kit's refusal of a tabular file in this reader's words."""
    return tabular.translated(exc, PopulationFileError, **({"sheet": sheet} if sheet else {}))


def _check_size(path: PathLike, max_bytes: int) -> int:
    try:
        return tabular.check_size(path, max_bytes)
    except tabular.Refused as exc:
        raise _refused(exc) from None


def _detect_encoding(path: PathLike) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one (Excel's "Unicode text"),
    else Windows-1252, the whole file checked (`tabular.detect_encoding`); a file that is
    not text is refused at the line where it shows."""
    try:
        return tabular.detect_encoding(path)
    except tabular.Refused as exc:
        raise _refused(exc) from None


def _read_header(text: io.TextIOWrapper) -> tuple[str, int]:
    """The first non-blank line and its number."""
    number = 0
    while True:
        line = text.readline(MAX_HEADER_CHARS)
        number += 1
        if not line:
            raise PopulationFileError("empty", what=Phrase(_("The file is empty")))
        if len(line) >= MAX_HEADER_CHARS and not line.endswith(("\n", "\r")):
            raise PopulationFileError(
                "layout",
                line=number,
                expected=_expected(),
                found=Phrase(_("a first line too long")),
            )
        if line.strip():
            return line, number


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        fields = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        fields = [line]
    names = [name.strip().lstrip("\ufeff").strip() for name in fields]
    if names and names[0].startswith("\u00ef\u00bb\u00bf"):  # a UTF-8 mark read as Windows-1252
        names[0] = names[0][3:].strip()
    return names


def _detect_text(path: PathLike) -> Layout:
    encoding = _detect_encoding(path)
    raw, text = tabular.open_text(path, encoding)
    try:
        with raw, text:
            header_text, header_line = _read_header(text)
            delimiter = _delimiter(header_text)
            header = _split_header(header_text, delimiter)
            upper = [name.upper() for name in header]
            names = set(upper)
            nomis = [n for n in NOMIS_REQUIRED if n in names]
            if "GENDER" not in names and names & set(NOMIS_SEX_ALIASES) and nomis:
                nomis.append("GENDER")
            wide = [n for n in WIDE_REQUIRED[:3] if n in names]
            years = [n for n in upper if _YEAR_HEADER.fullmatch(n)]
            if years:
                wide.append(WIDE_REQUIRED[3])
            if len(nomis) == len(NOMIS_REQUIRED):
                return _nomis_layout(text, header, upper, header_line, delimiter, encoding)
            if len(wide) == len(WIDE_REQUIRED):
                return Layout(
                    name="ons_wide",
                    label=Phrase(
                        _("ONS wide format, one column per year ({delimiter})"),
                        delimiter=_DELIMITERS[delimiter],
                    ),
                    kind="projection",
                    delimiter=delimiter,
                    encoding=encoding,
                    header=tuple(header),
                    header_line=header_line,
                )
    except UnicodeDecodeError:
        raise PopulationFileError("encoding") from None
    nomis_like = len([n for n in nomis if n != "GENDER"])
    wide_like = len(wide) + ("COMPONENT" in names) + ("AREA_NAME" in names)
    if len(header) > 1 and (nomis_like >= 2 or wide_like >= 2):
        if nomis_like >= wide_like:
            layout, required, present = Phrase(_("Nomis long format")), NOMIS_REQUIRED, nomis
        else:
            layout, required, present = Phrase(_("ONS wide format")), WIDE_REQUIRED, wide
        missing = [n for n in required if n not in present]
        raise PopulationFileError(
            "missing_column",
            line=header_line,
            layout=layout,
            missing=", ".join(missing),
            found=_found(header),
        )
    found = _found(header)
    if len(header) <= 1:
        found = Phrase(
            _("one column, '{found}': columns must be separated by tabs, commas or semicolons"),
            found=found,
        )
    raise PopulationFileError("layout", line=header_line, expected=_expected(), found=found)


def _nomis_layout(
    text: io.TextIOWrapper,
    header: list[str],
    upper: list[str],
    header_line: int,
    delimiter: str,
    encoding: str,
) -> Layout:
    kind, year_column = "estimate", None
    if "PROJECTED_YEAR_NAME" in upper:
        kind, year_column = "projection", "PROJECTED_YEAR_NAME"
        # A file whose first row has no projected year is read as estimates (and refused as
        # mixed if a later row has one).
        index = upper.index("PROJECTED_YEAR_NAME")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for row in reader:
                if any(value.strip() for value in row):
                    if len(row) > index and not row[index].strip():
                        kind, year_column = "estimate", None
                    break
        except csv.Error:
            pass  # reported, with its line, when the rows are read
    if year_column is None:
        year_column = next((n for n in NOMIS_YEAR_COLUMNS if n in upper), None)
    return Layout(
        name="nomis_long",
        label=Phrase(_("Nomis long format ({delimiter})"), delimiter=_DELIMITERS[delimiter]),
        kind=kind,
        delimiter=delimiter,
        encoding=encoding,
        header=tuple(header),
        header_line=header_line,
        year_column=year_column,
    )


# ---------------------------------------------------------------------------------------------
# Reading


def read_cells(
    path: PathLike,
    *,
    year: int | None = None,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    layout: Layout | None = None,
) -> Iterator[Cell]:
    """The cells of `path`, streamed. `year` is the year of the estimates in a file with no
    year column (a Nomis mid-year estimates download); a file's own years win. `progress` is
    called with (bytes read, file size) every few thousand rows and once at the end.

    The file's layout, size and year are checked when this is called; every other problem is
    raised while iterating, so read to the end before keeping anything."""
    if layout is None:
        layout = detect_layout(path, max_bytes=max_bytes)
    else:
        _check_size(path, max_bytes)
    total = os.path.getsize(path)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise PopulationFileError("year", column="year", value=str(year))
    rows: Iterator[tuple[int, str, int, int, int, int]]
    if layout.name == "nomis_long":
        if layout.year_column is None and year is None:
            raise PopulationFileError("year_missing")
        rows = _nomis_rows(path, layout, year, total, progress)
    elif layout.name == "ons_wide":
        rows = _wide_rows(path, layout, total, progress)
    elif layout.name == "ons_myeb1_excel":
        rows = _workbook_rows(path, layout, total, progress)
    else:
        raise ValueError(f"unknown layout {layout.name!r}")
    return _cells(rows, total, progress, layout)


def _cells(
    rows: Iterator[tuple[int, str, int, int, int, int]],
    total: int,
    progress: Progress | None,
    layout: Layout,
) -> Iterator[Cell]:
    """Cells from (line, area, year, age, sex, count) rows, refusing any cell given twice.
    Each (area, year) keeps the line of each of its 182 age-and-sex cells: about 1.5 kB per
    area and year, 15 MB for the UK over 25 years."""
    lines: dict[tuple[str, int], list[int]] = {}
    made = 0
    for line, area, year, age, sex, count in rows:
        slots = lines.get((area, year))
        if slots is None:
            slots = lines[(area, year)] = [0] * (AGES * 2)
        index = age * 2 + sex - 1
        first = slots[index]
        if first:
            where = {"sheet": layout.sheet} if layout.sheet else {}
            raise PopulationFileError(
                "duplicate",
                line=line,
                area_code=area,
                year=year,
                age=age,
                sex=sex,
                age_label="90+" if age == 90 else str(age),
                sex_label=Phrase(_("male") if sex == 1 else _("female")),
                first_line=first,
                **where,
            )
        slots[index] = line
        made += 1
        yield Cell(area, year, age, sex, count)
    if not made:
        raise PopulationFileError(
            "empty",
            what=Phrase(_("The file holds no counts by single year of age for males or females")),
        )
    if progress is not None:
        progress(total, total)


def _columns(layout: Layout) -> dict[str, int]:
    return {name.upper(): index for index, name in reversed(list(enumerate(layout.header)))}


def _csv_rows(
    path: PathLike, layout: Layout, total: int, progress: Progress | None
) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each non-blank data row, with a width check and progress."""
    assert layout.encoding is not None and layout.delimiter is not None
    raw, text = tabular.open_text(path, layout.encoding)
    width = len(layout.header)
    line = layout.header_line
    with raw, text:
        try:
            for _ in range(layout.header_line):
                text.readline(MAX_HEADER_CHARS)
            reader = csv.reader(text, delimiter=layout.delimiter)
            seen = 0
            for row in reader:
                line = layout.header_line + reader.line_num
                if len(row) != width:
                    if not any(value.strip() for value in row):
                        continue
                    raise PopulationFileError(
                        "row_length", line=line, expected=width, found=len(row)
                    )
                seen += 1
                if progress is not None and seen % PROGRESS_EVERY == 0:
                    progress(min(raw.tell(), total), total)
                yield line, row
        except csv.Error as exc:
            raise PopulationFileError(
                "malformed", line=line + 1, what=_DELIMITERS[layout.delimiter], reason=str(exc)
            ) from None
        except UnicodeDecodeError:
            raise PopulationFileError("encoding", line=line + 1) from None


NOMIS_GROUP_CODES = frozenset({0, 1, *range(3, 19), *range(200, 300)})
_SINGLE, _NOMIS = "0..90", "101..191"


def _nomis_rows(
    path: PathLike, layout: Layout, given_year: int | None, total: int, progress: Progress | None
) -> Iterator[tuple[int, str, int, int, int, int]]:
    """Rows of a Nomis long file. C_AGE is 0..90 in some files and Nomis's codes in others
    (101..191 single years; 0, 1, 3..18 and 200+ age groups): a file that holds any of
    101..191 uses the codes. Until a value settles it (101..191 for codes; 2 or 19..90, which
    are no code, for single years) rows with 0..18 wait in `pending`; in practice a few."""
    columns = _columns(layout)
    names = {name.upper(): name for name in reversed(layout.header)}
    i_area = columns["GEOGRAPHY_CODE"]
    sex_name = next(n for n in NOMIS_SEX_ALIASES if n in columns)
    i_sex = columns[sex_name]
    i_age = columns["C_AGE"]
    i_count = columns["OBS_VALUE"]
    i_measures = columns.get("MEASURES")
    c_area, c_sex, c_age, c_count = (
        names["GEOGRAPHY_CODE"],
        names[sex_name],
        names["C_AGE"],
        names["OBS_VALUE"],
    )
    i_projected = columns.get("PROJECTED_YEAR_NAME")
    projection = layout.kind == "projection"
    i_year = columns[layout.year_column] if layout.year_column else None
    c_year = names[layout.year_column] if layout.year_column else ""
    comma = layout.delimiter == ";"
    areas = _Areas()
    known = areas.known
    years: dict[str, int] = {}
    first_projected_line = 0  # a line with (projection) or without (estimate) a projected year
    coding: str | None = None
    pending: list[tuple[int, str, int, int, int, int]] = []

    for line, row in _csv_rows(path, layout, total, progress):
        if i_measures is not None and row[i_measures].strip() not in ("20100", ""):
            continue  # percentages, not counts
        if i_projected is not None:
            has_year = bool(row[i_projected].strip())
            if has_year != projection:
                raise PopulationFileError(
                    "mixed_kinds",
                    line=line,
                    column=names["PROJECTED_YEAR_NAME"],
                    this=Phrase(_("given") if has_year else _("empty")),
                    other=Phrase(_("empty") if has_year else _("given")),
                    first_line=first_projected_line or layout.header_line + 1,
                )
            first_projected_line = first_projected_line or line
        sex = _SEXES.get(row[i_sex])
        if sex is None:
            sex = _sex(row[i_sex], line, c_sex)
        if sex == 0:
            continue
        text = row[i_age]
        if text.isascii() and text.isdigit():
            code = int(text)
        else:
            whole = _whole(text)
            if whole is None:
                raise PopulationFileError(
                    "age", line=line, column=c_age, value=_shown(text), expected=_coding(coding)
                )
            code = whole
        if i_year is None:
            assert given_year is not None
            year = given_year
        else:
            value = row[i_year]
            cached = years.get(value)
            if cached is None:
                cached = years[value] = _year(value, line, c_year)
            year = cached
        area = known.get(row[i_area]) or areas.check(row[i_area], line, c_area)
        value = row[i_count]
        if value.isascii() and value.isdigit():
            count = int(value)
            if count > MAX_COUNT:
                count = _count(value, line, c_count)
        else:
            count = _count(value, line, c_count, comma=comma)

        if coding is _NOMIS:
            if 101 <= code <= 191:
                yield line, area, year, code - 101, sex, count
            elif code not in NOMIS_GROUP_CODES:
                raise PopulationFileError(
                    "age", line=line, column=c_age, value=text, expected=_coding(coding)
                )
        elif coding is _SINGLE:
            if 0 <= code <= 90:
                yield line, area, year, code, sex, count
            elif not 200 <= code < 300:
                raise PopulationFileError(
                    "age", line=line, column=c_age, value=text, expected=_coding(coding)
                )
        elif 101 <= code <= 191:
            coding = _NOMIS
            pending.clear()  # 0, 1, 3..18 were age groups
            yield line, area, year, code - 101, sex, count
        elif code == 2 or 19 <= code <= 90:
            coding = _SINGLE
            yield from pending
            pending.clear()
            yield line, area, year, code, sex, count
        elif 0 <= code <= 18:
            pending.append((line, area, year, code, sex, count))
        elif not 200 <= code < 300:
            raise PopulationFileError(
                "age", line=line, column=c_age, value=text, expected=_coding(coding)
            )
    yield from pending  # no code seen: single years


def _coding(coding: str | None) -> Phrase:
    if coding is _NOMIS:
        return Phrase(_("a Nomis age code (101 to 191 for ages 0 to 90+, or an age group)"))
    if coding is _SINGLE:
        return Phrase(_("an age 0 to 90"))
    return Phrase(_("an age 0 to 90 or a Nomis age code 101 to 191"))


def _wide_rows(
    path: PathLike, layout: Layout, total: int, progress: Progress | None
) -> Iterator[tuple[int, str, int, int, int, int]]:
    columns = _columns(layout)
    names = {name.upper(): name for name in reversed(layout.header)}
    i_area, i_sex, i_age = columns["AREA_CODE"], columns["SEX"], columns["AGE_GROUP"]
    c_area, c_sex, c_age = names["AREA_CODE"], names["SEX"], names["AGE_GROUP"]
    i_component = columns.get("COMPONENT")
    year_columns = [
        (index, int(name.strip()), name)
        for index, name in enumerate(layout.header)
        if _YEAR_HEADER.fullmatch(name.strip())
    ]
    for _, year, name in year_columns:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PopulationFileError("year", line=layout.header_line, column=name, value=name)
    comma = layout.delimiter == ";"
    areas = _Areas()
    for line, row in _csv_rows(path, layout, total, progress):
        if i_component is not None and row[i_component].strip().lower() != "population":
            continue  # births, deaths, migration
        sex = _SEXES.get(row[i_sex]) or _sex(row[i_sex], line, c_sex)
        if sex == 0:
            continue
        age = _age_label(row[i_age])
        if age is None:
            raise PopulationFileError(
                "age",
                line=line,
                column=c_age,
                value=_shown(row[i_age]),
                expected=Phrase(_("an age 0 to 89, 90 and over, or All ages")),
            )
        if age < 0:
            continue
        area = areas.check(row[i_area], line, c_area)
        for index, year, name in year_columns:
            yield line, area, year, age, sex, _count(row[index], line, name, comma=comma)


# ---------------------------------------------------------------------------------------------
# Workbooks


def _open_workbook(path: PathLike) -> tuple[BinaryIO, Any]:
    try:
        archives.check_archive(path)
    except archives.ArchiveRefused as exc:
        raise _archive_refused(exc) from None
    try:
        return tabular.open_workbook(path)
    except tabular.Refused as exc:
        raise _refused(exc) from None


def _archive_refused(exc: archives.ArchiveRefused) -> PopulationFileError:
    return archives.refusal(
        exc,
        PopulationFileError,
        too_large=lambda size, limit: PopulationFileError(
            "unzipped", size_mb=f"{size / 1024**2:,.0f}", max_mb=f"{limit / 1024**2:,.0f}"
        ),
        unreadable=lambda reason: PopulationFileError("unreadable", reason=reason),
    )


def _excel_name(value: object) -> str:
    return str(value).strip().lower() if value is not None else ""


def _refuse_formulas(row: tuple[Any, ...], number: int, sheet: str) -> None:
    try:
        tabular.refuse_formulas(row, number)
    except tabular.Refused as exc:
        raise _refused(exc, sheet) from None


def _header_score(names: list[str]) -> int:
    return sum(
        1
        for name in names
        if _LADCODE.fullmatch(name)
        or _LANAME.fullmatch(name)
        or _POPULATION.fullmatch(name)
        or name in {"country", "sex", "age"}
    )


def _find_header(worksheet: Any) -> tuple[int, tuple[Any, ...]] | None:
    for number, row in enumerate(
        worksheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        if _header_score([_excel_name(value) for value in row]) >= 2:
            return number, tuple(row)
    return None


def _detect_workbook(path: PathLike) -> Layout:
    raw, workbook = _open_workbook(path)
    try:
        with raw:
            try:
                return _workbook_layout(workbook)
            finally:
                workbook.close()
    except PopulationFileError:
        raise
    except Exception as exc:
        raise PopulationFileError("unreadable", reason=type(exc).__name__) from None


def _workbook_layout(workbook: Any) -> Layout:
    """The sheet named MYEB1 if there is one, else the first sheet with a MYEB1 header."""
    titles = list(workbook.sheetnames)
    chosen = [t for t in titles if t.strip().upper() == "MYEB1"] or titles
    problem: PopulationFileError | None = None
    for title in chosen:
        worksheet = workbook[title]
        if not tabular.is_sheet(worksheet):
            continue  # a chart sheet
        worksheet.reset_dimensions()  # trust the rows, not the size the file claims
        found = _find_header(worksheet)
        if found is None:
            continue
        number, row = found
        _refuse_formulas(row, number, title)
        names = [_excel_name(value) for value in row]
        missing = []
        if not any(_LADCODE.fullmatch(n) for n in names):
            missing.append("ladcodeNN")
        missing += [n for n in ("sex", "age") if n not in names]
        if not any(_POPULATION.fullmatch(n) for n in names):
            missing.append("population_YYYY")
        if missing:
            problem = problem or PopulationFileError(
                "merged_header" if "" in names else "missing_column",
                line=number,
                sheet=title,
                layout=Phrase(_("the ONS mid-year estimates workbook (MYEB1)")),
                missing=", ".join(missing),
                found=_found([str(v) if v is not None else None for v in row]),
            )
            continue
        return Layout(
            name="ons_myeb1_excel",
            label=Phrase(_("ONS mid-year estimates workbook (sheet {sheet})"), sheet=title),
            kind="estimate",
            header=tuple("" if value is None else str(value).strip() for value in row),
            header_line=number,
            sheet=title,
        )
    if problem is not None:
        raise problem
    where = (
        Phrase(_("sheet {sheet}"), sheet=chosen[0]) if len(chosen) == 1 else Phrase(_("any sheet"))
    )
    raise PopulationFileError(
        "layout",
        expected=Phrase(
            _("a header row in the first {rows} rows of {where} with {columns}"),
            rows=HEADER_SEARCH_ROWS,
            where=where,
            columns=", ".join(EXCEL_REQUIRED),
        ),
        found=Phrase(_("no such row (are header cells merged or missing?)")),
    )


def _workbook_rows(
    path: PathLike, layout: Layout, total: int, progress: Progress | None
) -> Iterator[tuple[int, str, int, int, int, int]]:
    raw, workbook = _open_workbook(path)
    try:
        with raw:
            try:
                yield from _sheet_rows(workbook, layout, total, progress)
            finally:
                workbook.close()
    except PopulationFileError:
        raise
    except Exception as exc:
        raise PopulationFileError("unreadable", reason=type(exc).__name__) from None


def _sheet_rows(
    workbook: Any, layout: Layout, total: int, progress: Progress | None
) -> Iterator[tuple[int, str, int, int, int, int]]:
    from openpyxl.utils import get_column_letter

    sheet = layout.sheet
    assert sheet is not None
    worksheet = workbook[sheet]
    rows_claimed = worksheet.max_row or 0  # for progress only
    worksheet.reset_dimensions()
    names = [name.lower() for name in layout.header]
    i_area = next(i for i, n in enumerate(names) if _LADCODE.fullmatch(n))
    i_sex, i_age = names.index("sex"), names.index("age")
    year_columns = []
    for index, name in enumerate(names):
        match = _POPULATION.fullmatch(name)
        if match:
            year = _year(match.group(1), layout.header_line, layout.header[index], sheet=sheet)
            year_columns.append((index, year, layout.header[index]))
    used = [i_area, i_sex, i_age, *(index for index, _, _ in year_columns)]
    width = max(used) + 1
    # Columns named in messages as "population_2014 (F" + row + ")".
    labels = [f"{name} ({get_column_letter(i + 1)}" for i, name in enumerate(layout.header)]
    areas = _Areas()
    for number, row in enumerate(
        worksheet.iter_rows(min_row=layout.header_line + 1, values_only=True),
        start=layout.header_line + 1,
    ):
        if progress is not None and number % PROGRESS_EVERY == 0 and rows_claimed:
            progress(min(total, total * number // rows_claimed), total)
        if not any(value is not None and value != "" for value in row):
            continue
        _refuse_formulas(row, number, sheet)
        if len(row) < width:
            row = (*row, *([None] * (width - len(row))))
        if all(row[i] is None or row[i] == "" for i in used if i != i_area):
            continue  # a note under the table

        sex = _sex(row[i_sex], number, f"{labels[i_sex]}{number})", sheet=sheet)
        if sex == 0:
            continue
        age = _age_label(row[i_age])
        if age is None:
            raise PopulationFileError(
                "age",
                line=number,
                column=f"{labels[i_age]}{number})",
                value=_shown(row[i_age]),
                expected=Phrase(_("an age 0 to 90")),
                sheet=sheet,
            )
        if age < 0:
            continue
        area = areas.check(row[i_area], number, f"{labels[i_area]}{number})", sheet=sheet)
        for index, year, _name in year_columns:
            count = _count(row[index], number, f"{labels[index]}{number})", sheet=sheet)
            yield number, area, year, age, sex, count


__all__ = [
    "DEFAULT_MAX_BYTES",
    "Cell",
    "Layout",
    "PopulationFileError",
    "detect_layout",
    "read_cells",
]
