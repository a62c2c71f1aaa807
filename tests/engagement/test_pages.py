"""Engagement through its pages: the public answer a consultation (and are refused, politely,
when they should be), commissioners build one, read its results and export them, record how
people took part, and anyone subscribes to news by email."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from commissioning.demo import builders
from commissioning.engagement import services
from commissioning.engagement.models import (
    Answer,
    Consultation,
    DeclarationOfInterest,
    EngagementActivity,
    Question,
    Response,
    Subscription,
)
from tests.engagement.conftest import answers_for
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
HOME = "203.0.113.7"
DAY_CENTRE = "198.51.100.20"


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def signed_in(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def consultation(make_consultation):
    return make_consultation()


@pytest.fixture
def questionnaire(commissioner, plan):
    """A published consultation with one question of each kind, each with its own help text."""
    return builders.consultation(
        actor=commissioner,
        plan=plan,
        title="Short breaks for carers",
        summary="We propose more overnight short breaks, booked directly by carers.",
        audiences=["public", "service_users_and_carers"],
        opens_at=timezone.now() - timedelta(days=2),
        questions=[
            (
                "single_choice",
                "Have you had a short break in the last year?",
                {
                    "help_text": "Count any break of a night or more.",
                    "choices": "Yes\nNo\nNot sure",
                    "required": True,
                },
            ),
            (
                "multiple_choice",
                "Which kinds of break would help you?",
                {
                    "help_text": "Tick as many as you like.",
                    "choices": "Overnight in a care home\nA sitter at home\nA holiday together",
                },
            ),
            (
                "rating",
                "How easy is it to book a break now?",
                {
                    "help_text": "Think of the last time you tried.",
                    "lowest_label": "Very hard",
                    "highest_label": "Very easy",
                },
            ),
            (
                "free_text",
                "What would make booking easier?",
                {"help_text": "Anything at all: forms, phone lines, waiting times."},
            ),
        ],
    )


def answers(consultation, *, group="citizen", agree=0, activities=(0,), rating=4, text=""):
    """What the answer form posts for the `make_consultation` questionnaire."""
    questions = list(consultation.questions.all())
    data = {
        "stakeholder_group": group,
        f"question_{questions[0].pk}": str(agree),
        f"question_{questions[1].pk}": [str(a) for a in activities],
        f"question_{questions[2].pk}": str(rating),
    }
    if text:
        data[f"question_{questions[3].pk}"] = text
    return data


def respond_url(consultation):
    return reverse("engagement:consultation_respond", args=[consultation.pk])


def results_url(consultation):
    return reverse("engagement:consultation_results", args=[consultation.pk])


def close(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    return consultation


def page(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the public answer form ----------------------------------------------------------------------


def test_the_answer_form_shows_every_kind_of_question_with_its_help(client, questionnaire):
    response = client.get(respond_url(questionnaire))
    assert response.status_code == 200
    html = page(response)
    single, multiple, rating, free = questionnaire.questions.all()
    assert {q.kind for q in (single, multiple, rating, free)} == set(Question.Kind.values)
    for question in (single, multiple, rating, free):
        assert question.help_text in html
        assert f'id="id_question_{question.pk}-hint"' in html
    # The one required question is not marked optional; the others are.
    assert "Have you had a short break in the last year?</legend>" in html
    assert "Which kinds of break would help you? (optional)" in html
    # Single choice and rating: radios; multiple choice: checkboxes; free text: a text area.
    assert re.search(rf'name="question_{single.pk}" type="radio" value="2"', html)
    assert "Not sure" in html
    assert re.search(rf'name="question_{multiple.pk}" type="checkbox" value="1"', html)
    assert "A sitter at home" in html
    assert len(re.findall(rf'name="question_{rating.pk}" type="radio"', html)) == 5
    assert "1: Very hard" in html and "5: Very easy" in html
    assert re.search(rf'<textarea[^>]*name="question_{free.pk}"', html)
    # Only the groups this consultation is for are offered (no providers here).
    assert "A carer" in html and "A member of the public" in html
    assert "A provider in the private sector" not in html


def test_a_script_in_a_written_answer_is_refused_and_nothing_is_written(client, consultation):
    response = client.post(
        respond_url(consultation),
        answers(consultation, text=f"More lunch clubs please {SCRIPT}"),
        REMOTE_ADDR=HOME,
    )
    assert response.status_code == 400
    html = page(response)
    assert "Remove the HTML tags (anything written between &lt; and &gt;) from your answer" in html
    assert "govuk-error-summary" in html
    assert SCRIPT not in html  # never echoed back as markup
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_an_answer_after_the_closing_date_is_refused(client, consultation):
    close(consultation)
    response = client.post(respond_url(consultation), answers(consultation), REMOTE_ADDR=HOME)
    assert response.status_code == 403
    html = page(response)
    closed = timezone.localtime(consultation.closes_at).strftime("%-d %B %Y")
    assert f"This consultation closed on {closed}" in html
    assert "so we cannot accept your answers" in html
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    # Asking for the form itself sends the reader back to the consultation, with the reason.
    response = client.get(respond_url(consultation), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "engagement:consultation_detail", args=[consultation.pk]
    )
    assert "This consultation is not open, so it is not taking answers." in messages_of(response)


@override_settings(CONSULTATION_RESPONSES_PER_HOUR=3)
def test_too_many_answers_from_one_connection_are_refused(client, consultation):
    for _ in range(3):
        response = client.post(respond_url(consultation), answers(consultation), REMOTE_ADDR=HOME)
        assert response.status_code == 302
    for _ in range(4):
        response = client.post(
            respond_url(consultation), answers(consultation, text="One more"), REMOTE_ADDR=HOME
        )
        assert response.status_code == 429
        assert (
            "We have received 3 responses to this consultation from your connection in the "
            "last hour, which is as many as we accept" in page(response)
        )
    # A forged forwarding header is not a new connection.
    response = client.post(
        respond_url(consultation),
        answers(consultation),
        REMOTE_ADDR=HOME,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429
    assert Response.objects.count() == 3
    assert not Answer.objects.filter(text="One more").exists()
    # Someone on another connection is not held up.
    response = client.post(respond_url(consultation), answers(consultation), REMOTE_ADDR=DAY_CENTRE)
    assert response.status_code == 302
    assert Response.objects.count() == 4


def test_a_correct_answer_is_thanked_and_stored(client, consultation):
    response = client.post(
        respond_url(consultation),
        answers(consultation, group="carer", agree=2, activities=(0, 3), rating=2, text="Trips"),
        REMOTE_ADDR=HOME,
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("engagement:consultation_detail", args=[consultation.pk]), 302)
    ]
    [thanks] = messages_of(response)
    assert thanks.startswith("Thank you: your answers are sent.")
    [stored] = Response.objects.all()
    assert stored.person is None
    assert stored.stakeholder_group == "carer"
    assert sorted((a.choice, a.rating, a.text) for a in stored.answers.all() if a.text) == [
        (None, None, "Trips")
    ]
    assert stored.answers.count() == 5


def test_a_missing_required_answer_comes_back_on_the_form(client, consultation):
    data = answers(consultation)
    del data[f"question_{consultation.questions.first().pk}"]
    response = client.post(respond_url(consultation), data, REMOTE_ADDR=HOME)
    assert response.status_code == 400
    assert "Answer this question: Do you agree with the proposal?" in page(response)
    assert not Response.objects.exists()


def test_a_signed_in_person_answers_once(signed_in, consultation, provider_director):
    client = signed_in(provider_director)
    data = answers(consultation, group="provider_private", text="Our staff could run it.")
    first = client.post(respond_url(consultation), data)
    assert first.status_code == 302
    second = client.post(respond_url(consultation), data)
    assert second.status_code == 403
    assert "You have already answered this consultation. Thank you." in page(second)
    assert Response.objects.filter(person=provider_director).count() == 1
    assert Answer.objects.filter(text="Our staff could run it.").count() == 1
    form = client.get(respond_url(consultation))
    assert "You have answered this consultation. Thank you." in page(form)
    assert "Send your answers" not in page(form)


def test_an_answer_before_the_consultation_opens_is_refused(client, make_consultation):
    coming = make_consultation(opens_in=timedelta(days=3))
    response = client.post(respond_url(coming), answers(coming), REMOTE_ADDR=HOME)
    assert response.status_code == 403
    assert "This consultation is not open yet." in page(response)
    assert not Response.objects.exists()


# --- results and exports ------------------------------------------------------------------------


@pytest.fixture
def answered(consultation):
    """Three people answered from three connections: two agree, one disagrees."""
    for address, group, values in (
        (
            "203.0.113.1",
            "citizen",
            {"activities": (0, 1), "text": "Lunch clubs keep my mother going."},
        ),
        ("203.0.113.2", "carer", {"rating": 5}),
        (
            "203.0.113.3",
            "provider_third",
            {
                "agree": 2,
                "activities": (3,),
                "rating": 1,
                "text": "Grants for one year are too short to plan.",
            },
        ),
    ):
        services.submit_response(
            consultation=consultation,
            person=None,
            client=address,
            stakeholder_group=group,
            answers=answers_for(consultation, **values),
        )
    return consultation


def test_the_commissioner_sees_charts_tables_and_written_answers(signed_in, commissioner, answered):
    response = signed_in(commissioner).get(results_url(answered))
    assert response.status_code == 200
    html = page(response)
    assert "3 responses so far." in html
    questions = list(answered.questions.all())
    for question in questions[:3]:  # the choice and rating questions
        assert f'<table class="govuk-table" id="question-{question.pk}">' in html
        assert f'id="question-{question.pk}-chart"' in html
    assert len(re.findall(r'<svg[^>]*role="img"', html)) == 3
    assert 'aria-label="Bar chart of the answers to: Do you agree with the proposal?"' in html
    assert "The most chosen answer was “Agree”, by 2 (66.7%)." in html
    assert "The average rating was 3.33 out of 5." in html
    # The free-text question: a count and samples, and a link to them all.
    assert "2 written answers." in html
    assert "Lunch clubs keep my mother going." in html
    assert "Grants for one year are too short to plan." in html
    assert reverse("engagement:text_answers", args=[answered.pk, questions[3].pk]) in html
    assert reverse("engagement:consultation_export", args=[answered.pk, "csv"]) in html


def test_results_with_no_answers_yet_are_not_an_error(signed_in, commissioner, consultation):
    response = signed_in(commissioner).get(results_url(consultation))
    assert response.status_code == 200
    html = page(response)
    assert "0 responses so far." in html
    assert 'role="img"' not in html  # no chart of nothing
    assert "0 written answers." in html


def test_the_commissioner_reads_every_written_answer(signed_in, commissioner, answered):
    question = answered.questions.last()
    response = signed_in(commissioner).get(
        reverse("engagement:text_answers", args=[answered.pk, question.pk])
    )
    assert response.status_code == 200
    html = page(response)
    assert "Lunch clubs keep my mother going." in html
    assert "Grants for one year are too short to plan." in html


def test_the_public_see_results_only_with_you_said_we_did_and_never_the_written_answers(
    client, signed_in, commissioner, councillor, answered
):
    assert client.get(results_url(answered)).status_code == 403
    # The plan's councillors read the counts before they sign it off, but not what was written.
    councillor_results = signed_in(councillor).get(results_url(answered))
    assert councillor_results.status_code == 200
    assert "Lunch clubs keep my mother going." not in page(councillor_results)
    client.logout()
    close(answered)
    client.force_login(commissioner)
    published = client.post(
        reverse("engagement:consultation_response", args=[answered.pk]),
        {"response": "You said lunch clubs matter.\n\nWe kept them in the grant programme."},
    )
    assert published.status_code == 302 and published.url == results_url(answered)
    client.logout()

    response = client.get(results_url(answered))
    assert response.status_code == 200
    html = page(response)
    assert "We kept them in the grant programme." in html
    assert len(re.findall(r'<svg[^>]*role="img"', html)) == 3
    assert "2 written answers." in html
    assert "Lunch clubs keep my mother going." not in html
    assert "Grants for one year are too short to plan." not in html
    assert "Read every written answer" not in html
    assert "/responses.csv" not in html and "/responses.xlsx" not in html
    # The written answers and downloads stay closed to them.
    question = answered.questions.last()
    text_page = client.get(reverse("engagement:text_answers", args=[answered.pk, question.pk]))
    assert text_page.status_code == 302 and "Lunch clubs" not in page(text_page)
    client.force_login(councillor)
    assert (
        client.get(reverse("engagement:text_answers", args=[answered.pk, question.pk])).status_code
        == 403
    )


def test_the_commissioner_downloads_every_response(signed_in, commissioner, answered):
    client = signed_in(commissioner)
    response = client.get(reverse("engagement:consultation_export", args=[answered.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="consultation-{answered.pk}-responses.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][0].lstrip("\ufeff") == "Submitted"
    assert rows[0][2:] == [q.text for q in answered.questions.all()]
    assert len(rows) == 1 + 3
    assert [row[1] for row in rows[1:]] == [
        "A member of the public",
        "A carer",
        "A provider in the voluntary and community sector",
    ]
    assert rows[1][3] == "Lunch clubs; Exercise"

    response = client.get(reverse("engagement:consultation_export", args=[answered.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('responses.xlsx"')
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(values) == 1 + 3
    assert values[3][5] == "Grants for one year are too short to plan."

    unknown = client.get(reverse("engagement:consultation_export", args=[answered.pk, "pdf"]))
    assert unknown.status_code == 404


def test_nobody_else_downloads_the_responses(
    client, signed_in, councillor, provider_director, answered
):
    for extension in ("csv", "xlsx"):
        url = reverse("engagement:consultation_export", args=[answered.pk, extension])
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous.url.startswith(reverse("core:sign_in"))
        for person in (councillor, provider_director):
            client.force_login(person)
            refused = client.get(url)
            assert refused.status_code == 403
            assert "Lunch clubs keep my mother going." not in page(refused)
            client.logout()


# --- the builder --------------------------------------------------------------------------------


def test_a_commissioner_builds_and_publishes_a_consultation(signed_in, commissioner, plan):
    client = signed_in(commissioner)
    create_url = reverse("engagement:consultation_create", args=[plan.pk])
    assert client.get(create_url).status_code == 200
    today = timezone.localdate()
    closes_on = today + timedelta(weeks=12)
    response = client.post(
        create_url,
        {
            "title": "Day opportunities for older people",
            "summary": "We propose to grant-fund community groups.\n\n* Lunch clubs\n* Trips",
            "audiences": ["public", "providers"],
            "opens_on": today.isoformat(),
            "closes_on": closes_on.isoformat(),
        },
    )
    consultation = Consultation.objects.get(title="Day opportunities for older people")
    detail_url = reverse("engagement:consultation_detail", args=[consultation.pk])
    assert response.status_code == 302 and response.url == detail_url
    assert consultation.status == Consultation.Status.DRAFT
    assert consultation.audiences == ["public", "providers"]
    assert timezone.localtime(consultation.opens_at).date() == today
    assert timezone.localtime(consultation.opens_at).strftime("%H:%M") == "00:00"
    assert timezone.localtime(consultation.closes_at).date() == closes_on
    assert timezone.localtime(consultation.closes_at).strftime("%H:%M") == "23:59"

    question_url = reverse("engagement:question_create", args=[consultation.pk])
    assert client.get(question_url).status_code == 200
    for data in (
        {
            "kind": "single_choice",
            "text": "Do you agree with the proposal?",
            "required": "on",
            "choices": "Agree\nNeither agree nor disagree\nDisagree",
        },
        {
            "kind": "rating",
            "text": "How good are day opportunities now?",
            "lowest_label": "Very poor",
            "highest_label": "Very good",
        },
        {
            "kind": "free_text",
            "text": "What else should we know?",
            "help_text": "Tell us in your own words.",
        },
    ):
        response = client.post(question_url, data)
        assert response.status_code == 302 and response.url == detail_url
    questions = list(consultation.questions.all())
    assert [q.kind for q in questions] == ["single_choice", "rating", "free_text"]
    assert questions[0].required and questions[0].choices[2] == "Disagree"
    assert questions[1].lowest_label == "Very poor"
    detail = page(client.get(detail_url))
    assert "Neither agree nor disagree" in detail and "Publish the consultation" in detail

    response = client.post(
        reverse("engagement:consultation_publish", args=[consultation.pk]), follow=True
    )
    assert "The consultation is published on the public site." in messages_of(response)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.PUBLISHED

    # Once published, the questionnaire is fixed.
    edit_url = reverse("engagement:question_edit", args=[consultation.pk, questions[0].pk])
    response = client.get(edit_url, follow=True)
    assert response.redirect_chain == [(detail_url, 302)]
    [fixed] = messages_of(response)
    assert "its questions and wording are fixed" in fixed
    response = client.post(edit_url, {"kind": "free_text", "text": "Changed?"})
    assert response.status_code == 302
    response = client.post(question_url, {"kind": "free_text", "text": "One more?"})
    assert response.status_code == 302
    assert [q.text for q in consultation.questions.all()] == [q.text for q in questions]
    # And the public find it.
    client.logout()
    listing = page(client.get(reverse("engagement:consultation_list")))
    assert "Day opportunities for older people" in listing
    assert client.get(respond_url(consultation)).status_code == 200


def test_a_title_with_markup_is_refused(signed_in, commissioner, plan):
    today = timezone.localdate()
    response = signed_in(commissioner).post(
        reverse("engagement:consultation_create", args=[plan.pk]),
        {
            "title": f"Day opportunities {SCRIPT}",
            "summary": "We propose to grant-fund community groups.",
            "audiences": ["public"],
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(weeks=12)).isoformat(),
        },
    )
    assert response.status_code == 400
    html = page(response)
    assert "Remove the HTML tags" in html
    assert SCRIPT not in html
    assert not Consultation.objects.exists()


def test_a_question_with_markup_or_one_choice_is_refused(
    signed_in, commissioner, make_consultation
):
    consultation = make_consultation(publish=False)
    client = signed_in(commissioner)
    url = reverse("engagement:question_create", args=[consultation.pk])
    response = client.post(url, {"kind": "free_text", "text": f"Why? {SCRIPT}"})
    assert response.status_code == 400 and "Remove the HTML tags" in page(response)
    response = client.post(url, {"kind": "single_choice", "text": "Yes?", "choices": "Yes"})
    assert response.status_code == 400
    assert "Give at least two choices, one a line." in page(response)
    assert consultation.questions.count() == 4


def test_only_the_plans_commissioners_build_consultations(
    client, signed_in, councillor, provider_director, plan, make_consultation
):
    draft = make_consultation(publish=False)
    create_url = reverse("engagement:consultation_create", args=[plan.pk])
    publish_url = reverse("engagement:consultation_publish", args=[draft.pk])
    assert client.get(create_url).status_code == 302  # to sign in
    # A draft is not public: nobody outside its plan's bodies learns that it exists.
    assert client.get(respond_url(draft)).status_code == 404
    assert client.get(results_url(draft)).status_code == 404
    # The councillor sees the draft plan and its draft consultation, but changes neither; the
    # provider's director does not see the draft plan at all.
    for person, expected in ((councillor, (403, 403, 404)), (provider_director, (404, 404, 404))):
        client.force_login(person)
        codes = (
            client.get(create_url).status_code,
            client.post(publish_url).status_code,
            client.get(respond_url(draft)).status_code,
        )
        assert codes == expected, person
        client.logout()
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.DRAFT


# --- the plan's engagement record and governance ------------------------------------------------


def test_an_activity_recorded_through_the_form_shows_on_the_plan(signed_in, commissioner, plan):
    client = signed_in(commissioner)
    stage = plan.cycle_model.stages.first()
    url = reverse("engagement:activity_create", args=[plan.pk])
    assert client.get(url).status_code == 200
    held_on = timezone.localdate() - timedelta(days=14)
    response = client.post(
        url,
        {
            "kind": "provider_forum",
            "title": "Provider forum on day opportunities",
            "held_on": held_on.isoformat(),
            "cycle_stage": str(stage.pk),
            "service_users": "0",
            "carers": "3",
            "citizens": "0",
            "providers_third": "14",
            "providers_private": "6",
            "providers_public": "1",
            "seldom_heard_groups": "Gypsy and Traveller communities\nYoung carers",
            "what_changed": "The grant programme allows joint bids.",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("engagement:plan_engagement", args=[plan.pk])
    [activity] = EngagementActivity.objects.filter(plan=plan)
    assert activity.participants == 24
    assert activity.recorded_by == commissioner

    html = page(client.get(reverse("plans:plan_detail", args=[plan.pk])))
    assert "How people took part (standard 4)" in html
    section = html.split("How people took part (standard 4)", 1)[1]
    assert "Provider forum on day opportunities" in section
    assert "Gypsy and Traveller communities, Young carers" in section
    assert "The grant programme allows joint bids." in section
    assert "24 taking part" in section
    assert "No engagement is recorded yet." not in html

    engagement = page(client.get(reverse("engagement:plan_engagement", args=[plan.pk])))
    assert "Provider forum on day opportunities" in engagement


def test_an_activity_in_the_future_or_with_markup_is_refused(
    signed_in, commissioner, councillor, plan
):
    client = signed_in(commissioner)
    url = reverse("engagement:activity_create", args=[plan.pk])
    base = {
        "kind": "event",
        "title": "Drop-in at the library",
        "held_on": timezone.localdate().isoformat(),
        **dict.fromkeys(EngagementActivity.PARTICIPANT_FIELDS.values(), "0"),
    }
    future = {**base, "held_on": (timezone.localdate() + timedelta(days=3)).isoformat()}
    response = client.post(url, future)
    assert response.status_code == 400
    assert "the date cannot be in the future" in page(response)
    response = client.post(url, {**base, "title": f"Drop-in {SCRIPT}"})
    assert response.status_code == 400 and "Remove the HTML tags" in page(response)
    assert not EngagementActivity.objects.exists()
    client.force_login(councillor)
    assert client.post(url, base).status_code == 403
    assert not EngagementActivity.objects.exists()


def test_adding_a_member_by_address_reveals_no_account(signed_in, commissioner, plan):
    """An outsider's address and one with no account get the same page, byte for byte but for
    the form's token, the page's nonce and the address typed; nothing is written."""
    outsider = PersonFactory(full_name="Olwen Outsider", email="olwen@elsewhere.example")
    MembershipFactory(
        person=outsider,
        organisation=OrganisationFactory(commissioning_body=True, name="Elsewhere Council"),
        role="commissioner",
    )
    group = services.save_group(actor=commissioner, plan=plan, kind="programme_board", name="Board")
    client = signed_in(commissioner)
    url = reverse("engagement:member_add", args=[group.pk])

    def answer(email):
        response = client.post(url, {"email": email, "role": "member"})
        html = page(response).replace(email, "ADDRESS")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
        html = re.sub(r'nonce="[^"]+"', "NONCE", html)
        return response.status_code, html

    known, unknown = answer(outsider.email), answer("nobody@nowhere.example")
    assert known == unknown
    assert known[0] == 400
    assert "work for the plan&#x27;s bodies" in known[1] and "Olwen" not in known[1]
    assert not group.members.exists()


def test_the_governance_page_marks_a_mover_with_a_declared_interest(
    signed_in, commissioner, councillor, plan
):
    client = signed_in(commissioner)
    governance_url = reverse("plans:plan_governance", args=[plan.pk])
    moved = client.post(
        reverse("plans:plan_move", args=[plan.pk]),
        {"to_status": "analysis", "reason": "Scoping agreed by the board"},
    )
    assert moved.status_code == 302
    assert "Interest declared" not in page(client.get(governance_url))

    # The commissioner sits on the plan's reference group and declares an interest there.
    response = client.post(
        reverse("engagement:group_create", args=[plan.pk]),
        {"kind": "reference_group", "name": "Older people's reference group"},
    )
    assert response.status_code == 302
    group = plan.engagement_groups.get()
    response = client.post(
        reverse("engagement:member_add", args=[group.pk]),
        {"email": commissioner.email, "role": "chair"},
    )
    assert response.status_code == 302
    member = group.members.get(person=commissioner)
    response = client.post(
        reverse("engagement:declaration_create", args=[group.pk, member.pk]),
        {
            "kind": "personal",
            "description": "My father attends a council day centre.",
            "declared_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    declaration = DeclarationOfInterest.objects.get(person=commissioner)

    for reader in (commissioner, councillor):
        client.force_login(reader)
        html = page(client.get(governance_url))
        assert "Scoping agreed by the board" in html
        history = html.split('<h2 class="govuk-heading-l">History</h2>', 1)[1].split(
            "Sign-offs", 1
        )[0]
        assert re.search(
            r"Carys Commissioner\s*<strong class=\"govuk-tag govuk-tag--orange\">"
            r"Interest declared</strong>",
            history,
        )
        assert "Non-financial personal interest" in history

    # Ended, the interest is no longer in force, and the tag goes.
    client.force_login(commissioner)
    response = client.post(
        reverse("engagement:declaration_end", args=[declaration.pk]),
        {"ended_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert "Interest declared" not in page(client.get(governance_url))


# --- subscriptions ------------------------------------------------------------------------------


def test_an_address_is_subscribed_through_the_link_and_unsubscribed_by_another(
    client, older_people, make_consultation, django_capture_on_commit_callbacks
):
    url = reverse("engagement:subscriptions")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "Reader@Example.org", "client_groups": [older_people.pk]}
        )
    assert response.status_code == 200
    assert "Check your email" in page(response)
    assert "We have sent a link to Reader@Example.org" in page(response)
    assert not Subscription.objects.exists()
    [message] = mail.outbox
    assert message.to == ["Reader@Example.org"]
    link = re.search(r"https?://\S+/subscriptions/confirm/[^/\s]+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path

    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "Confirm your subscription" in page(confirm)
    assert not Subscription.objects.exists()  # following the link is not yet confirming
    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert "Subscription confirmed" in page(confirmed)
    [subscription] = Subscription.objects.all()
    assert subscription.email == "reader@example.org"
    assert subscription.confirmed_at is not None
    assert list(subscription.client_groups.all()) == [older_people]

    # A broken link is explained, not a 500.
    broken = client.post(path.replace("/confirm/", "/confirm/x"))
    assert broken.status_code == 400
    assert "The link did not work" in page(broken)

    # The subscriber hears of a consultation, with a link to stop the emails.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_consultation()
    [news] = mail.outbox
    assert news.to == ["reader@example.org"]
    stop = re.search(r"https?://\S+(/subscriptions/stop/[^/\s]+/)", news.body).group(1)
    assert client.get(stop).status_code == 200
    assert "Stop these emails" in page(client.get(stop))
    assert Subscription.objects.exists()
    stopped = client.post(stop)
    assert stopped.status_code == 200
    assert "You are unsubscribed" in page(stopped)
    assert not Subscription.objects.exists()
    again = client.post(stop)
    assert again.status_code == 400
    assert "The link did not work" in page(again)


def test_an_address_must_choose_something_to_hear_about(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("engagement:subscriptions"), {"email": "reader@example.org"})
    assert response.status_code == 400
    assert "Choose at least one client group or area to hear about." in page(response)
    assert mail.outbox == []
    assert not Subscription.objects.exists()


def test_a_signed_in_person_saves_and_stops_their_subscription(signed_in, older_people, areas):
    person = PersonFactory(full_name="Ceri Carer", email="ceri@example.org")
    client = signed_in(person)
    url = reverse("engagement:subscriptions")
    html = page(client.get(url))
    assert "For you" in html and 'name="me-client_groups"' in html
    response = client.post(
        url, {"me-client_groups": [older_people.pk], "me-areas": [areas[0].pk]}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Subscription saved." in messages_of(response)
    [subscription] = Subscription.objects.filter(person=person)
    assert list(subscription.client_groups.all()) == [older_people]
    assert list(subscription.areas.all()) == [areas[0]]
    assert subscription.confirmed_at is not None
    assert "Stop the emails" in page(response)

    response = client.post(url, {"action": "stop"}, follow=True)
    assert "Subscription stopped." in messages_of(response)
    assert not Subscription.objects.filter(person=person).exists()


def test_a_person_subscribes_only_organisations_they_administer(signed_in, older_people):
    person = PersonFactory()
    theirs = OrganisationFactory(name="Northvale Carers Centre")
    MembershipFactory(person=person, organisation=theirs, role="organisation_admin")
    other = OrganisationFactory(name="Someone Else Ltd")
    client = signed_in(person)
    url = reverse("engagement:subscriptions")
    assert "For Northvale Carers Centre" in page(client.get(url))
    refused = client.post(
        url, {"organisation": other.pk, f"org{other.pk}-client_groups": [older_people.pk]}
    )
    assert refused.status_code == 403
    assert not Subscription.objects.exists()
    saved = client.post(
        url, {"organisation": theirs.pk, f"org{theirs.pk}-client_groups": [older_people.pk]}
    )
    assert saved.status_code == 302
    assert Subscription.objects.get().organisation == theirs
