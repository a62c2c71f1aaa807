"""Control characters in a plan: cleaned on the way in through its pages, and a plan that holds
them anyway (stored before the cleaning, or by a path that skipped it) still downloads as Word."""

import io

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from docx import Document

from commissioning.plans.models import CommissioningPlan, PlanOutcome, PlanSection, Risk

pytestmark = pytest.mark.django_db


def word_text(document):
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def test_a_section_written_with_control_characters_is_cleaned_and_the_plan_downloads(
    client, commissioner, full_plan
):
    client.force_login(commissioner)
    response = client.post(
        reverse("plans:section_edit", args=[full_plan.pk, "introduction"]),
        {"body": "## Vision\x0b\r\n\r\nOlder people\x01 live well\x1b at home.\tAlways."},
    )
    assert response.status_code == 302
    body = PlanSection.objects.get(plan=full_plan, kind="introduction").body
    assert body == "## Vision\r\n\r\nOlder people live well at home.\tAlways."

    response = client.post(
        reverse("plans:outcome_create", args=[full_plan.pk]),
        {
            "title": "Carers get\r\na break\x0b when\tthey need one\x01",
            "description": "Line one\x07\r\nline two",
        },
    )
    assert response.status_code == 302
    outcome = PlanOutcome.objects.get(plan=full_plan, title__startswith="Carers")
    assert outcome.title == "Carers get a break when they need one"  # one line
    assert outcome.description == "Line one\r\nline two"

    response = client.get(reverse("plans:plan_document", args=[full_plan.pk, "docx"]))
    assert response.status_code == 200
    text = word_text(Document(io.BytesIO(response.content)))
    assert "Carers get a break when they need one" in text


def test_a_plan_holding_control_characters_still_downloads_as_word(client, commissioner, full_plan):
    PlanSection.objects.filter(plan=full_plan, kind="introduction").update(
        body="## Vision\x0b\n\nOlder people\x01 live **well\x1f** at home."
    )
    CommissioningPlan.objects.filter(pk=full_plan.pk).update(
        title=Concat(F("title"), Value("\x0b")), summary="A summary\x02 with a control"
    )
    Risk.objects.filter(plan=full_plan).update(owner="Head of\x0b adult care")

    client.force_login(commissioner)
    response = client.get(reverse("plans:plan_document", args=[full_plan.pk, "docx"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title == "Older people's commissioning plan"
    text = word_text(document)
    assert "Vision" in text and "Older people live well at home." in text
    assert "Head of adult care" in text
    assert not any(ch in text for ch in "\x01\x02\x0b\x1f")
    pdf = client.get(reverse("plans:plan_document", args=[full_plan.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
