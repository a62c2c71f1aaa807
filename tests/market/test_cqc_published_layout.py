"""The care directory exactly as CQC publishes it today, read and imported end to end.

What the published file looks like, from public code that reads it and CQC's own files:

- four lines above the header, each padded with commas to the header's width: "CQC Locations
  data", an empty line, "This data was produced on <day> <Month> <year>", an empty line (R
  scripts read it with ``skip = 4``; parsers skip a "4-line preamble");
- the header Name, Also known as, Address, Postcode, Phone number, Service's website (if
  available), Service types, Date of latest check, Specialisms/services, Provider name, Local
  authority, Region, Location URL, CQC Location ID (for office use only), CQC Provider ID (for
  office use only);
- Date of latest check written "09/Jan/2018 - 00:00" (files of 2016 to 2020: "14/07/2016 -
  00:00"), empty for a service never checked;
- the address one quoted cell whose parts are joined by bare commas, the phone number without
  its leading 0 ("2073770990"), lists separated by "|", empty cells empty.

`data/16_September_2026_CQC_directory.csv` is a file in exactly that layout, with fictional
services in the demo's three areas."""

import csv
import io
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.core.access import SYSTEM
from commissioning.market import cqc_formats as cf
from commissioning.market import services
from commissioning.market.cqc_formats import LocationRecord
from commissioning.market.models import Location, MarketImport, Provider
from tests.market.test_cqc_formats import HSCA_HEADER, HSCA_ROWS, ods, refused

PUBLISHED = Path(__file__).parent / "data" / "16_September_2026_CQC_directory.csv"
HEADER = [
    "Name", "Also known as", "Address", "Postcode", "Phone number",
    "Service's website (if available)", "Service types", "Date of latest check",
    "Specialisms/services", "Provider name", "Local authority", "Region", "Location URL",
    "CQC Location ID (for office use only)", "CQC Provider ID (for office use only)",
]  # fmt: skip
WIDTH = len(HEADER)


def preamble(produced: str = "16 September 2026") -> list[list[str]]:
    pad = [""] * (WIDTH - 1)
    return [
        ["CQC Locations data", *pad],
        ["", *pad],
        [f"This data was produced on {produced}", *pad],
        ["", *pad],
    ]


def published(rows: list[list[str]], header: list[str] = HEADER) -> str:
    """Rows in the care directory's layout, as CQC writes it: CRLF, quoted only when needed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([*preamble(), header, *rows])
    return out.getvalue()


def record(**values: object) -> LocationRecord:
    base: dict[str, object] = {
        "also_known_as": "", "area_code": None, "region": "North East", "latitude": None,
        "longitude": None, "beds": None, "rating": None, "website": "", "provider_sector": None,
        "charity_number": None, "company_number": None, "dormant": False,
    }  # fmt: skip
    base.update(values)
    return LocationRecord(**base)  # type: ignore[arg-type]


EXPECTED = [
    record(
        line=6, location_id="1-101641021", provider_id="1-101641001",
        provider_name="Hollyhurst Care Ltd", name="Hollyhurst Lodge",
        address="12 Coniscliffe Road, Darlington", postcode="DL3 7RG",
        local_authority="Darlington", service_types=("Nursing homes", "Residential homes"),
        user_bands=("Caring for adults over 65 yrs", "Dementia", "Physical disabilities"),
        rating_date=date(2024, 3, 14), phone="01325480123", website="www.hollyhurstlodge.co.uk",
    ),
    record(
        line=7, location_id="1-2840123456", provider_id="1-2840123401",
        provider_name="Headland Homecare Limited", name="Headland Homecare",
        also_known_as="Headland Home Care Services",
        address="Unit 4, Brougham Enterprise Centre, Brougham Terrace, Hartlepool",
        postcode="TS24 7QX", local_authority="Hartlepool", service_types=("Homecare agencies",),
        user_bands=("Caring for adults over 65 yrs", "Caring for adults under 65 yrs",
                    "Dementia", "Physical disabilities", "Sensory impairments"),
        rating_date=date(2023, 10, 2), phone="01429272345",
        website="https://www.headlandhomecare.example",
    ),
    record(
        line=8, location_id="1-10000812345", provider_id="1-10000812300",
        provider_name="Durham Community Care CIC", name="Wear Valley Supported Living",
        address="The Old School, Front Street, Crook", postcode="DL15 9HJ",
        local_authority="County Durham", service_types=("Supported living", "Homecare agencies"),
        user_bands=("Learning disabilities", "Autism"), rating_date=None, phone="",
    ),
    record(
        line=9, location_id="1-15538211002", provider_id="1-15538210001",
        provider_name="Riverside Care (North East) Limited",
        name="St Cuthbert's & Riverside House", address="Riverside, Framwellgate Peth, Durham",
        postcode="DH1 4ND", local_authority="County Durham",
        service_types=("Residential homes",),
        user_bands=("Caring for adults over 65 yrs", "Dementia", "Mental health conditions"),
        rating_date=date(2025, 8, 21), phone="07700900123",
    ),
    record(
        line=10, location_id="1-10552899555", provider_id="1-10006912129",
        provider_name="Skerne Park Dental Practice Ltd", name="Skerne Park Dental Practice",
        address="3 Skerne Road, Darlington", postcode="DL1 4AA", local_authority="Darlington",
        service_types=("Dentist",), user_bands=("Services for everyone",),
        rating_date=date(2018, 1, 9), phone="01325460001",
    ),
]  # fmt: skip


def published_rows() -> list[list[str]]:
    with PUBLISHED.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[5:]


# ---------------------------------------------------------------------------------------------
# Reading the file


def test_the_published_file_is_in_the_layout_described():
    raw = PUBLISHED.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[0] == b"CQC Locations data" + b"," * (WIDTH - 1)
    assert lines[1] == lines[3] == b"," * (WIDTH - 1)
    assert lines[2].startswith(b"This data was produced on 16 September 2026,")
    assert lines[4].decode().split(",") == HEADER
    assert b"09/Jan/2018 - 00:00" in raw and b",2073770990," not in raw


def test_the_care_directory_as_cqc_publishes_it_reads_every_row():
    layout = cf.detect_layout(PUBLISHED)
    assert (layout.name, layout.header_line, layout.delimiter) == ("cqc_care_directory", 5, ",")
    assert list(cf.read_locations(PUBLISHED)) == EXPECTED


@pytest.mark.parametrize(
    ("start", "newline"), [(b"\xef\xbb\xbf", b"\r\n"), (b"", b"\n"), (b"\xef\xbb\xbf", b"\n")]
)
def test_the_published_file_with_a_byte_order_mark_or_unix_line_ends(tmp_path, start, newline):
    path = tmp_path / "CQC_directory.csv"
    path.write_bytes(start + PUBLISHED.read_bytes().replace(b"\r\n", newline))
    assert list(cf.read_locations(path)) == EXPECTED


def test_files_of_2016_to_2020_with_their_older_header_and_dates(tmp_path):
    """The header of those years: 'Local Authority', the website and location ID columns
    missing their closing bracket (and the latter its 'ID'), dates with a numeric month."""
    header = [
        *HEADER[:5], "Service's website (if available", *HEADER[6:10], "Local Authority",
        *HEADER[11:13], "CQC Location (for office use only", HEADER[14],
    ]  # fmt: skip
    rows = published_rows()
    rows[0][7] = "14/07/2016 - 00:00"
    rows[1][7] = "19/02/2014 - 00:00"
    path = tmp_path / "21_September_2016_CQC_directory.csv"
    path.write_text(published(rows, header), encoding="utf-8", newline="")
    read = list(cf.read_locations(path))
    assert [r.rating_date for r in read[:2]] == [date(2016, 7, 14), date(2014, 2, 19)]
    assert [r.location_id for r in read] == [r.location_id for r in EXPECTED]


def _as_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """The published CSV opened in Excel and saved as a workbook: the phone number and IDs
    stay as Excel read them (the phone a number), the rest as text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "16_September_2026_CQC_directory"
    for row in [*preamble(), HEADER, *rows]:
        sheet.append([None if value == "" else value for value in row])
    workbook.save(path)
    return path


def test_the_published_file_saved_as_a_workbook_reads_the_same(tmp_path):
    rows: list[list[object]] = [list(row) for row in published_rows()]
    for row in rows:
        if row[4]:
            row[4] = int(str(row[4]))  # Excel reads 1325480123 as a number
    rows[1][7] = datetime(2023, 10, 2)  # a date Excel recognised
    path = _as_xlsx(tmp_path / "CQC_directory.xlsx", rows)
    layout = cf.detect_layout(path)
    assert (layout.name, layout.header_line) == ("cqc_care_directory", 5)
    assert list(cf.read_locations(path)) == EXPECTED


def test_the_care_directory_with_filters_as_published_in_ods(tmp_path):
    """HSCA_Active_Locations.ods: a README sheet, then HSCA_Active_Locations with its header in
    the first row and dates as date cells, then Dual_Registration_Locations."""
    table = [HSCA_HEADER, *([row.get(name) for name in HSCA_HEADER] for row in HSCA_ROWS)]
    path = ods(
        tmp_path / "01_September_2026_HSCA_Active_Locations.ods",
        [
            ("README", [["Care directory with filters"], ["Read me first."]]),
            ("HSCA_Active_Locations", table),
            ("Dual_Registration_Locations", table[:1]),
        ],
    )
    layout = cf.detect_layout(path)
    assert (layout.name, layout.sheet, layout.header_line) == (
        "cqc_hsca_workbook",
        "HSCA_Active_Locations",
        1,
    )
    first = next(cf.read_locations(path))
    assert (first.location_id, first.rating_date) == ("1-101641021", date(2023, 2, 1))


# ---------------------------------------------------------------------------------------------
# What is really wrong is still refused


def _published_with(tmp_path: Path, column: str, value: str, row: int = 1) -> Path:
    rows = published_rows()
    rows[row][HEADER.index(column)] = value
    path = tmp_path / "CQC_directory.csv"
    path.write_text(published(rows), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    ("value", "code"),
    [("31/Feb/2024 - 00:00", "impossible_date"), ("02/Octember/2023 - 00:00", "date"),
     ("Oct 2023", "date"), ("not yet checked", "date"), ("02/Oct/1850 - 00:00", "date_range"),
     ("02/10/2023 00:00 - ", "date")],
)  # fmt: skip
def test_a_date_of_latest_check_that_is_no_date_is_still_refused(tmp_path, value, code):
    error = refused(_published_with(tmp_path, "Date of latest check", value))
    assert (error.code, error.line, error.column) == (code, 7, "Date of latest check")


def test_the_published_layout_missing_a_column_is_refused(tmp_path):
    path = tmp_path / "CQC_directory.csv"
    header = [name for name in HEADER if name != "Provider name"]
    path.write_text(
        published([row[:9] + row[10:] for row in published_rows()], header), encoding="utf-8"
    )
    error = refused(path)
    assert error.code == "missing_column" and "Provider name" in str(error)


def test_a_malformed_location_id_in_the_published_layout_is_refused(tmp_path):
    error = refused(_published_with(tmp_path, "CQC Location ID (for office use only)", "1-A"))
    assert (error.code, error.line) == ("cqc_id", 7)


def test_a_nul_byte_in_the_published_layout_is_refused(tmp_path):
    path = tmp_path / "CQC_directory.csv"
    path.write_bytes(PUBLISHED.read_bytes().replace(b"Headland Homecare,", b"Headland\x00,", 1))
    assert refused(path).code == "encoding"


def test_a_formula_in_the_published_layout_saved_as_a_workbook_is_refused(tmp_path):
    rows: list[list[object]] = [list(row) for row in published_rows()]
    rows[2][4] = "=1+1"
    error = refused(_as_xlsx(tmp_path / "CQC_directory.xlsx", rows))
    assert error.code == "formula" and error.line == 8


def test_an_oversized_published_file_is_refused(tmp_path):
    assert refused(PUBLISHED, max_bytes=100).code == "too_large"


# ---------------------------------------------------------------------------------------------
# Properties of the cells as CQC writes them

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
TIMES = st.tuples(st.integers(0, 23), st.integers(0, 59))
CQC_DATE_FORMATS = {
    "today": lambda d, t: f"{d:%d}/{d:%b}/{d:%Y} - {t[0]:02d}:{t[1]:02d}",
    "2016 to 2020": lambda d, t: f"{d:%d/%m/%Y} - {t[0]:02d}:{t[1]:02d}",
}


@SETTINGS
@given(DATES, TIMES, st.sampled_from(sorted(CQC_DATE_FORMATS)))
def test_every_date_cqc_writes_is_read_as_that_day(day, time, written):
    assert cf.parse_date(CQC_DATE_FORMATS[written](day, time)) == day


@SETTINGS
@given(st.integers(1, 31), st.integers(1, 12), st.integers(1990, 2099), TIMES)
def test_a_day_the_month_does_not_have_is_refused_in_cqcs_format(day, month, year, time):
    try:
        real: date | None = date(year, month, day)
    except ValueError:
        real = None
    name = datetime(2001, month, 1).strftime("%b")
    text = f"{day:02d}/{name}/{year} - {time[0]:02d}:{time[1]:02d}"
    if real is None:
        with pytest.raises(ValueError, match=r"^impossible_date$"):
            cf.parse_date(text)
    else:
        assert cf.parse_date(text) == real


TERM = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        exclude_characters="|;\ufeff\u200b\x85\u00a0",
    ),
    min_size=1, max_size=25,
).map(lambda text: " ".join(text.split())).filter(bool)  # fmt: skip
TERMS = st.lists(TERM, max_size=5)
PHONES = st.one_of(
    st.just(""),
    st.integers(10**8, 10**10 - 1).map(str),  # as CQC writes it, its leading 0 lost
    st.from_regex(r"0[1-9][0-9]{8,9}", fullmatch=True),
)
ADDRESS_PART = st.from_regex(r"[A-Za-z0-9'&][A-Za-z0-9'& -]{0,20}[A-Za-z'&]", fullmatch=True)


@st.composite
def published_files(draw):
    """Rows as CQC writes them and the records they stand for."""
    count = draw(st.integers(1, 6))
    ids = draw(st.lists(st.integers(1, 10**11), min_size=count, max_size=count, unique=True))
    rows, expected = [], []
    for n, location in enumerate(ids):
        types, bands = draw(TERMS.filter(bool)), draw(TERMS)
        day = draw(st.one_of(st.none(), DATES))
        written = draw(st.sampled_from(sorted(CQC_DATE_FORMATS)))
        phone = draw(PHONES)
        parts = draw(st.lists(ADDRESS_PART, min_size=1, max_size=4))
        row = [
            f"Service {n}", "", ",".join(parts), "DL3 7RG", phone, "",
            "|".join(types), CQC_DATE_FORMATS[written](day, (0, 0)) if day else "",
            "|".join(bands), f"Provider {n}", "Darlington", "North East",
            f"https://www.cqc.org.uk/location/1-{location}", f"1-{location}", f"1-{location + 1}",
        ]  # fmt: skip
        rows.append(row)
        expected.append(
            record(
                line=6 + n, location_id=f"1-{location}", provider_id=f"1-{location + 1}",
                provider_name=f"Provider {n}", name=f"Service {n}",
                address=", ".join(part.strip() for part in parts).strip(), postcode="DL3 7RG",
                local_authority="Darlington", service_types=tuple(dict.fromkeys(types)),
                user_bands=tuple(dict.fromkeys(bands)), rating_date=day,
                phone="0" + phone if phone and phone[0] != "0" else phone,
            )
        )  # fmt: skip
    return published(rows), expected


@SETTINGS
@given(published_files())
def test_any_file_in_the_published_layout_reads_back_exactly(example):
    text, expected = example
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "CQC_directory.csv"
        path.write_text(text, encoding="utf-8", newline="")
        assert list(cf.read_locations(path)) == expected


@SETTINGS
@given(st.lists(st.one_of(TERM, st.just(""), st.just(" ")), max_size=8))
def test_a_list_cell_is_its_terms_in_order_each_once(pieces):
    terms = tuple(dict.fromkeys(piece.strip() for piece in pieces if piece.strip()))
    assert cf._terms("|".join(pieces)) == terms


# ---------------------------------------------------------------------------------------------
# Imported end to end


@pytest.mark.django_db
def test_the_published_file_imports_through_the_service():
    result = services.import_market_file_now(
        actor=SYSTEM, path=PUBLISHED, name=PUBLISHED.name, source="CQC"
    )
    assert (result.locations_created, result.skipped) == (4, 1)  # the dentist is not analysed
    assert not result.unplaced
    hollyhurst = Location.objects.get(cqc_location_id="1-101641021")
    assert hollyhurst.area.code == "E06000005"
    assert hollyhurst.rating_date == date(2024, 3, 14)
    assert (hollyhurst.phone, hollyhurst.address) == (
        "01325480123",
        "12 Coniscliffe Road, Darlington",
    )
    assert {s.service_type.slug for s in hollyhurst.services.all()} == {
        "care_home_nursing",
        "care_home_residential",
    }
    never_checked = Location.objects.get(cqc_location_id="1-10000812345")
    assert never_checked.rating_date is None and never_checked.area.code == "E06000047"
    assert Location.objects.get(cqc_location_id="1-2840123456").area.code == "E06000001"
    again = services.import_market_file_now(
        actor=SYSTEM, path=PUBLISHED, name=PUBLISHED.name, source="CQC"
    )
    assert (again.locations_created, again.locations_unchanged) == (0, 4)
    assert Provider.objects.filter(cqc_provider_id="1-101641001").count() == 1


@pytest.mark.django_db
def test_the_published_file_imports_through_the_command(tmp_path, capsys):
    path = tmp_path / PUBLISHED.name
    shutil.copyfile(PUBLISHED, path)
    call_command("import_market", str(path))
    out = capsys.readouterr()
    assert "4 locations added" in out.out, out.err
    assert MarketImport.objects.get().status == MarketImport.Status.READY


@pytest.mark.django_db
def test_the_published_file_imports_through_the_upload_page(
    client, commissioner, django_capture_on_commit_callbacks
):
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/market/imports/",
            {
                "file": SimpleUploadedFile(PUBLISHED.name, PUBLISHED.read_bytes()),
                "name": "CQC care directory, September 2026",
                "source": "Care Quality Commission, care directory",
                "licence": "Open Government Licence v3.0",
            },
        )
    assert response.status_code == 302
    market_import = MarketImport.objects.get()
    assert market_import.status == MarketImport.Status.READY, market_import.problem_text
    assert Location.objects.filter(status="open").count() == 4
    page = client.get(f"/market/imports/{market_import.pk}/")
    assert page.status_code == 200
