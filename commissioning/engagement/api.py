"""Engagement as JSON, scoped like its pages: consultations (public once published, drafts to the
plan's bodies), their questions and, once "you said, we did" is published (or to the plan's
commissioners before), their counted results, never a respondent's own words; a plan's
engagement record (with the plan); its planning groups (the plan's bodies and the group's own
members); and the public register of interests in force. What a person may not see is not found
(404), as on the pages; results not yet public are refused (403), as on the results page."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from commissioning.core.access import Action, can
from commissioning.core.api_auth import ANYONE
from commissioning.core.api_schema import (
    FORBIDDEN,
    BoundedPageNumberPagination,
    Figure,
    Percent,
    RecordId,
)
from commissioning.engagement import selectors
from commissioning.engagement.models import EngagementActivity, StakeholderGroup
from commissioning.plans import selectors as plans_selectors

router = Router(tags=["Engagement"])


def _person(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class ConsultationSummaryOut(Schema):
    id: int
    title: str
    status: str = Field(description="draft or published")
    plan_id: int
    audiences: list[str]
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    results_published: bool = Field(description='"you said, we did" and the counts are public')

    @staticmethod
    def resolve_is_open(obj: Any) -> bool:
        return bool(obj.is_open())

    @staticmethod
    def resolve_results_published(obj: Any) -> bool:
        return obj.response_published_at is not None


class QuestionOut(Schema):
    id: int
    position: int
    kind: str = Field(description="free_text, single_choice, multiple_choice or rating (1 to 5)")
    text: str
    help_text: str
    required: bool
    choices: list[str]
    lowest_label: str
    highest_label: str


class ConsultationOut(ConsultationSummaryOut):
    summary: str = Field(description="Markdown")
    plan_title: str | None = Field(description="when you may see the plan")
    questions: list[QuestionOut]
    you_said_we_did: str = Field(description="Markdown; empty until published")
    response_published_at: datetime | None

    @staticmethod
    def resolve_questions(obj: Any) -> list[Any]:
        return selectors.questions_of(obj)

    @staticmethod
    def resolve_you_said_we_did(obj: Any) -> str:
        return str(obj.response) if obj.response_published_at else ""


class CountOut(Schema):
    answer: str
    responses: int
    percent: Percent


class QuestionResultOut(Schema):
    question_id: int
    text: str
    kind: str
    answered: int = Field(description="how many responses answered it")
    written_answers: int = Field(description="free-text answers given (read by commissioners)")
    mean: Figure | None = Field(description="the mean rating, for a rating question")
    counts: list[CountOut] = Field(description="for choice and rating questions")


class GroupCountOut(Schema):
    stakeholder_group: str
    label: str
    responses: int
    percent: Percent


class ResultsOut(Schema):
    consultation_id: int
    responses: int
    by_stakeholder_group: list[GroupCountOut]
    questions: list[QuestionResultOut]


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    cycle_stage: str | None
    consultation_id: int | None
    participants: dict[str, int] = Field(description="people taking part, by stakeholder group")
    total_participants: int
    seldom_heard_groups: list[str]
    what_changed: str


class EngagementRecordOut(Schema):
    plan_id: int
    activities: list[ActivityOut]
    participants: dict[str, int] = Field(description="totals over every activity")
    seldom_heard_groups: list[str]
    consultation_ids: list[int] = Field(description="the plan's published consultations")


class InterestOut(Schema):
    kind: str
    description: str
    provider: str | None


class MemberOut(Schema):
    id: int
    name: str
    is_organisation: bool
    role: str
    representing: str
    joined_on: date
    interests: list[InterestOut] = Field(description="declared and in force today")


class MeetingOut(Schema):
    id: int
    held_on: date
    minutes: str = Field(description="Markdown")
    decisions: list[str]
    attended_by: list[int] = Field(description="members' ids")


class GroupSummaryOut(Schema):
    id: int
    plan_id: int
    kind: str
    name: str


class GroupOut(GroupSummaryOut):
    terms_of_reference: str = Field(description="Markdown")
    members: list[MemberOut]
    meetings: list[MeetingOut]


class DeclarationOut(Schema):
    id: int
    person: str
    kind: str = Field(description="financial, professional, personal or indirect")
    description: str
    provider_id: int | None
    provider: str | None
    declared_on: date

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return str(obj.person.full_name)

    @staticmethod
    def resolve_provider(obj: Any) -> str | None:
        return str(obj.provider.name) if obj.provider_id else None


# --- consultations ------------------------------------------------------------------------------


@router.get(
    "/consultations",
    response=list[ConsultationSummaryOut],
    auth=ANYONE,
    summary="Consultations: the published ones that have opened, and your plans' drafts",
)
@paginate(BoundedPageNumberPagination)
def list_consultations(request: HttpRequest) -> Any:
    return selectors.consultations_visible_to(_person(request)).order_by("-opens_at", "-pk")


@router.get(
    "/consultations/{consultation_id}",
    response=ConsultationOut,
    auth=ANYONE,
    summary='A consultation with its questions and, once published, its "you said, we did"',
)
def get_consultation(request: HttpRequest, consultation_id: RecordId) -> Any:
    person = _person(request)
    consultation = selectors.consultation_for(person, consultation_id)
    consultation.plan_title = (  # type: ignore[attr-defined]
        consultation.plan.title if can(person, Action.VIEW, consultation.plan) else None
    )
    return consultation


@router.get(
    "/consultations/{consultation_id}/results",
    response={200: ResultsOut, **FORBIDDEN},
    auth=ANYONE,
    summary='What a consultation heard, counted: public once "you said, we did" is published',
    description="Counts only: a respondent's own words are read by the plan's commissioners on "
    "the consultation's pages.",
)
def get_results(request: HttpRequest, consultation_id: RecordId) -> Any:
    person = _person(request)
    consultation = selectors.consultation_for(person, consultation_id)
    if not selectors.may_see_results(person, consultation):
        raise PermissionDenied
    results = selectors.consultation_results(consultation)
    labels = dict(StakeholderGroup.choices)
    groups = {str(label): value for value, label in labels.items()}
    return {
        "consultation_id": consultation.pk,
        "responses": results.responses,
        "by_stakeholder_group": [
            {
                "stakeholder_group": groups.get(str(row["option"]), ""),
                "label": str(row["option"]),
                "responses": row["responses"],
                "percent": row["percent"],
            }
            for row in results.by_group.rows
        ],
        "questions": [
            {
                "question_id": r.question.pk,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "written_answers": r.texts,
                "mean": r.mean,
                "counts": [
                    {
                        "answer": str(row["option"]),
                        "responses": row["responses"],
                        "percent": row["percent"],
                    }
                    for row in (r.table.rows if r.table else [])
                ],
            }
            for r in results.questions
        ],
    }


# --- the engagement record ----------------------------------------------------------------------


def _participants(activity: EngagementActivity) -> dict[str, int]:
    return {
        str(group): getattr(activity, name)
        for group, name in EngagementActivity.PARTICIPANT_FIELDS.items()
    }


@router.get(
    "/plans/{plan_id}/engagement-record",
    response=EngagementRecordOut,
    auth=ANYONE,
    summary="How people took part in a plan (standard 4), shown with the plan",
)
def get_engagement_record(request: HttpRequest, plan_id: RecordId) -> Any:
    plan = plans_selectors.plan_for(_person(request), plan_id)
    record = selectors.engagement_record(plan)
    activities = record["activities"]
    return {
        "plan_id": plan.pk,
        "activities": [
            {
                "id": a.pk,
                "kind": a.kind,
                "title": a.title,
                "held_on": a.held_on,
                "cycle_stage": a.cycle_stage.slug if a.cycle_stage else None,
                "consultation_id": a.consultation_id,
                "participants": _participants(a),
                "total_participants": a.participants,
                "seldom_heard_groups": a.seldom_heard,
                "what_changed": a.what_changed,
            }
            for a in activities
        ],
        "participants": {
            str(group): sum(getattr(a, name) for a in activities)
            for group, name in EngagementActivity.PARTICIPANT_FIELDS.items()
        },
        "seldom_heard_groups": record["seldom_heard"],
        "consultation_ids": [c.pk for c in record["consultations"]],
    }


# --- planning groups ----------------------------------------------------------------------------


@router.get(
    "/plans/{plan_id}/groups",
    response=list[GroupSummaryOut],
    auth=ANYONE,
    summary="A plan's planning groups: to the people of its bodies and the groups' members",
)
@paginate(BoundedPageNumberPagination)
def list_groups(request: HttpRequest, plan_id: RecordId) -> Any:
    person = _person(request)
    plan = plans_selectors.plan_for(person, plan_id)
    return selectors.groups_of(plan, person)


@router.get(
    "/groups/{group_id}",
    response=GroupOut,
    auth=ANYONE,
    summary="A planning group: members with their declared interests, meetings and decisions",
)
def get_group(request: HttpRequest, group_id: RecordId) -> Any:
    group = selectors.group_for(_person(request), group_id)
    members = list(selectors.members_of(group))
    interests = selectors.interests_by_person(m.person_id for m in members)
    return {
        "id": group.pk,
        "plan_id": group.plan_id,
        "kind": group.kind,
        "name": group.name,
        "terms_of_reference": group.terms_of_reference,
        "members": [
            {
                "id": m.pk,
                "name": m.display_name,
                "is_organisation": m.person_id is None,
                "role": m.role,
                "representing": m.representing,
                "joined_on": m.joined_on,
                "interests": [
                    {
                        "kind": d.kind,
                        "description": d.description,
                        "provider": d.provider.name if d.provider_id else None,  # type: ignore[union-attr]
                    }
                    for d in interests.get(m.person_id or 0, [])
                ],
            }
            for m in members
        ],
        "meetings": [
            {
                "id": meeting.pk,
                "held_on": meeting.held_on,
                "minutes": meeting.minutes,
                "decisions": [d.text for d in meeting.decisions.all()],
                "attended_by": [a.pk for a in meeting.attendees.all()],
            }
            for meeting in selectors.meetings_of(group)
        ],
    }


# --- the register of interests ------------------------------------------------------------------


@router.get(
    "/interests",
    response=list[DeclarationOut],
    auth=ANYONE,
    summary="The register of interests: every declaration in force today",
)
@paginate(BoundedPageNumberPagination)
def list_interests(request: HttpRequest) -> Any:
    return selectors.current_declarations().order_by("person__full_name", "-declared_on", "pk")
