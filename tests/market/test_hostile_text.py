"""A control character stored in a provider's name (written before text was cleaned on the
way in, or by a path that skipped it) must not break the published market position
statement's Word file or its tables' workbooks for every visitor."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F, Value
from django.db.models.functions import Concat
from docx import Document
from openpyxl import load_workbook

from commissioning.kit.text import clean_line
from commissioning.market import cqc_formats
from commissioning.market.models import MarketAnalysis, Provider
from tests.market.test_cqc_formats import care_with

STATEMENT = "Older people's care and support market, 2026 (demonstration)"


@pytest.fixture
def statement(db):
    call_command("load_demo", verbosity=0)
    return MarketAnalysis.objects.get(title=STATEMENT)


def test_a_control_character_in_stored_names_does_not_break_the_published_statement(
    client, statement
):
    Provider.objects.update(name=Concat(F("name"), Value("\x0b Ltd\x01")))
    MarketAnalysis.objects.filter(pk=statement.pk).update(
        title=Concat(F("title"), Value("\x0b")), summary=Concat(F("summary"), Value("\x1b[0m"))
    )

    response = client.get(f"/market/analyses/{statement.pk}/statement.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title == STATEMENT
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "\x0b" not in "".join(cells) and "\x01" not in "".join(cells)
    pdf = client.get(f"/market/analyses/{statement.pk}/statement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    for table in ("concentration", "supply_against_need", "sector_mix"):
        response = client.get(f"/market/analyses/{statement.pk}/tables/{table}.xlsx")
        assert response.status_code == 200, table
        values = list(load_workbook(io.BytesIO(response.content)).active.values)
        assert values[0][0]  # the table's title
        assert not any("\x0b" in str(v) for row in values for v in row)


@pytest.mark.parametrize(
    "typed",
    [
        "Dales\x0bHome\r\nCare\x01 Ltd",
        "Dales\tHome\x1b Care\x08 Ltd",
        "Dales\u2028Home Care\x7f Ltd",
    ],
)
def test_a_cqc_file_gives_provider_names_under_the_plain_text_policy(tmp_path, typed):
    path = care_with(tmp_path, "Provider name", typed)
    [first, *_rest] = cqc_formats.read_locations(path)
    assert first.provider_name == "Dales Home Care Ltd"
    assert clean_line(first.provider_name) == first.provider_name
