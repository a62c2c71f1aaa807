"""The work step: things waiting for the demo's people, so each dashboard shows a real queue. A
second plan awaits the councillor's sign-off, a care home group's application for the quality mark
awaits the commissioners, a short consultation on carers' breaks closes soon, the programme
board meets next week, and one of the plan's risks is past its review date.

Dates are set from the day the demo is loaded, so the queues are current whenever it is."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from commissioning.core import selectors as core_selectors
from commissioning.demo import builders
from commissioning.demo.loader.market import SCHEME_NAME
from commissioning.demo.loader.people import (
    ORGANISATIONS,
    demo_name,
    demo_partnership,
    demo_person,
)
from commissioning.demo.loader.plans import PLAN_TITLE
from commissioning.engagement import services as engagement_services
from commissioning.market import selectors as market_selectors
from commissioning.plans import selectors as plan_selectors
from commissioning.plans import services as plan_services

CARERS_PLAN_TITLE = "Carers count: support for unpaid carers 2026 to 2029"
BREAKS_TITLE = "Carers' breaks: what works for you"
BOARD_NAME = "Carers' partnership board"


def load_work_waiting(log: Callable[[str], None]) -> None:
    if plan_selectors.plan_titled(CARERS_PLAN_TITLE) is not None:
        log("Work waiting on the dashboards")
        return
    commissioner = demo_person("commissioner@northvale.example")
    today = timezone.localdate()
    carers_plan = _plan_for_sign_off(commissioner, today)
    _application_to_decide()
    older_people = plan_selectors.plan_titled(PLAN_TITLE)
    assert older_people is not None, "load_plans adds the older people's plan"
    _consultation_closing(commissioner, older_people)
    _carers_board(commissioner, carers_plan, today)
    log("Work waiting on the dashboards: a plan to sign off, an application, a meeting")


def _plan_for_sign_off(commissioner: Any, today: Any) -> Any:
    partnership = demo_partnership()
    council, health_board = (_organisation(key) for key in ("council", "health_board"))
    plan = builders.plan(
        actor=commissioner,
        organisation=council,
        partnership=partnership,
        title=CARERS_PLAN_TITLE,
        client_groups=[core_selectors.client_groups().get(slug="carers")],
        summary="Breaks, advice and a voice for the partnership's unpaid carers.",
        is_demonstration=True,
    )
    builders.plan_content(
        actor=commissioner,
        plan=plan,
        partner=health_board,
        service_type=market_selectors.service_type_by_slug("carers_support"),
    )
    plan_services.save_risk(
        actor=commissioner,
        plan=plan,
        description="Carers do not hear of the breaks on offer",
        likelihood=3,
        impact=3,
        owner="Carers' lead, Northvale Council",
        mitigation="Tell carers through GP practices and the carers' centre",
        review_on=today - timedelta(days=5),
    )
    for status, reason in (
        ("analysis", "Scope agreed by the joint commissioning board."),
        ("drafting", "Needs of carers analysed with the carers' centre."),
        ("approval", "Draft agreed by the board; sent to the cabinet member for sign-off."),
    ):
        plan = plan_services.move_plan(
            actor=commissioner, plan=plan, to_status=status, reason=reason
        )
    return plan


def _organisation(key: str) -> Any:
    name = next(spec["name"] for spec in ORGANISATIONS if spec["key"] == key)
    organisation = core_selectors.organisation_by_name(demo_name(name))
    assert organisation is not None, f"load_core adds {name}"
    return organisation


def _application_to_decide() -> None:
    scheme = market_selectors.scheme_named(SCHEME_NAME)
    assert scheme is not None, "load_market adds the quality mark"
    owner = demo_person("provider@brightwater.example")
    care_homes = builders.listed_provider(
        organisation=_organisation("care_homes"),
        description="A demonstration provider of nursing care for people living with dementia.",
    )
    builders.application_with_evidence(actor=owner, scheme=scheme, provider=care_homes)


def _consultation_closing(commissioner: Any, plan: Any) -> None:
    now = timezone.now()
    builders.consultation(
        actor=commissioner,
        plan=plan,
        title=BREAKS_TITLE,
        summary="Tell us which breaks from caring help you most, and what stops you taking one.",
        audiences=("service_users_and_carers", "providers"),
        opens_at=now - timedelta(days=19),
        closes_at=now + timedelta(days=9),
    )


def _carers_board(commissioner: Any, plan: Any, today: Any) -> None:
    """The carers' plan's partnership board, which meets next week: the commissioner chairs
    it, the carers' centre sits on it with its manager, and the council's evaluator advises."""
    board = engagement_services.save_group(
        actor=commissioner,
        plan=plan,
        kind="programme_board",
        name=BOARD_NAME,
        terms_of_reference=(
            "## Purpose\nSteers the carers' plan and hears from carers at every meeting.\n\n"
            "## Members\nThe council's carers' lead, the carers' centre and an adviser on "
            "evaluation."
        ),
    )
    carers_lead = demo_person("provider@carers-centre.example")
    engagement_services.add_member(
        actor=commissioner,
        group=board,
        role="member",
        organisation_id=_organisation("carers_centre").pk,
    )
    for role, email, representing in (
        ("chair", commissioner.email, ""),
        ("member", carers_lead.email, "Unpaid carers"),
        ("adviser", "evaluator@northvale.example", "Evaluation"),
    ):
        engagement_services.add_member(
            actor=commissioner, group=board, role=role, email=email, representing=representing
        )
    engagement_services.save_meeting(
        actor=commissioner,
        group=board,
        held_on=today + timedelta(days=7),
        attendee_ids=[],
        minutes="",
        decisions="",
    )
