"""Decisions for engagement: a plan's planning groups (members, meetings) are seen by the people of
its bodies and by the group's members, and run by its commissioners; the register of interests is
public, and a declaration is made or ended by the person or a commissioner of a plan whose group
they sit on; a consultation is public once published (a draft stays with the plan's bodies), built
and run by the plan's commissioners, who alone read the individual responses; its counts are public
once "you said, we did" is published. What a reader may not see is not found (404), so that nobody
learns which drafts, groups and ended interests exist; what they see but may not change is refused
(403)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.authz.decisions.cases import (
    COUNCIL_ADMINS,
    Case,
    Expectation,
    api,
    drafts_changed_by_commissioners,
    drafts_of_the_council,
    everyone,
    only,
    pk_of,
    signed_in,
)
from tests.authz.decisions.plans import (
    commissioner_writes,
    draft_plan,
    plan_people,
    published_plan,
)
from tests.authz.world import COUNCIL_MEMBERS, GROUP_MEMBERS, World


def today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def group(world: World) -> dict[str, Any]:
    return {"pk": world.objects["group"].pk}


def group_part(name: str, key: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {**group(w), key: w.objects[name].pk}


def consultation_part(consultation: str, question: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.objects[consultation].pk, "question_pk": w.objects[question].pk}


def activity(world: World) -> dict[str, Any]:
    return {**draft_plan(world), "activity_pk": world.objects["activity"].pk}


COMMISSIONER = {"commissioner"}
DECLARERS = COMMISSIONER | GROUP_MEMBERS  # a commissioner of the plan, or the person themselves
CONSULTATION_DATA = {
    "title": "Short breaks, second thoughts",
    "summary": "What breaks do carers need?",
    "audiences": ["public", "providers"],
}
ACTIVITY_DATA = {
    "kind": "focus_group",
    "title": "Young carers' focus group",
    "cycle_stage": "",
    "service_users": 0,
    "carers": 8,
    "citizens": 0,
    "providers_third": 0,
    "providers_private": 0,
    "providers_public": 0,
}


GROUP_VIEWERS = COUNCIL_MEMBERS | GROUP_MEMBERS  # who sees the draft plan's planning group


def seen_by(
    viewers: set[str], allowed: set[str], status: int = 200, anonymous: int = 302
) -> Expectation:
    """A private object: `allowed` (and platform administrators) get `status`; those who see it
    but may not do this are refused (403); everyone else never learns it exists (404)."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return anonymous
        if actor in allowed | {"platform_admin"}:
            return status
        return 403 if actor in viewers else 404

    return expect


PAGE_CASES = [
    Case("engagement:plan_engagement", "GET", plan_people(COUNCIL_MEMBERS), kwargs=draft_plan),
    Case(
        "engagement:plan_engagement",
        "GET",
        only(COUNCIL_MEMBERS),
        kwargs=published_plan,
        label="published",
        notes="the public read the published plan; its engagement page is its bodies' people's",
    ),
    commissioner_writes("engagement:group_create", draft_plan),
    Case(
        "engagement:group_create",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {"kind": "reference_group", "name": "Carers' reference group"},
        is_write=True,
    ),
    Case(
        "engagement:group_detail",
        "GET",
        seen_by(GROUP_VIEWERS, GROUP_VIEWERS),
        kwargs=group,
        notes="the group's own members see it, though the draft plan is not theirs to see",
    ),
    Case("engagement:group_edit", "GET", seen_by(GROUP_VIEWERS, COMMISSIONER), kwargs=group),
    Case(
        "engagement:group_edit",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group,
        data=lambda w: {
            "kind": "programme_board",
            "name": "Carers board",
            "terms_of_reference": "",
        },
        is_write=True,
    ),
    Case("engagement:member_add", "GET", seen_by(GROUP_VIEWERS, COMMISSIONER), kwargs=group),
    Case(
        "engagement:member_add",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group,
        data=lambda w: {"email": w.people["evaluator"].email, "role": "adviser"},
        is_write=True,
    ),
    Case(
        "engagement:member_remove",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group_part("group_other_member", "member_pk"),
        is_write=True,
    ),
    Case(
        "engagement:declaration_create",
        "GET",
        seen_by(GROUP_VIEWERS, DECLARERS),
        kwargs=group_part("group_member", "member_pk"),
    ),
    Case(
        "engagement:declaration_create",
        "POST",
        seen_by(GROUP_VIEWERS, DECLARERS, status=302),
        kwargs=group_part("group_member", "member_pk"),
        data=lambda w: {
            "kind": "personal",
            "description": "Volunteers at a carers' centre.",
            "declared_on": today(),
        },
        is_write=True,
    ),
    Case("engagement:meeting_create", "GET", seen_by(GROUP_VIEWERS, COMMISSIONER), kwargs=group),
    Case(
        "engagement:meeting_create",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group,
        data=lambda w: {"held_on": today(-1), "minutes": "Quorate.", "decisions": "Agree terms"},
        is_write=True,
    ),
    Case(
        "engagement:meeting_edit",
        "GET",
        seen_by(GROUP_VIEWERS, COMMISSIONER),
        kwargs=group_part("meeting", "meeting_pk"),
    ),
    Case(
        "engagement:meeting_edit",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group_part("meeting", "meeting_pk"),
        data=lambda w: {
            "held_on": today(-20),
            "attendees": [str(w.objects["group_member"].pk)],
            "minutes": "Corrected minutes.",
            "decisions": "",
        },
        is_write=True,
    ),
    Case("engagement:register_of_interests", "GET", everyone()),
    Case("engagement:declaration_end", "GET", only(DECLARERS), kwargs=pk_of("declaration")),
    Case(
        "engagement:declaration_end",
        "POST",
        only(DECLARERS, status=302),
        kwargs=pk_of("declaration"),
        data=lambda w: {"ended_on": today()},
        is_write=True,
    ),
    Case(
        "engagement:consultation_list",
        "GET",
        everyone(),
        notes="drafts are listed for their plan's people only (the draft title is a marker)",
    ),
    commissioner_writes("engagement:consultation_create", draft_plan),
    Case(
        "engagement:consultation_create",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {**CONSULTATION_DATA, "opens_on": today(1), "closes_on": today(90)},
        is_write=True,
    ),
    Case(
        "engagement:consultation_detail",
        "GET",
        seen_by(COUNCIL_MEMBERS, COUNCIL_MEMBERS, anonymous=404),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:consultation_detail",
        "GET",
        everyone(),
        kwargs=pk_of("open_consultation"),
        label="open",
    ),
    Case(
        "engagement:consultation_detail",
        "GET",
        everyone(),
        kwargs=pk_of("closed_consultation"),
        label="closed",
    ),
    Case(
        "engagement:consultation_edit",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:consultation_edit",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=pk_of("draft_consultation"),
        data=lambda w: {**CONSULTATION_DATA, "opens_on": today(2), "closes_on": today(100)},
        is_write=True,
    ),
    Case(
        "engagement:consultation_edit",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {**CONSULTATION_DATA, "opens_on": today(-1), "closes_on": today(100)},
        label="published, refused",
        notes="a commissioner is sent back with a message: the wording is fixed once published",
    ),
    Case(
        "engagement:consultation_respond",
        "GET",
        everyone(404),
        kwargs=pk_of("draft_consultation"),
        notes="nobody answers a draft, and nobody learns one exists by trying",
    ),
    Case(
        "engagement:consultation_respond",
        "GET",
        everyone(),
        kwargs=pk_of("open_consultation"),
        label="open",
    ),
    Case(
        "engagement:consultation_respond",
        "POST",
        everyone(302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {
            "stakeholder_group": "citizen",
            f"question_{w.objects['open_question'].pk}": "More day centre places.",
        },
        label="open",
        anonymous_may_write=True,
        notes="anyone may answer while it is open; responses are not audited (they are not "
        "anyone's action on the service), so this is not counted as an audited write",
    ),
    Case(
        "engagement:consultation_respond",
        "POST",
        everyone(403),
        kwargs=pk_of("closed_consultation"),
        data=lambda w: {
            "stakeholder_group": "citizen",
            f"question_{w.objects['closed_question'].pk}": "Too late.",
        },
        is_write=True,
        label="closed",
    ),
    Case(
        "engagement:consultation_results",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, anonymous=404),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:consultation_results",
        "GET",
        only(COMMISSIONER | {"scrutiny"}, anonymous=403),
        kwargs=pk_of("open_consultation"),
        label="open",
        notes="counts are the commissioners' and councillors' until \"you said, we did\" is "
        "published",
    ),
    Case(
        "engagement:consultation_results",
        "GET",
        everyone(),
        kwargs=pk_of("closed_consultation"),
        label="you said, we did published",
        notes="the counts are public; free-text answers (a marker) are not",
    ),
    Case(
        "engagement:consultation_export",
        "GET",
        only(COMMISSIONER),
        kwargs=lambda w: {"pk": w.objects["closed_consultation"].pk, "extension": "csv"},
    ),
    Case(
        "engagement:consultation_export",
        "GET",
        only(COMMISSIONER),
        kwargs=lambda w: {"pk": w.objects["closed_consultation"].pk, "extension": "xlsx"},
        label="xlsx",
    ),
    Case(
        "engagement:text_answers",
        "GET",
        only(COMMISSIONER),
        kwargs=consultation_part("closed_consultation", "closed_question"),
    ),
    Case(
        "engagement:question_create",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:question_create",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=pk_of("draft_consultation"),
        data=lambda w: {"kind": "rating", "text": "How are breaks now?", "lowest_label": "Poor"},
        is_write=True,
    ),
    Case(
        "engagement:question_edit",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=consultation_part("draft_consultation", "draft_question"),
    ),
    Case(
        "engagement:question_edit",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=consultation_part("draft_consultation", "draft_question"),
        data=lambda w: {"kind": "free_text", "text": "What would help you more?"},
        is_write=True,
    ),
    Case(
        "engagement:question_change",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=lambda w: {
            **consultation_part("draft_consultation", "draft_question")(w),
            "action": "remove",
        },
        is_write=True,
    ),
    Case(
        "engagement:document_download",
        "GET",
        everyone(),
        kwargs=lambda w: {
            "pk": w.objects["open_consultation"].pk,
            "document_pk": w.objects["consultation_draft"].pk,
        },
        label="the consultation draft",
        notes="the plan as it stood when the consultation was published, for everyone to read",
    ),
    Case(
        "engagement:document_download",
        "GET",
        everyone(),
        kwargs=lambda w: {
            "pk": w.objects["open_consultation"].pk,
            "document_pk": w.objects["open_document"].pk,
        },
        label="attached",
    ),
    Case(
        "engagement:document_download",
        "GET",
        seen_by(COUNCIL_MEMBERS, COUNCIL_MEMBERS, anonymous=404),
        kwargs=lambda w: {
            "pk": w.objects["draft_consultation"].pk,
            "document_pk": w.objects["draft_document"].pk,
        },
        label="of a draft consultation",
    ),
    Case(
        "engagement:document_download",
        "GET",
        everyone(404),
        kwargs=lambda w: {
            "pk": w.objects["open_consultation"].pk,
            "document_pk": w.objects["draft_document"].pk,
        },
        label="a draft's, through a published consultation",
        notes="a document is found only through its own consultation",
    ),
    Case(
        "engagement:document_attach",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:document_attach",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {
            "title": "Easy Read version",
            "language": "en",
            "easy_read": "on",
            "file": SimpleUploadedFile("easy-read.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
        is_write=True,
    ),
    Case(
        "engagement:document_remove",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=lambda w: {
            "pk": w.objects["open_consultation"].pk,
            "document_pk": w.objects["open_document"].pk,
        },
        is_write=True,
    ),
    Case(
        "engagement:document_remove",
        "POST",
        only(set(), platform_admin=False),
        kwargs=lambda w: {
            "pk": w.objects["open_consultation"].pk,
            "document_pk": w.objects["consultation_draft"].pk,
        },
        label="the consultation draft, refused",
        notes="what was consulted on stays as it was",
        is_write=True,
    ),
    Case(
        "engagement:consultation_publish",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=pk_of("draft_consultation"),
        is_write=True,
    ),
    Case(
        "engagement:consultation_closing_date",
        "GET",
        only(COMMISSIONER),
        kwargs=pk_of("open_consultation"),
    ),
    Case(
        "engagement:consultation_closing_date",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {"closes_on": today(90), "reason": "More time for carers to answer."},
        is_write=True,
    ),
    Case(
        "engagement:consultation_response",
        "GET",
        only(COMMISSIONER),
        kwargs=pk_of("closed_consultation"),
    ),
    Case(
        "engagement:consultation_response",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("closed_consultation"),
        data=lambda w: {"response": "You said booking was hard; we fund a booking line."},
        is_write=True,
    ),
    Case(
        "engagement:consultation_record",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("closed_consultation"),
        is_write=True,
    ),
    commissioner_writes("engagement:activity_create", draft_plan),
    Case(
        "engagement:activity_create",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {**ACTIVITY_DATA, "held_on": today(-2)},
        is_write=True,
    ),
    commissioner_writes("engagement:activity_edit", activity),
    Case(
        "engagement:activity_edit",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=activity,
        data=lambda w: {**ACTIVITY_DATA, "held_on": today(-10)},
        is_write=True,
    ),
    Case(
        "engagement:activity_remove",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=activity,
        is_write=True,
    ),
    Case(
        "engagement:subscriptions",
        "GET",
        everyone(),
        notes="signed in: your own and your organisations'; otherwise a form for an address",
    ),
    Case(
        "engagement:subscriptions",
        "POST",
        signed_in(302, anonymous=200),
        data=lambda w: {
            "me-client_groups": [w.objects["client_group"].pk],
            "email": "reader@public.example",
            "client_groups": [w.objects["client_group"].pk],
        },
        is_write=True,
        notes="anonymous: nothing is stored until the address follows the emailed link",
    ),
    Case(
        "engagement:subscriptions",
        "POST",
        only(COUNCIL_ADMINS, status=302, anonymous=200, platform_admin=False),
        data=lambda w: {
            "organisation": w.organisations["council"].pk,
            f"org{w.organisations['council'].pk}-client_groups": [w.objects["client_group"].pk],
            "email": "reader@public.example",
            "client_groups": [w.objects["client_group"].pk],
        },
        is_write=True,
        label="for the council",
        notes="only an organisation's administrators subscribe it",
    ),
    Case("engagement:subscription_confirm", "GET", everyone(), kwargs=lambda w: {"token": "bad"}),
    Case(
        "engagement:subscription_confirm",
        "POST",
        everyone(400),
        kwargs=lambda w: {"token": "bad"},
        is_write=True,
    ),
    Case("engagement:unsubscribe", "GET", everyone(), kwargs=lambda w: {"token": "bad"}),
    Case(
        "engagement:unsubscribe",
        "POST",
        everyone(400),
        kwargs=lambda w: {"token": "bad"},
        is_write=True,
    ),
]


def _as_the_page(key: str, label: str = "") -> Expectation:
    """The API answers as the page showing the same thing does (neither signs anyone in)."""
    return next(case.expect for case in PAGE_CASES if case.key == key and case.label == label)


def _group_readers(actor: str) -> int:
    return 200 if actor in COUNCIL_MEMBERS | GROUP_MEMBERS | {"platform_admin"} else 404


def _id_of(name: str, key: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {key: world.objects[name].pk}


API_CASES = [
    # Engagement through the API, scoped as its pages are.
    api("GET", "/consultations", everyone()),
    api(
        "GET",
        "/consultations/{consultation_id}",
        drafts_of_the_council(200),
        kwargs=_id_of("draft_consultation", "consultation_id"),
    ),
    api(
        "GET",
        "/consultations/{consultation_id}",
        everyone(),
        label="published",
        kwargs=_id_of("open_consultation", "consultation_id"),
    ),
    api(
        "GET",
        "/consultations/{consultation_id}/results",
        _as_the_page("engagement:consultation_results", "you said, we did published"),
        label='"you said, we did" published',
        kwargs=_id_of("closed_consultation", "consultation_id"),
    ),
    api(
        "GET",
        "/consultations/{consultation_id}/results",
        _as_the_page("engagement:consultation_results", "open"),
        label="open",
        kwargs=_id_of("open_consultation", "consultation_id"),
    ),
    api(
        "GET",
        "/consultations/{consultation_id}/results",
        _as_the_page("engagement:consultation_results"),
        label="draft",
        kwargs=_id_of("draft_consultation", "consultation_id"),
    ),
    api(
        "GET",
        "/plans/{plan_id}/engagement-record",
        drafts_of_the_council(200),
        kwargs=_id_of("draft_plan", "plan_id"),
    ),
    api(
        "GET",
        "/plans/{plan_id}/engagement-record",
        everyone(),
        label="published",
        kwargs=_id_of("published_plan", "plan_id"),
    ),
    api(
        "GET",
        "/plans/{plan_id}/groups",
        drafts_of_the_council(200),
        kwargs=_id_of("draft_plan", "plan_id"),
    ),
    api("GET", "/groups/{group_id}", _group_readers, kwargs=_id_of("group", "group_id")),
    api("GET", "/interests", everyone()),
]
