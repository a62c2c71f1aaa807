"""Emails to subscribers, run by `db_worker` after the change commits (at once in tests).
Each goes in the subscriber's language, with a link to stop the emails."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Role
from commissioning.engagement.models import Consultation, Subscription
from commissioning.engagement.tokens import unsubscribe_token
from commissioning.plans import selectors as plans_selectors


def _send(template: str, address: str, language: str, context: dict[str, Any]) -> None:
    with translation.override(language or "en"):
        subject, _separator, body = render_to_string(
            template, {**context, "base_url": settings.SITE_URL}
        ).partition("\n")
    send_mail(subject.strip(), body.lstrip(), None, [address])


def _matching(client_group_ids: list[int], area_ids: list[int]) -> list[Subscription]:
    """Confirmed subscriptions that want news of these client groups and areas: a subscription
    that names client groups hears only of those, and one that names areas only of those."""
    subscriptions = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .select_related("person")
        .prefetch_related("client_groups", "areas")
    )
    wanted = set(client_group_ids), set(area_ids)
    found = []
    for subscription in subscriptions:
        groups = {g.pk for g in subscription.client_groups.all()}
        places = {a.pk for a in subscription.areas.all()}
        if (not groups or groups & wanted[0]) and (not places or places & wanted[1]):
            found.append(subscription)
    return found


def _recipients(subscription: Subscription) -> list[tuple[str, str]]:
    """(address, language) for each person a subscription emails."""
    if subscription.person is not None:
        person = subscription.person
        return [(person.email, person.preferred_language)] if person.is_active else []
    if subscription.organisation_id is not None:
        return [
            (person.email, person.preferred_language)
            for person in core_selectors.people_to_notify(
                subscription.organisation_id, {Role.ORGANISATION_ADMIN, Role.PROVIDER_USER}
            )
        ]
    return [(subscription.email, subscription.language)]


def _tell_subscribers(
    client_group_ids: list[int], area_ids: list[int], template: str, context: dict[str, Any]
) -> int:
    sent = 0
    for subscription in _matching(client_group_ids, area_ids):
        stop = settings.SITE_URL + reverse(
            "engagement:unsubscribe", args=[unsubscribe_token(subscription)]
        )
        for address, language in _recipients(subscription):
            _send(template, address, language, {**context, "unsubscribe_url": stop})
            sent += 1
    return sent


@task()
def send_subscription_confirmation(email: str, token: str, language: str) -> None:
    link = settings.SITE_URL + reverse("engagement:subscription_confirm", args=[token])
    _send("engagement/email/confirm_subscription.txt", email, language, {"link": link})


@task()
def notify_plan_published(plan_id: int) -> int:
    plan = plans_selectors.published_plans().filter(pk=plan_id).first()
    if plan is None:
        return 0
    changes = plans_selectors.intention_changes(plan)
    return _tell_subscribers(
        list(plan.client_groups.values_list("pk", flat=True)),
        list(plan.areas.values_list("pk", flat=True)),
        "engagement/email/plan_published.txt",
        {"plan": plan, "changes": changes, "is_new_version": plan.previous_version_id is not None},
    )


@task()
def notify_consultation_opened(consultation_id: int) -> int:
    """Once, when the consultation is open: a deferred run checks it still is."""
    now = timezone.now()
    updated = Consultation.objects.filter(
        Q(pk=consultation_id),
        Q(opening_notified_at__isnull=True),
        status=Consultation.Status.PUBLISHED,
        opens_at__lte=now,
        closes_at__gt=now,
    ).update(opening_notified_at=now)
    if not updated:
        return 0
    consultation = Consultation.objects.select_related("plan").get(pk=consultation_id)
    plan = consultation.plan
    return _tell_subscribers(
        list(plan.client_groups.values_list("pk", flat=True)),
        list(plan.areas.values_list("pk", flat=True)),
        "engagement/email/consultation_opened.txt",
        {"consultation": consultation, "plan": plan},
    )
