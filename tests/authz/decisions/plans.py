"""Decisions for commissioning plans: published ones are public; drafts are seen by the council
(and its partner) only, written by commissioners, signed off by councillors; nothing changes once a
plan awaits approval or is published."""

from collections.abc import Callable
from typing import Any

from commissioning.core.models import Area
from tests.authz.decisions.cases import (
    Case,
    Expectation,
    api,
    drafts_changed_by_commissioners,
    drafts_of_the_council,
    everyone,
    only,
    pk_of,
)
from tests.authz.world import COUNCIL_MEMBERS, World


def draft_plan(world: World) -> dict[str, Any]:
    return {"pk": world.objects["draft_plan"].pk}


def published_plan(world: World) -> dict[str, Any]:
    return {"pk": world.objects["published_plan"].pk}


def plan_part(name: str, key: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(world: World) -> dict[str, Any]:
        plan = world.objects["draft_plan"]
        return {"pk": plan.pk, key: world.objects["plan_parts"][plan.pk][name].pk}

    return kwargs


def plan_people(allowed: set[str], status: int = 200) -> Expectation:
    """Signed-in pages of a draft plan for some of the council's people."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return 302
        if actor in allowed | {"platform_admin"}:
            return status
        return 403 if actor in COUNCIL_MEMBERS else 404

    return expect


def commissioner_writes(key: str, kwargs: Callable[[World], dict[str, Any]], **extra: Any) -> Case:
    return Case(key, "GET", drafts_changed_by_commissioners(200), kwargs=kwargs, **extra)


PAGE_CASES = [
    Case("plans:plan_list", "GET", everyone()),
    Case("plans:plan_create", "GET", only({"commissioner"}, platform_admin=False)),
    Case(
        "plans:plan_create",
        "POST",
        only({"commissioner"}, status=302, platform_admin=False),
        data=lambda w: {
            "title": "Learning disability plan",
            "organisation": w.organisations["council"].pk,
            "client_groups": [w.objects["client_group"].pk],
            "areas": [Area.objects.get(code="E06000005").pk],
            "first_year": 2026,
            "last_year": 2029,
        },
        is_write=True,
    ),
    Case("plans:plan_detail", "GET", drafts_of_the_council(200), kwargs=draft_plan),
    Case("plans:plan_detail", "GET", everyone(), kwargs=published_plan, label="published"),
    commissioner_writes("plans:plan_scope", draft_plan),
    commissioner_writes("plans:plan_evidence", draft_plan),
    commissioner_writes("plans:section_edit", lambda w: {**draft_plan(w), "kind": "introduction"}),
    Case(
        "plans:section_edit",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=lambda w: {**draft_plan(w), "kind": "needs"},
        data=lambda w: {"body": "## Needs\n\nRising."},
        is_write=True,
    ),
    Case(
        "plans:section_edit",
        "POST",
        only({"commissioner"}, status=302),
        kwargs=lambda w: {**published_plan(w), "kind": "needs"},
        data=lambda w: {"body": "A change to a published plan"},
        is_write=False,
        label="published, refused",
        notes="a commissioner is sent back to the plan with a message; nothing is written",
    ),
    commissioner_writes("plans:outcome_create", draft_plan),
    commissioner_writes("plans:outcome_edit", plan_part("outcome", "outcome_pk")),
    commissioner_writes("plans:indicator_create", plan_part("outcome", "outcome_pk")),
    commissioner_writes(
        "plans:indicator_edit",
        lambda w: {
            **plan_part("outcome", "outcome_pk")(w),
            "indicator_pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["indicator"].pk,
        },
    ),
    commissioner_writes("plans:intention_create", draft_plan),
    commissioner_writes("plans:intention_edit", plan_part("intention", "intention_pk")),
    Case(
        "plans:intention_detail",
        "GET",
        drafts_of_the_council(200),
        kwargs=lambda w: {
            "pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["intention"].pk
        },
    ),
    commissioner_writes("plans:appraisal_create", draft_plan),
    Case(
        "plans:appraisal_detail",
        "GET",
        drafts_of_the_council(200),
        kwargs=plan_part("appraisal", "appraisal_pk"),
    ),
    Case(
        "plans:appraisal_detail",
        "POST",
        lambda actor: 404 if actor == "anonymous" else drafts_changed_by_commissioners(302)(actor),
        kwargs=plan_part("appraisal", "appraisal_pk"),
        data=lambda w: {"action": "conclusion", "conclusion": "Grant-fund short breaks."},
        is_write=True,
    ),
    commissioner_writes(
        "plans:option_score",
        lambda w: {
            **plan_part("appraisal", "appraisal_pk")(w),
            "option_pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["option"].pk,
        },
    ),
    commissioner_writes("plans:risk_create", draft_plan),
    commissioner_writes("plans:risk_edit", plan_part("risk", "risk_pk")),
    commissioner_writes("plans:resource_create", draft_plan),
    commissioner_writes("plans:resource_edit", plan_part("resource", "resource_pk")),
    Case(
        "plans:part_remove",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=lambda w: {
            **draft_plan(w),
            "part": "risk",
            "part_pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["risk"].pk,
        },
        is_write=True,
    ),
    Case(
        "plans:plan_governance",
        "GET",
        plan_people({"commissioner", "scrutiny"}),
        kwargs=draft_plan,
    ),
    Case(
        "plans:plan_move",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {"to_status": "analysis", "reason": "Scoping agreed"},
        is_write=True,
    ),
    Case(
        "plans:plan_sign_off",
        "GET",
        plan_people({"commissioner", "scrutiny"}),
        kwargs=pk_of("plan_awaiting_approval"),
    ),
    Case(
        "plans:plan_sign_off",
        "POST",
        lambda actor: {"commissioner": 400, "platform_admin": 400}.get(
            actor, plan_people({"scrutiny"}, 302)(actor)
        ),
        kwargs=pk_of("plan_awaiting_approval"),
        data=lambda w: {"kind": "scrutiny", "decided_on": "2026-10-02", "reference": "Cab 12"},
        is_write=True,
        notes="commissioners and administrators record a board's decision, never a councillor's",
    ),
    Case(
        "plans:plan_refer_back",
        "POST",
        lambda actor: 403 if actor == "platform_admin" else plan_people({"scrutiny"}, 302)(actor),
        kwargs=pk_of("plan_awaiting_approval"),
        data=lambda w: {"comments": "Say how carers will hear of the breaks."},
        is_write=True,
        notes="a councillor's own decision: commissioners and administrators send a plan back "
        "by moving it",
    ),
    Case(
        "plans:referral_answer",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=lambda w: {**draft_plan(w), "referral_pk": w.objects["draft_referral"].pk},
        data=lambda w: {"answer": "We added GP practices to the plan."},
        is_write=True,
    ),
    Case(
        "plans:plan_audit",
        "GET",
        plan_people({"commissioner", "scrutiny"}),
        kwargs=draft_plan,
        notes="the plan's trail: its commissioners and the councillors who sign it off",
    ),
    Case(
        "plans:plan_next_version",
        "POST",
        only({"commissioner"}, status=302),
        kwargs=published_plan,
        data=lambda w: {"reason": "Yearly refresh"},
        is_write=True,
    ),
    Case("plans:plan_compare", "GET", everyone(), kwargs=published_plan),
    Case(
        "plans:plan_document",
        "GET",
        everyone(),
        kwargs=lambda w: {**published_plan(w), "extension": "docx"},
    ),
]

API_CASES = [
    # Plans through the API: scoped as their pages are; a draft is not found outside its bodies.
    api("GET", "/plans", everyone()),
    api(
        "GET",
        "/plans/{plan_id}",
        drafts_of_the_council(200),
        kwargs=lambda w: {"plan_id": w.objects["draft_plan"].pk},
    ),
    api(
        "GET",
        "/plans/{plan_id}",
        everyone(),
        label="published",
        kwargs=lambda w: {"plan_id": w.objects["published_plan"].pk},
    ),
]
