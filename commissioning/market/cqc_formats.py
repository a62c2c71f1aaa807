"""Reads the files the Care Quality Commission (CQC) publishes about the services it regulates,
and any list of providers and services a council keeps, into `LocationRecord`s: one service
at one place, run by one provider.

Three layouts are recognised from the header row, which may be a few rows down (the first
20 rows are searched; header names match in any case and spacing):

- ``cqc_care_directory``: the CQC care directory CSV ("<day>_<Month>_<year>_CQC_directory.csv",
  linked from https://www.cqc.org.uk/about-us/transparency/using-cqc-data), as CQC writes it:
  four lines above the header, each padded with commas to the header's width ("CQC Locations
  data", an empty line, "This data was produced on 16 September 2026", an empty line), then
  Name, Also known as, Address, Postcode, Phone number, Service's website (if available),
  Service types, Date of latest check, Specialisms/services, Provider name, Local authority,
  Region, Location URL, CQC Location ID (for office use only), CQC Provider ID (for office
  use only). An empty cell is empty (never "-"). The address is one quoted cell whose parts
  are joined by bare commas ("7-9 White Kennet Street,London"): a space is put after each.
  The phone number has lost its leading 0 ("2073770990"): it is put back. Service types and
  specialisms are lists separated by "|". Date of latest check is written "09/Jan/2018 -
  00:00" (files up to about 2020: "14/07/2016 - 00:00"), empty for a service never checked.
  Older files spell "Service's website (if available" without its closing bracket, "Local
  Authority" with a capital, and "CQC Location (for office use only" without "ID" and its
  bracket; all are read.
- ``cqc_hsca_workbook``: the CQC "care directory with filters" workbook (HSCA Active
  Locations), .xlsx or .ods, whichever of its sheets has the header (a "Read me" sheet may
  come first). Service types and service user bands are one column each ("Service type -
  Domiciliary care service"), marked Y. The same sheet saved as CSV is read too.
- ``generic``: any other CSV or workbook with a header row: the caller maps our fields
  (`GENERIC_FIELDS`) to its columns; `suggest_mapping` proposes a mapping from the names.

CSV files may be UTF-8 (with or without a byte order mark), UTF-16 with one, or
Windows-1252; separated by commas, semicolons or tabs.

A CSV streams, a line at a time, so memory stays flat however long the file. Workbooks are
read by python-calamine (Rust), which holds one sheet's values while they are read (a
national HSCA workbook of 50,000 rows reads in about two seconds) and gives formulas' last
values; so an .xlsx with any formula in it is read instead by openpyxl, a row at a time, which
names the formula's cell to refuse it (an .ods is checked for formulas the same way).

Bad input only ever raises `CqcFileError`, whose `code`, `line`, `column` and `params` let
the caller word the problem in the reader's language; `str()` gives a plain English version.

Text is passed on as written (the web layer escapes it), less control characters. Nothing is
truncated: a value longer than its field holds is refused.

Pure: no Django.
"""

import codecs
import csv
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from commissioning.core import ons
from commissioning.kit import archives, tabular
from commissioning.kit.phrases import Phrase, gettext_noop

DEFAULT_MAX_BYTES = 256 * 1024**2
# A workbook's parts once inflated, checked before it is read (a zip bomb otherwise): the
# national HSCA workbook is a few hundred megabytes.
MAX_UNZIPPED_BYTES = 1024**3
PROGRESS_EVERY = 4096  # rows between calls to `progress`
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


# ---------------------------------------------------------------------------------------------
# Detecting


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


# ---------------------------------------------------------------------------------------------
# Values


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


# ---------------------------------------------------------------------------------------------
# Reading


def read_locations(
    path: PathLike,
    *,
    layout: Layout | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[LocationRecord]:
    """The services in `path`, streamed. `layout` is what `detect_layout` found (detected
    again when not given). `mapping` (generic layout only) maps our fields (`GENERIC_FIELDS`)
    to the file's column names; without one, `suggest_mapping`'s is used. `progress` is called
    with (bytes read, file size) for a CSV or (rows read, rows in the sheet) for a workbook
    every few thousand rows, and once at the end.

    The file's size, layout and mapping are checked when this is called; every other problem
    is raised while iterating, so read to the end before keeping anything."""
    if layout is None:
        layout = detect_layout(path, max_bytes=max_bytes)
    else:
        _check_size(path, max_bytes)
    if layout.name == "cqc_care_directory":
        plan = _care_directory_plan(layout)
    elif layout.name == "cqc_hsca_workbook":
        plan = _hsca_plan(layout)
    elif layout.name == "generic":
        plan = _generic_plan(layout, mapping)
    else:
        raise ValueError(f"unknown layout {layout.name!r}")
    kind = _sniff(path)
    if layout.sheet is None:
        if layout.encoding is None or layout.delimiter is None:
            raise ValueError("a CSV layout needs its encoding and delimiter")
        if kind != "csv":
            raise CqcFileError("header_changed", found=Phrase(_("a workbook, not a CSV file")))
        rows = _csv_rows(path, layout, progress)
    else:
        if kind == "csv":
            raise CqcFileError("header_changed", found=Phrase(_("a CSV file, not a workbook")))
        rows = _sheet_rows(path, kind, layout, progress)
    return _locations(rows, plan, layout)


@dataclass(frozen=True)
class _Plan:
    """Where each of our fields is in a layout's rows, and how to read them."""

    layout: str
    columns: dict[str, int]
    service_types: tuple[tuple[int, str], ...] = ()  # one-hot columns and the term each means
    user_bands: tuple[tuple[int, str], ...] = ()


def _care_directory_plan(layout: Layout) -> _Plan:
    columns = _match(layout.header, CARE_DIRECTORY_COLUMNS)
    missing = [f for f in CARE_DIRECTORY_REQUIRED if f not in columns]
    if missing:
        guess = _Guess(
            layout.name,
            layout.header_line,
            layout.header,
            tuple(_display(CARE_DIRECTORY_COLUMNS, f) for f in missing),
        )
        raise _missing(guess, **_where(layout.sheet))
    return _Plan(layout.name, columns)


def _hsca_plan(layout: Layout) -> _Plan:
    columns = _match(layout.header, HSCA_COLUMNS)
    service_types = _one_hot(layout.header, _SERVICE_TYPE)
    missing = [_display(HSCA_COLUMNS, f) for f in HSCA_REQUIRED if f not in columns]
    if not service_types:
        missing.append(_SERVICE_TYPE_COLUMN)
    if missing:
        guess = _Guess(layout.name, layout.header_line, layout.header, tuple(missing))
        raise _missing(guess, **_where(layout.sheet))
    return _Plan(
        layout.name,
        columns,
        service_types=tuple(service_types),
        user_bands=tuple(_one_hot(layout.header, _USER_BAND)),
    )


def _generic_plan(layout: Layout, mapping: Mapping[str, str] | None) -> _Plan:
    if mapping is None:
        mapping = suggest_mapping(layout.header)
    unknown = sorted(set(mapping) - set(GENERIC_FIELDS))
    if unknown:
        raise ValueError(f"not fields that can be mapped: {', '.join(unknown)}")
    where = _where(layout.sheet)
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    for index, name in enumerate(layout.header):
        exact.setdefault(name, index)
        loose.setdefault(_key(name), index)
    columns: dict[str, int] = {}
    for field in GENERIC_FIELDS:
        column = mapping.get(field)
        if not column:
            continue
        found = exact.get(column, loose.get(_key(column)))
        if found is None:
            raise CqcFileError(
                "mapping_column",
                line=layout.header_line,
                value=_shown(column),
                field=GENERIC_LABELS[field],
                found=_found(layout.header),
                **where,
            )
        columns[field] = found
    missing = [field for field in GENERIC_REQUIRED if field not in columns]
    if missing:
        listed = ", ".join(f"{{f{i}}}" for i in range(len(missing)))
        raise CqcFileError(
            "mapping",
            fields=Phrase(listed, **{f"f{i}": GENERIC_LABELS[f] for i, f in enumerate(missing)}),
            missing=", ".join(missing),
            **where,
        )
    return _Plan(layout.name, columns)


def _header_check(found: Sequence[Any], layout: Layout) -> None:
    header = [_header_text(cell) for cell in found]
    expected = list(layout.header)
    for names in (header, expected):
        while names and not names[-1]:
            names.pop()
    if header != expected:
        raise CqcFileError(
            "header_changed",
            line=layout.header_line,
            found=_found(header),
            **_where(layout.sheet),
        )


def _csv_rows(
    path: PathLike, layout: Layout, progress: Progress | None
) -> Iterator[tuple[int, Sequence[Any]]]:
    """(line, fields) of each non-blank row under the header, with a width check and
    progress as bytes read."""
    assert layout.encoding is not None and layout.delimiter is not None
    total = os.path.getsize(path)
    raw, text = tabular.open_text(path, layout.encoding)
    width = len(layout.header)
    line = layout.header_line
    seen = 0
    header_seen = False
    with raw, text:
        try:
            reader = csv.reader(text, delimiter=layout.delimiter)
            for line, row in _records(reader):
                if line < layout.header_line:
                    continue
                if line == layout.header_line:
                    _header_check(row, layout)
                    header_seen = True
                    continue
                if len(row) != width:
                    if not any(value.strip() for value in row):
                        continue
                    if len(row) < width or any(value.strip() for value in row[width:]):
                        raise CqcFileError("row_length", line=line, expected=width, found=len(row))
                seen += 1
                if progress is not None and seen % PROGRESS_EVERY == 0:
                    progress(min(raw.tell(), total), total)
                yield line, row
        except UnicodeDecodeError:
            raise CqcFileError("encoding", line=line) from None
    if not header_seen:
        _header_check((), layout)
    if progress is not None:
        progress(total, total)


def _sheet_rows(
    path: PathLike, kind: str, layout: Layout, progress: Progress | None
) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, cells) of each non-blank row under the header, refusing formulas, with
    progress as rows read of the rows the sheet claims."""
    sheet = layout.sheet
    assert sheet is not None
    if kind == "ods":
        try:
            formula = _ods_formula(path, sheet)
        except Exception as exc:
            raise CqcFileError("unreadable", reason=type(exc).__name__) from None
        if formula is not None:
            cell = _cell(formula[1], formula[0])
            raise CqcFileError("formula", line=formula[0], column=cell, cell=cell, sheet=sheet)
    with _Workbook(path, kind) as workbook:
        try:
            if sheet not in workbook.sheets():
                raise CqcFileError(
                    "header_changed",
                    found=Phrase(_("no sheet {sheet}"), sheet=sheet),
                )
            claimed, rows = workbook.rows(sheet, layout.header_line)
            number = layout.header_line
            header_seen = False
            for number, row in rows:
                if number == layout.header_line:
                    _refuse_formulas(row, number, sheet)
                    _header_check(row, layout)
                    header_seen = True
                    continue
                if progress is not None and number % PROGRESS_EVERY == 0 and claimed:
                    progress(min(number, claimed), claimed)
                if all(value is None or value == "" for value in row):
                    continue
                _refuse_formulas(row, number, sheet)
                yield number, row
        except CqcFileError:
            raise
        except Exception as exc:
            raise CqcFileError("unreadable", reason=type(exc).__name__, sheet=sheet) from None
    if not header_seen:
        _header_check((), layout)
    if progress is not None:
        total = max(claimed, number)
        progress(total, total)


def _locations(
    rows: Iterator[tuple[int, Sequence[Any]]], plan: _Plan, layout: Layout
) -> Iterator[LocationRecord]:
    build = {
        "cqc_care_directory": _care_directory_record,
        "cqc_hsca_workbook": _hsca_record,
        "generic": _generic_record,
    }[plan.layout]
    first_lines: dict[str, int] = {}
    made = 0
    for line, values in rows:
        row = _Row(values, line, plan.columns, layout.header, layout.sheet)
        if all(_blank(row.raw(f)) for f in ("location_id", "name", "provider_name")):
            continue  # a note under the table
        record = build(row, plan)
        if record.location_id is not None:
            first = first_lines.setdefault(record.location_id, line)
            if first != line:
                if layout.sheet:
                    earlier = Phrase(_("row {number}"), number=first)
                    this = Phrase(_("row {number}"), number=line)
                else:
                    earlier = Phrase(_("line {number}"), number=first)
                    this = Phrase(_("line {number}"), number=line)
                raise CqcFileError(
                    "duplicate",
                    line=line,
                    column=row.column("location_id"),
                    value=record.location_id,
                    first=earlier,
                    this=this,
                    first_line=first,
                    **row.where,
                )
        made += 1
        yield record
    if not made:
        raise CqcFileError(
            "empty",
            what=Phrase(_("The file has a header row but no services under it")),
            **_where(layout.sheet),
        )


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _care_directory_record(row: _Row, plan: _Plan) -> LocationRecord:
    location_id = row.cqc_id("location_id", required=True)
    provider_id = row.cqc_id("provider_id", required=True)
    return LocationRecord(
        line=row.line,
        location_id=location_id,
        provider_id=provider_id,
        provider_name=row.required("provider_name"),
        name=row.required("name"),
        also_known_as=row.text("also_known_as"),
        address=_spaced(row.text("address", breaks=", ")),
        postcode=_postcode(row.text("postcode")),
        local_authority=row.text("local_authority"),
        area_code=None,
        region=row.text("region"),
        latitude=None,
        longitude=None,
        service_types=_terms(row.text("service_types")),
        user_bands=_terms(row.text("user_bands")),
        beds=None,
        rating=None,
        rating_date=row.date("rating_date"),
        phone=_phone(row.text("phone")),
        website=row.text("website"),
        provider_sector=None,
        charity_number=None,
        company_number=None,
        dormant=False,
    )


def _ticked(row: _Row, columns: Sequence[tuple[int, str]]) -> tuple[str, ...]:
    """The terms of the one-hot columns marked Y (or yes, true, 1) in the row."""
    terms = []
    for index, term in columns:
        value = row.row[index] if index < len(row.row) else None
        if value is None:
            continue
        if isinstance(value, bool):
            ticked: bool | None = value
        elif isinstance(value, (int, float)) and value in (0, 1):
            ticked = bool(value)
        else:
            text = _clean(value).casefold()
            ticked = True if text in _YES else False if text in _NO else None
        if ticked:
            terms.append(term)
        elif ticked is None:
            raise CqcFileError(
                "yes_no",
                line=row.line,
                column=row.name_of(index),
                value=_shown(_clean(value)),
                **row.where,
            )
    return tuple(terms)


def _hsca_record(row: _Row, plan: _Plan) -> LocationRecord:
    location_id = row.cqc_id("location_id", required=True)
    provider_id = row.cqc_id("provider_id", required=True)
    provider_name = row.required("provider_name")
    name = row.required("name")
    address = _join(
        row.text("address", breaks=", "),
        row.text("address_line_2"),
        row.text("town"),
        row.text("county"),
    )
    if len(address) > LIMITS["address"]:
        raise row.refuse("too_long", "address", length=len(address), limit=LIMITS["address"])
    latitude, longitude = row.coordinates()
    return LocationRecord(
        line=row.line,
        location_id=location_id,
        provider_id=provider_id,
        provider_name=provider_name,
        name=name,
        also_known_as=row.text("also_known_as"),
        address=address,
        postcode=_postcode(row.text("postcode")),
        local_authority=row.text("local_authority"),
        area_code=None,
        region=row.text("region"),
        latitude=latitude,
        longitude=longitude,
        service_types=_ticked(row, plan.service_types),
        user_bands=_ticked(row, plan.user_bands),
        beds=row.whole("beds", MAX_BEDS),
        rating=row.rating("rating"),
        rating_date=row.date("rating_date"),
        phone=_phone(row.text("phone")),
        website=row.text("website"),
        provider_sector=row.optional("provider_sector") or row.optional("provider_ownership"),
        charity_number=row.optional("charity_number"),
        company_number=row.company_number("company_number"),
        dormant=row.yes("dormant"),
    )


def _generic_record(row: _Row, plan: _Plan) -> LocationRecord:
    location_id = row.cqc_id("location_id", required=False)
    provider_id = row.cqc_id("provider_id", required=False)
    provider_name = row.required("provider_name")
    name = row.required("name")
    service_types = _terms(row.required("service_types"))
    address = _join(
        row.text("address", breaks=", "),
        row.text("address_line_2"),
        row.text("town"),
        row.text("county"),
    )
    if len(address) > LIMITS["address"]:
        raise row.refuse("too_long", "address", length=len(address), limit=LIMITS["address"])
    latitude, longitude = row.coordinates()
    return LocationRecord(
        line=row.line,
        location_id=location_id,
        provider_id=provider_id,
        provider_name=provider_name,
        name=name,
        also_known_as=row.text("also_known_as"),
        address=address,
        postcode=_postcode(row.text("postcode")),
        local_authority=row.text("local_authority"),
        area_code=row.area_code("area_code"),
        region=row.text("region"),
        latitude=latitude,
        longitude=longitude,
        service_types=service_types,
        user_bands=_terms(row.text("user_bands")),
        beds=row.whole("beds", MAX_BEDS),
        rating=row.rating("rating"),
        rating_date=row.date("rating_date"),
        phone=row.text("phone"),
        website=row.text("website"),
        provider_sector=row.optional("provider_sector"),
        charity_number=row.optional("charity_number"),
        company_number=row.company_number("company_number"),
        dormant=row.yes("dormant") if "dormant" in row.columns else False,
        capacity=row.count("capacity"),
        capacity_unit=row.optional("capacity_unit"),
        description=row.text("description", breaks="\n"),
    )


__all__ = [
    "CARE_DIRECTORY_COLUMNS",
    "CODES",
    "DEFAULT_MAX_BYTES",
    "GENERIC_FIELDS",
    "GENERIC_LABELS",
    "GENERIC_REQUIRED",
    "HSCA_COLUMNS",
    "CqcFileError",
    "Layout",
    "LocationRecord",
    "detect_layout",
    "parse_date",
    "read_locations",
    "suggest_mapping",
]
