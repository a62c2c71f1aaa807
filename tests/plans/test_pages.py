"""Plans through their pages: a commissioner writes a plan, a councillor signs it off, the public
reads it, in Word and as PDF; refusals come back as messages on the form, never a 500."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.core.models import Area, ClientGroup
from commissioning.market.models import ServiceType
from commissioning.plans import services
from commissioning.plans.models import CommissioningPlan, PlanSection


@pytest.fixture
def signed_in(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


def test_a_commissioner_starts_a_plan_and_answers_the_scoping_questions(
    signed_in, commissioner, council, joint
):
    client = signed_in(commissioner)
    response = client.post(
        reverse("plans:plan_create"),
        {
            "title": "Carers' plan",
            "organisation": council.pk,
            "partnership": joint.pk,
            "client_groups": [ClientGroup.objects.get(slug="carers").pk],
            "areas": [Area.objects.get(code="E06000005").pk],
            "first_year": 2026,
            "last_year": 2028,
        },
    )
    plan = CommissioningPlan.objects.get(title="Carers' plan")
    assert response.status_code == 302 and response.url == reverse(
        "plans:plan_scope", args=[plan.pk]
    )
    page = client.get(response.url)
    assert "Who are the citizens whose needs the plan is meant to meet?" in page.content.decode()
    response = client.post(
        reverse("plans:plan_scope", args=[plan.pk]),
        {
            "title": "Carers' plan",
            "client_groups": [ClientGroup.objects.get(slug="carers").pk],
            "areas": [Area.objects.get(code="E06000005").pk],
            "first_year": 2026,
            "last_year": 2028,
            "scope_citizens": "Unpaid carers of any age, young carers included.",
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "Unpaid carers of any age" in detail
    assert "2026/27" in detail


def test_a_plan_too_long_comes_back_on_the_form(signed_in, commissioner, council, settings):
    settings.PLAN_LONGEST_PERIOD_YEARS = 5
    response = signed_in(commissioner).post(
        reverse("plans:plan_create"),
        {
            "title": "Ten-year plan",
            "organisation": council.pk,
            "client_groups": [ClientGroup.objects.get(slug="carers").pk],
            "areas": [Area.objects.get(code="E06000005").pk],
            "first_year": 2026,
            "last_year": 2035,
        },
    )
    assert response.status_code == 400
    assert "at most 5 financial years" in response.content.decode()
    assert not CommissioningPlan.objects.exists()


def test_a_script_in_a_section_is_refused_on_the_form(signed_in, commissioner, make_plan):
    plan = make_plan()
    response = signed_in(commissioner).post(
        reverse("plans:section_edit", args=[plan.pk, "introduction"]),
        {"body": "Hello <script>alert('x')</script>"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Remove the HTML tags" in body
    assert "<script>alert" not in body  # the text is escaped back into the form
    assert PlanSection.objects.get(plan=plan, kind="introduction").body == ""


def test_markdown_in_a_section_is_shown_as_sanitised_html(signed_in, commissioner, make_plan):
    plan = make_plan()
    client = signed_in(commissioner)
    client.post(
        reverse("plans:section_edit", args=[plan.pk, "introduction"]),
        {"body": "## Our vision\n\n* Live well at home\n* [Carers' centre](javascript:alert(1))"},
    )
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "<h2>Our vision</h2>" in page
    assert "<li>Live well at home</li>" in page
    assert "javascript:" not in page


def test_the_appraisal_page_refuses_weights_not_adding_up_and_then_ranks(
    signed_in, commissioner, make_plan
):
    plan = make_plan()
    client = signed_in(commissioner)
    client.post(
        reverse("plans:appraisal_create", args=[plan.pk]),
        {
            "title": "Make or buy",
            "question": "Keep day services in-house?",
            "options": "Keep in-house\nGrant-fund",
            "scale_top": 10,
        },
    )
    appraisal = plan.appraisals.get()
    url = reverse("plans:appraisal_detail", args=[plan.pk, appraisal.pk])
    client.post(url, {"action": "criteria", "criteria": "Unit costs = 60\nQuality = 30"})
    response = client.post(
        url, {"action": "agree", "agreed_by": "Programme board", "agreed_on": "2026-06-01"}
    )
    assert response.status_code == 400
    assert "add up to 90%" in response.content.decode()
    client.post(url, {"action": "criteria", "criteria": "Unit costs = 60\nQuality = 40"})
    client.post(url, {"action": "agree", "agreed_by": "Programme board", "agreed_on": "2026-06-01"})
    appraisal.refresh_from_db()
    assert appraisal.weights_agreed
    criteria = list(appraisal.criteria.all())
    for option, (cost, quality) in zip(appraisal.options.all(), [(8, 3), (5, 9)], strict=True):
        response = client.post(
            reverse("plans:option_score", args=[plan.pk, appraisal.pk, option.pk]),
            {
                f"score_{criteria[0].pk}": cost,
                f"rationale_{criteria[0].pk}": "From the unit cost review.",
                f"score_{criteria[1].pk}": quality,
                f"rationale_{criteria[1].pk}": "From the quality visits.",
            },
        )
        assert response.status_code == 302
    page = client.get(url).content.decode()
    # 0.6 * 5 + 0.4 * 9 = 6.6 beats 0.6 * 8 + 0.4 * 3 = 6.0; below 40% on quality... see table.
    assert "Preferred option: Grant-fund." in page
    assert "6.60" in page and "6.00" in page
    assert "would be preferred" in page


def test_a_councillor_signs_off_and_the_public_reads_the_published_plan(
    client, signed_in, commissioner, councillor, full_plan
):
    for status in ("analysis", "drafting", "consultation", "approval"):
        full_plan = services.move_plan(
            actor=commissioner, plan=full_plan, to_status=status, reason="Ready"
        )
    councillor_client = signed_in(councillor)
    governance = councillor_client.get(reverse("plans:plan_governance", args=[full_plan.pk]))
    assert "Sign off the plan" in governance.content.decode()
    response = councillor_client.post(
        reverse("plans:plan_sign_off", args=[full_plan.pk]),
        {"kind": "scrutiny", "decided_on": "2026-11-02", "reference": "Cabinet 2026/88"},
    )
    assert response.status_code == 302
    client.logout()
    signed_in(commissioner).post(
        reverse("plans:plan_move", args=[full_plan.pk]),
        {"to_status": "published", "reason": "Approved by Cabinet"},
    )
    full_plan.refresh_from_db()
    assert full_plan.status == "published"
    client.logout()
    page = client.get(reverse("plans:plan_detail", args=[full_plan.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Community befriending" in text and "Better Care Fund" in text
    assert "Cabinet 2026/88" in text
    assert "Write this section" not in text  # nothing to change for the public
    assert AuditEvent.objects.filter(verb="plan.published").count() == 1


def test_publishing_without_sign_off_comes_back_as_a_message(signed_in, commissioner, full_plan):
    for status in ("analysis", "drafting", "approval"):
        full_plan = services.move_plan(
            actor=commissioner, plan=full_plan, to_status=status, reason="Ready"
        )
    client = signed_in(commissioner)
    response = client.post(
        reverse("plans:plan_move", args=[full_plan.pk]),
        {"to_status": "published", "reason": "Now"},
        follow=True,
    )
    assert response.status_code == 200
    assert "has not been signed off" in response.content.decode()
    full_plan.refresh_from_db()
    assert full_plan.status == "approval"


def test_an_edit_page_of_a_published_plan_says_why_and_changes_nothing(
    signed_in, commissioner, councillor, full_plan
):
    for status in ("analysis", "drafting", "approval"):
        full_plan = services.move_plan(
            actor=commissioner, plan=full_plan, to_status=status, reason="Ready"
        )
    services.sign_off_plan(
        actor=councillor, plan=full_plan, kind="scrutiny", decided_on=date(2026, 11, 1)
    )
    services.move_plan(actor=commissioner, plan=full_plan, to_status="published", reason="Go")
    client = signed_in(commissioner)
    response = client.post(
        reverse("plans:section_edit", args=[full_plan.pk, "introduction"]),
        {"body": "Sneaky change"},
        follow=True,
    )
    assert response.status_code == 200
    assert "published and cannot change" in response.content.decode()
    assert PlanSection.objects.get(plan=full_plan, kind="introduction").body == ""


def test_the_plan_downloads_as_word_and_tagged_pdf(client, signed_in, commissioner, full_plan):
    from docx import Document
    from pypdf import PdfReader

    services.save_section(
        actor=commissioner,
        plan=full_plan,
        kind="introduction",
        body="## Vision\n\nOlder people **live well** at home.\n\n* One\n* Two",
    )
    client = signed_in(commissioner)
    word = client.get(reverse("plans:plan_document", args=[full_plan.pk, "docx"]))
    assert word.status_code == 200
    document = Document(io.BytesIO(word.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Introduction", "Vision"]
    assert "Gap analysis and the design of future provision" in headings
    assert any(run.bold and run.text == "live well" for p in document.paragraphs for run in p.runs)
    assert any(
        "Community befriending" in cell.text
        for t in document.tables
        for row in t.rows
        for cell in row.cells
    )
    pdf = client.get(reverse("plans:plan_document", args=[full_plan.pk, "pdf"]))
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Service review" in re.sub(r"\s+", " ", text)


def test_the_comparison_page_reads_the_changes(signed_in, commissioner, councillor, full_plan):
    for status in ("analysis", "drafting", "approval"):
        full_plan = services.move_plan(
            actor=commissioner, plan=full_plan, to_status=status, reason="Ready"
        )
    services.sign_off_plan(
        actor=councillor, plan=full_plan, kind="scrutiny", decided_on=date(2026, 11, 1)
    )
    services.move_plan(actor=commissioner, plan=full_plan, to_status="published", reason="Go")
    client = signed_in(commissioner)
    response = client.post(
        reverse("plans:plan_next_version", args=[full_plan.pk]), {"reason": "Yearly refresh"}
    )
    following = CommissioningPlan.objects.get(previous_version=full_plan)
    assert response.url == reverse("plans:plan_detail", args=[following.pk])
    services.save_risk(
        actor=commissioner,
        plan=following,
        description="Winter pressures on home care",
        likelihood=4,
        impact=4,
        owner="Head of adult care",
        mitigation="Block-booked hours",
        review_on=date(2027, 1, 31),
    )
    page = client.get(reverse("plans:plan_compare", args=[following.pk])).content.decode()
    assert "Winter pressures on home care" in page
    assert "Added:" in page


def test_an_intention_page_links_back_to_its_plan(client, full_plan, signed_in, commissioner):
    intention = full_plan.intentions.get()
    page = signed_in(commissioner).get(reverse("plans:intention_detail", args=[intention.pk]))
    assert page.status_code == 200
    assert reverse("plans:plan_detail", args=[full_plan.pk]) in page.content.decode()
    assert ServiceType.objects.get(slug="befriending").name in page.content.decode()


def test_the_demo_plan_shows_its_pinned_figures_on_the_page_in_word_and_in_pdf(client, db):
    """The needs and market figures are the pinned analyses' own, drawn as charts beside
    their tables, in all three forms."""
    from django.core.management import call_command
    from docx import Document
    from pypdf import PdfReader

    call_command("load_demo", verbosity=0)
    plan = CommissioningPlan.objects.get(title__startswith="Living well in later life")
    client.force_login(plan.created_by)
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert 'id="population_profile-chart"' in page and 'id="supply-chart"' in page
    assert 'id="supply_against_need"' in page
    word = client.get(reverse("plans:plan_document", args=[plan.pk, "docx"]))
    document = Document(io.BytesIO(word.content))
    pictures = document.inline_shapes
    assert len(pictures) == 3  # population, projected cases, supply against need
    assert all(shape._inline.docPr.get("descr") for shape in pictures)
    headers = [" ".join(cell.text for cell in t.rows[0].cells) for t in document.tables]
    assert any("Weighted total" in header for header in headers)  # the options appraisal
    assert any("Likelihood" in header for header in headers)  # the risk register
    assert any("2029/30" in header for header in headers)  # budgets and resources by year
    pdf = client.get(reverse("plans:plan_document", args=[plan.pk, "pdf"]))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Nursing care for people with dementia" in text
    assert "Who should run day opportunities" in text
