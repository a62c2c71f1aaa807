"""Consultations built and published: a questionnaire is built while the consultation is a
draft and fixed once it is published, so that every response answers the same questions; only
the closing date can change after that, with the reason recorded. Subscribers hear of it when
it opens, by a task run after the change commits. Publishing freezes the plan as it stands as
the consultation draft the public reads (`documents`)."""

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.core.services import refuse_markup
from commissioning.engagement import tasks
from commissioning.engagement.models import Audience, Consultation, Question, StakeholderGroup
from commissioning.engagement.services.documents import freeze_consultation_draft
from commissioning.plans.services.editing import audit as record_on_plan

MOST_CHOICES = 30


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
    record_on_plan(
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
    record_on_plan(
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
    record_on_plan(
        actor, "consultation.question_removed", question, consultation.plan, before=before
    )


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
    record_on_plan(
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
    record_on_plan(
        actor,
        "consultation.published",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
    )
    # The public reads the plan as it stands now, whatever changes in it later.
    freeze_consultation_draft(actor=actor, consultation=consultation)
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
    record_on_plan(
        actor,
        "consultation.closing_date_changed",
        consultation,
        consultation.plan,
        before=before,
        after=snapshot(consultation),
        reason=reason.strip(),
    )
    return consultation


def stakeholder_groups_for(consultation: Consultation) -> list[tuple[str, str]]:
    return [
        (v, str(label))
        for v, label in StakeholderGroup.choices
        if v in consultation.stakeholder_groups
    ]
