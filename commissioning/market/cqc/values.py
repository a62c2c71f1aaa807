"""The values of one row: text, CQC IDs, numbers, coordinates, dates, ratings, yes or no,
as CQC and spreadsheets write them; each refusal names its line and column. Pure: no
Django."""

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from commissioning.core import ons
from commissioning.kit import tabular
from commissioning.kit.phrases import Phrase, gettext_noop
from commissioning.market.cqc.layouts import (
    FIRST_YEAR,
    LAST_YEAR,
    LIMITS,
    OTHER_LIMIT,
    UK_LATITUDES,
    UK_LONGITUDES,
    CqcFileError,
    _shown,
    _where,
)

_ = gettext_noop

_cell = tabular.cell_name
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\u200b]")
_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\u2028\u2029\x85]+[ \t]*")
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")
_CQC_ID = re.compile(r"1-[0-9]{1,15}")
_NHS_CODE = re.compile(r"[A-Z][A-Z0-9]{2,5}")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
# A time after the date, which is ignored: "T10:30:00Z", " 00:00:00", or the care directory's
# " - 00:00" ("09/Jan/2018 - 00:00").
_TIME = (
    r"(?:(?:[ T]|\s*-\s*)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})" + _TIME)
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME)
_WORDED = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)?[ /-]+([A-Za-z]+)\.?[ /,-]+([0-9]{4}|[0-9]{2})" + _TIME
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_RATINGS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
_NO_RATING = frozenset({"", "not yet rated", "not rated", "no rating", "unrated",
                        "insufficient evidence to rate", "not applicable", "n/a"})  # fmt: skip
_YES = frozenset({"y", "yes", "true", "1"})
_NO = frozenset({"", "n", "no", "false", "0"})
EXCEL_EPOCH = date(1899, 12, 30)


def _clean(value: object, breaks: str = " ") -> str:
    """A cell as text, less control characters; line breaks become `breaks`."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "Y" if value else "N"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else str(value)
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    else:
        text = str(value)
    if not text.isprintable():
        text = _CONTROL.sub("", _BREAKS.sub(breaks, text.strip()).replace("\t", " "))
    return text.strip()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _postcode(text: str) -> str:
    compact = "".join(text.split()).upper()
    match = _POSTCODE.fullmatch(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if compact == "GIR0AA":
        return "GIR 0AA"
    return text


_PHONE_WITHOUT_ZERO = re.compile(r"[1-9][0-9]{8,9}")
_BARE_COMMA = re.compile(r"(?<=\S),(?=[^\s\d,])|(?<=\D),(?=\d)")


def _phone(text: str) -> str:
    """A UK phone number as CQC's files write it: the care directory gives "2073770990" for
    020 7377 0990 (the number saved as a number, its leading 0 lost), as does a workbook cell
    formatted as a number. Nine or ten digits not starting with 0 get their 0 back."""
    if _PHONE_WITHOUT_ZERO.fullmatch(text):
        return "0" + text
    return text


def _spaced(address: str) -> str:
    """The care directory's address, whose parts are joined by bare commas ("7-9 White Kennet
    Street,London"), with a space after each comma; "1,000" stays as it is."""
    return _BARE_COMMA.sub(", ", address)


def _terms(text: str) -> tuple[str, ...]:
    """Terms of a list separated by "|" (CQC) or ";", in the file's order, each once."""
    parts = re.split(r"[|;]", text)
    return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))


class _Row:
    """Reads the values of one row, naming the column (and cell) in any refusal."""

    __slots__ = ("columns", "line", "names", "row", "sheet", "where")

    def __init__(
        self,
        row: Sequence[Any],
        line: int,
        columns: Mapping[str, int],
        names: Sequence[str],
        sheet: str | None,
    ) -> None:
        self.row = row
        self.line = line
        self.columns = columns
        self.names = names
        self.sheet = sheet
        self.where = _where(sheet)

    def raw(self, field: str) -> Any:
        index = self.columns.get(field)
        if index is None or index >= len(self.row):
            return None
        return self.row[index]

    def column(self, field: str) -> str:
        return self.name_of(self.columns[field])

    def name_of(self, index: int) -> str:
        name = self.names[index] if index < len(self.names) else ""
        if self.sheet is None:
            return name
        return f"{name} ({_cell(index, self.line)})"

    def refuse(self, code: str, field: str, value: object = None, **params: Any) -> CqcFileError:
        return CqcFileError(
            code,
            line=self.line,
            column=self.column(field),
            **({"value": _shown(_clean(value))} if value is not None else {}),
            **params,
            **self.where,
        )

    def text(self, field: str, breaks: str = " ") -> str:
        index = self.columns.get(field)
        if index is None or index >= len(self.row):
            return ""
        value = self.row[index]
        if value.__class__ is str and value.isprintable():
            text = value.strip()  # most cells: nothing to clean
        elif value is None:
            return ""
        else:
            text = _clean(value, breaks)
        limit = LIMITS.get(field, OTHER_LIMIT)
        if len(text) > limit:
            raise self.refuse("too_long", field, length=len(text), limit=limit)
        return text

    def required(self, field: str) -> str:
        text = self.text(field)
        if not text:
            raise self.refuse("blank", field)
        return text

    def optional(self, field: str) -> str | None:
        return self.text(field) or None

    def cqc_id(self, field: str, required: bool) -> str | None:
        if field not in self.columns:
            return None
        text = self.text(field).upper()
        if not text:
            if required:
                raise self.refuse("blank", field)
            return None
        if not (_CQC_ID.fullmatch(text) or _NHS_CODE.fullmatch(text)):
            raise self.refuse("cqc_id", field, self.raw(field))
        return text

    def number(self, field: str) -> float | None:
        value = self.raw(field)
        if _blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.refuse("not_a_number", field, value)
        if isinstance(value, str):
            text = value.strip().replace("\u00a0", "")
            if _THOUSANDS.fullmatch(text):
                text = text.replace(",", "")
            if not _NUMBER.fullmatch(text):
                raise self.refuse("not_a_number", field, value)
            number = float(text)
        else:
            number = float(value)
        if not math.isfinite(number):
            raise self.refuse("not_a_number", field, value)
        return number

    def count(self, field: str, limit: int | None = None) -> float | None:
        number = self.number(field)
        if number is not None and number < 0:
            raise self.refuse("negative", field, self.raw(field))
        if number is not None and limit is not None and number > limit:
            raise self.refuse("too_big", field, self.raw(field), limit=f"{limit:,}")
        return number

    def whole(self, field: str, limit: int) -> int | None:
        number = self.count(field, limit)
        if number is None:
            return None
        if not number.is_integer():
            raise self.refuse("not_whole", field, self.raw(field))
        return int(number)

    def coordinates(self) -> tuple[float | None, float | None]:
        latitude = self.coordinate("latitude", (-90.0, 90.0))
        longitude = self.coordinate("longitude", (-180.0, 180.0))
        if (latitude is None) != (longitude is None):
            given, missing = (
                ("latitude", "longitude") if longitude is None else ("longitude", "latitude")
            )
            words = {"latitude": Phrase(_("latitude")), "longitude": Phrase(_("longitude"))}
            field = missing if missing in self.columns else given
            raise CqcFileError(
                "coordinate_pair",
                line=self.line,
                column=self.column(field),
                given=words[given],
                missing=words[missing],
                **self.where,
            )
        if (
            latitude is not None
            and longitude is not None
            and UK_LONGITUDES[0] <= latitude <= UK_LONGITUDES[1]
            and UK_LATITUDES[0] <= longitude <= UK_LATITUDES[1]
        ):
            raise self.refuse(
                "coordinates",
                "latitude",
                self.raw("latitude"),
                problem=Phrase(
                    _("is a longitude and {longitude} a latitude: are the columns swapped?"),
                    longitude=_shown(_clean(self.raw("longitude"))),
                ),
            )
        if latitude is not None and not UK_LATITUDES[0] <= latitude <= UK_LATITUDES[1]:
            raise self.outside_uk("latitude", UK_LATITUDES)
        if longitude is not None and not UK_LONGITUDES[0] <= longitude <= UK_LONGITUDES[1]:
            raise self.outside_uk("longitude", UK_LONGITUDES)
        return latitude, longitude

    def coordinate(self, field: str, bounds: tuple[float, float]) -> float | None:
        number = self.number(field)
        if number is not None and not bounds[0] <= number <= bounds[1]:
            if field == "latitude":
                problem = Phrase(_("is not a latitude: latitudes run from -90 to 90"))
            else:
                problem = Phrase(_("is not a longitude: longitudes run from -180 to 180"))
            raise self.refuse("coordinates", field, self.raw(field), problem=problem)
        return number

    def outside_uk(self, field: str, uk: tuple[float, float]) -> CqcFileError:
        if field == "latitude":
            problem = Phrase(
                _("is outside the UK, whose latitudes run from {low} to {high}"),
                low=f"{uk[0]:g}",
                high=f"{uk[1]:g}",
            )
        else:
            problem = Phrase(
                _("is outside the UK, whose longitudes run from {low} to {high}"),
                low=f"{uk[0]:g}",
                high=f"{uk[1]:g}",
            )
        return self.refuse("coordinates", field, self.raw(field), problem=problem)

    def date(self, field: str) -> date | None:
        value = self.raw(field)
        if _blank(value):
            return None
        try:
            parsed = parse_date(value)
        except ValueError as exc:
            raise self.refuse(str(exc), field, value, first=FIRST_YEAR, last=LAST_YEAR) from None
        return parsed

    def rating(self, field: str) -> str | None:
        text = " ".join(self.text(field).split()).casefold()
        if text in _NO_RATING:
            return None
        rating = _RATINGS.get(text)
        if rating is None:
            raise self.refuse("rating", field, self.raw(field))
        return rating

    def yes(self, field: str) -> bool:
        value = self.raw(field)
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = _clean(value).casefold()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise self.refuse("yes_no", field, value)

    def area_code(self, field: str) -> str | None:
        text = self.text(field)
        if not text:
            return None
        try:
            ons.entity_type(text)
        except ons.InvalidAreaCode as exc:
            problem = "area_code" if exc.code == "format" else "area_entity"
            raise self.refuse(problem, field, text) from None
        return text.upper()

    def company_number(self, field: str) -> str | None:
        text = self.text(field).upper().replace(" ", "")
        if text.isdigit() and len(text) < 8:
            text = text.zfill(8)  # a number that lost its leading zeros
        return text or None


def parse_date(value: object) -> date:
    """A date as CQC and spreadsheets write it: 01/02/2023 (day first), 2023-02-01,
    1 February 2023, 01-Feb-2023, or a workbook's date cell (or Excel day number). Raises
    ValueError with "date" (not a date), "impossible_date" (no such day) or "date_range"
    (before FIRST_YEAR or after LAST_YEAR)."""
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and 1 <= value < 2958466):
            raise ValueError("date")
        parsed = EXCEL_EPOCH + timedelta(days=int(value))
    elif isinstance(value, str):
        parsed = _parse_date_text(value.strip())
    else:
        raise ValueError("date")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError("date_range")
    return parsed


def _parse_date_text(text: str) -> date:
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := _ISO.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _WORDED.fullmatch(text):
        named = _MONTHS.get(match[2].casefold())
        if named is None:
            raise ValueError("date")
        day, month, year = int(match[1]), named, int(match[3])
        if len(match[3]) == 2:
            year += 2000 if year < 70 else 1900
    else:
        raise ValueError("date")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("impossible_date") from None
