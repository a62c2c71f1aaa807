"""The demo market position statement's Word and PDF documents, in English and Welsh: A4 pages,
supply against need whole on a landscape page with its verdict column, every column header
there to read, figures written as on the page, a table's title apart from its caption."""

import pytest
from django.core.management import call_command
from django.utils import translation

from commissioning.market import selectors
from commissioning.market.documents import DOCUMENT_TABLES
from commissioning.market.models import MarketAnalysis
from tests.documents import check_pdf, check_word, pdf_pages, squeezed

STATEMENT = "Older people's care and support market, 2026 (demonstration)"


@pytest.fixture
def statement(db):
    call_command("load_demo", verbosity=0)
    return MarketAnalysis.objects.get(title=STATEMENT)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_statement_documents_hold_every_table_whole_on_a4(client, statement, language):
    client.cookies["django_language"] = language
    with translation.override(language):
        results = selectors.analysis_results(statement)
        tables = [results.tables[key] for key in DOCUMENT_TABLES if results.tables[key].rows]
        verdicts = {row.get("flag") for row in results.tables["supply_against_need"].rows}
    numbers = ["125,524", "8,153"]
    word = client.get(f"/market/analyses/{statement.pk}/statement.docx")
    check_word(word.content, tables, numbers)
    pdf = client.get(f"/market/analyses/{statement.pk}/statement.pdf")
    check_pdf(pdf.content, tables, numbers)
    # The verdict, the last column, is on the page that holds the table.
    text = squeezed(" ".join(page.text for page in pdf_pages(pdf.content) if page.landscape))
    assert all(squeezed(str(verdict)) in text for verdict in verdicts if verdict)
