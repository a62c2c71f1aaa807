"""The one plain-text policy, and the writers that must hold any text: whatever a person types
or a file holds, the cleaners and the CSV, XLSX and Word writers never fail, and what comes out
holds no control character that the policy removes."""

import csv
import importlib
import io
import pkgutil

from django import forms
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import commissioning
from commissioning.core.forms import PlainTextMixin
from commissioning.kit import word
from commissioning.kit.tables import Table, to_csv, to_xlsx
from commissioning.kit.text import clean_line, clean_text, for_xml

# Any text at all, with the control characters, line breaks and lone surrogates made likely.
hostile = st.text(
    alphabet=st.one_of(
        st.characters(codec=None),
        st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\t\n\r\x85\u2028\ud800\ufffe"),
        st.sampled_from("=+-@<>&'\""),
    ),
    max_size=60,
)
C0_BUT_WHITESPACE = {chr(c) for c in range(32)} - set("\t\n\r")


@given(hostile)
def test_free_text_keeps_its_line_breaks_and_loses_every_other_control(value):
    cleaned = clean_text(value)
    assert not set(cleaned) & (C0_BUT_WHITESPACE | {"\x7f"})
    assert cleaned.count("\n") == value.count("\n")
    assert clean_text(cleaned) == cleaned


@given(hostile)
def test_a_name_is_one_line_with_no_control_characters(value):
    cleaned = clean_line(value)
    assert not any(ord(ch) < 32 or ch in "\x7f\x85\u2028\u2029" for ch in cleaned)
    assert clean_line(cleaned) == cleaned


def test_the_policy_by_example():
    assert clean_line("Dales\x0b Home\r\nCare\tLtd\x01") == "Dales Home Care Ltd"
    assert clean_text("Dear\x01 team,\r\n\tThanks\x1b[0m") == "Dear team,\r\n\tThanks[0m"
    assert for_xml("a\x00b\x0bc\td\ufffe") == "abc\td"


@settings(max_examples=60, deadline=None)
@given(st.lists(hostile, min_size=1, max_size=4), hostile)
def test_tables_write_any_text_to_csv_and_xlsx(cells, title):
    table = Table(
        key="hostile",
        title=title,
        columns=[(f"c{i}", value) for i, value in enumerate(cells)],
        rows=[{f"c{i}": value for i, value in enumerate(cells)}],
    )
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"), newline="")))
    assert len(rows[0]) == len(cells)
    for cell in rows[0] + rows[1]:
        assert not cell.startswith(("=", "+", "-", "@"))
    workbook = load_workbook(io.BytesIO(to_xlsx(table, notes=[title])))
    assert workbook.active.max_column >= len(cells)


@settings(max_examples=40, deadline=None)
@given(hostile, hostile)
def test_word_documents_take_any_text(heading, text):
    document = word.document()
    document.describe(title=heading, author=text, language="en")
    document.add_heading(heading, level=1)
    document.add_paragraph(text)
    cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
    word.set_cell_text(cell, text)
    buffer = io.BytesIO()
    document.save(buffer)
    assert Document(io.BytesIO(buffer.getvalue())).core_properties.title == for_xml(heading)


def test_every_form_in_the_service_cleans_its_text():
    for module in pkgutil.walk_packages(commissioning.__path__, "commissioning."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    missing = []
    pending = [forms.BaseForm]
    while pending:
        for form in pending.pop().__subclasses__():
            pending.append(form)
            if form.__module__.startswith("commissioning.") and not issubclass(
                form, PlainTextMixin
            ):
                missing.append(f"{form.__module__}.{form.__qualname__}")
    # Signing in and choosing a password: an email address (the email check refuses controls)
    # and passwords, which are taken as typed.
    assert sorted(missing) == [
        "commissioning.core.forms.ChooseNewPasswordForm",
        "commissioning.core.forms.ResetRequestForm",
        "commissioning.core.forms.SignInForm",
    ]
