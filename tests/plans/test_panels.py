"""The plan page's panels: apps built on plans add their parts to the plan page, its PDF and its
Word document through `core.panels`, and plans names none of them. The plan's verbs (move, sign
off, start the next version) are answered by its access rule."""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.html import escape

from commissioning.core import panels
from commissioning.core.access import Action, can
from commissioning.kit.tables import Table
from commissioning.plans import services
from commissioning.plans.models import CommissioningPlan, SignOff
from commissioning.plans.panels import PLAN_PAGE, PLAN_SLOTS, plan_panels

PLANS = Path(__file__).resolve().parents[2] / "commissioning" / "plans"


def _published(plan, commissioner, councillor):
    services.move_plan(actor=commissioner, plan=plan, to_status="analysis", reason="Evidence.")
    services.move_plan(actor=commissioner, plan=plan, to_status="drafting", reason="Draft.")
    services.move_plan(actor=commissioner, plan=plan, to_status="approval", reason="Agreed.")
    services.sign_off_plan(
        actor=councillor,
        plan=plan,
        kind=SignOff.Kind.SCRUTINY,
        decided_on=plan.created_at.date(),
    )
    return services.move_plan(actor=commissioner, plan=plan, to_status="published", reason="Go.")


@pytest.fixture
def extra_panel(monkeypatch):
    """Registers one more panel on the plan page for the test, as a later app would."""

    def add(panel):
        on_page = dict(panels._PANELS.get(panel.page, {}))
        on_page[panel.key] = panel
        monkeypatch.setitem(panels._PANELS, panel.page, on_page)
        return panel

    return add


def test_engagement_registers_its_panels_in_the_plan_pages_slots(db):
    registered = {p.key: p for p in panels.registered_panels(PLAN_PAGE)}
    assert registered["engagement.open_consultations"].slot == "banners"
    assert registered["engagement.button"].slot == "actions"
    assert registered["engagement.record"].slot == "scope"
    assert registered["engagement.record"].word is not None
    assert all(p.slot in PLAN_SLOTS for p in registered.values())


def test_a_panel_in_a_slot_the_page_lacks_is_refused(make_plan, commissioner, extra_panel):
    extra_panel(panels.Panel(page=PLAN_PAGE, slot="sidebar", key="tests.lost", template="x.html"))
    with pytest.raises(ImproperlyConfigured):
        plan_panels(make_plan(), commissioner)


def test_a_key_is_registered_once(db):
    with pytest.raises(RuntimeError):
        panels.register_panel(
            panels.Panel(page=PLAN_PAGE, slot="scope", key="engagement.record", template="x.html")
        )


def test_whom_a_panel_is_shown_to_and_what_it_leaves_out_of_print(
    make_plan, commissioner, councillor
):
    plan = make_plan()
    shown = plan_panels(plan, commissioner)
    assert [s.panel.key for s in shown["actions"]] == ["engagement.button"]
    assert plan_panels(plan, councillor)["actions"] == []
    printed = plan_panels(plan, commissioner, printing=True)
    assert printed["banners"] == [] and printed["actions"] == []
    assert [s.panel.key for s in printed["scope"]] == ["engagement.record"]
    assert "record" in printed["scope"][0].context


def test_a_later_apps_panel_shows_in_its_section_on_the_page_in_word_and_in_pdf(
    client, full_plan, commissioner, councillor, extra_panel
):
    from docx import Document
    from pypdf import PdfReader

    def add_to_word(document, context):
        document.add_paragraph(f"Reviewed {context['reviews']} times")

    extra_panel(
        panels.Panel(
            page=PLAN_PAGE,
            slot="section:monitoring",
            key="tests.reviews",
            template="plans/includes/table.html",
            context=lambda plan, person: {
                "reviews": 3,
                "table": Table(
                    key="plan-reviews",
                    title=f"Reviews of {plan.title}",
                    columns=[("year", "Year")],
                    rows=[{"year": 2027}],
                ),
            },
            word=add_to_word,
        )
    )
    extra_panel(
        panels.Panel(
            page=PLAN_PAGE,
            slot="section:monitoring",
            key="tests.hidden",
            template="plans/includes/table.html",
            shown=lambda plan, person: False,
            word=lambda document, context: document.add_paragraph("Never shown"),
        )
    )
    plan = _published(full_plan, commissioner, councillor)
    shown = plan_panels(plan, None)
    assert [s.panel.key for s in shown["section:monitoring"]] == ["tests.reviews"]
    page = client.get(reverse("plans:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "How people took part (standard 4)" in html
    # In its section, after the section's own content, with its own context and the page's.
    monitoring = html.index('id="section-monitoring"')
    assert monitoring < html.index('id="plan-reviews"') < html.index('id="section-appendices"')
    assert escape(f"Reviews of {plan.title}") in html
    word = client.get(reverse("plans:plan_document", args=[plan.pk, "docx"]))
    texts = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert "Reviewed 3 times" in texts
    assert "Never shown" not in texts
    assert "How people took part (standard 4)" in texts
    # The engagement record follows the scope, in the introduction.
    assert texts.index("How people took part (standard 4)") < texts.index("Needs assessment")
    pdf = client.get(reverse("plans:plan_document", args=[plan.pk, "pdf"]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "How people took part (standard 4)" in re.sub(r"\s+", " ", text)


def test_plans_names_no_app_built_on_it():
    """Code and templates alike: what engagement shows on a plan, it registers as a panel."""
    for path in PLANS.rglob("*"):
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
            assert "engagement" not in path.read_text(encoding="utf-8").replace(
                "engagement record", ""
            ), path


def test_the_plan_verbs_are_answered_by_the_plans_rule(
    make_plan, commissioner, councillor, board_commissioner
):
    plan = make_plan()
    assert can(commissioner, Action.MOVE, plan)
    assert can(board_commissioner, Action.MOVE, plan)
    assert not can(councillor, Action.MOVE, plan)
    assert not can(councillor, Action.SIGN_OFF, plan)  # not awaiting approval yet
    services.move_plan(actor=commissioner, plan=plan, to_status="analysis", reason="Evidence.")
    services.move_plan(actor=commissioner, plan=plan, to_status="drafting", reason="Draft.")
    plan = services.move_plan(actor=commissioner, plan=plan, to_status="approval", reason="Agreed.")
    assert plan.moves() == (CommissioningPlan.Status.PUBLISHED, CommissioningPlan.Status.DRAFTING)
    assert can(councillor, Action.SIGN_OFF, plan) and can(commissioner, Action.SIGN_OFF, plan)
    scrutiny = SignOff(plan=plan, kind=SignOff.Kind.SCRUTINY)
    board = SignOff(plan=plan, kind=SignOff.Kind.BOARD)
    assert can(councillor, Action.SIGN_OFF, scrutiny)
    assert not can(councillor, Action.SIGN_OFF, board)
    assert can(commissioner, Action.SIGN_OFF, board)
    assert not can(commissioner, Action.SIGN_OFF, scrutiny)
    assert not can(councillor, Action.START_NEXT_VERSION, plan)
    assert can(commissioner, Action.START_NEXT_VERSION, plan)
