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

The reader lives in `commissioning.market.cqc` (`layouts`, `detection`, `values`, `reading`);
this module is its one door, with the same names as ever. Pure: no Django.
"""

from commissioning.market.cqc.detection import MAX_UNZIPPED_BYTES, detect_layout
from commissioning.market.cqc.layouts import (
    CARE_DIRECTORY_COLUMNS,
    CARE_DIRECTORY_REQUIRED,
    CODES,
    DEFAULT_MAX_BYTES,
    FIRST_YEAR,
    GENERIC_FIELDS,
    GENERIC_LABELS,
    GENERIC_REQUIRED,
    HEADER_SEARCH_ROWS,
    HSCA_COLUMNS,
    HSCA_REQUIRED,
    LAST_YEAR,
    LIMITS,
    MAX_BEDS,
    OTHER_LIMIT,
    CqcFileError,
    Layout,
    LocationRecord,
    PathLike,
    Progress,
    suggest_mapping,
)
from commissioning.market.cqc.reading import PROGRESS_EVERY, read_locations
from commissioning.market.cqc.values import EXCEL_EPOCH, _terms, parse_date

__all__ = [
    "CARE_DIRECTORY_COLUMNS",
    "CARE_DIRECTORY_REQUIRED",
    "CODES",
    "DEFAULT_MAX_BYTES",
    "EXCEL_EPOCH",
    "FIRST_YEAR",
    "GENERIC_FIELDS",
    "GENERIC_LABELS",
    "GENERIC_REQUIRED",
    "HEADER_SEARCH_ROWS",
    "HSCA_COLUMNS",
    "HSCA_REQUIRED",
    "LAST_YEAR",
    "LIMITS",
    "MAX_BEDS",
    "MAX_UNZIPPED_BYTES",
    "OTHER_LIMIT",
    "PROGRESS_EVERY",
    "CqcFileError",
    "Layout",
    "LocationRecord",
    "PathLike",
    "Progress",
    "_terms",
    "detect_layout",
    "parse_date",
    "read_locations",
    "suggest_mapping",
]
