"""Subscriptions to news of plans and consultations: a signed-in person's own, an
organisation's (by its administrators), or an email address's, confirmed through a link
before anything is sent. Every email carries a one-click unsubscribe link."""

from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event
from commissioning.core import selectors as core_selectors
from commissioning.core import throttle
from commissioning.core.access import Action, is_signed_in, require
from commissioning.engagement import tasks
from commissioning.engagement.models import Subscription
from commissioning.engagement.tokens import (
    CONFIRMATION_DAYS,
    SUBSCRIPTION_SALT,
    subscription_to_stop,
)


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


def unsubscribe_by_token(token: str) -> bool:
    """Every email's one-click unsubscribe. False if the link is not valid (or already used)."""
    pk = subscription_to_stop(token)
    if pk is None:
        return False
    deleted, _rows = Subscription.objects.filter(pk=pk).delete()
    return deleted > 0
