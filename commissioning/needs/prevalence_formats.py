"""Read a prevalence rate set that a user uploads: a CSV or an Excel workbook (.xlsx, first
sheet) with a header row like the CFAS II file's

    age_band,sex,prevalence,lower_95,upper_95
    65-69,male,0.012,0.006,0.023

into `RateBand`s, refusing anything that would give a wrong projection.

Accepted:
- header names in any case, with spaces or hyphens for underscores; "age", "age_group" for
  age_band, "gender" for sex, "rate" for prevalence, "lower"/"upper" (and "_ci", "_95_ci"
  forms) for the interval. lower_95 and upper_95 are optional columns and may be left blank.
  Other columns are ignored; the header is the first non-blank row.
- age bands "65-69" (or with an en dash), "65 to 69", "under 5", single ages "50", and open
  bands "90+", "85 and over", "85 or over", "85 and older", "85 plus" (optionally "aged …",
  "… years").
  Ages run 0..90: 90 is "90 and over" in the population data, so a closed band must end by 89
  and any later ages come as the last, open band.
- sex "male"/"m"/"men"/"males"/"1", "female"/"f"/"women"/"females"/"2", or
  "persons"/"people"/"all"/"both" (→ 0, the band applies to both sexes), in any case.
- rates as proportions ("0.012") or percentages ("1.2%"); a decimal comma ("0,012") when the
  delimiter is not a comma.
- CSV in UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or
  Windows-1252; delimited by commas, semicolons or tabs.

Refused, with the line (the spreadsheet row, or the CSV line; the header is line 1 unless blank
lines precede it): overlapping or duplicate bands of a sex (a "persons" band overlaps male and
female bands of the same ages), gaps between the lowest and the highest band of a sex, a male
band without the same female band or the other way round, rates outside 0..1, an interval that
excludes its rate, and formula cells in a workbook (we read what was typed, never a cached
result).

Pure: no Django.
"""

import csv
import io
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from math import isfinite
from os import PathLike
from pathlib import Path
from typing import Any

from commissioning.kit import archives, tabular
from commissioning.kit.phrases import Phrase, gettext_noop
from commissioning.needs.projection import BOTH, FEMALE, MALE, OLDEST, RateBand

MAX_BYTES = 2_000_000  # a rate set is a few hundred bytes; this is generous
MAX_UNZIPPED_BYTES = 50_000_000  # a workbook's parts once decompressed (a zip bomb otherwise)
MAX_ROWS = 1_000  # at most 182 rows can be valid (91 ages, 2 sexes)
MAX_COLUMNS = 50  # columns of a worksheet looked at

SEX_NAMES = {MALE: "male", FEMALE: "female", BOTH: "persons"}

# code: English message, formatted with the error's params. The codes are stable.
_ = gettext_noop
MESSAGES = {
    "empty": _("The file has no rows of rates."),
    "too_large": _("The file is larger than {limit} bytes; a rate set is much smaller than that."),
    "encoding": _("The file is not text in UTF-8, UTF-16 or Windows-1252 (it looks binary)."),
    "unreadable": _("The file could not be read as {kind}."),
    "entries": _("The workbook holds more than {limit} parts; save it again as .xlsx or as CSV."),
    "packed": _(
        "Part {member} of the workbook unpacks to more than {limit} times its packed size; "
        "save it again as .xlsx or as CSV."
    ),
    "formula": _(
        "Cell {cell} holds a formula; enter the values themselves (paste as values) and "
        "upload again."
    ),
    "missing_column": _(
        "The header row has no {column} column; it needs age_band, sex and prevalence "
        "(lower_95 and upper_95 are optional)."
    ),
    "duplicate_column": _("The header row has more than one {column} column."),
    "too_many_rows": _("The file has more than {limit} rows of rates."),
    "blank": _("The {column} cell is blank."),
    "band": _("{value!r} is not an age band such as 65-69, 90+ or 85 and over{detail}."),
    "sex": _("{value!r} is not a sex: use male, female or persons."),
    "not_a_number": _("The {column} value {value!r} is not a number such as 0.012 or 1.2%."),
    "rate_range": _("The {column} value {value!r} is not between 0 and 1 (0% and 100%){detail}."),
    "interval": _("The interval {lower} to {upper} does not contain the prevalence {rate}."),
    "duplicate": _("Band {band} ({sex}) is already given on line {other_line}."),
    "overlap": _(
        "Band {band} ({sex}) overlaps band {other_band} ({other_sex}) on line {other_line}."
    ),
    "unpaired": _(
        "Band {band} has a {sex} row but no {missing} row; give both (a rate of 0 if the "
        "condition does not affect one sex), or one persons row."
    ),
    "gap": _(
        "Band {band} ({sex}) leaves ages {gap_from} to {gap_to} uncovered after band "
        "{previous_band} on line {other_line}."
    ),
}
# Some codes carry a `reason` param that adds a detail to the message.
DETAILS: dict[tuple[str, str | None], str] = {
    ("band", "reversed"): _(" (it ends before it starts)"),
    ("band", "past_90"): _(" (ages stop at 90 and over)"),
    ("band", "closed_90"): _(" (ages from 90 are one open band, 90+)"),
    ("rate_range", "percentage"): _("; if it is a percentage, write {value}%"),
}
# Params that hold words rather than values from the file.
_WORDS = {
    "male": _("male"),
    "female": _("female"),
    "persons": _("persons"),
    "workbook": _("an .xlsx workbook"),
    "workbook_or_csv": _("an .xlsx workbook or CSV (save it as .xlsx)"),
    "table_workbook": _("a workbook whose first sheet is a table"),
    "CSV": "CSV",
}
_WORD_PARAMS = ("sex", "other_sex", "missing", "kind")
CODES = tuple(MESSAGES)


class PrevalenceFileError(tabular.Refused):
    """Why an uploaded rate set was refused: `code` (one of CODES), `line` (the 1-based line or
    spreadsheet row, or None when the problem is the whole file) and `params` (the values the
    message names: `column` is a canonical column name, `sex`/`other_sex`/`missing` are "male",
    "female" or "persons", `band`/`other_band` are normalised labels such as "65-69" or
    "90+", `reason` is a key of DETAILS or None). `str()` gives the English sentence, led by
    "Line N: " when there is a line."""

    MESSAGES = MESSAGES

    def __init__(self, code: str, line: int | None = None, **params: Any) -> None:
        # `column` is a param here (a canonical column name), not the kit's column.
        Exception.__init__(self, code, line, params)
        self.code = code
        self.line = line
        self.column = None
        self.params = params

    @property
    def phrase(self) -> Phrase:
        """The problem in words, led by its line, to be rendered in the reader's language."""
        values: dict[str, Any] = dict(self.params)
        for name in _WORD_PARAMS:
            if values.get(name) in _WORDS:
                values[name] = Phrase(_WORDS[values[name]])
        detail = DETAILS.get((self.code, self.params.get("reason")))
        values["detail"] = Phrase(detail, **values) if detail else ""
        message = Phrase(MESSAGES[self.code], **values)
        if self.line is None:
            return message
        return Phrase(_("Line {line}: {message}"), line=self.line, message=message)

    def __str__(self) -> str:
        return self.phrase.render()


COLUMN_ALIASES = {
    "age_band": ("age_band", "age", "age_group", "ages", "band"),
    "sex": ("sex", "gender"),
    "prevalence": ("prevalence", "rate"),
    "lower_95": ("lower_95", "lower", "lower_ci", "lower_95_ci", "lci"),
    "upper_95": ("upper_95", "upper", "upper_ci", "upper_95_ci", "uci"),
}
REQUIRED = ("age_band", "sex", "prevalence")
CANONICAL = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}

SEXES = {
    **dict.fromkeys(("male", "males", "m", "man", "men", "1"), MALE),
    **dict.fromkeys(("female", "females", "f", "woman", "women", "2"), FEMALE),
    **dict.fromkeys(("persons", "person", "people", "all", "both"), BOTH),
}

_AGE = r"(\d{1,3})"
_BAND_RANGE = re.compile(_AGE + r"\s*(?:-|\u2013|\u2014|to)\s*" + _AGE)
_BAND_OPEN = re.compile(_AGE + r"\s*(?:\+|and\s+over|or\s+over|and\s+older|plus)")
_BAND_UNDER = re.compile(r"(?:under|less\s+than|<)\s*" + _AGE)
_BAND_SINGLE = re.compile(_AGE)
_BAND_PREFIX = re.compile(r"^(?:aged|age)\s+")
_BAND_SUFFIX = re.compile(r"\s*(?:years?|yrs?|y)(?:\s+old)?$")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")


@dataclass(frozen=True)
class _Row:
    line: int
    age_from: int
    age_to: int | None
    sex: int
    rate: float
    lower: float | None
    upper: float | None

    @property
    def last_age(self) -> int:
        return OLDEST if self.age_to is None else self.age_to

    def band_label(self) -> str:
        return _band_label(self.age_from, self.age_to)


def _band_label(age_from: int, age_to: int | None) -> str:
    if age_to is None:
        return f"{age_from}+"
    return str(age_from) if age_from == age_to else f"{age_from}-{age_to}"


# Reading ------------------------------------------------------------------------------------


def read_rate_bands(path: str | PathLike[str]) -> list[RateBand]:
    """The bands of the rate set in the CSV or .xlsx file at `path`, in the file's order.
    Raises PrevalenceFileError."""
    with Path(path).open("rb") as stream:
        data = stream.read(MAX_BYTES + 1)
    return parse_rate_bands(data)


def parse_rate_bands(data: bytes) -> list[RateBand]:
    """The bands of the rate set in an uploaded file's bytes: a workbook when they start as a
    zip archive (.xlsx) does, CSV otherwise. Raises PrevalenceFileError."""
    if len(data) > MAX_BYTES:
        raise PrevalenceFileError("too_large", limit=MAX_BYTES)
    kind = tabular.sniff(data)
    if kind == "zip":
        with closing(_xlsx_rows(data)) as cells:
            return _bands(cells, decimal_comma=False)
    if kind == "xls":
        raise PrevalenceFileError("unreadable", kind="workbook_or_csv")
    try:
        text = tabular.decode(data)
    except tabular.Refused as exc:
        raise _refused(exc) from None
    delimiter, rows = _csv_rows(text)
    return _bands(rows, decimal_comma=delimiter != ",")


def _refused(exc: tabular.Refused) -> PrevalenceFileError:
    """The kit's refusal of a tabular file in this reader's words: a rate set is small, so
    where the encoding shows it is wrong is not said."""
    if exc.code == "too_large":
        return PrevalenceFileError("too_large", limit=MAX_BYTES)
    if exc.code == "encoding":
        return PrevalenceFileError("encoding")
    if exc.code == "formula":
        return PrevalenceFileError("formula", exc.line, cell=exc.params["cell"])
    if exc.code == "xls":
        return PrevalenceFileError("unreadable", kind="workbook_or_csv")
    return PrevalenceFileError("unreadable", kind="workbook")


def _csv_rows(text: str) -> tuple[str, Iterator[tuple[int, list[object]]]]:
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(header)

    def rows() -> Iterator[tuple[int, list[object]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for record in reader:
                yield reader.line_num, list(record)
        except csv.Error:
            raise PrevalenceFileError("unreadable", reader.line_num + 1, kind="CSV") from None

    return delimiter, rows()


def _delimiter(header: str) -> str:
    """The delimiter that makes the header name the required columns; failing that, the one
    the header uses most (the missing column is then reported)."""
    candidates = (",", ";", "\t")
    for delimiter in candidates:
        try:
            names = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            continue
        if all(name in {CANONICAL.get(_header_name(n)) for n in names} for name in REQUIRED):
            return delimiter
    return max(candidates, key=header.count)


def _xlsx_rows(data: bytes) -> Generator[tuple[int, list[object]], None, None]:
    try:
        archives.check_archive(io.BytesIO(data), max_inflated=MAX_UNZIPPED_BYTES)
    except archives.ArchiveRefused as exc:
        raise archives.refusal(
            exc,
            PrevalenceFileError,
            too_large=lambda _size, _limit: PrevalenceFileError(
                "too_large", limit=MAX_UNZIPPED_BYTES
            ),
            unreadable=lambda _reason: PrevalenceFileError("unreadable", kind="workbook"),
        ) from None
    try:
        raw, workbook = tabular.open_workbook(data)
    except tabular.Refused as exc:
        raise _refused(exc) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        if not tabular.is_sheet(sheet):  # a chart sheet
            raise PrevalenceFileError("unreadable", kind="table_workbook")
        rows = tabular.sheet_rows(sheet, max_col=MAX_COLUMNS)
        line = 0
        while True:
            try:
                line, values = next(rows)
            except StopIteration:
                return
            except Exception:
                raise PrevalenceFileError(
                    "unreadable", line + 1, kind="an .xlsx workbook"
                ) from None
            try:
                tabular.refuse_formulas(values, line)
            except tabular.Refused as exc:
                raise _refused(exc) from None
            yield line, list(values)
    finally:
        workbook.close()
        raw.close()


# Parsing ------------------------------------------------------------------------------------


def _bands(rows: Iterable[tuple[int, list[object]]], *, decimal_comma: bool) -> list[RateBand]:
    columns: dict[str, int] | None = None
    parsed: list[_Row] = []
    for line, values in rows:
        if all(_blank(value) for value in values):
            continue
        if columns is None:
            columns = _header(line, values)
            continue
        if len(parsed) >= MAX_ROWS:
            raise PrevalenceFileError("too_many_rows", line, limit=MAX_ROWS)
        parsed.append(_row(line, values, columns, decimal_comma=decimal_comma))
    if not parsed:
        raise PrevalenceFileError("empty")
    _check_overlaps(parsed)
    _check_pairs(parsed)
    _check_gaps(parsed)
    return [
        RateBand(row.age_from, row.age_to, row.sex, row.rate, row.lower, row.upper)
        for row in parsed
    ]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_name(value: object) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"[\s\-]+", "_", text.strip().lower().lstrip("\ufeff"))


def _header(line: int, values: Sequence[object]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, value in enumerate(values):
        name = CANONICAL.get(_header_name(value))
        if name is None:
            continue
        if name in columns:
            raise PrevalenceFileError("duplicate_column", line, column=name)
        columns[name] = position
    for name in REQUIRED:
        if name not in columns:
            raise PrevalenceFileError("missing_column", line, column=name)
    return columns


def _cell(values: Sequence[object], columns: dict[str, int], name: str) -> object:
    position = columns.get(name)
    if position is None or position >= len(values):
        return None
    value = values[position]
    return value.strip() if isinstance(value, str) else value


def _row(
    line: int, values: Sequence[object], columns: dict[str, int], *, decimal_comma: bool
) -> _Row:
    band = _cell(values, columns, "age_band")
    sex = _cell(values, columns, "sex")
    if _blank(band):
        raise PrevalenceFileError("blank", line, column="age_band")
    if _blank(sex):
        raise PrevalenceFileError("blank", line, column="sex")
    age_from, age_to = _parse_band(line, band)
    sex_code = _parse_sex(line, sex)
    rate = _number(line, values, columns, "prevalence", decimal_comma=decimal_comma)
    if rate is None:
        raise PrevalenceFileError("blank", line, column="prevalence")
    lower = _number(line, values, columns, "lower_95", decimal_comma=decimal_comma)
    upper = _number(line, values, columns, "upper_95", decimal_comma=decimal_comma)
    if (lower is not None and lower > rate) or (upper is not None and upper < rate):
        raise PrevalenceFileError(
            "interval",
            line,
            lower="…" if lower is None else _show(lower),
            upper="…" if upper is None else _show(upper),
            rate=_show(rate),
        )
    return _Row(line, age_from, age_to, sex_code, rate, lower, upper)


def _show(value: float) -> str:
    return f"{value:g}"


def _parse_band(line: int, value: object) -> tuple[int, int | None]:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise PrevalenceFileError("band", line, value=str(value), reason=None)
    if isinstance(value, float):
        if not value.is_integer():
            raise PrevalenceFileError("band", line, value=str(value), reason=None)
        value = int(value)
    text = str(value).strip().lower()
    text = _BAND_SUFFIX.sub("", _BAND_PREFIX.sub("", text)).strip()
    age_to: int | None
    if match := _BAND_RANGE.fullmatch(text):
        age_from, age_to = int(match[1]), int(match[2])
    elif match := _BAND_OPEN.fullmatch(text):
        age_from, age_to = int(match[1]), None
    elif match := _BAND_UNDER.fullmatch(text):
        age_from, age_to = 0, int(match[1]) - 1
    elif match := _BAND_SINGLE.fullmatch(text):
        age_from = age_to = int(match[1])
    else:
        raise PrevalenceFileError("band", line, value=str(value), reason=None)
    reason = None
    if age_to is not None and age_to < age_from:
        reason = "reversed"
    elif age_from > OLDEST:
        reason = "past_90"
    elif age_to is not None and age_to >= OLDEST:
        reason = "closed_90"
    if reason:
        raise PrevalenceFileError("band", line, value=str(value), reason=reason)
    return age_from, age_to


def _parse_sex(line: int, value: object) -> int:
    if isinstance(value, bool):
        raise PrevalenceFileError("sex", line, value=str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    sex = SEXES.get(str(value).strip().lower())
    if sex is None:
        raise PrevalenceFileError("sex", line, value=str(value))
    return sex


def _number(
    line: int,
    values: Sequence[object],
    columns: dict[str, int],
    name: str,
    *,
    decimal_comma: bool,
) -> float | None:
    value = _cell(values, columns, name)
    if _blank(value):
        return None
    number: float
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise PrevalenceFileError("not_a_number", line, column=name, value=str(value))
    if isinstance(value, str):
        text = value.replace("\u00a0", " ").strip()
        percent = text.endswith("%")
        if percent:
            text = text[:-1].strip()
        if decimal_comma:
            text = text.replace(",", ".")
        if not _NUMBER.fullmatch(text):
            raise PrevalenceFileError("not_a_number", line, column=name, value=value)
        try:
            exact = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise PrevalenceFileError("not_a_number", line, column=name, value=value) from None
        number = float(exact / 100 if percent else exact)
    else:
        number = float(value)
    if not isfinite(number):
        raise PrevalenceFileError("not_a_number", line, column=name, value=str(value))
    if not 0 <= number <= 1:
        written_as_percentage = isinstance(value, str) and value.endswith("%")
        reason = "percentage" if 1 < number <= 100 and not written_as_percentage else None
        raise PrevalenceFileError("rate_range", line, column=name, value=str(value), reason=reason)
    return number


# Checks across rows -------------------------------------------------------------------------


def _check_overlaps(rows: Sequence[_Row]) -> None:
    for position, row in enumerate(rows):
        for earlier in rows[:position]:
            if not (row.sex == earlier.sex or BOTH in (row.sex, earlier.sex)):
                continue
            if row.age_from > earlier.last_age or earlier.age_from > row.last_age:
                continue
            if (row.sex, row.age_from, row.age_to) == (
                earlier.sex,
                earlier.age_from,
                earlier.age_to,
            ):
                raise PrevalenceFileError(
                    "duplicate",
                    row.line,
                    band=row.band_label(),
                    sex=SEX_NAMES[row.sex],
                    other_line=earlier.line,
                )
            raise PrevalenceFileError(
                "overlap",
                row.line,
                band=row.band_label(),
                sex=SEX_NAMES[row.sex],
                other_band=earlier.band_label(),
                other_sex=SEX_NAMES[earlier.sex],
                other_line=earlier.line,
            )


def _check_pairs(rows: Sequence[_Row]) -> None:
    """Every male band has the same female band and the other way round."""
    bands = {
        sex: {(row.age_from, row.age_to) for row in rows if row.sex == sex}
        for sex in (MALE, FEMALE)
    }
    for row in rows:
        if row.sex == BOTH:
            continue
        other = FEMALE if row.sex == MALE else MALE
        if (row.age_from, row.age_to) not in bands[other]:
            raise PrevalenceFileError(
                "unpaired",
                row.line,
                band=row.band_label(),
                sex=SEX_NAMES[row.sex],
                missing=SEX_NAMES[other],
            )


def _check_gaps(rows: Sequence[_Row]) -> None:
    """The bands of each sex (with the persons bands) cover every age from the lowest band's
    first to the highest band's last. Reports the gap found on the earliest line."""
    gaps: list[PrevalenceFileError] = []
    for sex in (MALE, FEMALE):
        covering = sorted(
            (row for row in rows if row.sex in (sex, BOTH)), key=lambda row: row.age_from
        )
        for previous, row in pairwise(covering):
            if row.age_from > previous.last_age + 1:
                gaps.append(
                    PrevalenceFileError(
                        "gap",
                        row.line,
                        band=row.band_label(),
                        sex=SEX_NAMES[row.sex],
                        gap_from=previous.last_age + 1,
                        gap_to=row.age_from - 1,
                        previous_band=previous.band_label(),
                        other_line=previous.line,
                    )
                )
    if gaps:
        raise min(gaps, key=lambda error: error.line or 0)
