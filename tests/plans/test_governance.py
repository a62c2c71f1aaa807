"""Governance that holds (issue 13, items 5 to 7): a plan waits for its consultations, a
councillor reads what they sign and may refer it back, and the plan says when its intentions
cost more than its resources."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from commissioning.core.work_items import waiting_for
from commissioning.demo import builders
from commissioning.engagement import services as engagement_services
from commissioning.engagement.models import Consultation
from commissioning.plans import selectors, services
from commissioning.plans.models import StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


def _to(plan, actor, *statuses, **extra):
    for status in statuses:
        plan = services.move_plan(actor=actor, plan=plan, to_status=status, reason="Ready", **extra)
    return plan


def _close(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    consultation.refresh_from_db()
    return consultation


@pytest.fixture
def consulted(full_plan, commissioner):
    """The plan out to consultation, with a consultation open on it."""
    plan = _to(full_plan, commissioner, "analysis", "drafting", "consultation")
    consultation = builders.consultation(actor=commissioner, plan=plan, title="Day opportunities")
    return plan, consultation


# Item 5: sign-off and consultation ------------------------------------------------------------


def test_a_plan_is_not_sent_for_approval_while_its_consultation_is_open(consulted, commissioner):
    plan, _consultation = consulted
    with pytest.raises(ValidationError) as refused:
        _to(plan, commissioner, "approval")
    assert "Day opportunities" in " ".join(refused.value.messages)
    plan.refresh_from_db()
    assert plan.status == "consultation"


def test_the_lead_commissioner_sends_it_regardless_saying_why_and_the_councillor_reads_it(
    consulted, commissioner, councillor, signed_in
):
    plan, _consultation = consulted
    plan = _to(plan, commissioner, "approval", why_set_aside="The cabinet meets before it closes.")
    change = StatusChange.objects.get(plan=plan, to_status="approval")
    assert change.why_set_aside == "The cabinet meets before it closes."
    assert "Day opportunities" in change.set_aside[0]["message"]
    for url in ("plans:plan_governance", "plans:plan_sign_off"):
        html = signed_in(councillor).get(reverse(url, args=[plan.pk])).content.decode()
        assert "The cabinet meets before it closes." in html
        assert "Day opportunities" in html


def test_a_partner_commissioner_cannot_set_the_hold_aside(consulted, board_commissioner):
    plan, _consultation = consulted
    with pytest.raises(ValidationError) as refused:
        _to(plan, board_commissioner, "approval", why_set_aside="Hurry")
    assert refused.value.code == "held"


def test_a_plan_is_not_published_before_you_said_we_did(consulted, commissioner, councillor):
    plan, consultation = consulted
    _close(consultation)
    plan = _to(plan, commissioner, "approval")  # closed: it may go for approval
    services.sign_off_plan(
        actor=councillor, plan=plan, kind="scrutiny", decided_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as refused:
        _to(plan, commissioner, "published")
    assert "you said, we did" in " ".join(refused.value.messages)
    engagement_services.publish_response(
        actor=commissioner, consultation=consultation, text="You said, we did: we listened."
    )
    plan = _to(plan, commissioner, "published")
    assert plan.status == "published"


def test_the_page_says_what_holds_the_plan_back(consulted, commissioner, signed_in):
    plan, _consultation = consulted
    html = signed_in(commissioner).get(reverse("plans:plan_governance", args=[plan.pk]))
    assert "is open until" in html.content.decode()


def test_the_move_form_records_why_it_went_ahead(consulted, commissioner, signed_in):
    plan, _consultation = consulted
    client = signed_in(commissioner)
    url = reverse("plans:plan_move", args=[plan.pk])
    client.post(url, {"to_status": "approval", "reason": "Board agreed"})
    plan.refresh_from_db()
    assert plan.status == "consultation"
    client.post(
        url,
        {"to_status": "approval", "reason": "Board agreed", "why_set_aside": "Deadline"},
    )
    plan.refresh_from_db()
    assert plan.status == "approval"


# Item 6: the councillor sees what they sign, and may refer it back ----------------------------


def test_the_councillor_reads_the_results_and_the_plans_audit_trail(
    consulted, councillor, signed_in
):
    plan, consultation = consulted
    client = signed_in(councillor)
    results = client.get(reverse("engagement:consultation_results", args=[consultation.pk]))
    assert results.status_code == 200
    trail = client.get(reverse("plans:plan_audit", args=[plan.pk]))
    assert trail.status_code == 200
    html = trail.content.decode()
    assert "plan.moved" in html and "consultation" in html.lower()
    governance = client.get(reverse("plans:plan_governance", args=[plan.pk])).content.decode()
    assert reverse("plans:plan_audit", args=[plan.pk]) in governance
    assert reverse("engagement:consultation_results", args=[consultation.pk]) in governance
    assert reverse("engagement:register_of_interests") in governance


def test_someone_of_another_body_cannot_read_the_plans_trail(full_plan, signed_in):
    from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

    stranger = PersonFactory()
    MembershipFactory(
        person=stranger, organisation=OrganisationFactory(commissioning_body=True), role="scrutiny"
    )
    response = signed_in(stranger).get(reverse("plans:plan_audit", args=[full_plan.pk]))
    assert response.status_code in (403, 404)


def test_the_councillor_refers_the_plan_back_and_the_commissioners_answer(
    full_plan, commissioner, councillor, signed_in
):
    plan = _to(full_plan, commissioner, "analysis", "drafting", "approval")
    response = signed_in(councillor).post(
        reverse("plans:plan_refer_back", args=[plan.pk]),
        {"comments": "Say how carers in Hartlepool will hear of the breaks."},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "drafting"
    referral = selectors.referrals_of(plan)[0]
    assert not referral.is_answered
    # The commissioners see it waiting on their dashboard and on the governance page.
    titles = [item.title for item in waiting_for(commissioner)]
    assert any("comments" in title and plan.title in title for title in titles)
    client = signed_in(commissioner)
    governance = client.get(reverse("plans:plan_governance", args=[plan.pk])).content.decode()
    assert "Say how carers in Hartlepool will hear of the breaks." in governance
    # Not sent again until answered.
    with pytest.raises(ValidationError):
        _to(plan, commissioner, "approval")
    client.post(
        reverse("plans:referral_answer", args=[plan.pk, referral.pk]),
        {"answer": "Added GP practices to the communications plan."},
    )
    referral.refresh_from_db()
    assert referral.answer == "Added GP practices to the communications plan."
    plan = _to(plan, commissioner, "approval")
    sign_off = signed_in(councillor).get(reverse("plans:plan_sign_off", args=[plan.pk]))
    html = sign_off.content.decode()
    assert "Added GP practices to the communications plan." in html
    assert "Refer the plan back" in html
    trail = [entry.event.verb for entry in selectors.plan_trail(plan, councillor)]
    assert "plan.referred_back" in trail and "plan.referral_answered" in trail


def test_only_a_councillor_refers_back(full_plan, commissioner):
    plan = _to(full_plan, commissioner, "analysis", "drafting", "approval")
    with pytest.raises(Exception) as refused:
        services.refer_back(actor=commissioner, plan=plan, comments="No")
    assert refused.type.__name__ == "PermissionDenied"


# Item 7: affordability ----------------------------------------------------------------------


def test_affordability_flags_the_years_whose_spend_is_more_than_the_resources(
    full_plan, commissioner
):
    # The intention plans £90,000 in 2026/27 and £100,000 in 2027/28; the resources are
    # £650,000 in 2026/27 and nothing after.
    money = selectors.affordability(full_plan)
    assert money.spend[:2] == [Decimal("90000"), Decimal("100000")]
    assert money.resources[:2] == [Decimal("650000"), Decimal("0")]
    assert money.has_gap
    assert ("2027/28", Decimal("100000")) in money.short_years
    assert "2027/28 short by £100,000" in money.warning()
    partners = [label for label, _amounts, _total in money.partners]
    assert "Northvale Health Board" in partners and "Northvale Council" in partners


def test_a_plan_within_its_resources_says_so(make_plan, commissioner):
    plan = make_plan()
    services.save_resource(
        actor=commissioner, plan=plan, funding_stream="Core", year=plan.first_year, amount=1000
    )
    assert not selectors.affordability(plan).has_gap


def test_the_plan_page_its_documents_and_the_sign_off_page_flag_the_gap(
    full_plan, commissioner, councillor, signed_in
):
    client = signed_in(commissioner)
    page = client.get(reverse("plans:plan_detail", args=[full_plan.pk])).content.decode()
    assert "Planned spend against resources" in page
    assert "2027/28 short by £100,000" in page
    docx = client.get(reverse("plans:plan_document", args=[full_plan.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "2027/28 short by £100,000" in text
    plan = _to(full_plan, commissioner, "analysis", "drafting", "approval")
    sign_off = signed_in(councillor).get(reverse("plans:plan_sign_off", args=[plan.pk]))
    assert "2027/28 short by £100,000" in sign_off.content.decode()


def test_the_pdf_flags_the_gap(full_plan, commissioner, signed_in):
    pdf = signed_in(commissioner).get(reverse("plans:plan_document", args=[full_plan.pk, "pdf"]))
    assert pdf.status_code == 200
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Planned spend against resources" in " ".join(text.split())
