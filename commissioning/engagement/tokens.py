"""The signed links in subscription emails: the services that send and follow them and the
tasks that write the emails both read them here."""

from typing import Any

from django.core import signing

SUBSCRIPTION_SALT = "engagement.subscription"
STOP_SALT = SUBSCRIPTION_SALT + ".stop"
CONFIRMATION_DAYS = 7


def unsubscribe_token(subscription: Any) -> str:
    return signing.dumps(subscription.pk, salt=STOP_SALT)


def subscription_to_stop(token: str) -> Any:
    """The subscription an unsubscribe link names, or None if the link is not valid."""
    try:
        return signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
