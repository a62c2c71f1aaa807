"""The layouts the CQC readers know: what a record is, the columns of each CQC file and
how a header row is recognised, and the refusals with their messages. Pure: no Django."""

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from commissioning.kit import tabular
from commissioning.kit.phrases import Phrase, gettext_noop

DEFAULT_MAX_BYTES = 256 * 1024**2
HEADER_SEARCH_ROWS = 20  # how far down a file the header row may be
MAX_HEADER_CHARS = 64 * 1024  # the longest line looked at while searching for the header
FIRST_YEAR, LAST_YEAR = 1900, 2100  # dates outside these years are mistakes
MAX_BEDS = 10_000
# The longest value accepted, by field; longer values are refused, never cut.
LIMITS = {"name": 255, "provider_name": 255, "also_known_as": 255, "address": 500,
          "description": 5000}  # fmt: skip
OTHER_LIMIT = 1000  # any other text field
UK_LATITUDES, UK_LONGITUDES = (49.0, 61.0), (-9.0, 2.5)

Progress = Callable[[int, int], None]
PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Layout:
    name: str  # "cqc_care_directory", "cqc_hsca_workbook" or "generic"
    label: Phrase  # for people: "CQC care directory (CSV)"
    header: tuple[str, ...]  # the header as found ("" for an empty cell; none after the last)
    header_line: int  # line (row, in a workbook) of the header
    sheet: str | None = None  # workbooks only
    encoding: str | None = None  # CSV only: "utf-8", "utf-8-sig", "cp1252", "utf-16"
    delimiter: str | None = None  # CSV only


@dataclass(frozen=True, slots=True)
class LocationRecord:
    line: int  # CSV line / sheet row, for messages
    location_id: str | None  # CQC location ID, e.g. "1-101641021"
    provider_id: str | None  # CQC provider ID, e.g. "1-101641001"
    provider_name: str
    name: str  # the location or service
    also_known_as: str
    address: str  # one line, parts joined with ", "
    postcode: str  # "DL1 5AB" when it looks like a UK postcode, else as typed; "" when missing
    local_authority: str  # as written in the file, e.g. "Darlington"
    area_code: str | None  # ONS code of the area, when the file gives one
    region: str
    latitude: float | None
    longitude: float | None
    service_types: tuple[str, ...]  # as the file names them
    user_bands: tuple[str, ...]  # service user bands, or the care directory's specialisms
    beds: int | None
    rating: str | None  # "Outstanding", "Good", "Requires improvement" or "Inadequate"
    rating_date: date | None
    phone: str
    website: str
    provider_sector: str | None  # "Independent", "NHS", "Local Authority"... as given
    charity_number: str | None
    company_number: str | None
    dormant: bool
    capacity: float | None = None  # generic layout only
    capacity_unit: str | None = None
    description: str = ""


_ = gettext_noop
_MESSAGES = {
    "too_large": _("The file is {size}; the largest file accepted is {limit}"),
    "too_large_unzipped": _(
        "The workbook would be {size} once unpacked; the largest accepted is {limit}"
    ),
    "empty": "{what}",
    "encoding": _("The file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8"),
    "xls": _(
        "This is an Excel 97-2003 workbook (.xls); open it in Excel and save it as .xlsx or as "
        "CSV UTF-8"
    ),
    "wrong_kind": _(
        "This is {what}, not a CSV file or a spreadsheet; upload the file as CQC publishes it "
        "(CSV, .xlsx or .ods), or save your own list as CSV or .xlsx"
    ),
    "zip": _(
        "This is a zip archive but not a workbook; unzip it and upload the CSV, .xlsx or .ods "
        "file inside"
    ),
    "unreadable": _("The workbook can't be read ({reason}); save it again as .xlsx or as CSV"),
    "entries": _("The workbook holds more than {limit} parts; save it again as .xlsx or as CSV"),
    "packed": _(
        "Part {member} of the workbook unpacks to more than {limit} times its packed size; "
        "save it again as .xlsx or as CSV"
    ),
    "no_header": _(
        "No header row naming the columns in the first {rows} rows{where}: expected the CQC "
        "care directory ({care}), the CQC care directory with filters ({hsca}) or your own "
        "list with a header row; found {found}"
    ),
    "missing_column": _(
        "This looks like {layout} but has missing or renamed columns: {missing} not found "
        "(found {found})"
    ),
    "header_changed": _(
        "The header row is not the one found when the file was checked (found {found}); "
        "upload the file again"
    ),
    "mapping": _("Choose the column that holds {fields}"),
    "mapping_column": _("There is no column '{value}' for {field} (found {found})"),
    "row_length": _(
        "Expected {expected} columns, found {found}: a value holding a comma or a line break "
        "may be missing its quotes"
    ),
    "malformed": _("The line can't be read as CSV ({reason})"),
    "blank": _("{column} is blank; every service needs one"),
    "too_long": _("{column} is {length} characters long; at most {limit} are accepted"),
    "cqc_id": _(
        "{column} '{value}' is not a CQC ID: 1- followed by digits, such as 1-101641021 "
        "(or an NHS code such as RX1)"
    ),
    "duplicate": _("{column} {value} is given twice, on {first} and on {this}"),
    "area_code": _(
        "{column} '{value}' is not an ONS area code (a letter and eight digits, such as E06000005)"
    ),
    "area_entity": _("{column} {value} is not the code of a local authority, region or country"),
    "not_a_number": _("{column} '{value}' is not a number"),
    "not_whole": _("{column} '{value}' is not a whole number"),
    "negative": _("{column} {value} is negative"),
    "too_big": _("{column} {value} is more than {limit}"),
    "coordinates": _("{column} {value} {problem}"),
    "coordinate_pair": _("The row gives a {given} but no {missing}; give both or neither"),
    "date": _(
        "{column} '{value}' is not a date written like 01/02/2023, 01/Feb/2023 - 00:00, "
        "2023-02-01 or 1 February 2023"
    ),
    "impossible_date": _("{column} '{value}' is a date that does not exist"),
    "date_range": _("{column} {value} is not a plausible date (before {first} or after {last})"),
    "rating": _(
        "{column} '{value}' is not a CQC rating: Outstanding, Good, Requires improvement, "
        "Inadequate, or Not yet rated"
    ),
    "yes_no": _("{column} '{value}' is not Y or N"),
    "formula": _("Cell {cell} holds a formula; export the values instead"),
}
CODES = tuple(_MESSAGES)


class CqcFileError(tabular.Refused):
    """A file refused. `code` is a short machine code (see `CODES`); `line` the line of a CSV
    or row of a worksheet (None when the problem is the whole file); `column` the column's
    name as written in the file (with its cell, in a workbook); `params` what a message needs
    (value, expected, found...)."""

    MESSAGES = _MESSAGES


# ---------------------------------------------------------------------------------------------
# Columns


def _key(value: object) -> str:
    """A header name as compared: any case, any spacing, straight apostrophes and dashes."""
    text = "" if value is None else str(value)
    text = text.replace("\ufeff", "").translate(_STRAIGHT)
    return " ".join(text.split()).casefold()


_STRAIGHT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"})

# Our field: the names it has in the file, the first as CQC spells it now.
CARE_DIRECTORY_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Name",),
    "also_known_as": ("Also known as",),
    "address": ("Address",),
    "postcode": ("Postcode",),
    "phone": ("Phone number",),
    "website": (
        "Service's website (if available)",
        "Service's website (if available",
        "Service's website",
    ),
    "service_types": ("Service types",),
    "rating_date": ("Date of latest check",),
    "user_bands": ("Specialisms/services",),
    "provider_name": ("Provider name",),
    "local_authority": ("Local authority",),
    "region": ("Region",),
    "location_url": ("Location URL",),
    "location_id": (
        "CQC Location ID (for office use only)",
        "CQC Location ID",
        "CQC Location (for office use only",  # files of 2016 to 2020
        "CQC Location (for office use only)",
    ),
    "provider_id": ("CQC Provider ID (for office use only)", "CQC Provider ID"),
}
CARE_DIRECTORY_REQUIRED = ("name", "address", "postcode", "service_types", "provider_name",
                           "local_authority", "location_id", "provider_id")  # fmt: skip
_CARE_DISTINCTIVE = ("website", "rating_date", "user_bands", "location_url", "location_id",
                     "provider_id", "service_types")  # fmt: skip

HSCA_COLUMNS: dict[str, tuple[str, ...]] = {
    "location_id": ("Location ID",),
    "start_date": ("Location HSCA start date",),
    "dormant": ("Dormant (Y/N)", "Dormant"),
    "care_home": ("Care home?",),
    "name": ("Location Name",),
    "phone": ("Location Telephone Number",),
    "website": ("Location Web Address",),
    "beds": ("Care homes beds", "Care home beds"),
    "location_sector": ("Location Type/Sector",),
    "rating": ("Location Latest Overall Rating",),
    "rating_date": ("Publication Date",),
    "region": ("Location Region",),
    "local_authority": ("Location Local Authority",),
    "address": ("Location Street Address",),
    "address_line_2": ("Location Address Line 2",),
    "town": ("Location City",),
    "county": ("Location County",),
    "postcode": ("Location Postal Code",),
    "latitude": ("Location Latitude",),
    "longitude": ("Location Longitude",),
    "also_known_as": ("Location Also Known As",),
    "provider_id": ("Provider ID",),
    "provider_name": ("Provider Name",),
    "company_number": ("Provider Companies House Number",),
    "charity_number": ("Provider Charity Number",),
    "provider_sector": ("Provider Type/Sector",),
    "provider_ownership": ("Provider Ownership Type",),
}
HSCA_REQUIRED = ("location_id", "name", "provider_id", "provider_name", "postcode",
                 "local_authority")  # fmt: skip
_HSCA_DISTINCTIVE = ("location_id", "start_date", "dormant", "care_home", "name", "beds",
                     "rating", "local_authority", "postcode", "provider_id")  # fmt: skip
_SERVICE_TYPE = re.compile(r"service types?\s*-\s*(.+)", re.IGNORECASE)
_USER_BAND = re.compile(r"service user bands?\s*-\s*(.+)", re.IGNORECASE)
_ONE_HOT = re.compile(r"(?:service types?|service user bands?|regulated activity)\s*-\s*.+")

GENERIC_FIELDS = (
    "provider_name", "name", "service_types", "location_id", "provider_id", "also_known_as",
    "address", "address_line_2", "town", "county", "postcode", "local_authority", "area_code",
    "region", "latitude", "longitude", "user_bands", "beds", "capacity", "capacity_unit",
    "rating", "rating_date", "phone", "website", "provider_sector", "charity_number",
    "company_number", "dormant", "description",
)  # fmt: skip
GENERIC_REQUIRED = ("provider_name", "name", "service_types")
GENERIC_LABELS: dict[str, Phrase] = {
    "provider_name": Phrase(_("Provider (the organisation that runs the service)")),
    "name": Phrase(_("Service or location name")),
    "service_types": Phrase(_("Service types (several separated by | or ;)")),
    "location_id": Phrase(_("CQC location ID")),
    "provider_id": Phrase(_("CQC provider ID")),
    "also_known_as": Phrase(_("Also known as")),
    "address": Phrase(_("Address (first line, or the whole address)")),
    "address_line_2": Phrase(_("Address line 2")),
    "town": Phrase(_("Town or city")),
    "county": Phrase(_("County")),
    "postcode": Phrase(_("Postcode")),
    "local_authority": Phrase(_("Local authority name")),
    "area_code": Phrase(_("Local authority code (ONS, such as E06000005)")),
    "region": Phrase(_("Region")),
    "latitude": Phrase(_("Latitude")),
    "longitude": Phrase(_("Longitude")),
    "user_bands": Phrase(_("Who the service is for (several separated by | or ;)")),
    "beds": Phrase(_("Beds")),
    "capacity": Phrase(_("Capacity")),
    "capacity_unit": Phrase(_("Unit of capacity (places, hours a week...)")),
    "rating": Phrase(_("CQC rating")),
    "rating_date": Phrase(_("Date of the rating or latest check")),
    "phone": Phrase(_("Phone number")),
    "website": Phrase(_("Website")),
    "provider_sector": Phrase(_("Provider sector or ownership")),
    "charity_number": Phrase(_("Charity number")),
    "company_number": Phrase(_("Company number")),
    "dormant": Phrase(_("Dormant (Y/N)")),
    "description": Phrase(_("Description")),
}

# Header names (lower case, letters and digits only) that suggest each generic field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "provider_name": ("provider", "providername", "organisation", "organisationname",
                      "organization", "organizationname", "provider organisation",
                      "registeredprovider", "operator", "companyname", "supplier",
                      "suppliername"),
    "name": ("name", "servicename", "service", "locationname", "location", "sitename",
             "homename", "carehome", "carehomename", "schemename", "establishment",
             "establishmentname"),
    "service_types": ("servicetype", "servicetypes", "typeofservice", "servicecategory",
                      "category", "type", "services", "caretype", "typeofcare"),
    "location_id": ("cqclocationid", "locationid", "cqcid", "cqclocationidforofficeuseonly"),
    "provider_id": ("cqcproviderid", "providerid", "cqcprovideridforofficeuseonly"),
    "also_known_as": ("alsoknownas", "aka", "tradingname", "tradingas"),
    "address": ("address", "address1", "addressline1", "streetaddress", "street",
                "fulladdress"),
    "address_line_2": ("address2", "addressline2", "locality"),
    "town": ("town", "city", "towncity", "posttown"),
    "county": ("county",),
    "postcode": ("postcode", "postalcode", "zip", "zipcode"),
    "local_authority": ("localauthority", "la", "council", "localauthorityname", "laname",
                        "district", "borough"),
    "area_code": ("localauthoritycode", "lacode", "areacode", "ladcode", "onscode",
                  "gsscode", "ladcd", "localauthorityonscode"),
    "region": ("region",),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "user_bands": ("userbands", "serviceuserbands", "userband", "clientgroup",
                   "clientgroups", "specialisms", "specialismsservices", "usergroup",
                   "usergroups", "whoitisfor"),
    "beds": ("beds", "numberofbeds", "bedcount", "registeredbeds", "carehomesbeds"),
    "capacity": ("capacity", "places", "numberofplaces"),
    "capacity_unit": ("capacityunit", "capacityunits", "unit", "units"),
    "rating": ("rating", "cqcrating", "overallrating", "latestrating",
               "latestoverallrating"),
    "rating_date": ("ratingdate", "dateoflatestcheck", "inspectiondate", "lastinspected",
                    "publicationdate", "dateofrating"),
    "phone": ("phone", "telephone", "phonenumber", "telephonenumber", "tel"),
    "website": ("website", "web", "url", "webaddress", "websiteaddress"),
    "provider_sector": ("sector", "providersector", "ownership", "ownershiptype",
                        "providertype", "providertypesector"),
    "charity_number": ("charitynumber", "charityno", "registeredcharitynumber", "charity",
                       "charityregistrationnumber"),
    "company_number": ("companynumber", "companyno", "companieshousenumber", "crn",
                       "registeredcompanynumber", "companyregistrationnumber"),
    "dormant": ("dormant", "dormantyn"),
    "description": ("description", "notes", "details", "about", "summary"),
}  # fmt: skip
_SUGGESTIONS = {synonym: field for field, names in _SYNONYMS.items() for synonym in names}
_LAD_CODE = re.compile(r"lad\d\dcd")


def _compact(name: object) -> str:
    return re.sub(r"[^0-9a-z]+", "", _key(name).replace("&", "and"))


def suggest_mapping(header: Iterable[str]) -> dict[str, str]:
    """Our field: the column of `header` that probably holds it, from the column's name."""
    mapping: dict[str, str] = {}
    for name in header:
        compact = _compact(name)
        field = _SUGGESTIONS.get(compact)
        if field is None and _LAD_CODE.fullmatch(compact):
            field = "area_code"
        if field is not None and field not in mapping:
            mapping[field] = name
    return mapping


def _match(header: Sequence[str], columns: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Our field: the index of its column in `header`, for the fields the header has."""
    wanted = {_key(name): field for field, names in columns.items() for name in names}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        field = wanted.get(_key(name))
        if field is not None and field not in found:
            found[field] = index
    return found


def _one_hot(header: Sequence[str], pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(index, term) of the columns named like "Service type - Shared Lives"."""
    terms = []
    for index, name in enumerate(header):
        match = pattern.fullmatch(" ".join(str(name).translate(_STRAIGHT).split()))
        if match:
            terms.append((index, match.group(1).strip()))
    return terms


@dataclass(frozen=True)
class _Guess:
    """What a row of the first rows looks like as a header."""

    layout: str  # "cqc_care_directory", "cqc_hsca_workbook" or "generic"
    line: int
    header: tuple[str, ...]
    missing: tuple[str, ...] = ()  # for a CQC layout: the required columns not found

    @property
    def rank(self) -> tuple[int, int]:
        if self.layout == "generic":
            return (0, len(suggest_mapping(self.header)))
        return (2 if not self.missing else 1, -len(self.missing))


def _guess(line: int, cells: Sequence[object]) -> _Guess | None:
    """The layout whose header `cells` is, if any; None if they are no header at all."""
    names = [_header_text(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()  # empty cells after the last column
    header = tuple(names)
    care = _match(header, CARE_DIRECTORY_COLUMNS)
    hsca = _match(header, HSCA_COLUMNS)
    service_types = _one_hot(header, _SERVICE_TYPE)
    one_hot = sum(1 for name in header if _ONE_HOT.fullmatch(_key(name)))
    # A CQC file with a column missing is refused by name; a list that merely shares a few
    # names with one ("Location ID", "Provider Name") is the council's own.
    care_like = sum(1 for field in _CARE_DISTINCTIVE if field in care) >= 3
    hsca_distinctive = sum(1 for field in _HSCA_DISTINCTIVE if field in hsca)
    hsca_like = (one_hot > 0 and hsca_distinctive >= 2) or hsca_distinctive >= 5
    if care_like or hsca_like:
        if hsca_like and (not care_like or len(hsca) + one_hot >= len(care)):
            missing = [_display(HSCA_COLUMNS, f) for f in HSCA_REQUIRED if f not in hsca]
            if not service_types:
                missing.append(_SERVICE_TYPE_COLUMN)
            return _Guess("cqc_hsca_workbook", line, header, tuple(missing))
        missing = [
            _display(CARE_DIRECTORY_COLUMNS, f) for f in CARE_DIRECTORY_REQUIRED if f not in care
        ]
        return _Guess("cqc_care_directory", line, header, tuple(missing))
    names = [name for name in header if name]
    if len(names) < 2 or len(set(names)) < len(names) * 0.8:
        return None
    if any(not isinstance(cell, str) or _looks_like_data(cell) for cell in cells if cell):
        return None
    return _Guess("generic", line, header)


_SERVICE_TYPE_COLUMN = "Service type - \u2026"
_DATA_LIKE = re.compile(r"[-+]?[0-9][0-9.,/: -]*")


def _looks_like_data(text: str) -> bool:
    """A cell that is a number or a date, which no header name is."""
    return bool(_DATA_LIKE.fullmatch(text.strip()))


def _display(columns: Mapping[str, tuple[str, ...]], field: str) -> str:
    return columns[field][0]


def _header_text(value: object) -> str:
    if value is None:
        return ""
    text = str(value).replace("\ufeff", "").strip()
    if text.startswith("\u00ef\u00bb\u00bf"):  # a UTF-8 mark read as Windows-1252
        text = text[3:].strip()
    return text


def _best(guesses: Iterable[_Guess | None]) -> _Guess | None:
    """The first CQC header if there is one; else the generic header naming most fields (the
    first of them)."""
    best: _Guess | None = None
    for guess in guesses:
        if guess is None:
            continue
        if guess.layout != "generic":
            if best is None or guess.rank > best.rank:
                best = guess
            if not guess.missing:
                return guess
        elif best is None or (best.layout == "generic" and guess.rank > best.rank):
            best = guess
    return best


def _found(header: Sequence[str | None]) -> Phrase:
    """The header as found, for a message; None or "" stands for an empty cell."""
    if not any(header):
        return Phrase(_("nothing"))
    shown = list(header[:20])
    while shown and not shown[-1]:
        shown.pop()
    names = {
        f"c{i}": _shown(name) if name else Phrase(_("(empty)")) for i, name in enumerate(shown)
    }
    # Not a template to translate: a list whose empty cells are.
    listed = ", ".join(f"{{c{i}}}" for i in range(len(shown)))
    return Phrase(listed + (", ..." if len(header) > 20 else ""), **names)


def _listed(names: Sequence[str]) -> Phrase:
    values = {
        f"m{i}": Phrase(_("at least one 'Service type - \u2026' column"))
        if name == _SERVICE_TYPE_COLUMN
        else name
        for i, name in enumerate(names)
    }
    return Phrase(", ".join(f"{{m{i}}}" for i in range(len(names))), **values)


def _where(sheet: str | None) -> dict[str, Any]:
    """The params that say which sheet a problem is on, if any."""
    return {"sheet": sheet} if sheet else {}


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


_LAYOUT_NAMES = {
    "cqc_care_directory": _("the CQC care directory"),
    "cqc_hsca_workbook": _("the CQC care directory with filters (HSCA Active Locations)"),
}


def _missing(guess: _Guess, **where: Any) -> CqcFileError:
    return CqcFileError(
        "missing_column",
        line=guess.line,
        layout=Phrase(_LAYOUT_NAMES[guess.layout]),
        missing=_listed(guess.missing),
        found=_found(guess.header),
        **where,
    )


def _no_header(found: Phrase, where: Phrase | str = "", **params: Any) -> CqcFileError:
    return CqcFileError(
        "no_header",
        rows=HEADER_SEARCH_ROWS,
        where=where,
        care=", ".join(_display(CARE_DIRECTORY_COLUMNS, f) for f in CARE_DIRECTORY_REQUIRED),
        hsca=", ".join([*(_display(HSCA_COLUMNS, f) for f in HSCA_REQUIRED), "Service type - …"]),
        found=found,
        **params,
    )
