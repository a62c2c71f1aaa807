"""Every write to engagement: access-checked, validated, audited, in one transaction.

A consultation's questionnaire is built while it is a draft and fixed once published, so that
every response answers the same questions. Responses are refused outside the consultation's
dates, with markup in them, or past the rate limit for one connection; nothing is written
unless everything is right. Subscribers are emailed after the change commits, by a task."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from commissioning.audit.services import record_event, snapshot
from commissioning.core import selectors as core_selectors
from commissioning.core import services as core_services
from commissioning.core import throttle
from commissioning.core.access import Action, acting_person, is_signed_in, require
from commissioning.engagement import tasks
from commissioning.engagement.models import (
    Answer,
    Audience,
    Consultation,
    Decision,
    DeclarationOfInterest,
    EngagementActivity,
    EngagementGroup,
    GroupMember,
    Meeting,
    Question,
    Response,
    StakeholderGroup,
    Subscription,
)
from commissioning.kit.text import has_markup
from commissioning.plans.rules import responsible_bodies
from commissioning.plans.services import refuse_markup

LONGEST_ANSWER = 10_000  # characters in one free-text answer
MOST_CHOICES = 30
SUBSCRIPTION_SALT = "engagement.subscription"
CONFIRMATION_DAYS = 7


def _audit(
    actor: Any,
    verb: str,
    target: Any,
    plan: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    record_event(
        actor=actor,
        verb=verb,
        target=target,
        organisation=plan.organisation,
        before=before,
        after=after,
        reason=reason,
    )


def _required(values: Mapping[str, str]) -> None:
    errors = {
        name: ValidationError(_("Enter the %(what)s.") % {"what": label}, code="required")
        for name, label in values.items()
        if not name.startswith("_") and not label.strip()
    }
    if errors:
        raise ValidationError(errors)


# --- groups ---------------------------------------------------------------------------------------


@transaction.atomic
def save_group(
    *,
    actor: Any,
    plan: Any,
    group: EngagementGroup | None = None,
    kind: str,
    name: str,
    terms_of_reference: str = "",
) -> EngagementGroup:
    refuse_markup({"name": name, "terms_of_reference": terms_of_reference})
    if not name.strip():
        raise ValidationError({"name": _("Enter the group's name.")}, code="required")
    if kind not in EngagementGroup.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of group.")}, code="kind")
    if group is None:
        group = EngagementGroup(plan=plan)
    require(actor, Action.CHANGE, group)
    before = snapshot(group) if group.pk else None
    group.kind, group.name, group.terms_of_reference = kind, name.strip(), terms_of_reference
    group.save()
    _audit(
        actor,
        "group.changed" if before else "group.created",
        group,
        group.plan,
        before=before,
        after=snapshot(group),
    )
    return group


def _group_bodies(group: EngagementGroup) -> set[int]:
    """The plan's lead body and partners, and the organisations that are members of the group."""
    return responsible_bodies(group.plan) | set(
        group.members.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )


@transaction.atomic
def add_member(
    *,
    actor: Any,
    group: EngagementGroup,
    role: str,
    email: str = "",
    organisation_id: int | None = None,
    representing: str = "",
) -> GroupMember:
    """A person (by the email address they sign in with) or an organisation joins the group.

    The person must work for one of the plan's bodies or for an organisation already in the
    group: nobody is looked up by address anywhere else, so the answer never says whether an
    address has an account. The organisation must be on the public register."""
    require(actor, Action.CHANGE, group)
    refuse_markup({"representing": representing})
    if role not in GroupMember.Role.values:
        raise ValidationError({"role": _("Choose the member's role in the group.")}, code="role")
    email = email.strip()
    if bool(email) == bool(organisation_id):
        raise ValidationError(
            _("Give either a person's email address or an organisation, not both."),
            code="who",
        )
    member = GroupMember(group=group, role=role, representing=representing.strip())
    if email:
        # Only a colleague of the plan's bodies or of an organisation already in the group is
        # found: any other address, with an account or without, gets the same answer.
        person = core_selectors.colleague_by_email(email, _group_bodies(group))
        if person is None:
            raise ValidationError(
                {
                    "email": _(
                        "You can add people who work for the plan's bodies or for an "
                        "organisation in this group. Add their organisation to the group "
                        "first, or ask its administrator to invite them to it."
                    )
                },
                code="not_a_colleague",
            )
        member.person = person
    else:
        organisation = core_selectors.public_organisation_by_pk(organisation_id)
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Choose an organisation from the register.")},
                code="unknown_organisation",
            )
        member.organisation = organisation
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError(
            _("%(who)s is already a member of this group.") % {"who": member.display_name},
            code="duplicate",
        ) from None
    _audit(actor, "group.member_added", member, group.plan, after=snapshot(member))
    return member


@transaction.atomic
def remove_member(*, actor: Any, member: GroupMember) -> None:
    require(actor, Action.CHANGE, member)
    before = snapshot(member)
    if member.meetings.exists():
        raise ValidationError(
            _(
                "%(who)s attended meetings of this group, and the minutes name them: they stay "
                "on its record."
            )
            % {"who": member.display_name},
            code="attended",
        )
    plan = member.group.plan
    member.delete()
    _audit(actor, "group.member_removed", member, plan, before=before)


@transaction.atomic
def save_meeting(
    *,
    actor: Any,
    group: EngagementGroup,
    meeting: Meeting | None = None,
    held_on: date,
    attendee_ids: Iterable[int],
    minutes: str,
    decisions: str,
) -> Meeting:
    """The meeting with its minutes (Markdown) and its decisions, one a line."""
    require(actor, Action.CHANGE, group)
    refuse_markup({"minutes": minutes, "decisions": decisions})
    attendees = list(group.members.filter(pk__in=list(attendee_ids)))
    if meeting is None:
        meeting = Meeting(group=group)
    before = snapshot(meeting) if meeting.pk else None
    meeting.held_on, meeting.minutes = held_on, minutes
    meeting.save()
    meeting.attendees.set(attendees)
    meeting.decisions.all().delete()
    Decision.objects.bulk_create(
        Decision(meeting=meeting, position=position, text=line.strip())
        for position, line in enumerate(decisions.splitlines())
        if line.strip()
    )
    after = {
        **snapshot(meeting),
        "attendees": sorted(m.display_name for m in attendees),
        "decisions": [line.strip() for line in decisions.splitlines() if line.strip()],
    }
    _audit(
        actor,
        "group.meeting_changed" if before else "group.meeting_recorded",
        meeting,
        group.plan,
        before=before,
        after=after,
    )
    return meeting


# --- declarations of interest -------------------------------------------------------------------


def declare_interest(
    *,
    actor: Any,
    person_id: int,
    kind: str,
    description: str,
    provider_id: int | None = None,
    declared_on: date | None = None,
) -> DeclarationOfInterest:
    """Core keeps the declaration; a member of a planning group has it put on the audit trail of
    the body whose plan the (first) group serves."""
    member = GroupMember.objects.filter(person_id=person_id).select_related("group__plan").first()
    return core_services.declare_interest(
        actor=actor,
        person_id=person_id,
        kind=kind,
        description=description,
        provider_id=provider_id,
        declared_on=declared_on,
        organisation=member.group.plan.organisation if member else None,
    )


end_declaration = core_services.end_declaration


# --- consultations: building and publishing ---------------------------------------------------


def _check_consultation(
    title: str, summary: str, audiences: Sequence[str], opens_at: datetime, closes_at: datetime
) -> None:
    refuse_markup({"title": title, "summary": summary})
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Enter the consultation's title.")
    if not summary.strip():
        errors["summary"] = _("Say what the consultation is about and what it will decide.")
    if not audiences or set(audiences) - set(Audience.values):
        errors["audiences"] = _("Choose who the consultation is for.")
    if closes_at <= opens_at:
        errors["closes_at"] = _("The consultation must close after it opens.")
    if errors:
        raise ValidationError(errors, code="invalid")


def _require_draft(consultation: Consultation) -> None:
    if consultation.is_published:
        raise ValidationError(
            _(
                "The consultation is published, so its questions and wording are fixed: every "
                "respondent answers the same questionnaire. Only its closing date can change."
            ),
            code="published",
        )


@transaction.atomic
def save_consultation(
    *,
    actor: Any,
    plan: Any,
    consultation: Consultation | None = None,
    title: str,
    summary: str,
    audiences: Sequence[str],
    opens_at: datetime,
    closes_at: datetime,
) -> Consultation:
    if consultation is None:
        consultation = Consultation(plan=plan, created_by=acting_person(actor))
    require(actor, Action.CHANGE, consultation)
    if consultation.pk:
        _require_draft(consultation)
    _check_consultation(title, summary, audiences, opens_at, closes_at)
    before = snapshot(consultation) if consultation.pk else None
    consultation.title, consultation.summary = title.strip(), summary
    consultation.audiences = [a for a in Audience.values if a in audiences]
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    consultation.save()
    _audit(
        actor,
        "consultation.changed" if before else "consultation.created",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
    )
    return consultation


def _choices(kind: str, choices: str) -> list[str]:
    lines = [line.strip() for line in choices.splitlines() if line.strip()]
    if kind not in Question.CHOICE_KINDS:
        return []
    if len(lines) < 2:
        raise ValidationError(
            {"choices": _("Give at least two choices, one a line.")}, code="choices"
        )
    if len(lines) > MOST_CHOICES:
        raise ValidationError(
            {"choices": _("Give at most %(most)s choices.") % {"most": MOST_CHOICES}},
            code="choices",
        )
    if len({line.casefold() for line in lines}) != len(lines):
        raise ValidationError({"choices": _("Each choice must be different.")}, code="choices")
    return lines


@transaction.atomic
def save_question(
    *,
    actor: Any,
    consultation: Consultation,
    question: Question | None = None,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = False,
    choices: str = "",
    lowest_label: str = "",
    highest_label: str = "",
) -> Question:
    require(actor, Action.CHANGE, consultation)
    _require_draft(consultation)
    refuse_markup(
        {
            "text": text,
            "help_text": help_text,
            "choices": choices,
            "lowest_label": lowest_label,
            "highest_label": highest_label,
        }
    )
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of question.")}, code="kind")
    if not text.strip():
        raise ValidationError({"text": _("Enter the question.")}, code="required")
    options = _choices(kind, choices)
    if question is None:
        last = consultation.questions.order_by("-position").first()
        question = Question(consultation=consultation, position=(last.position + 1) if last else 1)
    before = snapshot(question) if question.pk else None
    question.kind, question.text, question.help_text = kind, text.strip(), help_text.strip()
    question.required, question.choices = required, options
    rating = kind == Question.Kind.RATING
    question.lowest_label = lowest_label.strip() if rating else ""
    question.highest_label = highest_label.strip() if rating else ""
    question.save()
    _audit(
        actor,
        "consultation.question_changed" if before else "consultation.question_added",
        question,
        consultation.plan,
        before=before,
        after=snapshot(question),
    )
    return question


@transaction.atomic
def remove_question(*, actor: Any, question: Question) -> None:
    consultation = question.consultation
    require(actor, Action.CHANGE, consultation)
    _require_draft(consultation)
    before = snapshot(question)
    question.delete()
    _audit(actor, "consultation.question_removed", question, consultation.plan, before=before)


@transaction.atomic
def move_question(*, actor: Any, question: Question, up: bool) -> None:
    """Swap the question with the one before it (or after it)."""
    consultation = question.consultation
    require(actor, Action.CHANGE, consultation)
    _require_draft(consultation)
    questions = list(consultation.questions.select_for_update().order_by("position", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, each in enumerate(questions, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    _audit(
        actor,
        "consultation.questions_reordered",
        consultation,
        consultation.plan,
        after={"order": [q.text for q in questions]},
    )


def _notify_opening(consultation: Consultation) -> None:
    """After commit: email subscribers when the consultation opens (now, or later through a
    deferred task where the task backend can defer)."""
    if consultation.opens_at <= timezone.now():
        transaction.on_commit(partial(tasks.notify_consultation_opened.enqueue, consultation.pk))
    elif default_task_backend.supports_defer:
        deferred = tasks.notify_consultation_opened.using(run_after=consultation.opens_at)
        transaction.on_commit(partial(deferred.enqueue, consultation.pk))


@transaction.atomic
def publish_consultation(*, actor: Any, consultation: Consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(actor, Action.CHANGE, consultation)
    _require_draft(consultation)
    if not consultation.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."), code="empty")
    if consultation.closes_at <= timezone.now():
        raise ValidationError(
            _("The closing date has passed: set a later one before publishing."), code="closed"
        )
    before = snapshot(consultation)
    consultation.status = Consultation.Status.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["status", "published_at"])
    _audit(
        actor,
        "consultation.published",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
    )
    _notify_opening(consultation)
    return consultation


@transaction.atomic
def change_closing_date(
    *, actor: Any, consultation: Consultation, closes_at: datetime, reason: str
) -> Consultation:
    """A published consultation may be extended or shortened (not into the past), with the
    reason recorded; respondents see the new date."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(actor, Action.CHANGE, consultation)
    refuse_markup({"reason": reason})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")}, code="reason")
    if closes_at <= max(consultation.opens_at, timezone.now()):
        raise ValidationError(
            {"closes_at": _("The new closing date must be in the future and after it opens.")},
            code="closes_at",
        )
    before = snapshot(consultation)
    consultation.closes_at = closes_at
    consultation.save(update_fields=["closes_at"])
    _audit(
        actor,
        "consultation.closing_date_changed",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
        reason=reason.strip(),
    )
    return consultation


@transaction.atomic
def publish_response(*, actor: Any, consultation: Consultation, text: str) -> Consultation:
    """The published "you said, we did": what people said and what the plan does about it."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(actor, Action.CHANGE, consultation)
    refuse_markup({"response": text})
    if not consultation.has_closed:
        raise ValidationError(
            _("The consultation is still open: respond to it once it has closed."),
            code="open",
        )
    if not text.strip():
        raise ValidationError(
            {"response": _("Say what people told you and what you did as a result.")},
            code="required",
        )
    before = snapshot(consultation)
    consultation.response = text
    consultation.response_published_at = timezone.now()
    consultation.save(update_fields=["response", "response_published_at"])
    _audit(
        actor,
        "consultation.response_published",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
    )
    return consultation


@transaction.atomic
def record_consultation_activity(*, actor: Any, consultation: Consultation) -> EngagementActivity:
    """Put a closed consultation on the plan's engagement record, with who responded counted
    from the responses and what changed taken from its "you said, we did"."""
    require(actor, Action.CHANGE, consultation)
    if not consultation.has_closed:
        raise ValidationError(
            _("Add the consultation to the engagement record once it has closed."), code="open"
        )
    if consultation.activities.exists():
        raise ValidationError(
            _("This consultation is already on the engagement record."), code="duplicate"
        )
    counts = {
        group: consultation.responses.filter(stakeholder_group=group).count()
        for group in EngagementActivity.PARTICIPANT_FIELDS
    }
    activity = EngagementActivity(
        plan=consultation.plan,
        kind=EngagementActivity.Kind.CONSULTATION,
        title=consultation.title,
        held_on=timezone.localdate(consultation.closes_at),
        consultation=consultation,
        what_changed=consultation.response,
        recorded_by=acting_person(actor),
        **{EngagementActivity.PARTICIPANT_FIELDS[g]: n for g, n in counts.items()},
    )
    stage = _stage_named(consultation.plan, "consult")
    if stage is not None:
        activity.cycle_stage = stage
    activity.save()
    _audit(actor, "engagement.recorded", activity, consultation.plan, after=snapshot(activity))
    return activity


def _stage_named(plan: Any, fragment: str) -> Any:
    if plan.cycle_model is None:
        return None
    return plan.cycle_model.stages.filter(slug__icontains=fragment).first()


# --- consultations: answering ---------------------------------------------------------------


RATE_SCOPE = "consultation-responses"


def _rate_key(consultation: Consultation, client: str) -> str:
    return f"{consultation.pk}:{client}"


def _rate_limited() -> ValidationError:
    return ValidationError(
        _(
            "We have received %(count)s responses to this consultation from your connection "
            "in the last hour, which is as many as we accept. Please try again in an hour, "
            "or contact the commissioner if several people are answering from one place."
        )
        % {"count": settings.CONSULTATION_RESPONSES_PER_HOUR},
        code="rate_limited",
    )


def _check_rate(consultation: Consultation, client: str) -> None:
    """Too many responses from one connection in the last hour are refused: a household or a
    day centre may share one, so the limit (a setting) is more than one. This early look
    spares the respondent correcting answers that would be refused anyway."""
    used = throttle.used(RATE_SCOPE, _rate_key(consultation, client))
    if used >= settings.CONSULTATION_RESPONSES_PER_HOUR:
        raise _rate_limited()


def _count_response(consultation: Consultation, client: str) -> None:
    """Inside the response's transaction: counted atomically with every other web process's
    responses, and uncounted again if the response is not saved."""
    if not throttle.hit(
        RATE_SCOPE,
        _rate_key(consultation, client),
        limit=settings.CONSULTATION_RESPONSES_PER_HOUR,
    ):
        raise _rate_limited()


def _answers_for(question: Question, value: Any) -> tuple[list[Answer], ValidationError | None]:
    """The answer rows for one question's submitted value, or the reason it is refused."""
    values = value if isinstance(value, list | tuple) else [value]
    values = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not values:
        if question.required:
            return [], ValidationError(
                _("Answer this question: %(question)s") % {"question": question.text},
                code="required",
            )
        return [], None
    if question.kind == Question.Kind.FREE_TEXT:
        text = "\n".join(values)
        if has_markup(text):
            return [], ValidationError(
                _(
                    "Remove the HTML tags (anything written between < and >) from your answer: "
                    "write plain text."
                ),
                code="markup",
            )
        if len(text) > LONGEST_ANSWER:
            return [], ValidationError(
                _("Your answer is %(length)s characters long; keep it under %(most)s.")
                % {"length": f"{len(text):,}", "most": f"{LONGEST_ANSWER:,}"},
                code="too_long",
            )
        return [Answer(question=question, text=text)], None
    try:
        numbers = sorted({int(v) for v in values})
    except ValueError:
        numbers = [-1]
    if question.kind == Question.Kind.RATING:
        if len(numbers) != 1 or numbers[0] not in Question.RATINGS:
            return [], ValidationError(_("Choose a rating from 1 to 5."), code="choice")
        return [Answer(question=question, rating=numbers[0])], None
    if any(not 0 <= n < len(question.choices) for n in numbers) or (
        question.kind == Question.Kind.SINGLE_CHOICE and len(numbers) != 1
    ):
        return [], ValidationError(
            _("Choose one of the answers given.")
            if question.kind == Question.Kind.SINGLE_CHOICE
            else _("Choose from the answers given."),
            code="choice",
        )
    return [Answer(question=question, choice=n) for n in numbers], None


def submit_response(
    *,
    consultation: Consultation,
    person: Any,
    client: str | None,
    stakeholder_group: str,
    answers: Mapping[int, Any],
) -> Response:
    """A respondent's answers, all or nothing. `answers` maps each question's pk to its value
    (text, a choice's index, a list of indexes, or a rating); `client` identifies the
    connection for the rate limit (its address, never stored), or is None for answers the
    service itself enters (paper questionnaires typed in, the demonstration)."""
    now = timezone.now()
    if not consultation.is_published or now < consultation.opens_at:
        raise ValidationError(_("This consultation is not open yet."), code="not_open")
    if now >= consultation.closes_at:
        raise ValidationError(
            _(
                "This consultation closed on %(date)s, so we cannot accept your answers. The "
                "commissioners will publish what they heard and what they will do."
            )
            % {"date": date_format(timezone.localtime(consultation.closes_at), "j F Y, H:i")},
            code="closed",
        )
    signed_in = is_signed_in(person)
    limited_client = None if signed_in else client
    if limited_client is not None:
        _check_rate(consultation, limited_client)
    errors: dict[str, list[ValidationError]] = {}
    if stakeholder_group not in consultation.stakeholder_groups:
        errors["stakeholder_group"] = [
            ValidationError(
                _("Say which of the groups this consultation is for you belong to."),
                code="group",
            )
        ]
    rows: list[Answer] = []
    for question in consultation.questions.all():
        found, error = _answers_for(question, answers.get(question.pk))
        if error is not None:
            errors[f"question_{question.pk}"] = [error]
        rows.extend(found)
    if errors:
        raise ValidationError(errors)
    if signed_in and consultation.responses.filter(person=person).exists():
        raise _already_answered()
    try:
        with transaction.atomic():
            if limited_client is not None:
                _count_response(consultation, limited_client)
            response = Response.objects.create(
                consultation=consultation,
                stakeholder_group=stakeholder_group,
                person=person if signed_in else None,
                submitted_at=now,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # The same person's answers sent twice at once: the unique constraint let one in.
        if signed_in and consultation.responses.filter(person=person).exists():
            raise _already_answered() from None
        raise
    return response


def _already_answered() -> ValidationError:
    return ValidationError(
        _("You have already answered this consultation. Thank you."), code="duplicate"
    )


# --- the engagement record ----------------------------------------------------------------------


@transaction.atomic
def save_activity(
    *,
    actor: Any,
    plan: Any,
    activity: EngagementActivity | None = None,
    kind: str,
    title: str,
    held_on: date,
    cycle_stage_id: int | None = None,
    participants: Mapping[str, int],
    seldom_heard_groups: str = "",
    what_changed: str = "",
) -> EngagementActivity:
    if activity is None:
        activity = EngagementActivity(plan=plan, recorded_by=acting_person(actor))
    require(actor, Action.CHANGE, activity)
    refuse_markup(
        {"title": title, "seldom_heard_groups": seldom_heard_groups, "what_changed": what_changed}
    )
    errors: dict[str, str] = {}
    if kind not in EngagementActivity.Kind.values:
        errors["kind"] = _("Choose the kind of activity.")
    if not title.strip():
        errors["title"] = _("Enter the activity's title.")
    if held_on > timezone.localdate():
        errors["held_on"] = _(
            "The record is of what has happened: the date cannot be in the future."
        )
    stage = None
    if cycle_stage_id:
        stage = (
            plan.cycle_model.stages.filter(pk=cycle_stage_id).first() if plan.cycle_model else None
        )
        if stage is None:
            errors["cycle_stage"] = _("Choose a stage of the plan's own commissioning cycle.")
    for name in EngagementActivity.PARTICIPANT_FIELDS.values():
        if participants.get(name, 0) < 0:
            errors[name] = _("Enter a number of 0 or more.")
    if errors:
        raise ValidationError(errors, code="invalid")
    before = snapshot(activity) if activity.pk else None
    activity.kind, activity.title, activity.held_on = kind, title.strip(), held_on
    activity.cycle_stage = stage
    for name in EngagementActivity.PARTICIPANT_FIELDS.values():
        setattr(activity, name, participants.get(name, 0))
    activity.seldom_heard_groups = seldom_heard_groups.strip()
    activity.what_changed = what_changed
    activity.save()
    _audit(
        actor,
        "engagement.changed" if before else "engagement.recorded",
        activity,
        plan,
        before=before,
        after=snapshot(activity),
    )
    return activity


@transaction.atomic
def remove_activity(*, actor: Any, activity: EngagementActivity) -> None:
    require(actor, Action.CHANGE, activity)
    before = snapshot(activity)
    plan = activity.plan
    activity.delete()
    _audit(actor, "engagement.removed", activity, plan, before=before)


# --- subscriptions ------------------------------------------------------------------------------


def _check_choices(client_group_ids: Sequence[int], area_ids: Sequence[int]) -> None:
    if not client_group_ids and not area_ids:
        raise ValidationError(
            _("Choose at least one client group or area to hear about."), code="empty"
        )


@transaction.atomic
def subscribe(
    *,
    actor: Any,
    client_group_ids: Sequence[int],
    area_ids: Sequence[int],
    organisation_id: int | None = None,
) -> Subscription:
    """The signed-in person subscribes themselves, or an organisation they administer."""
    if not is_signed_in(actor):
        raise PermissionDenied
    _check_choices(client_group_ids, area_ids)
    if organisation_id is None:
        subscription = Subscription.objects.filter(person=actor).first() or Subscription(
            person=actor
        )
    else:
        subscription = Subscription.objects.filter(
            organisation_id=organisation_id
        ).first() or Subscription(organisation_id=organisation_id)
    require(actor, Action.CHANGE, subscription)
    subscription.language = getattr(actor, "preferred_language", "en") or "en"
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.save()
    subscription.client_groups.set(client_group_ids)
    subscription.areas.set(area_ids)
    record_event(
        actor=actor,
        verb="subscription.saved",
        target=subscription,
        after={"client_groups": sorted(client_group_ids), "areas": sorted(area_ids)},
    )
    return subscription


@transaction.atomic
def unsubscribe(*, actor: Any, subscription: Subscription) -> None:
    require(actor, Action.CHANGE, subscription)
    subscription.delete()


def request_address_subscription(
    *,
    email: str,
    client_group_ids: Sequence[int],
    area_ids: Sequence[int],
    language: str,
    client: str | None = None,
) -> None:
    """Anyone may subscribe an email address: nothing is stored until they follow the link we
    send, so an address cannot be signed up by someone else. Links sent to one address, and
    asked for by one client (`client`, its address), are limited in an hour, so that nobody can
    flood an inbox with them."""
    _check_choices(client_group_ids, area_ids)
    if client is not None and not throttle.hit(
        "subscription-client", client, limit=settings.EMAILS_PER_CLIENT_PER_HOUR
    ):
        raise ValidationError(
            _(
                "We have sent as many subscription links as we can for your connection in the "
                "last hour. Please try again in an hour."
            ),
            code="rate_limited",
        )
    if not throttle.hit(
        "subscription-address",
        email.strip().lower(),
        limit=settings.EMAILS_PER_ADDRESS_PER_HOUR,
    ):
        raise ValidationError(
            _(
                "We have already sent several links to this address in the last hour. Check "
                "your inbox (and junk mail) for them, or try again in an hour."
            ),
            code="rate_limited",
        )
    token = signing.dumps(
        {
            "email": email.strip().lower(),
            "groups": list(client_group_ids),
            "areas": list(area_ids),
            "language": language,
        },
        salt=SUBSCRIPTION_SALT,
        compress=True,
    )
    transaction.on_commit(
        partial(tasks.send_subscription_confirmation.enqueue, email.strip(), token, language)
    )


def confirm_address_subscription(token: str) -> Subscription:
    try:
        data = signing.loads(
            token, salt=SUBSCRIPTION_SALT, max_age=timedelta(days=CONFIRMATION_DAYS)
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired: links last %(days)s days. Subscribe again.")
            % {"days": CONFIRMATION_DAYS},
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This link is not valid. Copy the whole link from the email, or subscribe again."),
            code="bad_link",
        ) from None
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            email=data["email"], person=None, organisation=None
        )
        subscription.language = data.get("language", "en")
        subscription.confirmed_at = timezone.now()
        subscription.save()
        subscription.client_groups.set(core_selectors.client_groups().filter(pk__in=data["groups"]))
        subscription.areas.set(core_selectors.areas().filter(pk__in=data["areas"]))
    return subscription


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=SUBSCRIPTION_SALT + ".stop")


def unsubscribe_by_token(token: str) -> bool:
    """Every email's one-click unsubscribe. False if the link is not valid (or already used)."""
    try:
        pk = signing.loads(token, salt=SUBSCRIPTION_SALT + ".stop")
    except signing.BadSignature:
        return False
    deleted, _rows = Subscription.objects.filter(pk=pk).delete()
    return deleted > 0


def stakeholder_groups_for(consultation: Consultation) -> list[tuple[str, str]]:
    return [
        (v, str(label))
        for v, label in StakeholderGroup.choices
        if v in consultation.stakeholder_groups
    ]
