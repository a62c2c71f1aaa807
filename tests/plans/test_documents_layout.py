"""The demo plan's Word and PDF documents, in English and Welsh: A4 pages, every table whole on
its page (supply against need, thirteen columns, on a landscape one), every column header there
to read, figures written as on the page, a table's title apart from its caption."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from commissioning.plans import selectors
from commissioning.plans.models import CommissioningPlan
from tests.documents import check_pdf, check_word


@pytest.fixture
def plan(db):
    call_command("load_demo", verbosity=0)
    return CommissioningPlan.objects.get(title__startswith="Living well in later life")


def _tables(plan, language):
    with translation.override(language):
        contents = selectors.plan_contents(plan)
        market = contents["market_results"].tables
        return [
            contents["needs_tables"]["population_profile"],
            market["supply_against_need"],
            market["sector_mix"],
            contents["tables"]["risks"],
            contents["tables"]["budgets"],
            *[selectors.appraisal_table(results) for results in contents["appraisals"]],
        ]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_plan_documents_hold_every_table_whole_on_a4(client, plan, language):
    client.force_login(plan.created_by)
    client.cookies["django_language"] = language
    tables = _tables(plan, language)
    assert len(tables[1].columns) == 13
    # The population of 0 to 4 year old boys, and people aged 65 and over in County Durham.
    numbers = ["21,130", "125,524"]
    word = client.get(reverse("plans:plan_document", args=[plan.pk, "docx"]))
    assert word.status_code == 200
    check_word(word.content, tables, numbers)
    pdf = client.get(reverse("plans:plan_document", args=[plan.pk, "pdf"]))
    assert pdf.status_code == 200
    check_pdf(pdf.content, tables, [*numbers, "£2,100,000"])
