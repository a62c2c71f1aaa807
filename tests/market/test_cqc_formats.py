"""Reading the files CQC publishes (the care directory CSV, the care directory with filters
workbook as .xlsx and .ods) and councils' own lists of services, and every way an upload can
be wrong. Pure: no database."""

import csv
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.kit.phrases import Phrase
from commissioning.market import cqc_formats as cf
from commissioning.market.cqc import detection as cqc_detection
from commissioning.market.cqc import reading as cqc_reading
from commissioning.market.cqc_formats import CqcFileError, LocationRecord

# ---------------------------------------------------------------------------------------------
# Files as CQC publishes them

PREAMBLE = [
    ["CQC care directory \u2013 active locations", "", "", "", ""],
    ["Data as at 01 November 2026", "", "", ""],
    [],
    ["Contains public sector information licensed under the Open Government Licence v3.0."],
]
CARE_HEADER = [
    "Name", "Also known as", "Address", "Postcode", "Phone number",
    "Service's website (if available)", "Service types", "Date of latest check",
    "Specialisms/services", "Provider name", "Local authority", "Region", "Location URL",
    "CQC Location ID (for office use only)", "CQC Provider ID (for office use only)",
]  # fmt: skip
CARE_ROWS = [
    ["Hollyhurst Lodge", "", "12 Coniscliffe Road, Darlington", "DL3 7RG", "01325 480123",
     "www.hollyhurstlodge.co.uk", "Nursing homes|Residential homes", "01/02/2023",
     "Caring for adults over 65 yrs|Dementia", "Hollyhurst Care Ltd", "Darlington",
     "North East", "https://www.cqc.org.uk/location/1-101641021", "1-101641021",
     "1-101641001"],
    ["Headland Homecare", "Headland Home Care Services",
     "Unit 4, Brougham Enterprise Centre, Brougham Terrace, Hartlepool", "ts247qx",
     "01429 272345", "", "Homecare agencies", "2023-03-15",
     "Caring for adults over 65 yrs|Dementia|Physical disabilities",
     "Headland Homecare Limited", "Hartlepool", "North East",
     "https://www.cqc.org.uk/location/1-2840123456", "1-2840123456", "1-2840123401"],
    ["Wear Valley Supported Living", "", "The Old School, Front Street, Crook", "",
     "01388 761234", "", "Supported living|Homecare agencies", "1 February 2023",
     "Learning disabilities|Autism", "Durham Community Care CIC", "County Durham",
     "North East", "https://www.cqc.org.uk/location/1-10000812345", "1-10000812345",
     "1-10000812300"],
]  # fmt: skip


def write(directory: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerows(rows)
    return out.getvalue()


def care_directory(
    rows: list[list[str]] = CARE_ROWS, header: list[str] = CARE_HEADER, preamble: bool = True
) -> str:
    return csv_text([*(PREAMBLE if preamble else []), header, *rows])


def refused(path: Path, **kwargs) -> CqcFileError:
    """The error reading `path` raises (detection and reading both count)."""
    with pytest.raises(CqcFileError) as caught:
        list(cf.read_locations(path, **kwargs))
    error = caught.value
    assert error.code in cf.CODES
    assert str(error).endswith(".")
    assert isinstance(error.phrase, Phrase)
    return error


def care_with(tmp_path: Path, column: str, value: str, row: int = 0) -> Path:
    """The care directory with one cell changed (rows count from 0, on line 6)."""
    rows = [list(r) for r in CARE_ROWS]
    rows[row][CARE_HEADER.index(column)] = value
    return write(tmp_path, "care.csv", care_directory(rows))


HSCA_HEADER = [
    "Location ID", "Location ODS Code", "Location Name", "Location Also Known As",
    "Location HSCA start date", "Dormant (Y/N)", "Care home?", "Care homes beds",
    "Location Type/Sector", "Location Inspection Directorate",
    "Location Primary Inspection Category", "Location Latest Overall Rating",
    "Publication Date", "Inherited Rating (Y/N)", "Location Region",
    "Location Local Authority", "Location ONSPD CCG Code", "Location Street Address",
    "Location Address Line 2", "Location City", "Location County", "Location Postal Code",
    "Location Latitude", "Location Longitude", "Location Telephone Number",
    "Location Web Address", "Provider ID", "Provider Name", "Provider Companies House Number",
    "Provider Charity Number", "Provider Type/Sector", "Provider Ownership Type",
    "Regulated activity - Accommodation for persons who require nursing or personal care",
    "Regulated activity - Personal care",
    "Service type - Care home service with nursing",
    "Service type - Care home service without nursing",
    "Service type - Domiciliary care service", "Service type - Supported living service",
    "Service type - Extra Care housing services", "Service type - Shared Lives",
    "Service user band - Children 0-18 years", "Service user band - Dementia",
    "Service user band - Learning disabilities or autistic spectrum disorder",
    "Service user band - Mental Health", "Service user band - Older People",
    "Service user band - Physical Disability",
    "Service user band - People who misuse drugs and alcohol",
    "Service user band - Younger Adults",
]  # fmt: skip
HSCA_ROWS = [
    {"Location ID": "1-101641021", "Location Name": "Hollyhurst Lodge",
     "Location HSCA start date": datetime(2010, 10, 1), "Dormant (Y/N)": "N",
     "Care home?": "Y", "Care homes beds": 42.0, "Location Type/Sector": "Social Care Org",
     "Location Inspection Directorate": "Adult social care",
     "Location Primary Inspection Category": "Residential social care",
     "Location Latest Overall Rating": "good", "Publication Date": datetime(2023, 2, 1),
     "Inherited Rating (Y/N)": "N", "Location Region": "North East",
     "Location Local Authority": "Darlington", "Location ONSPD CCG Code": "E38000042",
     "Location Street Address": "12 Coniscliffe Road", "Location City": "Darlington",
     "Location County": "County Durham", "Location Postal Code": "DL3 7RG",
     "Location Latitude": 54.5227, "Location Longitude": -1.5624,
     "Location Telephone Number": "01325 480123",
     "Location Web Address": "www.hollyhurstlodge.co.uk", "Provider ID": "1-101641001",
     "Provider Name": "Hollyhurst Care Ltd", "Provider Companies House Number": "04012345",
     "Provider Type/Sector": "Independent Healthcare Org",
     "Provider Ownership Type": "Organisation",
     "Regulated activity - Accommodation for persons who require nursing or personal care":
     "Y", "Service type - Care home service with nursing": "Y",
     "Service user band - Dementia": "Y", "Service user band - Older People": "Y"},
    {"Location ID": "1-2840123456", "Location Name": "Headland Homecare",
     "Location Also Known As": "Headland Home Care Services", "Dormant (Y/N)": "Y",
     "Care home?": "N", "Location Latest Overall Rating": "Requires Improvement",
     "Publication Date": "15/03/2023", "Location Region": "North East",
     "Location Local Authority": "Hartlepool",
     "Location Street Address": "Unit 4, Brougham Enterprise Centre",
     "Location Address Line 2": "Brougham Terrace", "Location City": "Hartlepool",
     "Location Postal Code": "TS24 7QX", "Location Latitude": "54.6954",
     "Location Longitude": "-1.2121", "Provider ID": "1-2840123401",
     "Provider Name": "Headland Homecare Limited", "Provider Charity Number": 1123456,
     "Provider Type/Sector": "Social Care Org", "Regulated activity - Personal care": "Y",
     "Service type - Domiciliary care service": "Y",
     "Service user band - Older People": "Y", "Service user band - Physical Disability": "Y",
     "Service user band - Younger Adults": "Y"},
    {"Location ID": "1-10000812345", "Location Name": "Wear Valley Supported Living",
     "Dormant (Y/N)": "N", "Care home?": "N", "Location Latest Overall Rating": "Not yet rated",
     "Location Region": "North East", "Location Local Authority": "County Durham",
     "Location Street Address": "The Old School", "Location Address Line 2": "Front Street",
     "Location City": "Crook", "Location County": "County Durham",
     "Location Postal Code": "DL15 9HJ", "Provider ID": "1-10000812300",
     "Provider Name": "Durham Community Care CIC", "Provider Ownership Type": "Organisation",
     "Service type - Supported living service": "Y",
     "Service type - Domiciliary care service": "Y",
     "Service user band - Learning disabilities or autistic spectrum disorder": "Y"},
]  # fmt: skip
HSCA_PREAMBLE = [
    ["Care directory with filters"],
    ["HSCA Active Locations"],
    ["Data as at 01 November 2026"],
    [],
    ["Contains public sector information licensed under the Open Government Licence v3.0."],
    [],
]
README = [
    ["Read me"],
    ["This workbook lists every location registered with CQC under the Health and Social "
     "Care Act 2008 (HSCA) that is active."],
    ["Columns marked Y show the regulated activities, service types and service user bands."],
]  # fmt: skip


def hsca_table(rows=HSCA_ROWS, header=HSCA_HEADER) -> list[list[object]]:
    return [*HSCA_PREAMBLE, header, *([row.get(name) for name in header] for row in rows)]


def xlsx(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def hsca_xlsx(tmp_path: Path, rows=HSCA_ROWS, header=HSCA_HEADER) -> Path:
    return xlsx(
        tmp_path / "HSCA_Active_Locations.xlsx",
        [("Read me", README), ("HSCA_Active_Locations", hsca_table(rows, header))],
    )


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str) and value.startswith("="):
        return (
            f"<table:table-cell table:formula={quoteattr('of:' + value)} "
            'office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell>'
        )
    if isinstance(value, (int, float)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, (date, datetime)):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def ods(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one: the mimetype first and
    stored, a manifest, and the cells in content.xml."""
    tables = "".join(
        f"<table:table table:name={quoteattr(title)}>"
        + "".join(
            "<table:table-row>"
            + "".join(_ods_cell(v) for v in (row or [None]))
            + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for title, rows in sheets
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def hsca_ods(tmp_path: Path, rows=HSCA_ROWS) -> Path:
    return ods(
        tmp_path / "HSCA_Active_Locations.ods",
        [("Read me", README), ("HSCA Active Locations", hsca_table(rows))],
    )


def hsca_with(tmp_path: Path, column: str, value: object, row: int = 0) -> Path:
    rows = [dict(r) for r in HSCA_ROWS]
    rows[row][column] = value
    return hsca_xlsx(tmp_path, rows)


EXPECTED_CARE = [
    LocationRecord(
        line=6, location_id="1-101641021", provider_id="1-101641001",
        provider_name="Hollyhurst Care Ltd", name="Hollyhurst Lodge", also_known_as="",
        address="12 Coniscliffe Road, Darlington", postcode="DL3 7RG",
        local_authority="Darlington", area_code=None, region="North East", latitude=None,
        longitude=None, service_types=("Nursing homes", "Residential homes"),
        user_bands=("Caring for adults over 65 yrs", "Dementia"), beds=None, rating=None,
        rating_date=date(2023, 2, 1), phone="01325 480123", website="www.hollyhurstlodge.co.uk",
        provider_sector=None, charity_number=None, company_number=None, dormant=False,
    ),
    LocationRecord(
        line=7, location_id="1-2840123456", provider_id="1-2840123401",
        provider_name="Headland Homecare Limited", name="Headland Homecare",
        also_known_as="Headland Home Care Services",
        address="Unit 4, Brougham Enterprise Centre, Brougham Terrace, Hartlepool",
        postcode="TS24 7QX", local_authority="Hartlepool", area_code=None, region="North East",
        latitude=None, longitude=None, service_types=("Homecare agencies",),
        user_bands=("Caring for adults over 65 yrs", "Dementia", "Physical disabilities"),
        beds=None, rating=None, rating_date=date(2023, 3, 15), phone="01429 272345",
        website="", provider_sector=None, charity_number=None, company_number=None,
        dormant=False,
    ),
    LocationRecord(
        line=8, location_id="1-10000812345", provider_id="1-10000812300",
        provider_name="Durham Community Care CIC", name="Wear Valley Supported Living",
        also_known_as="", address="The Old School, Front Street, Crook", postcode="",
        local_authority="County Durham", area_code=None, region="North East", latitude=None,
        longitude=None, service_types=("Supported living", "Homecare agencies"),
        user_bands=("Learning disabilities", "Autism"), beds=None, rating=None,
        rating_date=date(2023, 2, 1), phone="01388 761234", website="", provider_sector=None,
        charity_number=None, company_number=None, dormant=False,
    ),
]  # fmt: skip
EXPECTED_HSCA = [
    LocationRecord(
        line=8, location_id="1-101641021", provider_id="1-101641001",
        provider_name="Hollyhurst Care Ltd", name="Hollyhurst Lodge", also_known_as="",
        address="12 Coniscliffe Road, Darlington, County Durham", postcode="DL3 7RG",
        local_authority="Darlington", area_code=None, region="North East", latitude=54.5227,
        longitude=-1.5624, service_types=("Care home service with nursing",),
        user_bands=("Dementia", "Older People"), beds=42, rating="Good",
        rating_date=date(2023, 2, 1), phone="01325 480123", website="www.hollyhurstlodge.co.uk",
        provider_sector="Independent Healthcare Org", charity_number=None,
        company_number="04012345", dormant=False,
    ),
    LocationRecord(
        line=9, location_id="1-2840123456", provider_id="1-2840123401",
        provider_name="Headland Homecare Limited", name="Headland Homecare",
        also_known_as="Headland Home Care Services",
        address="Unit 4, Brougham Enterprise Centre, Brougham Terrace, Hartlepool",
        postcode="TS24 7QX", local_authority="Hartlepool", area_code=None, region="North East",
        latitude=54.6954, longitude=-1.2121, service_types=("Domiciliary care service",),
        user_bands=("Older People", "Physical Disability", "Younger Adults"), beds=None,
        rating="Requires improvement", rating_date=date(2023, 3, 15), phone="", website="",
        provider_sector="Social Care Org", charity_number="1123456", company_number=None,
        dormant=True,
    ),
    LocationRecord(
        line=10, location_id="1-10000812345", provider_id="1-10000812300",
        provider_name="Durham Community Care CIC", name="Wear Valley Supported Living",
        also_known_as="", address="The Old School, Front Street, Crook, County Durham",
        postcode="DL15 9HJ", local_authority="County Durham", area_code=None,
        region="North East", latitude=None, longitude=None,
        service_types=("Domiciliary care service", "Supported living service"),
        user_bands=("Learning disabilities or autistic spectrum disorder",), beds=None,
        rating=None, rating_date=None, phone="", website="", provider_sector="Organisation",
        charity_number=None, company_number=None, dormant=False,
    ),
]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The care directory CSV


def test_the_care_directory_reads_with_its_preamble(tmp_path):
    path = write(tmp_path, "care_directory.csv", care_directory())
    layout = cf.detect_layout(path)
    assert (layout.name, layout.header_line, layout.encoding, layout.delimiter) == (
        "cqc_care_directory", 5, "utf-8", ",",
    )  # fmt: skip
    assert layout.header == tuple(CARE_HEADER)
    assert str(layout.label) == "CQC care directory (CSV)"
    assert list(cf.read_locations(path)) == EXPECTED_CARE
    assert list(cf.read_locations(path, layout=layout)) == EXPECTED_CARE


def test_the_older_website_header_without_its_bracket_is_accepted(tmp_path):
    header = [
        "Service's website (if available" if name.startswith("Service's") else name
        for name in CARE_HEADER
    ]
    path = write(tmp_path, "care.csv", care_directory(header=header))
    assert cf.detect_layout(path).name == "cqc_care_directory"
    assert [r.website for r in cf.read_locations(path)] == ["www.hollyhurstlodge.co.uk", "", ""]


def test_header_names_in_any_case_and_spacing_with_curly_apostrophes(tmp_path):
    header = [
        f"  {name.upper().replace(' ', '  ')} ".replace("'", "\u2019") for name in CARE_HEADER
    ]
    path = write(tmp_path, "care.csv", care_directory(header=header, preamble=False))
    layout = cf.detect_layout(path)
    assert (layout.name, layout.header_line) == ("cqc_care_directory", 1)
    assert [r.name for r in cf.read_locations(path)] == [r.name for r in EXPECTED_CARE]


def test_the_header_is_found_anywhere_in_the_first_20_lines(tmp_path):
    notes = [[f"Note {n}"] for n in range(19)]
    path = write(tmp_path, "care.csv", csv_text([*notes, CARE_HEADER, *CARE_ROWS]))
    assert cf.detect_layout(path).header_line == 20
    assert [r.line for r in cf.read_locations(path)] == [21, 22, 23]
    notes.append(["Note 19"])
    path = write(tmp_path, "care.csv", csv_text([*notes, CARE_HEADER, *CARE_ROWS]))
    assert refused(path).code == "no_header"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_a_byte_order_mark_or_windows_1252(tmp_path, encoding):
    rows = [list(r) for r in CARE_ROWS]
    rows[0][0] = "Caf\u00e9 Lodge \u2013 Darlington"
    path = write(tmp_path, "care.csv", care_directory(rows), encoding=encoding)
    layout = cf.detect_layout(path)
    assert (layout.name, layout.encoding, layout.header[0]) == (
        "cqc_care_directory", encoding, "Name",
    )  # fmt: skip
    assert next(cf.read_locations(path)).name == "Caf\u00e9 Lodge \u2013 Darlington"


def test_excel_unicode_text_is_utf16_and_tab_separated(tmp_path):
    text = csv_text([*PREAMBLE, CARE_HEADER, *CARE_ROWS], delimiter="\t")
    path = write(tmp_path, "care.txt", text, encoding="utf-16")
    layout = cf.detect_layout(path)
    assert (layout.encoding, layout.delimiter) == ("utf-16", "\t")
    assert list(cf.read_locations(path)) == EXPECTED_CARE


def test_dates_in_the_three_formats_files_use(tmp_path):
    path = write(tmp_path, "care.csv", care_directory())
    assert [r.rating_date for r in cf.read_locations(path)] == [
        date(2023, 2, 1), date(2023, 3, 15), date(2023, 2, 1),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [("01/02/2023", date(2023, 2, 1)), ("1/2/2023", date(2023, 2, 1)),
     ("01-02-2023", date(2023, 2, 1)), ("2023-02-01", date(2023, 2, 1)),
     ("2023-02-01 00:00:00", date(2023, 2, 1)), ("2023-02-01T10:30:00Z", date(2023, 2, 1)),
     ("1 February 2023", date(2023, 2, 1)), ("01 february 2023", date(2023, 2, 1)),
     ("1st Feb 2023", date(2023, 2, 1)), ("01-Feb-2023", date(2023, 2, 1)),
     ("1-Sept-23", date(2023, 9, 1)), ("29/02/2024", date(2024, 2, 29)),
     (datetime(2023, 2, 1, 9, 30), date(2023, 2, 1)), (date(2023, 2, 1), date(2023, 2, 1)),
     (44958, date(2023, 2, 1)), (44958.5, date(2023, 2, 1))],
)  # fmt: skip
def test_parse_date(value, expected):
    assert cf.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [("31/02/2023", "impossible_date"), ("29/02/2023", "impossible_date"),
     ("2023-13-01", "impossible_date"), ("32 January 2023", "impossible_date"),
     ("1 Febtober 2023", "date"), ("next Tuesday", "date"), ("02/2023", "date"),
     ("20230201", "date"), ("01/02/1850", "date_range"), (True, "date"), (-5, "date")],
)  # fmt: skip
def test_parse_date_refuses(value, problem):
    with pytest.raises(ValueError, match=f"^{problem}$"):
        cf.parse_date(value)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("dl3 7rg", "DL3 7RG"), ("DL37RG", "DL3 7RG"), (" sw1a1aa ", "SW1A 1AA"),
     ("ec1a  1bb", "EC1A 1BB"), ("gir0aa", "GIR 0AA"), ("not known", "not known"), ("", "")],
)  # fmt: skip
def test_postcodes_are_normalised_when_they_look_like_uk_postcodes(tmp_path, typed, expected):
    path = care_with(tmp_path, "Postcode", typed)
    assert next(cf.read_locations(path)).postcode == expected


def test_text_passes_through_but_control_characters_go(tmp_path):
    path = care_with(tmp_path, "Name", "<b>Hollyhurst</b> & Lodge\x07\x1b \u200bNorth")
    record = next(cf.read_locations(path))
    assert record.name == "<b>Hollyhurst</b> & Lodge North"
    path = care_with(tmp_path, "Address", "12 Coniscliffe Road\r\nDarlington\n")
    assert next(cf.read_locations(path)).address == "12 Coniscliffe Road, Darlington"


def test_a_semicolon_separated_care_directory(tmp_path):
    text = csv_text([*PREAMBLE, CARE_HEADER, *CARE_ROWS], delimiter=";")
    path = write(tmp_path, "care.csv", text)
    assert cf.detect_layout(path).delimiter == ";"
    assert list(cf.read_locations(path)) == EXPECTED_CARE


def test_blank_rows_and_trailing_empty_cells_are_ignored(tmp_path):
    rows = [CARE_ROWS[0] + ["", ""], [], [""] * 15, CARE_ROWS[1], CARE_ROWS[2]]
    path = write(tmp_path, "care.csv", care_directory(rows, header=[*CARE_HEADER, "", ""]))
    assert cf.detect_layout(path).header == tuple(CARE_HEADER)
    assert [r.line for r in cf.read_locations(path)] == [6, 9, 10]


def test_a_quoted_line_break_keeps_the_line_the_row_starts_on(tmp_path):
    rows = [list(r) for r in CARE_ROWS]
    rows[0][2] = "12 Coniscliffe Road\nDarlington"
    path = write(tmp_path, "care.csv", care_directory(rows))
    assert [(r.line, r.address) for r in cf.read_locations(path)][:2] == [
        (6, "12 Coniscliffe Road, Darlington"), (8, EXPECTED_CARE[1].address),
    ]  # fmt: skip


def test_nhs_codes_are_cqc_ids_too(tmp_path):
    rows = [list(r) for r in CARE_ROWS]
    rows[0][13:15] = ["rx1ra", "RX1"]
    path = write(tmp_path, "care.csv", care_directory(rows))
    first = next(cf.read_locations(path))
    assert (first.location_id, first.provider_id) == ("RX1RA", "RX1")


# ---------------------------------------------------------------------------------------------
# The care directory with filters workbook


def test_the_hsca_workbook_after_a_read_me_sheet(tmp_path):
    path = hsca_xlsx(tmp_path)
    layout = cf.detect_layout(path)
    assert (layout.name, layout.sheet, layout.header_line) == (
        "cqc_hsca_workbook", "HSCA_Active_Locations", 7,
    )  # fmt: skip
    assert layout.header == tuple(HSCA_HEADER)
    assert str(layout.label) == (
        "CQC care directory with filters, HSCA Active Locations (sheet HSCA_Active_Locations)"
    )
    assert list(cf.read_locations(path)) == EXPECTED_HSCA


def test_the_hsca_workbook_as_ods(tmp_path):
    path = hsca_ods(tmp_path)
    layout = cf.detect_layout(path)
    assert (layout.name, layout.sheet, layout.header_line) == (
        "cqc_hsca_workbook", "HSCA Active Locations", 7,
    )  # fmt: skip
    assert list(cf.read_locations(path, layout=layout)) == EXPECTED_HSCA


def test_a_workbook_saved_without_an_extension(tmp_path):
    for source in (hsca_xlsx(tmp_path), hsca_ods(tmp_path)):
        path = tmp_path / "upload_3f9a"
        path.write_bytes(source.read_bytes())
        assert list(cf.read_locations(path)) == EXPECTED_HSCA


def test_the_data_sheet_may_come_anywhere_among_other_sheets(tmp_path):
    path = xlsx(
        tmp_path / "x.xlsx",
        [("Read me", README), ("Notes", [["Column", "Meaning"], ["Location ID", "CQC's ID"]]),
         ("HSCA_Active_Locations", hsca_table()), ("Pivot", [["Region", "Count"]])],
    )  # fmt: skip
    layout = cf.detect_layout(path)
    assert (layout.name, layout.sheet) == ("cqc_hsca_workbook", "HSCA_Active_Locations")
    assert len(list(cf.read_locations(path))) == 3


def test_the_hsca_sheet_saved_as_csv(tmp_path):
    table = [
        [v.strftime("%d/%m/%Y") if isinstance(v, datetime) else "" if v is None else v for v in row]
        for row in hsca_table()[6:]
    ]
    path = write(tmp_path, "HSCA_Active_Locations.csv", csv_text(table))
    layout = cf.detect_layout(path)
    assert (layout.name, layout.sheet, layout.header_line) == ("cqc_hsca_workbook", None, 1)
    records = list(cf.read_locations(path))
    assert [r.line for r in records] == [2, 3, 4]
    assert records[0] == EXPECTED_HSCA[0].__class__(
        **{**_fields(EXPECTED_HSCA[0]), "line": 2, "beds": 42}
    )


def _fields(record: LocationRecord) -> dict:
    return {name: getattr(record, name) for name in record.__slots__}


def test_service_types_and_bands_accept_yes_true_and_1(tmp_path):
    path = hsca_with(tmp_path, "Service type - Shared Lives", "yes")
    assert next(cf.read_locations(path)).service_types == (
        "Care home service with nursing", "Shared Lives",
    )  # fmt: skip
    path = hsca_with(tmp_path, "Service user band - Mental Health", 1)
    assert "Mental Health" in next(cf.read_locations(path)).user_bands


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Outstanding", "Outstanding"), ("GOOD", "Good"), ("requires  improvement",
     "Requires improvement"), ("Inadequate", "Inadequate"), ("Not yet rated", None),
     ("", None), (None, None), ("Insufficient evidence to rate", None)],
)  # fmt: skip
def test_ratings_are_normalised(tmp_path, value, expected):
    path = hsca_with(tmp_path, "Location Latest Overall Rating", value)
    assert next(cf.read_locations(path)).rating == expected


@pytest.mark.parametrize(("value", "expected"), [("", None), ("12", 12), ("12.0", 12), (12, 12)])
def test_beds_as_written(tmp_path, value, expected):
    path = hsca_with(tmp_path, "Care homes beds", value)
    assert next(cf.read_locations(path)).beds == expected


def test_the_provider_sector_falls_back_to_the_ownership_type(tmp_path):
    header = [name for name in HSCA_HEADER if name != "Provider Type/Sector"]
    path = hsca_xlsx(tmp_path, header=header)
    assert [r.provider_sector for r in cf.read_locations(path)] == [
        "Organisation", None, "Organisation",
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Councils' own lists

GENERIC_HEADER = ["Organisation", "Service name", "Type of service", "Address", "Town",
                  "Postcode", "LA code", "Lat", "Lng", "Capacity", "Unit", "Client group",
                  "Charity number", "Company number", "Description"]  # fmt: skip
GENERIC_ROWS = [
    ["Age UK Darlington", "Day opportunities at Bondgate", "Day services", "Bondgate House",
     "Darlington", "DL3 7JJ", "E06000005", "54.5253", "-1.5576", "40", "places a day",
     "Older people; Dementia", "1104568", "5123456", "Day centre with <em>lunch</em> club."],
    ["Hartlepool Carers", "Carers' breaks", "Respite|Carers support", "Park Road",
     "Hartlepool", "TS26 9DA", "e06000001", "", "", "1,250.5", "hours a year", "Carers", "",
     "", ""],
]  # fmt: skip


def test_a_council_list_is_generic_and_its_columns_are_suggested(tmp_path):
    path = write(tmp_path, "providers.csv", csv_text([GENERIC_HEADER, *GENERIC_ROWS]))
    layout = cf.detect_layout(path)
    assert (layout.name, layout.header, layout.header_line) == (
        "generic", tuple(GENERIC_HEADER), 1,
    )  # fmt: skip
    assert str(layout.label) == "Your own list of services (CSV, comma-separated)"
    mapping = cf.suggest_mapping(layout.header)
    assert mapping == {
        "provider_name": "Organisation", "name": "Service name",
        "service_types": "Type of service", "address": "Address", "town": "Town",
        "postcode": "Postcode", "area_code": "LA code", "latitude": "Lat", "longitude": "Lng",
        "capacity": "Capacity", "capacity_unit": "Unit", "user_bands": "Client group",
        "charity_number": "Charity number", "company_number": "Company number",
        "description": "Description",
    }  # fmt: skip
    first, second = cf.read_locations(path, layout=layout, mapping=mapping)
    assert first == LocationRecord(
        line=2, location_id=None, provider_id=None, provider_name="Age UK Darlington",
        name="Day opportunities at Bondgate", also_known_as="",
        address="Bondgate House, Darlington", postcode="DL3 7JJ", local_authority="",
        area_code="E06000005", region="", latitude=54.5253, longitude=-1.5576,
        service_types=("Day services",), user_bands=("Older people", "Dementia"), beds=None,
        rating=None, rating_date=None, phone="", website="", provider_sector=None,
        charity_number="1104568", company_number="05123456", dormant=False, capacity=40.0,
        capacity_unit="places a day", description="Day centre with <em>lunch</em> club.",
    )  # fmt: skip
    assert (second.service_types, second.area_code, second.capacity) == (
        ("Respite", "Carers support"), "E06000001", 1250.5,
    )  # fmt: skip
    # Without a mapping, the suggested one is used.
    assert list(cf.read_locations(path)) == [first, second]


def test_a_list_sharing_a_few_names_with_cqc_files_is_generic(tmp_path):
    header = ["Location ID", "Location Name", "Provider ID", "Provider Name", "Service type",
              "Postcode", "Local authority"]  # fmt: skip
    rows = [["1-101641021", "Hollyhurst Lodge", "1-101641001", "Hollyhurst Care Ltd",
             "Care home", "DL3 7RG", "Darlington"]]  # fmt: skip
    path = write(tmp_path, "ours.csv", csv_text([header, *rows]))
    layout = cf.detect_layout(path)
    assert layout.name == "generic"
    assert cf.suggest_mapping(layout.header) == {
        "location_id": "Location ID", "name": "Location Name", "provider_id": "Provider ID",
        "provider_name": "Provider Name", "service_types": "Service type",
        "postcode": "Postcode", "local_authority": "Local authority",
    }  # fmt: skip
    (record,) = cf.read_locations(path)
    assert (record.location_id, record.provider_name, record.service_types) == (
        "1-101641021", "Hollyhurst Care Ltd", ("Care home",),
    )  # fmt: skip


def test_a_generic_workbook_with_a_title_row(tmp_path):
    path = xlsx(
        tmp_path / "list.xlsx",
        [("Providers", [["Darlington Council: commissioned services", None],
                        ["Updated", datetime(2026, 10, 1)], [], GENERIC_HEADER,
                        *GENERIC_ROWS])],
    )  # fmt: skip
    layout = cf.detect_layout(path)
    assert (layout.name, layout.sheet, layout.header_line) == ("generic", "Providers", 4)
    assert str(layout.label) == "Your own list of services (sheet Providers)"
    records = list(cf.read_locations(path, layout=layout, mapping={
        "provider_name": "Organisation", "name": "Service name",
        "service_types": "type of service", "postcode": "Postcode",
    }))  # fmt: skip
    assert [(r.line, r.name, r.postcode, r.capacity) for r in records] == [
        (5, "Day opportunities at Bondgate", "DL3 7JJ", None),
        (6, "Carers' breaks", "TS26 9DA", None),
    ]  # fmt: skip


def test_suggested_mappings_for_common_names():
    assert cf.suggest_mapping(
        ["Provider", "Name", "Service Type", "Post Code", "Latitude", "Longitude",
         "Local Authority Code", "Beds", "CQC Location ID", "Telephone", "Website", "LAD23CD",
         "Local authority", "Registered Charity Number", "Companies House Number", "Lon"]
    ) == {
        "provider_name": "Provider", "name": "Name", "service_types": "Service Type",
        "postcode": "Post Code", "latitude": "Latitude", "longitude": "Longitude",
        "area_code": "Local Authority Code", "beds": "Beds", "location_id": "CQC Location ID",
        "phone": "Telephone", "website": "Website", "local_authority": "Local authority",
        "charity_number": "Registered Charity Number",
        "company_number": "Companies House Number",
    }  # fmt: skip
    assert cf.suggest_mapping(["area_code", "lad22cd"]) == {"area_code": "area_code"}
    assert set(cf.GENERIC_REQUIRED) <= set(cf.GENERIC_FIELDS)
    assert set(cf.GENERIC_LABELS) == set(cf.GENERIC_FIELDS)


# ---------------------------------------------------------------------------------------------
# Refusals: the whole file


@pytest.mark.parametrize("text", ["", "\r\n\r\n  \n"])
def test_an_empty_file(tmp_path, text):
    error = refused(write(tmp_path, "x.csv", text))
    assert (error.code, error.line) == ("empty", None)


def test_a_header_with_no_services_under_it(tmp_path):
    error = refused(write(tmp_path, "x.csv", care_directory(rows=[])))
    assert (error.code, error.line) == ("empty", None)
    assert str(error) == "The file has a header row but no services under it."


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = write(tmp_path, "care.csv", care_directory())
    layout = cf.detect_layout(path)
    opened = []
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a))
    for call in (
        lambda: cf.detect_layout(path, max_bytes=1000),
        lambda: cf.read_locations(path, max_bytes=1000),
        lambda: cf.read_locations(path, layout=layout, max_bytes=1000),
    ):
        with pytest.raises(CqcFileError) as caught:
            call()
        assert (caught.value.code, caught.value.line) == ("too_large", None)
    assert opened == []
    monkeypatch.undo()
    size = path.stat().st_size
    assert str(caught.value) == (
        f"The file is {round(size / 1024)} KB; the largest file accepted is 1,000 bytes."
    )


def test_binary_garbage_is_not_text(tmp_path):
    error = refused(write(tmp_path, "x.csv", bytes(range(256)) * 4))
    assert error.code == "encoding"
    assert "not text in UTF-8 or Windows-1252" in str(error)


def test_a_byte_that_is_neither_utf8_nor_windows_1252(tmp_path):
    data = care_directory().encode("cp1252").replace(b"Hartlepool,North", b"Hartlepool\x81,North")
    error = refused(write(tmp_path, "x.csv", data))
    assert (error.code, error.line) == ("encoding", 7)


def test_an_old_excel_file(tmp_path):
    error = refused(write(tmp_path, "x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)))
    assert (error.code, error.line) == ("xls", None)
    assert "Excel 97-2003 workbook (.xls)" in str(error)


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf", "This is a PDF document, not a CSV"),
     (b"\xef\xbb\xbf\n  <!DOCTYPE html>\n<html><head><title>CQC</title>", "html",
      "a web page (HTML)"),
     (b"\x89PNG\r\n\x1a\n" + bytes(30), "png", "a PNG image"),
     (b"<?xml version=\"1.0\"?><Workbook>", "xml", "an XML file")],
)  # fmt: skip
def test_an_upload_pretending_to_be_a_csv(tmp_path, data, kind, words):
    error = refused(write(tmp_path, "care_directory.csv", data))
    assert (error.code, error.params["kind"]) == ("wrong_kind", kind)
    assert words in str(error)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "care.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("care_directory.csv", care_directory())
    error = refused(path)
    assert (error.code, error.line) == ("zip", None)
    assert "unzip it" in str(error)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    error = refused(path)
    assert (error.code, error.params["kind"]) == ("wrong_kind", "word")
    assert str(error).startswith("This is a Word document, not a CSV file or a spreadsheet")


def test_a_damaged_workbook(tmp_path):
    path = tmp_path / "care.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml")
    error = refused(path)
    assert (error.code, error.line) == ("unreadable", None)
    assert "can't be read" in str(error)
    truncated = write(tmp_path, "cut.xlsx", hsca_xlsx(tmp_path).read_bytes()[:2000])
    assert refused(truncated).code == "unreadable"


def test_a_zip_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(cqc_detection, "MAX_UNZIPPED_BYTES", 10_000)
    error = refused(hsca_xlsx(tmp_path))
    assert (error.code, error.line) == ("too_large_unzipped", None)


def test_no_header_in_the_first_20_lines(tmp_path):
    text = "Our providers\n\nSee the attached list for details.\n"
    error = refused(write(tmp_path, "x.csv", text))
    assert (error.code, error.line) == ("no_header", None)
    assert str(error).startswith("No header row naming the columns in the first 20 rows")
    assert "CQC Location ID (for office use only)" in str(error)
    assert "Service type - \u2026" in str(error)


def test_no_header_in_a_workbook(tmp_path):
    path = xlsx(tmp_path / "x.xlsx", [("Sheet1", [["Totals"], [1, 2, 3], [4, 5, 6]])])
    error = refused(path)
    assert error.code == "no_header"
    assert "first 20 rows of sheet Sheet1" in str(error)


def test_the_care_directory_missing_a_column(tmp_path):
    header = [n for n in CARE_HEADER if not n.startswith("CQC Provider ID")]
    rows = [r[:-1] for r in CARE_ROWS]
    error = refused(write(tmp_path, "care.csv", care_directory(rows, header)))
    assert (error.code, error.line) == ("missing_column", 5)
    assert str(error).startswith(
        "Line 5: This looks like the CQC care directory but has missing or renamed columns: "
        "CQC Provider ID (for office use only) not found (found Name, Also known as,"
    )


def test_the_hsca_workbook_without_service_type_columns(tmp_path):
    header = [n for n in HSCA_HEADER if not n.startswith(("Service type", "Location Postal"))]
    error = refused(hsca_xlsx(tmp_path, header=header))
    assert (error.code, error.line, error.params["sheet"]) == (
        "missing_column", 7, "HSCA_Active_Locations",
    )  # fmt: skip
    message = str(error)
    assert message.startswith("Sheet 'HSCA_Active_Locations', row 7: This looks like the CQC")
    assert "Location Postal Code, at least one 'Service type - \u2026' column not found" in message


def test_a_file_whose_columns_do_not_split(tmp_path):
    error = refused(write(tmp_path, "x.csv", "Name|Provider|Service type\nA|B|C\n"))
    assert error.code == "no_header"
    assert "one column, 'Name|Provider|Service type'" in str(error)


def test_a_mapping_without_a_required_field(tmp_path):
    path = write(tmp_path, "providers.csv", csv_text([GENERIC_HEADER, *GENERIC_ROWS]))
    with pytest.raises(CqcFileError) as caught:
        cf.read_locations(path, mapping={"provider_name": "Organisation"})
    assert (caught.value.code, caught.value.line) == ("mapping", None)
    assert str(caught.value) == (
        "Choose the column that holds Service or location name, Service types (several "
        "separated by | or ;)."
    )
    header = ["Ref", "Notes", "Amount"]
    path = write(tmp_path, "other.csv", csv_text([header, ["1", "x", "3"]]))
    assert cf.detect_layout(path).name == "generic"
    assert refused(path).code == "mapping"


def test_a_mapping_to_a_column_the_file_does_not_have(tmp_path):
    path = write(tmp_path, "providers.csv", csv_text([GENERIC_HEADER, *GENERIC_ROWS]))
    mapping = {"provider_name": "Organisation", "name": "Service", "service_types": "Type"}
    error = refused(path, mapping=mapping)
    assert (error.code, error.line) == ("mapping_column", 1)
    assert str(error).startswith(
        "Line 1: There is no column 'Service' for Service or location name (found Organisation,"
    )
    with pytest.raises(ValueError, match="not fields"):
        cf.read_locations(path, mapping={**mapping, "colour": "Unit"})


def test_a_layout_that_no_longer_fits_the_file(tmp_path):
    layout = cf.detect_layout(write(tmp_path, "care.csv", care_directory()))
    other = write(tmp_path, "other.csv", csv_text([*PREAMBLE[:3], CARE_HEADER, *CARE_ROWS]))
    error = refused(other, layout=layout)
    assert (error.code, error.line) == ("header_changed", 5)
    assert str(error).startswith(
        "Line 5: The header row is not the one found when the file was checked (found "
        "Hollyhurst Lodge, (empty), 12 Coniscliffe Road, Darlington, DL3 7RG"
    )
    short = write(tmp_path, "short.csv", care_directory(preamble=False))
    error = refused(short, layout=layout)
    assert (error.code, error.line) == ("header_changed", 5)
    error = refused(hsca_xlsx(tmp_path), layout=layout)
    assert error.code == "header_changed"


# ---------------------------------------------------------------------------------------------
# Refusals: a row


def test_duplicate_location_ids_name_both_lines(tmp_path):
    path = care_with(tmp_path, "CQC Location ID (for office use only)", "1-101641021", row=2)
    error = refused(path)
    assert (error.code, error.line, error.column) == (
        "duplicate", 8, "CQC Location ID (for office use only)",
    )  # fmt: skip
    assert str(error) == (
        "Line 8: CQC Location ID (for office use only) 1-101641021 is given twice, on line 6 "
        "and on line 8."
    )


def test_duplicate_location_ids_in_a_workbook_name_both_rows(tmp_path):
    error = refused(hsca_with(tmp_path, "Location ID", "1-10000812345", row=0))
    assert (error.code, error.line) == ("duplicate", 10)
    assert str(error) == (
        "Sheet 'HSCA_Active_Locations', row 10: Location ID (A10) 1-10000812345 is given "
        "twice, on row 8 and on row 10."
    )


@pytest.mark.parametrize("value", ["101641021", "1-", "1-10164102A", "1 - 101641021", "RX", "1:2"])
def test_malformed_cqc_ids(tmp_path, value):
    error = refused(care_with(tmp_path, "CQC Provider ID (for office use only)", value, row=1))
    assert (error.code, error.line, error.column) == (
        "cqc_id", 7, "CQC Provider ID (for office use only)",
    )  # fmt: skip
    assert f"'{value}' is not a CQC ID: 1- followed by digits, such as 1-101641021" in str(error)


def test_a_blank_location_id_or_name(tmp_path):
    error = refused(care_with(tmp_path, "CQC Location ID (for office use only)", "", row=1))
    assert (error.code, error.line) == ("blank", 7)
    assert str(error) == (
        "Line 7: CQC Location ID (for office use only) is blank; every service needs one."
    )
    error = refused(care_with(tmp_path, "Name", "  ", row=2))
    assert (error.code, error.line, error.column) == ("blank", 8, "Name")


@pytest.mark.parametrize(("code", "value"), [("area_code", "E0800005"), ("area_code", "Darlington"),
                                             ("area_entity", "E99000001")])  # fmt: skip
def test_malformed_area_codes(tmp_path, code, value):
    rows = [list(r) for r in GENERIC_ROWS]
    rows[1][6] = value
    error = refused(write(tmp_path, "providers.csv", csv_text([GENERIC_HEADER, *rows])))
    assert (error.code, error.line, error.column) == (code, 3, "LA code")
    if code == "area_code":
        assert f"LA code '{value}' is not an ONS area code" in str(error)
    else:
        assert "is not the code of a local authority, region or country" in str(error)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [("twelve", "not_a_number", "Care homes beds (H9) 'twelve' is not a number"),
     ("12.5", "not_whole", "'12.5' is not a whole number"),
     (-1, "negative", "Care homes beds (H9) -1 is negative"),
     ("40000", "too_big", "40000 is more than 10,000")],
)  # fmt: skip
def test_beds_that_are_not_a_count(tmp_path, value, code, words):
    error = refused(hsca_with(tmp_path, "Care homes beds", value, row=1))
    assert (error.code, error.line, error.column) == (code, 9, "Care homes beds (H9)")
    assert words in str(error)


def test_capacity_that_is_not_a_number(tmp_path):
    rows = [list(r) for r in GENERIC_ROWS]
    rows[0][9] = "about 40"
    error = refused(write(tmp_path, "providers.csv", csv_text([GENERIC_HEADER, *rows])))
    assert (error.code, error.line, error.column) == ("not_a_number", 2, "Capacity")
    assert str(error) == "Line 2: Capacity 'about 40' is not a number."


@pytest.mark.parametrize(
    ("latitude", "longitude", "code", "column", "words"),
    [(95, -1.5, "coordinates", "Location Latitude (W8)", "95 is not a latitude"),
     (54.5, 200, "coordinates", "Location Longitude (X8)", "200 is not a longitude"),
     (40.4, -3.7, "coordinates", "Location Latitude (W8)", "40.4 is outside the UK"),
     (54.5, 12.5, "coordinates", "Location Longitude (X8)", "12.5 is outside the UK"),
     (-1.56, 54.52, "coordinates", "Location Latitude (W8)", "are the columns swapped?"),
     ("54.5N", -1.5, "not_a_number", "Location Latitude (W8)", "'54.5N' is not a number"),
     (54.5, None, "coordinate_pair", "Location Longitude (X8)",
      "gives a latitude but no longitude")],
)  # fmt: skip
def test_implausible_coordinates(tmp_path, latitude, longitude, code, column, words):
    rows = [dict(r) for r in HSCA_ROWS]
    rows[0].update({"Location Latitude": latitude, "Location Longitude": longitude})
    error = refused(hsca_xlsx(tmp_path, rows))
    assert (error.code, error.line, error.column) == (code, 8, column)
    assert words in str(error)


def test_missing_coordinates_are_not_a_problem(tmp_path):
    rows = [dict(r) for r in HSCA_ROWS]
    rows[0].update({"Location Latitude": None, "Location Longitude": ""})
    first = next(cf.read_locations(hsca_xlsx(tmp_path, rows)))
    assert (first.latitude, first.longitude) == (None, None)


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [("31/02/2023", "impossible_date", "'31/02/2023' is a date that does not exist"),
     ("sometime in 2023", "date",
      "is not a date written like 01/02/2023, 01/Feb/2023 - 00:00, 2023-02-01 or 1 Feb"),
     ("01/02/3023", "date_range", "is not a plausible date (before 1900 or after 2100)")],
)  # fmt: skip
def test_bad_dates_name_the_line_and_column(tmp_path, value, code, words):
    error = refused(care_with(tmp_path, "Date of latest check", value, row=1))
    assert (error.code, error.line, error.column) == (code, 7, "Date of latest check")
    assert str(error).startswith("Line 7: Date of latest check")
    assert words in str(error)


def test_a_rating_that_is_not_a_cqc_rating(tmp_path):
    error = refused(hsca_with(tmp_path, "Location Latest Overall Rating", "Very good", row=2))
    assert (error.code, error.line, error.column) == (
        "rating", 10, "Location Latest Overall Rating (L10)",
    )  # fmt: skip
    assert "'Very good' is not a CQC rating: Outstanding, Good" in str(error)


@pytest.mark.parametrize(
    ("column", "value", "cell"),
    [("Dormant (Y/N)", "maybe", "F8"), ("Service type - Shared Lives", "X", "AN8")],
)
def test_yes_or_no_columns(tmp_path, column, value, cell):
    error = refused(hsca_with(tmp_path, column, value))
    assert (error.code, error.line, error.column) == ("yes_no", 8, f"{column} ({cell})")
    assert f"'{value}' is not Y or N" in str(error)


def test_a_formula_cell_is_refused(tmp_path):
    error = refused(hsca_with(tmp_path, "Care homes beds", "=20+22"))
    assert (error.code, error.line, error.column) == ("formula", 8, "H8")
    assert str(error) == (
        "Sheet 'HSCA_Active_Locations', row 8: Cell H8 holds a formula; export the values instead."
    )


def test_a_formula_in_an_ods_workbook_is_refused(tmp_path):
    rows = [dict(r) for r in HSCA_ROWS]
    rows[1]["Care homes beds"] = "=20+22"
    error = refused(hsca_ods(tmp_path, rows))
    assert (error.code, error.line, error.column) == ("formula", 9, "H9")
    ok = ods(tmp_path / "x.ods", [("Read me", [["=1+1"]]), ("Data", hsca_table())])
    assert len(list(cf.read_locations(ok))) == 3  # a formula in another sheet does not matter


def test_a_name_too_long(tmp_path):
    error = refused(care_with(tmp_path, "Provider name", "A" * 256))
    assert (error.code, error.line, error.column) == ("too_long", 6, "Provider name")
    assert str(error) == "Line 6: Provider name is 256 characters long; at most 255 are accepted."
    assert next(cf.read_locations(care_with(tmp_path, "Name", "A" * 255))).name == "A" * 255


def test_a_short_row(tmp_path):
    text = care_directory() + "Lonely Lodge,,1 High Street\r\n"
    error = refused(write(tmp_path, "care.csv", text))
    assert (error.code, error.line, error.params["found"]) == ("row_length", 9, 3)
    assert "Expected 15 columns, found 3" in str(error)


def test_a_line_the_csv_reader_cannot_read(tmp_path):
    text = care_directory() + '"' + "9" * 200_000 + '"' + ",x" * 14 + "\r\n"
    error = refused(write(tmp_path, "care.csv", text))
    assert (error.code, error.line) == ("malformed", 9)


# ---------------------------------------------------------------------------------------------
# Progress, streaming, purity


def test_progress_for_a_csv_is_bytes_read_and_ends_at_the_size(tmp_path, monkeypatch):
    monkeypatch.setattr(cqc_reading, "PROGRESS_EVERY", 2)
    rows = [[*r[:13], f"1-{9000 + n}", r[14]] for n in range(10) for r in CARE_ROWS[:1]]
    path = write(tmp_path, "care.csv", care_directory(rows))
    calls: list[tuple[int, int]] = []
    assert len(list(cf.read_locations(path, progress=lambda *c: calls.append(c)))) == 10
    size = path.stat().st_size
    assert len(calls) == 6
    assert calls[-1] == (size, size)
    assert all(total == size and 0 < done <= size for done, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.parametrize("make", [hsca_xlsx, hsca_ods])
def test_progress_for_a_workbook_is_rows_read(tmp_path, monkeypatch, make):
    monkeypatch.setattr(cqc_reading, "PROGRESS_EVERY", 3)
    calls: list[tuple[int, int]] = []
    path = make(tmp_path)
    assert len(list(cf.read_locations(path, progress=lambda *c: calls.append(c)))) == 3
    assert calls == [(9, 10), (10, 10)]


def test_reading_streams_a_50000_row_file(tmp_path):
    """Memory grows by the IDs kept to find duplicates, never by the file."""
    path = tmp_path / "big.csv"
    row = list(CARE_ROWS[0])
    row[2] = "Hollyhurst Lodge, " * 25 + "12 Coniscliffe Road, Darlington"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerows([*PREAMBLE, CARE_HEADER])
        writer.writerows([*row[:13], f"1-{10**9 + n}", row[14]] for n in range(50_000))
    size = path.stat().st_size
    assert size > 30_000_000
    code = (
        "import resource, sys\n"
        "from commissioning.market import cqc_formats as cf\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "count = sum(1 for _ in cf.read_locations(sys.argv[1]))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(count, (after - before) * 1024)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    count, grown = map(int, result.stdout.split())
    assert count == 50_000
    assert grown < 16_000_000 < size / 2


def test_the_module_imports_no_django():
    code = (
        "import sys, commissioning.market.cqc_formats; "
        "bad = [m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'}]; "
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_every_refusal_renders_through_a_translation():
    translated = CqcFileError("duplicate", line=8, column="Location ID", value="1-1",
                              first=Phrase("line {number}", number=6),
                              this=Phrase("line {number}", number=8))  # fmt: skip
    welsh = {
        "Line {line}: {message}.": "Llinell {line}: {message}.",
        "{column} {value} is given twice, on {first} and on {this}": (
            "Mae {column} {value} ddwywaith, ar {first} ac ar {this}"
        ),
        "line {number}": "llinell {number}",
    }
    assert translated.phrase.render(lambda t: welsh.get(t, t)) == (
        "Llinell 8: Mae Location ID 1-1 ddwywaith, ar llinell 6 ac ar llinell 8."
    )
    assert Phrase.from_json(translated.phrase.to_json()) == translated.phrase


# ---------------------------------------------------------------------------------------------
# Properties

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs"),
        exclude_characters="|;\ufeff\u200b\x85",
    ),
    min_size=1, max_size=30,
).map(str.strip).filter(bool)  # fmt: skip
WORDS = st.lists(TEXT, max_size=3, unique=True).map(tuple)
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
FORMATS = {
    "uk": lambda d: d.strftime("%d/%m/%Y"),
    "iso": lambda d: d.isoformat(),
    "words": lambda d: f"{d.day} {d.strftime('%B')} {d.year}",
    "abbreviated": lambda d: d.strftime("%d-%b-%Y"),
    "cqc": lambda d: d.strftime("%d/%b/%Y - 00:00"),
    "cqc 2016 to 2020": lambda d: d.strftime("%d/%m/%Y - 00:00"),
}


@st.composite
def care_directory_records(draw):
    count = draw(st.integers(1, 8))
    ids = draw(st.lists(st.integers(1, 10**11), min_size=count, max_size=count, unique=True))
    records = []
    for n, location in enumerate(ids):
        when = draw(st.one_of(st.none(), DATES))
        records.append(
            (
                LocationRecord(
                    line=6 + n, location_id=f"1-{location}",
                    provider_id=f"1-{draw(st.integers(1, 10**11))}",
                    provider_name=draw(TEXT), name=draw(TEXT),
                    also_known_as=draw(st.one_of(st.just(""), TEXT)),
                    address=draw(st.one_of(st.just(""), TEXT.filter(lambda t: "," not in t))),
                    postcode=draw(st.sampled_from(["", "DL3 7RG", "TS24 7QX", "DH1 3LE"])),
                    local_authority=draw(st.sampled_from(["Darlington", "Hartlepool",
                                                          "County Durham"])),
                    area_code=None, region="North East", latitude=None, longitude=None,
                    service_types=draw(WORDS), user_bands=draw(WORDS), beds=None, rating=None,
                    rating_date=when,
                    phone=draw(st.one_of(st.just(""), TEXT.filter(lambda t: not t.isdigit()))),
                    website=draw(st.one_of(st.just(""), TEXT)), provider_sector=None,
                    charity_number=None, company_number=None, dormant=False,
                ),
                draw(st.sampled_from(sorted(FORMATS))),
            )
        )  # fmt: skip
    return records, draw(st.sampled_from(["utf-8", "utf-8-sig"]))


def care_row(record: LocationRecord, date_format: str) -> list[str]:
    return [
        record.name, record.also_known_as, record.address, record.postcode, record.phone,
        record.website, "|".join(record.service_types),
        FORMATS[date_format](record.rating_date) if record.rating_date else "",
        "|".join(record.user_bands), record.provider_name, record.local_authority,
        record.region, f"https://www.cqc.org.uk/location/{record.location_id}",
        record.location_id or "", record.provider_id or "",
    ]  # fmt: skip


@SETTINGS
@given(care_directory_records())
def test_generated_care_directories_read_back_exactly(example):
    records, encoding = example
    text = care_directory([care_row(record, fmt) for record, fmt in records])
    with tempfile.TemporaryDirectory() as directory:
        path = write(Path(directory), "care.csv", text, encoding=encoding)
        assert list(cf.read_locations(path)) == [record for record, _ in records]


@SETTINGS
@given(DATES, st.sampled_from(sorted(FORMATS)))
def test_dates_round_trip_in_every_format(day, date_format):
    assert cf.parse_date(FORMATS[date_format](day)) == day


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_cleanly(data):
    with tempfile.TemporaryDirectory() as directory:
        path = write(Path(directory), "upload.csv", data)
        try:
            for record in cf.read_locations(path, max_bytes=100_000):
                assert record.name and record.provider_name
        except CqcFileError as exc:
            assert exc.code in cf.CODES
            assert str(exc)


@SETTINGS
@given(
    st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0", b"%PDF"]),
    st.binary(max_size=400),
)
def test_any_bytes_behind_a_known_signature_are_refused_cleanly(start, data):
    test_any_bytes_are_read_or_refused_cleanly.hypothesis.inner_test(start + data)


CSVISH = st.text(
    alphabet=st.sampled_from(list('1-0DL3 7RG,;|"\n\r.Yy/aGood\x00\u00e9')), max_size=300
)


@SETTINGS
@given(st.sampled_from([CARE_HEADER, HSCA_HEADER, GENERIC_HEADER]), CSVISH)
def test_any_csvish_text_under_a_real_header_is_read_or_refused_cleanly(header, body):
    test_any_bytes_are_read_or_refused_cleanly.hypothesis.inner_test(
        (csv_text([header]) + body).encode("utf-8")
    )
