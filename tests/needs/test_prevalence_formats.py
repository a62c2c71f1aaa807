"""Uploaded prevalence rate sets: the CFAS II file and its variations parse; every way a file can
be wrong is refused with a reason and the line; no input makes the reader fail otherwise."""

import io
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from commissioning.needs.prevalence_formats import (
    CODES,
    MAX_BYTES,
    MAX_ROWS,
    PrevalenceFileError,
    parse_rate_bands,
    read_rate_bands,
)
from commissioning.needs.projection import RateBand, RateSet

# The Cognitive Function and Ageing Study II dementia prevalence (Matthews F. E. et al., The
# Lancet, 2013), byte for byte as the copy the demo ships:
# commissioning/demo/data/dementia_cfas2.csv.
CFAS_II_CSV = """\
age_band,sex,prevalence,lower_95,upper_95
65-69,male,0.012,0.006,0.023
65-69,female,0.018,0.009,0.036
70-74,male,0.030,0.020,0.044
70-74,female,0.025,0.016,0.039
75-79,male,0.052,0.038,0.070
75-79,female,0.062,0.045,0.084
80-84,male,0.106,0.082,0.137
80-84,female,0.095,0.073,0.123
85-89,male,0.128,0.090,0.180
85-89,female,0.181,0.145,0.222
90+,male,0.171,0.106,0.264
90+,female,0.350,0.284,0.423
"""
CFAS_II_BANDS = [
    RateBand(65, 69, 1, 0.012, 0.006, 0.023),
    RateBand(65, 69, 2, 0.018, 0.009, 0.036),
    RateBand(70, 74, 1, 0.030, 0.020, 0.044),
    RateBand(70, 74, 2, 0.025, 0.016, 0.039),
    RateBand(75, 79, 1, 0.052, 0.038, 0.070),
    RateBand(75, 79, 2, 0.062, 0.045, 0.084),
    RateBand(80, 84, 1, 0.106, 0.082, 0.137),
    RateBand(80, 84, 2, 0.095, 0.073, 0.123),
    RateBand(85, 89, 1, 0.128, 0.090, 0.180),
    RateBand(85, 89, 2, 0.181, 0.145, 0.222),
    RateBand(90, None, 1, 0.171, 0.106, 0.264),
    RateBand(90, None, 2, 0.350, 0.284, 0.423),
]
REFERENCE_FILE = (
    Path(__file__).resolve().parents[2] / "commissioning" / "demo" / "data" / "dementia_cfas2.csv"
)
HEADER = "age_band,sex,prevalence,lower_95,upper_95"


def parse(text: str, encoding="utf-8"):
    return parse_rate_bands(text.encode(encoding))


def outcome(data: bytes) -> list[RateBand] | PrevalenceFileError:
    """The bands, or the refusal; anything else raised fails the test."""
    try:
        return parse_rate_bands(data)
    except PrevalenceFileError as error:
        return error


def refusal(data: bytes) -> PrevalenceFileError:
    with pytest.raises(PrevalenceFileError) as caught:
        parse_rate_bands(data)
    return caught.value


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The real file --------------------------------------------------------------------------------


def test_the_cfas_ii_file_parses_to_its_twelve_bands(tmp_path):
    path = tmp_path / "dementia_cfas2.csv"
    path.write_text(CFAS_II_CSV, encoding="utf-8")
    bands = read_rate_bands(path)
    assert bands == CFAS_II_BANDS
    RateSet("dementia", tuple(bands))  # no overlaps


def test_the_reference_copy_is_the_one_quoted_here():
    assert REFERENCE_FILE.read_text(encoding="utf-8") == CFAS_II_CSV
    assert read_rate_bands(REFERENCE_FILE) == CFAS_II_BANDS


def test_the_cfas_ii_rates_read_from_a_workbook(tmp_path):
    rows = [line.split(",") for line in CFAS_II_CSV.splitlines()]
    typed = [rows[0]] + [[band, sex, *map(float, numbers)] for band, sex, *numbers in rows[1:]]
    path = tmp_path / "dementia.xlsx"
    path.write_bytes(xlsx(typed))
    assert read_rate_bands(path) == CFAS_II_BANDS


# Accepted variations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65 to 69", (65, 69)),
        ("65 - 69", (65, 69)),
        ("65\u201369", (65, 69)),  # en dash
        ("Aged 65-69", (65, 69)),
        ("65-69 years", (65, 69)),
        ("90+", (90, None)),
        ("90 and over", (90, None)),
        ("85 and over", (85, None)),
        ("85 AND OLDER", (85, None)),
        ("85 plus", (85, None)),
        ("50", (50, 50)),
        ("under 18", (0, 17)),
    ],
)
def test_age_band_forms(text, expected):
    # A band from 0 up to the given one keeps the set free of gaps.
    first = expected[0]
    rows = [f"{text},persons,0.1"] + ([f"0-{first - 1},persons,0"] if first else [])
    bands = parse("age_band,sex,prevalence\n" + "\n".join(rows))
    assert (bands[0].age_from, bands[0].age_to) == expected


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("male", 1),
        ("Male", 1),
        ("M", 1),
        ("men", 1),
        ("female", 2),
        ("F", 2),
        ("Women", 2),
        ("persons", 0),
        ("All", 0),
        ("BOTH", 0),
    ],
)
def test_sex_forms(text, sex):
    partner = {1: ["65-69,female,0.1"], 2: ["65-69,male,0.1"], 0: []}[sex]
    bands = parse("age_band,sex,prevalence\n" + "\n".join([f"65-69,{text},0.1", *partner]))
    assert bands[0].sex == sex


def test_percentages_become_fractions_and_missing_intervals_are_none():
    bands = parse(
        "Age band,Sex,Prevalence,Lower 95,Upper 95\n"
        "65-69,persons,1.2%,0.6 %,\n"
        "70-74,persons,0.03,,4.4%\n"
    )
    assert bands == [
        RateBand(65, 69, 0, 0.012, 0.006, None),
        RateBand(70, 74, 0, 0.03, None, 0.044),
    ]
    assert parse("sex,age,rate,notes\nall,18-64,0.2,anything\n") == [RateBand(18, 64, 0, 0.2)]


def test_semicolons_with_decimal_commas_and_a_byte_order_mark():
    text = "\ufeffage_band;sex;prevalence;lower_95;upper_95\r\n65-69;male;0,012;0,006;2,3%\r\n"
    text += "65-69;female;0,018;0,009;0,036\r\n"
    assert parse(text) == [
        RateBand(65, 69, 1, 0.012, 0.006, 0.023),
        RateBand(65, 69, 2, 0.018, 0.009, 0.036),
    ]


def test_tabs_and_utf16_as_excel_saves_unicode_text():
    text = CFAS_II_CSV.replace(",", "\t").replace("\n", "\r\n")
    assert parse(text, "utf-16") == CFAS_II_BANDS


def test_windows_1252():
    text = "age_band,sex,prevalence,source\n65\u201369,persons,0.012,\u00a3 survey \u2013 2013\n"
    assert parse(text, "cp1252") == [RateBand(65, 69, 0, 0.012)]


def test_persons_bands_may_sit_beside_male_and_female_bands_of_other_ages():
    bands = parse(
        "age_band,sex,prevalence\n18-64,persons,0.01\n65+,male,0.1\n65 and over,female,0.2\n"
    )
    assert [band.sex for band in bands] == [0, 1, 2]
    RateSet("x", tuple(bands))


def test_line_numbers_count_blank_lines_and_the_header():
    error = refusal(b"\n\nage_band,sex,prevalence\n\n65-69,persons,x\n")
    assert (error.code, error.line) == ("not_a_number", 5)


# Refusals -------------------------------------------------------------------------------------


def rows(*lines):
    return "\n".join([HEADER, *lines]).encode()


PAIR = ("65-69,male,0.01", "65-69,female,0.02")

REFUSED = [
    (b"", "empty", None),
    (b"\n \n", "empty", None),
    (HEADER.encode(), "empty", None),
    (b"age_band,sex\n65-69,male", "missing_column", 1),
    (b"age band,gender,lower\n65-69,male,0.1", "missing_column", 1),
    (b"age_band,sex,prevalence,rate\n65-69,male,0.1,0.1", "duplicate_column", 1),
    (rows("65-69,,0.1"), "blank", 2),
    (rows(",male,0.1"), "blank", 2),
    (rows(*PAIR, "70-74,male,"), "blank", 4),
    (rows("65-69,male,abc"), "not_a_number", 2),
    (rows("65-69,male,nan"), "not_a_number", 2),
    (rows("65-69,male,inf"), "not_a_number", 2),
    (rows("65-69,male,1e999"), "not_a_number", 2),
    (rows("65-69,male,0.1,low"), "not_a_number", 2),
    (rows("65-69,male,1.2"), "rate_range", 2),
    (rows("65-69,male,120%"), "rate_range", 2),
    (rows("65-69,male,-0.1"), "rate_range", 2),
    (rows("65-69,male,0.1,0.05,1.5"), "rate_range", 2),
    (rows("65-69,male,0.012,0.02,0.03"), "interval", 2),
    (rows("65-69,male,0.012,0.001,0.01"), "interval", 2),
    (rows("65-69,nonbinary,0.1"), "sex", 2),
    (rows("sixty,male,0.1"), "band", 2),
    (rows("69-65,male,0.1"), "band", 2),
    (rows("85-90,male,0.1"), "band", 2),  # 90 means 90 and over: write 85+
    (rows("90,male,0.1"), "band", 2),
    (rows("95+,male,0.1"), "band", 2),
    (rows("1000-1005,male,0.1"), "band", 2),
    (rows(*PAIR, "65-69,male,0.03"), "duplicate", 4),
    (rows(*PAIR, "67-72,female,0.03"), "overlap", 4),
    (rows(*PAIR, "65-69,persons,0.03"), "overlap", 4),
    (rows("85+,male,0.1", "90+,male,0.2"), "overlap", 3),  # an open band must come last
    (rows(*PAIR, "70-74,male,0.1"), "unpaired", 4),
    (rows("65-69,female,0.1", "65-69,male,0.1", "70-74,female,0.2"), "unpaired", 4),
    (rows(*PAIR, "75-79,male,0.05", "75-79,female,0.06"), "gap", 4),
    (rows("0-17,persons,0", "20+,persons,0.1"), "gap", 3),
    (b"\x81\x8d\x8f", "encoding", None),  # undefined in Windows-1252 and invalid UTF-8
    (b"age_band,sex,prevalence\x00\n", "encoding", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unreadable", None),  # an old .xls
    (b"PK\x03\x04 not really a workbook", "unreadable", None),
]


@pytest.mark.parametrize(("data", "code", "line"), REFUSED)
def test_refused_with_a_code_and_a_line(data, code, line):
    error = refusal(data)
    assert (error.code, error.line) == (code, line)
    assert error.code in CODES
    text = str(error)
    assert text.startswith(f"Line {line}: ") if line else not text.startswith("Line")


def test_a_gap_is_explained_in_plain_english():
    error = refusal(rows(*PAIR, "75-79,male,0.05", "75-79,female,0.06"))
    assert error.params["gap_from"] == 70
    assert error.params["gap_to"] == 74
    assert str(error) == (
        "Line 4: Band 75-79 (male) leaves ages 70 to 74 uncovered after band 65-69 on line 2."
    )


def test_an_overlap_names_both_lines():
    error = refusal(rows(*PAIR, "65-69,persons,0.03"))
    assert str(error) == "Line 4: Band 65-69 (persons) overlaps band 65-69 (male) on line 2."


def test_percentages_without_a_sign_get_a_hint():
    error = refusal(rows("65-69,male,1.2"))
    assert error.params == {"column": "prevalence", "value": "1.2", "reason": "percentage"}
    assert "write 1.2%" in str(error)
    assert refusal(rows("85-90,male,0.1")).params == {"value": "85-90", "reason": "closed_90"}


def test_a_formula_cell_is_refused_even_with_a_cached_value():
    data = xlsx([["age_band", "sex", "prevalence"], ["65-69", "persons", "=0.006*2"]])
    error = refusal(data)
    assert (error.code, error.line, error.params["cell"]) == ("formula", 2, "C2")


def test_a_workbook_led_by_a_chart_sheet_is_refused():
    workbook = Workbook()
    workbook.active.append(["age_band", "sex", "prevalence"])
    workbook.create_chartsheet("Chart", 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue()).code == "unreadable"


def test_workbook_rows_are_numbered_as_in_the_spreadsheet():
    data = xlsx([[], ["age_band", "sex", "prevalence"], [], ["65-69", "persons", "often"]])
    error = refusal(data)
    assert (error.code, error.line) == ("not_a_number", 4)


def test_too_large_and_too_many_rows():
    assert refusal(b"x" * (MAX_BYTES + 1)).code == "too_large"
    many = [f"{age % 90},persons,0.1" for age in range(MAX_ROWS + 1)]
    error = refusal(rows(*many))
    assert (error.code, error.line) == ("too_many_rows", MAX_ROWS + 2)


def test_read_rate_bands_refuses_a_large_file_without_reading_it_all(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (MAX_BYTES + 10))
    with pytest.raises(PrevalenceFileError) as caught:
        read_rate_bands(path)
    assert caught.value.code == "too_large"


# Properties ---------------------------------------------------------------------------------


@given(st.text(max_size=300))
def test_any_text_parses_or_is_refused_cleanly(text):
    result = outcome(text.encode("utf-8"))
    if isinstance(result, PrevalenceFileError):
        assert result.code in CODES
        assert str(result)


@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_refused_cleanly(data):
    for variant in (data, b"PK\x03\x04" + data):  # and as a would-be workbook
        result = outcome(variant)
        if isinstance(result, PrevalenceFileError):
            assert result.code in CODES


VALID_BANDS = ["0-17", "18-64", "65-69", "70-74", "75-84", "85+", "65 to 74", "90 and over", "50"]
JUNK_BANDS = ["", "x", "89-89", "90", "under 65", "65-", "-5", "120+"]
VALID_NUMBERS = ["0.1", "0.05", "0.2", "1.2%", "0", "1", "1e-3", "50%", ".5", "0."]
JUNK_NUMBERS = ["", "2", "-1", "abc", "0,1", "NaN"]


@st.composite
def tabular_texts(draw):
    """Files that look like rate sets, to reach the checks across rows: half of them with
    nothing wrong in any single row."""
    clean = draw(st.booleans())

    def token(valid, junk):
        return draw(st.sampled_from(valid if clean else valid + junk))

    sexes = draw(st.sampled_from([["persons", "All"], ["male", "female", "persons", "F"]]))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    lines = [delimiter.join(["age_band", "sex", "prevalence", "lower_95", "upper_95"])]
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        cells = [
            token(VALID_BANDS, JUNK_BANDS),
            token(sexes, ["", "other", "1", "2", "0"]),
            token(VALID_NUMBERS, JUNK_NUMBERS),
        ]
        if not clean and draw(st.booleans()):
            cells += [token(VALID_NUMBERS, JUNK_NUMBERS), token(VALID_NUMBERS, JUNK_NUMBERS)]
        lines.append(delimiter.join(cells))
    return "\n".join(lines)


@given(tabular_texts())
def test_rate_set_like_text_parses_to_a_consistent_set_or_is_refused(text):
    bands = outcome(text.encode("utf-8"))
    if isinstance(bands, PrevalenceFileError):
        assert bands.code in CODES
        assert bands.line is None or bands.line >= 1
        return
    RateSet("x", tuple(bands))  # no overlaps
    for sex in (1, 2):
        covering = sorted((b for b in bands if b.sex in (0, sex)), key=lambda b: b.age_from)
        for previous, band in pairwise(covering):
            assert band.age_from == previous.last_age + 1  # no gaps
    male = {(b.age_from, b.age_to) for b in bands if b.sex == 1}
    assert male == {(b.age_from, b.age_to) for b in bands if b.sex == 2}


@st.composite
def valid_rate_sets(draw):
    """Rows of a valid rate set: a contiguous run of bands, each as persons or as a male and a
    female row, rates in whole hundredths of a percent; with the parsed RateBand for each."""
    first = draw(st.integers(min_value=0, max_value=89))
    cuts = sorted(draw(st.sets(st.integers(min_value=first + 1, max_value=90), max_size=8)))
    stop = cuts.pop() if cuts and draw(st.booleans()) else 91  # closed last band, or open
    with_interval = draw(st.booleans())
    rows = []
    for start, end in pairwise([first, *cuts, stop]):
        age_to = None if end == 91 else end - 1
        sexes = draw(st.sampled_from([(0,), (1, 2)]))
        for sex in sexes:
            low, rate, high = sorted(draw(st.lists(st.integers(0, 10_000), min_size=3, max_size=3)))
            lower = draw(st.sampled_from([low, None])) if with_interval else None
            upper = draw(st.sampled_from([high, None])) if with_interval else None
            expected = RateBand(
                start,
                age_to,
                sex,
                rate / 10_000,
                None if lower is None else lower / 10_000,
                None if upper is None else upper / 10_000,
            )
            rows.append((expected, rate, lower, upper))
    return draw(st.permutations(rows)), with_interval


def render_band(draw, band):
    if band.age_to is None:
        return draw(st.sampled_from([f"{band.age_from}+", f"{band.age_from} and over"]))
    if band.age_from == band.age_to:
        return str(band.age_from)
    return draw(
        st.sampled_from(
            [
                f"{band.age_from}-{band.age_to}",
                f"{band.age_from} to {band.age_to}",
                f"{band.age_from}\u2013{band.age_to}",
                f"aged {band.age_from}-{band.age_to}",
            ]
        )
    )


def render_sex(draw, sex):
    names = {0: ["persons", "All", "both"], 1: ["male", "M", "Men"], 2: ["female", "f", "WOMEN"]}
    return draw(st.sampled_from(names[sex]))


def render_rate(draw, hundredths, decimal_comma):
    if hundredths is None:
        return ""
    percent = draw(st.booleans())
    text = f"{hundredths / 100:.2f}%" if percent else f"{hundredths / 10_000:.4f}"
    return text.replace(".", ",") if decimal_comma else text


@given(valid_rate_sets(), st.data())
def test_valid_rate_sets_round_trip_through_csv(generated, data):
    rows, with_interval = generated
    draw = data.draw
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    decimal_comma = delimiter != "," and draw(st.booleans())
    header = ["age_band", "sex", "prevalence"] + (["lower_95", "upper_95"] if with_interval else [])
    lines = [delimiter.join(header)]
    for band, rate, lower, upper in rows:
        cells = [render_band(draw, band), render_sex(draw, band.sex)]
        cells += [render_rate(draw, value, decimal_comma) for value in (rate, lower, upper)]
        lines.append(delimiter.join(cells[: len(header)]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    data_bytes = (newline.join(lines) + newline).encode(encoding)
    assert parse_rate_bands(data_bytes) == [band for band, *_ in rows]


@settings(max_examples=20, deadline=None)
@given(valid_rate_sets(), st.data())
def test_valid_rate_sets_round_trip_through_a_workbook(generated, data):
    rows, _ = generated
    draw = data.draw
    table = [["age_band", "sex", "prevalence", "lower_95", "upper_95"]]
    for band, rate, lower, upper in rows:
        table.append(
            [
                render_band(draw, band),
                render_sex(draw, band.sex),
                *(None if value is None else value / 10_000 for value in (rate, lower, upper)),
            ]
        )
    assert parse_rate_bands(xlsx(table)) == [band for band, *_ in rows]


def test_decimal_strings_give_the_nearest_float():
    # 1.23% and 0.0123 are the same rate, exactly.
    assert float(Decimal("1.23") / 100) == 0.0123 == 123 / 10_000
