"""Reading engagement: scoped to the reader, with the counts of a consultation made in the
database (a GROUP BY a question), whatever the number of responses."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, can, is_platform_admin, roles_by_organisation
from commissioning.engagement import rules
from commissioning.engagement.models import (
    Answer,
    Consultation,
    ConsultationDocument,
    EngagementActivity,
    EngagementGroup,
    GroupMember,
    Meeting,
    Question,
    Response,
    StakeholderGroup,
    Subscription,
)
from commissioning.kit.tables import Table

# Declarations of interest are kept in core, where every app reads them; named here as before.
current_declarations = core_selectors.current_declarations
declaration_for = core_selectors.declaration_for
interests_by_person = core_selectors.interests_by_person
new_declaration_for = core_selectors.new_declaration_for

# --- groups and declarations ------------------------------------------------------------------


def groups_of(plan: Any, person: Any) -> list[EngagementGroup]:
    groups = EngagementGroup.objects.filter(plan=plan).prefetch_related(
        Prefetch("members", GroupMember.objects.select_related("person", "organisation"))
    )
    return [group for group in groups if can(person, Action.VIEW, group)]


def group_for(person: Any, pk: int) -> EngagementGroup:
    """A group the person may see; one they may not is not found (404), as if it did not exist,
    so that nobody learns which groups a plan has."""
    group = (
        EngagementGroup.objects.select_related("plan", "plan__organisation").filter(pk=pk).first()
    )
    if group is None or not can(person, Action.VIEW, group):
        raise Http404
    return group


def members_of(group: EngagementGroup) -> QuerySet[GroupMember]:
    return group.members.select_related("person", "organisation")


def member_of(group: EngagementGroup, pk: int) -> GroupMember:
    member = members_of(group).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def meetings_of(group: EngagementGroup) -> QuerySet[Meeting]:
    return group.meetings.prefetch_related(
        "decisions", Prefetch("attendees", GroupMember.objects.select_related("person"))
    )


def meeting_of(group: EngagementGroup, pk: int) -> Meeting:
    meeting = meetings_of(group).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def provider_links(person_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The provider organisations each person belongs to: the members who must declare."""
    links: dict[int, list[Any]] = {}
    for membership in core_selectors.provider_memberships(person_ids):
        links.setdefault(membership.person_id, []).append(membership.organisation)
    return links


def undeclared_members(group: EngagementGroup) -> list[GroupMember]:
    """Members linked to a provider with no declaration in force: the group page asks for one."""
    members = [m for m in members_of(group) if m.person_id]
    links = provider_links(m.person_id for m in members if m.person_id)
    declared = interests_by_person(m.person_id for m in members)
    return [m for m in members if m.person_id in links and m.person_id not in declared]


# --- consultations ------------------------------------------------------------------------------


def consultations_of(plan: Any, person: Any) -> list[Consultation]:
    return [c for c in plan.consultations.all() if can(person, Action.VIEW, c)]


def consultation_for(person: Any, pk: int) -> Consultation:
    consultation = (
        Consultation.objects.select_related("plan", "plan__organisation").filter(pk=pk).first()
    )
    # A draft the person may not see is not found, so that its existence is not revealed.
    if consultation is None or not can(person, Action.VIEW, consultation):
        raise Http404
    return consultation


def documents_of(consultation: Consultation, language: str) -> list[ConsultationDocument]:
    """The consultation's documents for its page, the consultation draft first: the draft in
    the reader's language (or, lacking that, whichever there is), then the attached documents
    in the order they were added."""
    documents = list(consultation.documents.defer("frozen_html"))
    drafts = [d for d in documents if d.is_draft_of_plan]
    in_language = [d for d in drafts if d.language == language] or drafts[:1]
    shown = in_language + [d for d in documents if not d.is_draft_of_plan]
    for document in shown:
        document.shown_title = document.title_in(language)  # type: ignore[attr-defined]
    return shown


def document_of(consultation: Consultation, pk: int) -> ConsultationDocument:
    """One of the consultation's documents (the consultation already found for the reader), or
    not found."""
    document = consultation.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    document.consultation = consultation
    return document


def consultations_visible_to(person: Any) -> QuerySet[Consultation]:
    """What the consultations page lists for a reader: the public ones and, for the people of a
    plan's bodies, their drafts too."""
    visible = Q(status=Consultation.Status.PUBLISHED, opens_at__lte=timezone.now())
    if is_platform_admin(person):
        visible = Q()
    elif roles_by_organisation(person):
        mine = list(roles_by_organisation(person))
        visible |= Q(plan__organisation__in=mine) | Q(plan__partnership__members__in=mine)
    return Consultation.objects.filter(visible).select_related("plan").distinct()


def consultations_by_state(person: Any) -> dict[str, list[Consultation]]:
    """The consultations page's lists: open (soonest to close first), not open yet (drafts
    and those opening later, for the people of the plan's bodies), and closed (latest first)."""
    now = timezone.now()
    consultations = list(consultations_visible_to(person).order_by("closes_at", "pk"))
    return {
        "open": [c for c in consultations if c.is_open(now)],
        "not_open_yet": [c for c in consultations if not c.is_published or c.opens_at > now],
        "closed": [c for c in consultations if c.is_published and c.closes_at <= now][::-1],
    }


def open_consultations_of(plan: Any, person: Any) -> list[Consultation]:
    return [c for c in consultations_of(plan, person) if c.is_open()]


def questions_of(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.all())


def question_of(consultation: Consultation, pk: int) -> Question:
    question = consultation.questions.filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def response_count(consultation: Consultation) -> int:
    return consultation.responses.count()


def has_responded(consultation: Consultation, person: Any) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and (
        consultation.responses.filter(person=person).exists()
    )


def may_read_responses(person: Any, consultation: Consultation) -> bool:
    """Individual responses (free text among them): the plan's commissioners only."""
    return can(person, Action.CHANGE, consultation)


def may_see_results(person: Any, consultation: Consultation) -> bool:
    """Counts and charts: see `rules.may_see_results`."""
    return rules.may_see_results(person, consultation)


@dataclass
class QuestionResult:
    question: Question
    answered: int
    table: Table | None = None  # counts, for choice and rating questions
    mean: float | None = None  # ratings
    texts: int = 0  # free-text answers given


@dataclass
class ConsultationResults:
    consultation: Consultation
    responses: int
    by_group: Table
    questions: list[QuestionResult] = field(default_factory=list)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def consultation_results(consultation: Consultation) -> ConsultationResults:
    """Counts for every question, in four GROUP BY queries whatever the number of responses."""
    questions = questions_of(consultation)
    answers = Answer.objects.filter(question__consultation=consultation)
    answered = dict(
        answers.values_list("question").annotate(n=Count("response", distinct=True)).order_by()
    )
    choices: dict[tuple[int, int], int] = {
        (q, c): n
        for q, c, n in answers.filter(choice__isnull=False)
        .values_list("question", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    }
    ratings: dict[tuple[int, int], int] = {
        (q, r): n
        for q, r, n in answers.filter(rating__isnull=False)
        .values_list("question", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    }
    texts = dict(
        answers.exclude(text="").values_list("question").annotate(n=Count("pk")).order_by()
    )
    groups = dict(
        consultation.responses.values_list("stakeholder_group").annotate(n=Count("pk")).order_by()
    )
    total = sum(groups.values())
    columns = [
        ("option", _("Answer")),
        ("responses", _("Responses")),
        ("percent", _("Per cent")),
    ]
    by_group = Table(
        key="respondents",
        title=_("Who responded"),
        columns=[("option", _("Stakeholder group")), *columns[1:]],
        rows=[
            {
                "option": label,
                "responses": groups.get(value, 0),
                "percent": _percent(groups.get(value, 0), total),
            }
            for value, label in StakeholderGroup.choices
            if value in groups or value in consultation.stakeholder_groups
        ],
        caption=_("%(count)s responses") % {"count": f"{total:,}"},
    )
    results = ConsultationResults(consultation=consultation, responses=total, by_group=by_group)
    for number, question in enumerate(questions, start=1):
        result = QuestionResult(
            question=question,
            answered=answered.get(question.pk, 0),
            texts=texts.get(question.pk, 0),
        )
        title = _("Question %(number)s: %(question)s") % {
            "number": number,
            "question": question.text,
        }
        caption = _("%(count)s people answered") % {"count": f"{result.answered:,}"}
        if question.kind in Question.CHOICE_KINDS:
            rows = [
                (label, choices.get((question.pk, index), 0))
                for index, label in enumerate(question.choices)
            ]
        elif question.kind == Question.Kind.RATING:
            rows = [
                (rating_label(question, rating), ratings.get((question.pk, rating), 0))
                for rating in Question.RATINGS
            ]
            scored = sum(n for (q, _r), n in ratings.items() if q == question.pk)
            if scored:
                result.mean = round(
                    sum(r * n for (q, r), n in ratings.items() if q == question.pk) / scored, 2
                )
        else:
            rows = []
        if rows:
            result.table = Table(
                key=f"question-{question.pk}",
                title=title,
                columns=columns,
                rows=[
                    {"option": label, "responses": n, "percent": _percent(n, result.answered)}
                    for label, n in rows
                ],
                caption=caption,
            )
        results.questions.append(result)
    return results


def rating_label(question: Question, rating: int) -> str:
    if rating == Question.RATINGS[0] and question.lowest_label:
        return f"{rating}: {question.lowest_label}"
    if rating == Question.RATINGS[-1] and question.highest_label:
        return f"{rating}: {question.highest_label}"
    return str(rating)


def text_answers(question: Question, *, limit: int = 50) -> list[Answer]:
    return list(text_answer_rows(question)[:limit])


def text_answer_rows(question: Question) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response")
        .order_by("response__submitted_at", "pk")
    )


def response_rows(consultation: Consultation) -> Iterator[list[Any]]:
    """Every response as a row (submitted, group, then one cell a question), streamed from the
    database in batches for the CSV and XLSX downloads."""
    questions = questions_of(consultation)
    labels = dict(StakeholderGroup.choices)
    by_pk = {q.pk: q for q in questions}
    batch: list[Response] = []

    def rows_of(responses: list[Response]) -> Iterator[list[Any]]:
        cells: dict[int, dict[int, list[str]]] = {r.pk: {} for r in responses}
        for answer in Answer.objects.filter(response__in=[r.pk for r in responses]).order_by("pk"):
            question = by_pk[answer.question_id]
            if answer.choice is not None:
                value = (
                    question.choices[answer.choice]
                    if answer.choice < len(question.choices)
                    else str(answer.choice)
                )
            elif answer.rating is not None:
                value = str(answer.rating)
            else:
                value = answer.text
            cells[answer.response_id].setdefault(answer.question_id, []).append(value)
        for response in responses:
            yield [
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
                str(labels.get(response.stakeholder_group, response.stakeholder_group)),
                *["; ".join(cells[response.pk].get(q.pk, [])) for q in questions],
            ]

    for response in consultation.responses.order_by("pk").iterator(chunk_size=2000):
        batch.append(response)
        if len(batch) == 2000:
            yield from rows_of(batch)
            batch = []
    if batch:
        yield from rows_of(batch)


def response_headings(consultation: Consultation) -> list[str]:
    return [_("Submitted"), _("Stakeholder group"), *[q.text for q in questions_of(consultation)]]


# --- the engagement record ----------------------------------------------------------------------


def activities_of(plan: Any) -> QuerySet[EngagementActivity]:
    return plan.engagement_activities.select_related("cycle_stage", "consultation")


def activity_of(plan: Any, pk: int) -> EngagementActivity:
    activity = activities_of(plan).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def engagement_record(plan: Any) -> dict[str, Any]:
    """The plan's evidence for standard 4: every activity, who took part by stakeholder
    category, and the published consultations with their "you said, we did"."""
    activities = list(activities_of(plan))
    fields = EngagementActivity.PARTICIPANT_FIELDS
    labels = {
        name: EngagementActivity._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        for name in fields.values()
    }
    columns = [("activity", _("Activity"))] + [
        (name, str(labels[name]).capitalize()) for name in fields.values()
    ]
    rows = [
        {
            "activity": f"{a.title} ({a.held_on:%d/%m/%Y})",
            **{n: getattr(a, n) for n in fields.values()},
        }
        for a in activities
    ]
    if rows:
        rows.append(
            {
                "activity": _("Total"),
                **{n: sum(getattr(a, n) for a in activities) for n in fields.values()},
            }
        )
    participants = Table(
        key="engagement-participants",
        title=_("Who took part"),
        columns=columns,
        rows=rows,
        caption=_("People and providers taking part in each activity, by stakeholder category"),
    )
    return {
        "activities": activities,
        "participants": participants,
        "seldom_heard": sorted({g for a in activities for g in a.seldom_heard}),
        "consultations": [
            c
            for c in plan.consultations.filter(status=Consultation.Status.PUBLISHED)
            if c.opens_at <= timezone.now()
        ],
    }


# --- subscriptions ------------------------------------------------------------------------------


def subscription_of_person(person: Any) -> Subscription | None:
    return (
        Subscription.objects.filter(person=person)
        .prefetch_related("client_groups", "areas")
        .first()
    )


def subscription_of_organisation(organisation_id: int) -> Subscription | None:
    return (
        Subscription.objects.filter(organisation_id=organisation_id)
        .prefetch_related("client_groups", "areas")
        .first()
    )
