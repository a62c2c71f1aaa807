"""Reading ONS population files: the real Nomis downloads, ONS wide CSVs, the MYEB1 workbook,
and every way a file people upload can be wrong. Pure: no database."""

import csv
import io
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.core import ons
from commissioning.needs import population_formats as pf
from commissioning.needs.population_formats import Cell, PopulationFileError

# The real Nomis downloads the demo loads (copies of /work/shared/reference/ons).
REFERENCE = Path(__file__).resolve().parents[2] / "commissioning" / "demo" / "data"
FIXTURES = Path(__file__).parent / "fixtures"
MYE = REFERENCE / "NM_2002_1_mye_all_las.tsv"  # mid-2011 estimates
SNPP = REFERENCE / "snpp_e_2014_three_las.csv"
needs_reference = pytest.mark.skipif(
    not MYE.exists() or not SNPP.exists(), reason="the ONS reference files are not here"
)


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(path: Path, **kwargs) -> PopulationFileError:
    """The error reading `path` raises (detection and reading both count)."""
    with pytest.raises(PopulationFileError) as caught:
        list(pf.read_cells(path, **kwargs))
    return caught.value


def nomis(rows: list[str], header: str = "GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE") -> str:
    return "\n".join([header, *rows]) + "\n"


# ---------------------------------------------------------------------------------------------
# The real reference files


@needs_reference
def test_the_mid_year_estimates_download_reads_every_local_authority():
    layout = pf.detect_layout(MYE)
    assert (layout.name, layout.kind, layout.delimiter, layout.encoding) == (
        "nomis_long",
        "estimate",
        "\t",
        "utf-8",
    )
    assert str(layout.label) == "Nomis long format (tab-separated)"

    cells = list(pf.read_cells(MYE, year=2011))

    assert len(cells) == 391 * 91 * 2 == 71_162
    assert len({cell.area_code for cell in cells}) == 391
    assert {cell.year for cell in cells} == {2011}
    assert {cell.age for cell in cells} == set(range(91))
    assert {cell.sex for cell in cells} == {1, 2}
    assert Counter(ons.entity_type(c.area_code).level for c in cells) == {"local_authority": 71_162}


@needs_reference
def test_an_areas_total_is_the_sum_of_its_rows_in_the_file():
    expected = 0
    with MYE.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if (
                row["GEOGRAPHY_CODE"] == "E06000047"
                and row["GENDER"] in {"1", "2"}
                and 101 <= int(row["C_AGE"]) <= 191
            ):
                expected += int(row["OBS_VALUE"])
    cells = [c for c in pf.read_cells(MYE, year=2011) if c.area_code == "E06000047"]
    assert len(cells) == 182
    assert sum(c.count for c in cells) == expected > 500_000  # County Durham
    first = next(c for c in cells if c.sex == 1 and c.age == 90)
    assert first == Cell("E06000047", 2011, 90, 1, first.count)


@needs_reference
def test_the_estimates_need_a_year_when_the_file_has_none():
    with pytest.raises(PopulationFileError) as caught:
        pf.read_cells(MYE)  # refused at once, before iterating
    assert caught.value.code == "year_missing"
    assert caught.value.line is None


@needs_reference
def test_the_projection_download_reads_every_year():
    layout = pf.detect_layout(SNPP)
    assert (layout.name, layout.kind, layout.delimiter) == ("nomis_long", "projection", ",")

    cells = list(pf.read_cells(SNPP, year=1999))  # the file's own years win

    assert len(cells) == 3 * 14 * 91 * 2 == 7_644
    assert {c.area_code for c in cells} == {"E06000047", "E06000005", "E06000001"}
    assert {c.year for c in cells} == set(range(2014, 2028))
    assert cells[0] == Cell("E06000047", 2014, 0, 1, 2822)
    with SNPP.open(newline="") as handle:
        total = sum(float(row["OBS_VALUE"]) for row in csv.DictReader(handle))
    assert sum(c.count for c in cells) == round(total)


@needs_reference
def test_progress_is_reported_as_bytes_read_and_ends_at_the_size():
    calls: list[tuple[int, int]] = []
    for _ in pf.read_cells(
        MYE, year=2011, progress=lambda done, total: calls.append((done, total))
    ):
        pass
    size = MYE.stat().st_size
    assert len(calls) > 5
    assert all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (size, size)


# ---------------------------------------------------------------------------------------------
# Nomis long format variants


def test_columns_in_any_order_quoted_or_not(tmp_path):
    path = write(
        tmp_path,
        "x.csv",
        'OBS_VALUE,"C_AGE",GEOGRAPHY_CODE,"GENDER"\n'
        '12,"101","E06000047",1\n'
        '"13",191,E06000047,"2"\n',
    )
    assert list(pf.read_cells(path, year=2020)) == [
        Cell("E06000047", 2020, 0, 1, 12),
        Cell("E06000047", 2020, 90, 2, 13),
    ]


def test_nomis_age_codes_skip_the_age_groups_and_totals(tmp_path):
    # Sorted by age code, so the group codes 0, 1, 3.. come before any single year.
    rows = [
        "E06000047,1,0,1000",  # all ages
        "E06000047,1,1,300",  # 0-4
        "E06000047,1,3,300",  # 5-9
        "E06000047,1,18,50",  # 80-84
        "E06000047,0,101,20",  # both sexes
        "E06000047,1,101,10",
        "E06000047,2,101,10",
        "E06000047,1,200,1000",  # all ages
        "E06000047,1,209,90",  # 65+
        "E06000047,1,191,7",
    ]
    cells = list(pf.read_cells(write(tmp_path, "x.csv", nomis(rows)), year=2019))
    assert cells == [
        Cell("E06000047", 2019, 0, 1, 10),
        Cell("E06000047", 2019, 0, 2, 10),
        Cell("E06000047", 2019, 90, 1, 7),
    ]


def test_single_years_0_to_90_are_ages_even_when_only_small_ones_are_seen(tmp_path):
    rows = ["E06000047,1,0,5", "E06000047,1,1,6", "E06000047,2,18,7", "E06000047,1,200,18"]
    cells = list(pf.read_cells(write(tmp_path, "x.csv", nomis(rows)), year=2019))
    assert [(c.age, c.sex, c.count) for c in cells] == [(0, 1, 5), (1, 1, 6), (18, 2, 7)]


def test_single_years_settled_by_a_middle_age(tmp_path):
    rows = ["E06000047,1,0,5", "E06000047,1,1,6", "E06000047,1,45,7", "E06000047,1,90,8"]
    cells = list(pf.read_cells(write(tmp_path, "x.csv", nomis(rows)), year=2019))
    assert [(c.age, c.count) for c in cells] == [(0, 5), (1, 6), (45, 7), (90, 8)]


@pytest.mark.parametrize(
    ("rows", "value"),
    [
        (["E06000047,1,0,5", "E06000047,1,95,5"], "95"),  # single years stop at 90
        (["E06000047,1,101,5", "E06000047,1,50,5"], "50"),  # neither a code nor a group
        (["E06000047,1,45,5", "E06000047,1,101,5"], "101"),  # single years, then a code
        (["E06000047,1,-1,5"], "-1"),
        (["E06000047,1,ten,5"], "ten"),
    ],
)
def test_ages_that_fit_neither_coding_are_refused(tmp_path, rows, value):
    error = refused(write(tmp_path, "x.csv", nomis(rows)), year=2019)
    assert (error.code, error.line, error.column, error.params["value"]) == (
        "age",
        len(rows) + 1,
        "C_AGE",
        value,
    )


def test_estimates_take_their_year_from_date_name(tmp_path):
    text = nomis(
        ["2019,E09000001,1,101,400", "2020,E09000001,1,101,410"],
        header="DATE_NAME,GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE",
    )
    path = write(tmp_path, "x.csv", text)
    assert pf.detect_layout(path).year_column == "DATE_NAME"
    assert [(c.year, c.count) for c in pf.read_cells(path)] == [(2019, 400), (2020, 410)]


def test_a_full_nomis_export_keeps_counts_and_drops_percentages(tmp_path):
    text = nomis(
        [
            "2019,City of London,E09000001,1,Male,101,Age 0,20100,60",
            "2019,City of London,E09000001,1,Male,101,Age 0,20301,0.8",
        ],
        header=(
            "DATE,GEOGRAPHY_NAME,GEOGRAPHY_CODE,GENDER,GENDER_NAME,C_AGE,C_AGE_NAME,"
            "MEASURES,OBS_VALUE"
        ),
    )
    assert list(pf.read_cells(write(tmp_path, "x.csv", text))) == [
        Cell("E09000001", 2019, 0, 1, 60)
    ]


def test_decimal_counts_round_half_to_even(tmp_path):
    rows = ["E06000047,1,0,12.5", "E06000047,1,1,13.5", "E06000047,1,2,2822.0", "E06000047,1,3,7"]
    cells = list(pf.read_cells(write(tmp_path, "x.csv", nomis(rows)), year=2019))
    assert [c.count for c in cells] == [12, 14, 2822, 7]


def test_a_semicolon_file_with_a_byte_order_mark(tmp_path):
    text = "GEOGRAPHY_CODE;GENDER;C_AGE;OBS_VALUE\r\nW06000001;2;190;301,0\r\n"
    path = write(tmp_path, "x.csv", text, encoding="utf-8-sig")
    layout = pf.detect_layout(path)
    assert (layout.delimiter, layout.encoding, layout.header[0]) == (";", "utf-8-sig", text[:14])
    assert str(layout.label) == "Nomis long format (semicolon-separated)"
    assert list(pf.read_cells(path, year=2021)) == [Cell("W06000001", 2021, 89, 2, 301)]


def test_a_utf8_bom_on_a_tab_separated_file(tmp_path):
    path = write(tmp_path, "x.tsv", nomis(["S12000033\t1\t101\t9"]).replace(",", "\t"), "utf-8-sig")
    assert pf.detect_layout(path).encoding == "utf-8-sig"
    assert list(pf.read_cells(path, year=2021)) == [Cell("S12000033", 2021, 0, 1, 9)]


def test_excel_unicode_text_is_utf16(tmp_path):
    text = nomis(["N09000010\t2\t101\t9"]).replace(",", "\t")
    path = write(tmp_path, "x.txt", text, encoding="utf-16")
    assert pf.detect_layout(path).encoding == "utf-16"
    assert list(pf.read_cells(path, year=2021)) == [Cell("N09000010", 2021, 0, 2, 9)]


# ---------------------------------------------------------------------------------------------
# ONS wide CSV


AREAS = {"E06000047": "County Durham", "W06000001": "Isle of Anglesey"}


def wide_text(sex_words: bool = True, names: dict[str, str] = AREAS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["AREA_CODE", "AREA_NAME", "COMPONENT", "SEX", "AGE_GROUP", "2018", "2019"])
    sexes = ["females", "males", "persons"] if sex_words else ["2", "1", "0"]
    for code, name in names.items():
        for sex_number, sex in enumerate(sexes):
            for age in [*map(str, range(90)), "90 and over", "All ages"]:
                base = (1 + sex_number) * 1000 + (90 if age == "90 and over" else 0)
                base += int(age) if age.isdigit() else 0
                writer.writerow([code, name, "Population", sex, age, base, base + 1])
            writer.writerow([code, name, "Births", sex, "0", 5, 5])
            writer.writerow([code, name, "Internal Migration In", sex, "20", 7, 7])
    return out.getvalue()


@pytest.fixture
def wide_csv(tmp_path) -> Path:
    return write(tmp_path, "2018 SNPP Population.csv", wide_text())


def test_an_ons_wide_projection(wide_csv):
    layout = pf.detect_layout(wide_csv)
    assert (layout.name, layout.kind, layout.delimiter) == ("ons_wide", "projection", ",")
    assert str(layout.label) == "ONS wide format, one column per year (comma-separated)"

    cells = list(pf.read_cells(wide_csv))

    assert len(cells) == 2 * 2 * 91 * 2  # areas, sexes, ages, years
    assert {c.year for c in cells} == {2018, 2019}
    by_key = {(c.area_code, c.year, c.age, c.sex): c.count for c in cells}
    assert by_key["E06000047", 2018, 0, 2] == 1000  # females first in the file
    assert by_key["E06000047", 2019, 90, 1] == 2000 + 90 + 1  # "90 and over" is 90
    assert by_key["W06000001", 2018, 45, 1] == 2045
    # The components other than population and the all-ages and persons rows are left out.
    assert sum(by_key.values()) == sum(c.count for c in cells)
    assert 5 not in by_key.values() and 7 not in by_key.values()


def test_wide_sex_as_codes(tmp_path):
    cells = list(pf.read_cells(write(tmp_path, "w.csv", wide_text(sex_words=False))))
    assert {c.sex for c in cells} == {1, 2}
    assert len(cells) == 2 * 2 * 91 * 2


def test_windows_1252_is_read_and_named(tmp_path):
    text = wide_text(names={"W06000001": "Ynys Môn"})
    path = write(tmp_path, "w.csv", text, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    layout = pf.detect_layout(path)
    assert layout.encoding == "cp1252"
    assert len(list(pf.read_cells(path))) == 2 * 91 * 2


def test_the_windows_1252_fixture_file(tmp_path):
    path = FIXTURES / "ons_wide_cp1252.csv"
    assert "Ynys M\xf4n".encode("cp1252") in path.read_bytes()
    assert pf.detect_layout(path).encoding == "cp1252"
    cells = list(pf.read_cells(path))
    assert {c.area_code for c in cells} == {"W06000001"}
    assert {c.age for c in cells} == {0, 1, 90}
    assert {(c.year, c.sex) for c in cells} == {(2018, 1), (2018, 2), (2019, 1), (2019, 2)}


def test_text_that_is_neither_utf8_nor_windows_1252(tmp_path):
    data = nomis(["E06000047,1,101,5", "E06000047,1,102,6"]).encode() + b"caf\xe9\x81\n"
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    error = refused(path, year=2020)
    assert (error.code, error.line) == ("encoding", 4)
    assert str(error).startswith("Line 4: The file is not text in UTF-8 or Windows-1252")


# ---------------------------------------------------------------------------------------------
# MYEB1 workbooks


def myeb1_workbook(path: Path, *, title: str = "MYEB1", extra: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if extra:
        sheet.title = extra
        sheet.append(["Contents"])
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    sheet.append(["MYEB1: Population estimates by single year of age and sex"])
    sheet.append(["Source: Office for National Statistics"])
    sheet.append([])
    sheet.append(
        ["ladcode21", "laname21", "country", "sex", "age"]
        + [f"population_{year}" for year in (2019, 2020, 2021)]
    )
    for code, name in [("E06000001", "Hartlepool"), ("W06000001", "Isle of Anglesey")]:
        for sex in (1, 2):
            for age in range(91):
                base = age * 10 + sex
                sheet.append([code, name, code[0], sex, age, base, base + 1, float(base + 2)])
    workbook.save(path)
    return path


@pytest.fixture
def myeb1(tmp_path) -> Path:
    return myeb1_workbook(tmp_path / "ukmidyearestimates.xlsx")


def test_an_myeb1_workbook_with_title_rows(myeb1):
    layout = pf.detect_layout(myeb1)
    assert (layout.name, layout.kind, layout.sheet, layout.header_line) == (
        "ons_myeb1_excel",
        "estimate",
        "MYEB1",
        4,
    )
    cells = list(pf.read_cells(myeb1))
    assert len(cells) == 2 * 2 * 91 * 3
    assert {c.year for c in cells} == {2019, 2020, 2021}
    by_key = {(c.area_code, c.year, c.age, c.sex): c.count for c in cells}
    assert by_key["W06000001", 2021, 90, 2] == 902 + 2
    assert by_key["E06000001", 2019, 0, 1] == 1


def test_a_workbook_saved_without_an_excel_extension(tmp_path):
    path = myeb1_workbook(tmp_path / "upload.xlsx")
    renamed = path.rename(tmp_path / "upload-3f2a")
    assert len(list(pf.read_cells(renamed))) == 2 * 2 * 91 * 3


def test_without_an_myeb1_sheet_the_first_sheet_with_the_header_is_read(tmp_path):
    path = myeb1_workbook(tmp_path / "x.xlsx", title="Estimates", extra="Contents")
    layout = pf.detect_layout(path)
    assert layout.sheet == "Estimates"
    assert str(layout.label) == "ONS mid-year estimates workbook (sheet Estimates)"


def test_a_formula_cell_is_refused_by_name(tmp_path):
    path = myeb1_workbook(tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["MYEB1"]["G14"] = "=F14+1"
    workbook.save(path)
    error = refused(path)
    assert (error.code, error.line, error.params["cell"], error.params["sheet"]) == (
        "formula",
        14,
        "G14",
        "MYEB1",
    )
    assert str(error) == (
        "Sheet 'MYEB1', row 14: Cell G14 holds a formula; export the values instead."
    )


def test_merged_header_cells_are_refused(tmp_path):
    path = myeb1_workbook(tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["MYEB1"].merge_cells("D4:E4")  # "age" disappears under "sex"
    workbook.save(path)
    error = refused(path)
    assert (error.code, error.line, error.params["missing"]) == ("merged_header", 4, "age")
    assert "merged" in str(error)


def test_a_workbook_without_the_header(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["area", "count"])
    workbook.active.append(["E06000001", 5])
    workbook.save(tmp_path / "x.xlsx")
    error = refused(tmp_path / "x.xlsx")
    assert (error.code, error.line) == ("layout", None)
    assert "merged or missing" in str(error)


def test_bad_values_in_a_workbook_name_the_cell(tmp_path):
    path = myeb1_workbook(tmp_path / "x.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["MYEB1"]["H20"] = "n/a"
    workbook.save(path)
    error = refused(path)
    assert (error.code, error.line, error.column) == ("not_a_number", 20, "population_2021 (H20)")
    assert str(error) == "Sheet 'MYEB1', row 20: population_2021 (H20) 'n/a' is not a number."


def test_an_old_excel_file_is_refused(tmp_path):
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    assert refused(path).code == "xls"


# ---------------------------------------------------------------------------------------------
# Refusals


def test_a_file_whose_columns_do_not_split(tmp_path):
    path = write(tmp_path, "x.csv", "GEOGRAPHY_CODE|GENDER|C_AGE|OBS_VALUE\nE06000047|1|101|5\n")
    error = refused(path, year=2020)
    assert (error.code, error.line) == ("layout", 1)
    assert "missing or renamed columns" in str(error)
    assert "separated by tabs, commas or semicolons" in str(error)


def test_a_renamed_column(tmp_path):
    path = write(tmp_path, "x.csv", "GEOGRAPHY_CODE,GENDER,AGE,OBS_VALUE\nE06000047,1,101,5\n")
    error = refused(path, year=2020)
    assert (error.code, error.line, error.params["missing"]) == ("missing_column", 1, "C_AGE")
    assert "missing or renamed columns" in str(error)


def test_a_wide_file_without_its_age_column(tmp_path):
    path = write(tmp_path, "x.csv", "AREA_CODE,AREA_NAME,SEX,2018\nE06000047,Durham,1,5\n")
    error = refused(path)
    assert (error.code, error.params["missing"]) == ("missing_column", "AGE_GROUP")


def test_an_unrelated_csv(tmp_path):
    error = refused(write(tmp_path, "x.csv", "name,email\nAda,ada@example.org\n"))
    assert (error.code, error.line) == ("layout", 1)
    assert "GEOGRAPHY_CODE" in str(error) and "found name, email" in str(error)


@pytest.mark.parametrize(
    ("value", "code"),
    [("n/a", "not_a_number"), ("", "not_a_number"), ("nan", "not_a_number"),
     ("1e999", "not_a_number"), ("-3", "negative"), ("-0.5", "negative"),
     ("9e12", "too_big")],
)  # fmt: skip
def test_counts_that_are_not_population_counts(tmp_path, value, code):
    rows = ["E06000047,1,101,5", "E06000047,1,102,6", f"E06000047,1,103,{value}"]
    error = refused(write(tmp_path, "x.csv", nomis(rows)), year=2020)
    assert (error.code, error.line, error.column) == (code, 4, "OBS_VALUE")


def test_the_message_names_the_line_column_and_value(tmp_path):
    rows = ["E06000047,1,101,5", "E06000047,1,102,n/a"]
    error = refused(write(tmp_path, "x.csv", nomis(rows)), year=2020)
    assert str(error) == "Line 3: OBS_VALUE 'n/a' is not a number."


def test_a_duplicate_names_both_lines(tmp_path):
    rows = ["E06000047,1,101,5", "E06000047,2,101,6", "E06000047,1,102,7", "E06000047,1,101,8"]
    error = refused(write(tmp_path, "x.csv", nomis(rows)), year=2020)
    assert (error.code, error.line, error.params["first_line"]) == ("duplicate", 5, 2)
    assert str(error) == "Line 5: E06000047 2020 age 0 male appears twice, on line 2 and line 5."


def test_a_duplicate_across_a_wide_file(tmp_path):
    text = wide_text(names={"E06000047": "County Durham"})
    text += "E06000047,County Durham,Population,males,90+,1,1\r\n"
    path = write(tmp_path, "w.csv", text)
    error = refused(path)
    assert error.code == "duplicate"
    assert (error.params["age"], error.params["sex"]) == (90, 1)
    assert error.line == text.count("\n")


@pytest.mark.parametrize(
    ("area", "code"),
    [("E0800005", "area_code"), ("", "area_code"), ("County Durham", "area_code"),
     ("E10000002", "area_entity"), ("E02000001", "area_entity")],
)  # fmt: skip
def test_area_codes_are_checked(tmp_path, area, code):
    rows = ["E06000047,1,101,5", f"{area},1,101,5"]
    error = refused(write(tmp_path, "x.csv", nomis(rows)), year=2020)
    assert (error.code, error.line, error.column) == (code, 3, "GEOGRAPHY_CODE")


def test_area_codes_are_normalised(tmp_path):
    cells = list(pf.read_cells(write(tmp_path, "x.csv", nomis([" e06000047 ,1,101,5"])), year=2020))
    assert cells[0].area_code == "E06000047"


def test_projections_and_estimates_mixed(tmp_path):
    header = "GEOGRAPHY_CODE,GENDER,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE"
    rows = ["E06000047,1,0,2020,5", "E06000047,1,1,2020,5", "E06000047,1,2,,5"]
    error = refused(write(tmp_path, "x.csv", nomis(rows, header=header)), year=2020)
    assert (error.code, error.line, error.params["first_line"]) == ("mixed_kinds", 4, 2)
    assert "mixes estimates and projections" in str(error)


def test_estimates_then_projections_mixed(tmp_path):
    header = "GEOGRAPHY_CODE,GENDER,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE"
    rows = ["E06000047,1,0,,5", "E06000047,1,1,2021,5"]
    path = write(tmp_path, "x.csv", nomis(rows, header=header))
    assert pf.detect_layout(path).kind == "estimate"
    error = refused(path, year=2020)
    assert (error.code, error.line) == ("mixed_kinds", 3)


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "   \r\n", "GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE\n",
     "GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE\n\n\n",
     "GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE\nE06000047,0,101,5\nE06000047,1,200,5\n"],
)  # fmt: skip
def test_an_empty_file(tmp_path, text):
    error = refused(write(tmp_path, "x.csv", text), year=2020)
    assert (error.code, error.line) == ("empty", None)


def test_a_2_gb_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: takes no disk
    opened = []
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a))
    with pytest.raises(PopulationFileError) as caught:
        pf.read_cells(path, year=2020)
    assert (caught.value.code, caught.value.line) == ("too_large", None)
    assert str(caught.value) == "The file is 2,048 MB; the largest file accepted is 512 MB."
    assert opened == []
    monkeypatch.undo()
    assert pf.detect_layout(write(tmp_path, "x.csv", nomis(["E06000047,1,101,5"]))).kind
    with pytest.raises(PopulationFileError) as caught:
        pf.detect_layout(path, max_bytes=3 * 1024**3)  # a higher limit reads it: all NULs
    assert caught.value.code != "too_large"


def test_a_short_row(tmp_path):
    path = write(tmp_path, "x.csv", nomis(["E06000047,1,101,5", "E06000047,1,102"]))
    error = refused(path, year=2020)
    assert (error.code, error.line, error.params["found"]) == ("row_length", 3, 3)


def test_a_file_without_years_needs_the_callers_year(tmp_path):
    path = write(tmp_path, "x.csv", nomis(["E06000047,1,101,5"]))
    error = refused(path)
    assert (error.code, error.line) == ("year_missing", None)
    assert "give the year" in str(error)


def test_sex_and_year_values(tmp_path):
    error = refused(write(tmp_path, "x.csv", nomis(["E06000047,3,101,5"])), year=2020)
    assert (error.code, error.line, error.column) == ("sex", 2, "GENDER")
    header = "GEOGRAPHY_CODE,GENDER,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE"
    error = refused(write(tmp_path, "x.csv", nomis(["E06000047,1,101,20x0,5"], header=header)))
    assert (error.code, error.line, error.column) == ("year", 2, "PROJECTED_YEAR_NAME")


def test_the_module_imports_no_django():
    code = (
        "import sys, commissioning.needs.population_formats; "
        "bad = [m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'}]; "
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# ---------------------------------------------------------------------------------------------
# Properties

REAL_AREAS = ["E06000047", "E06000005", "E06000001", "W06000001", "S12000033", "N09000010",
              "E09000001", "E07000008", "E08000001", "E12000001", "E92000001"]  # fmt: skip
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def nomis_files(draw):
    keys = draw(
        st.sets(
            st.tuples(
                st.sampled_from(REAL_AREAS),
                st.integers(0, 90),
                st.sampled_from([1, 2]),
                st.sampled_from([None, 2018, 2030]),
            ),
            min_size=1,
            max_size=40,
        )
    )
    projection = draw(st.booleans())
    codes = draw(st.booleans())  # Nomis 101..191, or 0..90
    counts = draw(st.lists(st.integers(0, 10**6), min_size=len(keys), max_size=len(keys)))
    by_key = {
        (area, (year or 2018) if projection else 2016, age, sex): count
        for (area, age, sex, year), count in zip(sorted(keys, key=str), counts, strict=True)
    }
    cells = {Cell(*key, count) for key, count in by_key.items()}
    rows = [
        {"GEOGRAPHY_CODE": c.area_code, "GENDER": str(c.sex),
         "C_AGE": str(c.age + 101 if codes else c.age), "OBS_VALUE": str(c.count),
         "PROJECTED_YEAR_NAME": str(c.year)}
        for c in cells
    ]  # fmt: skip
    groups = [0, 1, 3, 18, 200, 209] if codes else [200, 209]
    extra = draw(st.lists(st.tuples(st.sampled_from(groups), st.sampled_from([0, 1, 2]))))
    rows += [
        {"GEOGRAPHY_CODE": "E06000047", "GENDER": str(sex), "C_AGE": str(age),
         "OBS_VALUE": "123", "PROJECTED_YEAR_NAME": "2018"}
        for age, sex in extra
    ]  # fmt: skip
    totals = draw(st.lists(st.sampled_from(sorted(cells, key=str))))
    rows += [
        {"GEOGRAPHY_CODE": c.area_code, "GENDER": "0",
         "C_AGE": str(c.age + 101 if codes else c.age), "OBS_VALUE": "99",
         "PROJECTED_YEAR_NAME": str(c.year)}
        for c in totals
    ]  # fmt: skip
    rows = draw(st.permutations(rows))
    columns = ["GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE"]
    if projection:
        columns.append("PROJECTED_YEAR_NAME")
    columns = draw(st.permutations(columns))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.DictWriter(
        out, columns, delimiter=delimiter, quoting=quoting, lineterminator=newline,
        extrasaction="ignore",
    )  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return out.getvalue().encode(encoding), cells, projection


@SETTINGS
@given(nomis_files())
def test_generated_nomis_files_read_back_exactly(example):
    data, cells, projection = example
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "generated.csv"
        path.write_bytes(data)
        assert pf.detect_layout(path).kind == ("projection" if projection else "estimate")
        read = list(pf.read_cells(path, year=2016))
    assert len(read) == len(cells)
    assert set(read) == cells


def check_cells_or_refusal(data: bytes, suffix: str = ".csv") -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            for cell in pf.read_cells(path, year=2020, max_bytes=1_000_000):
                assert 0 <= cell.age <= 90 and cell.sex in {1, 2} and cell.count >= 0
                assert ons.entity_type(cell.area_code).level in pf.AREA_LEVELS
        except PopulationFileError as exc:
            assert exc.code in pf._MESSAGES
            assert str(exc)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_cleanly(data):
    check_cells_or_refusal(data)


@SETTINGS
@given(st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0"]),
       st.binary(max_size=400))  # fmt: skip
def test_any_bytes_behind_a_known_signature_are_refused_cleanly(start, data):
    check_cells_or_refusal(start + data)


CSVISH = st.text(
    alphabet=st.sampled_from(list('E06000047W1259,;\t"\n\r .-e+naAx\x00\u00f4')), max_size=200
)
HEADERS = [
    "GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE",
    "GEOGRAPHY_CODE\tC_AGE\tPROJECTED_YEAR_NAME\tOBS_VALUE\tGENDER",
    "DATE_NAME;GEOGRAPHY_CODE;GENDER;C_AGE;OBS_VALUE;MEASURES",
    "AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2018,2019",
]


@SETTINGS
@given(st.sampled_from(HEADERS), CSVISH, st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_any_csvish_text_under_a_real_header_is_read_or_refused_cleanly(header, body, encoding):
    data = (header + "\n" + body).encode(encoding, errors="replace")
    check_cells_or_refusal(data)


@SETTINGS
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(-5, 300), st.floats(allow_nan=True),
                           st.text(max_size=12), st.sampled_from(["E06000047", "=1+1", "90+"])),
                 max_size=9),
        max_size=6,
    )
)  # fmt: skip
def test_any_myeb1_rows_are_read_or_refused_cleanly(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "MYEB1"
    sheet.append(["ladcode20", "laname20", "country", "sex", "age", "population_2019"])
    for row in rows:
        sheet.append([v if not isinstance(v, str) else "".join(ch for ch in v if ch >= " ")
                      for v in row])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    check_cells_or_refusal(buffer.getvalue(), ".xlsx")


def test_a_line_the_csv_reader_cannot_read(tmp_path):
    huge = "9" * 200_000  # longer than any field the csv module accepts
    path = write(tmp_path, "x.csv", nomis(["E06000047,1,101,5", f'E06000047,1,102,"{huge}"']))
    error = refused(path, year=2020)
    assert (error.code, error.line) == ("malformed", 3)


def test_a_first_line_that_never_ends(tmp_path):
    error = refused(write(tmp_path, "x.csv", "A" * 100_000))
    assert (error.code, error.line) == ("layout", 1)


def test_a_workbook_reports_progress_to_the_end(myeb1):
    calls: list[tuple[int, int]] = []
    assert len(list(pf.read_cells(myeb1, progress=lambda *report: calls.append(report))))
    size = myeb1.stat().st_size
    assert calls[-1] == (size, size)
