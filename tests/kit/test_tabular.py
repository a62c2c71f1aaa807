"""The one layer every tabular-file reader begins with (`kit.tabular`), and the three readers on
top of it refusing the same things the same way: a NUL byte anywhere in a text file, a formula
in a workbook, a file over the size cap, an Excel 97-2003 workbook."""

import codecs
import io
import os
import tempfile
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from commissioning.kit import tabular
from commissioning.kit.phrases import Phrase
from commissioning.market import cqc_formats
from commissioning.needs import population_formats, prevalence_formats

bounded = settings(max_examples=60, deadline=None, database=None)


def _xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _through_a_file(data: bytes, read: Callable[[str], object]) -> object:
    handle, path = tempfile.mkstemp(suffix=".upload")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        return read(path)
    finally:
        os.unlink(path)


def _population(data: bytes, max_bytes: int = population_formats.DEFAULT_MAX_BYTES) -> None:
    def read(path: str) -> None:
        for _cell in population_formats.read_cells(path, year=2021, max_bytes=max_bytes):
            pass

    _through_a_file(data, read)


def _prevalence(data: bytes) -> None:
    prevalence_formats.parse_rate_bands(data)


def _cqc(data: bytes, max_bytes: int = cqc_formats.DEFAULT_MAX_BYTES) -> None:
    def read(path: str) -> None:
        for _record in cqc_formats.read_locations(path, max_bytes=max_bytes):
            pass

    _through_a_file(data, read)


READERS = {
    "population": (population_formats.PopulationFileError, _population),
    "prevalence": (prevalence_formats.PrevalenceFileError, _prevalence),
    "cqc": (cqc_formats.CqcFileError, _cqc),
}

CSV = {
    "population": "GEOGRAPHY_CODE,GENDER,C_AGE,OBS_VALUE\nE06000047,1,0,100\nE06000047,2,0,90\n",
    "prevalence": "age_band,sex,prevalence\n65-69,male,0.01\n65-69,female,0.02\n",
    "cqc": "Provider name,Name,Service types\nAcme Care,Acme House,Care home\n",
}

WORKBOOK_HEADERS = {
    "population": ["ladcode21", "laname21", "sex", "age", "population_2021"],
    "prevalence": ["age_band", "sex", "prevalence"],
    "cqc": ["Provider name", "Name", "Service types"],
}
WORKBOOK_ROWS = {
    "population": ["E06000047", "County Durham", 1, 0, 100],
    "prevalence": ["65-69", "persons", 0.01],
    "cqc": ["Acme Care", "Acme House", "Care home"],
}


def _refusal(reader: str, data: bytes) -> tabular.Refused:
    error, read = READERS[reader]
    with pytest.raises(error) as refused:
        read(data)
    assert isinstance(refused.value, tabular.Refused)  # every reader's refusal is the kit's type
    assert isinstance(refused.value.phrase, Phrase)
    return refused.value


def test_every_reader_reads_its_small_example():
    for reader, text in CSV.items():
        READERS[reader][1](text.encode())


# --- NUL bytes --------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_a_nul_byte_is_refused_by_every_reader_in_every_encoding(reader, encoding):
    text = CSV[reader].replace("\n", "\x00\n", 2)
    error = _refusal(reader, text.encode(encoding))
    assert error.code == "encoding"


@pytest.mark.parametrize("reader", READERS)
def test_a_nul_byte_past_the_first_megabyte_is_refused(reader):
    header, _sep, rest = CSV[reader].partition("\n")
    padding = "\n" * (1 << 20)
    error = _refusal(reader, f"{header}\n{padding}{rest}\x00\n".encode())
    assert error.code == "encoding"


@pytest.mark.parametrize("reader", ["population", "cqc"])
def test_the_line_of_the_nul_byte_is_named(reader):
    text = CSV[reader] + "a\x00b\n"
    error = _refusal(reader, text.encode())
    assert (error.code, error.line) == ("encoding", CSV[reader].count("\n") + 1)


def test_a_rate_set_names_no_line_for_its_encoding():
    # A rate set is a few lines: its refusal keeps the words it always had.
    error = _refusal("prevalence", CSV["prevalence"].encode() + b"a\x00b\n")
    assert (error.code, error.line) == ("encoding", None)


# --- formulas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("formula", ["=1+1", "=SUM(A1:A2)"])
def test_a_formula_is_refused_by_every_reader_naming_its_cell(reader, formula):
    row = list(WORKBOOK_ROWS[reader])
    row[-1] = formula
    data = _xlsx([WORKBOOK_HEADERS[reader], WORKBOOK_ROWS[reader], row])
    error = _refusal(reader, data)
    cell = f"{'ABCDE'[len(row) - 1]}3"
    assert (error.code, error.line, error.params["cell"]) == ("formula", 3, cell)
    assert f"Cell {cell} holds a formula" in str(error)


def test_the_kit_refuses_the_first_formula_of_a_row():
    tabular.refuse_formulas(["a", 1, None, "not = a formula"], 4)
    with pytest.raises(tabular.Refused) as refused:
        tabular.refuse_formulas(["a", "=A1", "=B1"], 4)
    assert (refused.value.code, refused.value.line, refused.value.params["cell"]) == (
        "formula",
        4,
        "B4",
    )
    assert str(refused.value) == "Line 4: Cell B4 holds a formula; export the values instead."


# --- size and kind ----------------------------------------------------------------------------


def test_an_oversized_file_is_refused_by_every_reader():
    big = CSV["population"].encode() * 100
    assert _refusal_of(lambda: _population(big, max_bytes=len(big) - 1)).code == "too_large"
    big = CSV["cqc"].encode() * 100
    assert _refusal_of(lambda: _cqc(big, max_bytes=len(big) - 1)).code == "too_large"
    big = b"x" * (prevalence_formats.MAX_BYTES + 1)
    assert _refusal_of(lambda: _prevalence(big)).code == "too_large"


def _refusal_of(read: Callable[[], object]) -> tabular.Refused:
    with pytest.raises(tabular.Refused) as refused:
        read()
    return refused.value


def test_the_size_is_checked_before_a_byte_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2048)
    opened = []
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a))
    with pytest.raises(tabular.Refused) as refused:
        tabular.check_size(path, 1024)
    monkeypatch.undo()
    assert opened == []
    assert refused.value.params["size"] == 2048
    assert tabular.check_size(path, 2048) == 2048


def test_read_capped_reads_at_most_one_byte_more(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_bytes(b"abc")
    assert tabular.read_capped(path, 3) == b"abc"
    with pytest.raises(tabular.Refused):
        tabular.read_capped(path, 2)


@pytest.mark.parametrize("reader", READERS)
def test_an_excel_97_workbook_is_refused_by_every_reader(reader):
    error = _refusal(reader, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert error.code in {"xls", "unreadable"}
    assert ".xls" in str(error) or "xlsx" in str(error)


def test_sniff():
    assert tabular.sniff(b"PK\x03\x04rest") == "zip"
    assert tabular.sniff(b"PK\x05\x06") == "zip"
    assert tabular.sniff(b"\xd0\xcf\x11\xe0") == "xls"
    assert tabular.sniff(b"a,b\n") == "text"
    with pytest.raises(tabular.Refused):
        tabular.refuse_xls(b"\xd0\xcf\x11\xe0")


# --- encodings --------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(
        codec="cp1252", exclude_categories=("Cc", "Cs"), exclude_characters="\x00"
    ),
    max_size=200,
).map(lambda text: "name,value\n" + text)


@bounded
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_the_encoding_is_detected_and_the_text_read_back(text, encoding):
    data = text.encode(encoding)
    detected = tabular.detect_encoding(io.BytesIO(data))
    if encoding == "cp1252" and data.isascii():
        assert detected == "utf-8"  # the same bytes
    elif encoding == "cp1252":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            assert detected == "cp1252"
        else:
            assert detected == "utf-8"  # Windows-1252 bytes that happen to be UTF-8
    else:
        assert detected == encoding
    assert tabular.decode(data).lstrip("\ufeff") == data.decode(detected).lstrip("\ufeff")


def test_the_encoding_of_a_file_on_disk(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "a\tb\n".encode("utf-16-le"))
    assert tabular.detect_encoding(path) == "utf-16"
    raw, text = tabular.open_text(path, "utf-16")
    with raw, text:
        assert text.read() == "a\tb\n"


def test_a_byte_no_encoding_reads_is_named():
    with pytest.raises(tabular.Refused) as refused:
        tabular.detect_encoding(io.BytesIO(b"a,b\nc,\x81\n"))
    assert (refused.value.line, refused.value.params["byte"]) == (2, "0x81")


# --- the refusal ------------------------------------------------------------------------------


def test_a_refusal_is_led_by_its_sheet_and_row():
    error = tabular.Refused("formula", line=7, column="B7", cell="B7", sheet="Data")
    assert str(error) == "Sheet 'Data', row 7: Cell B7 holds a formula; export the values instead."
    assert str(tabular.Refused("xls")) == (
        "This is an Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV."
    )


def test_a_readers_refusal_keeps_the_kits_code_and_params_in_its_own_words():
    kit = tabular.Refused("formula", line=3, column="C3", cell="C3")
    own = tabular.translated(kit, cqc_formats.CqcFileError, sheet="Locations")
    assert isinstance(own, cqc_formats.CqcFileError)
    assert (own.code, own.line, own.column, own.params) == (
        "formula",
        3,
        "C3",
        {"cell": "C3", "sheet": "Locations"},
    )


def test_a_damaged_workbook_is_unreadable():
    with pytest.raises(tabular.Refused) as refused:
        tabular.open_workbook(b"PK\x03\x04 not really a workbook")
    assert refused.value.code == "unreadable"


def test_a_workbooks_rows_from_a_row_on():
    raw, workbook = tabular.open_workbook(_xlsx([["a", "b"], [1, 2], [3, "=A3"]]))
    try:
        sheet = workbook.worksheets[0]
        assert tabular.is_sheet(sheet)
        assert list(tabular.sheet_rows(sheet, first=2)) == [(2, (1, 2)), (3, (3, "=A3"))]
    finally:
        workbook.close()
        raw.close()
