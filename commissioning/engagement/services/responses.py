"""Answering a consultation: a respondent's answers, all or nothing. Responses are refused
outside the consultation's dates, with markup in them, or past the rate limit for one
connection; nothing is written unless everything is right."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commissioning.core import throttle
from commissioning.core.access import is_signed_in
from commissioning.engagement.models import Answer, Consultation, Question, Response
from commissioning.kit.text import has_markup

LONGEST_ANSWER = 10_000  # characters in one free-text answer
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
