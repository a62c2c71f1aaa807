"""Rate limits every web process shares, and the client's address they are keyed by.

A limit counts uses in fixed windows (an hour from each o'clock, for a one-hour limit) in the
database, with one `INSERT … ON CONFLICT DO UPDATE … RETURNING` statement: atomic on SQLite and
PostgreSQL alike, so any number of gunicorn processes, with or without Redis, count together.
Called inside a transaction, the count rolls back with it, so a use that is refused later in
the same transaction is not counted."""

import ipaddress
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from commissioning.core.models import ThrottleCount

HOUR = 60 * 60


def client_address(request: HttpRequest) -> str:
    """The address of the person's own device. Behind `TRUSTED_PROXY_COUNT` reverse proxies,
    each of which appends the address it received the request from to X-Forwarded-For, that is
    the Nth address from the right: anything to its left was written by the client and may be
    forged. With no trusted proxy (the default) the header is ignored. An IPv6 address stands
    for its /64, the smallest network one household or office is given: otherwise one client
    would have 2⁶⁴ addresses, each with a budget of its own."""
    peer = _as_client(request.META.get("REMOTE_ADDR", "")) or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return peer
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    if len(hops) < proxies:  # did not come through every proxy: the peer is the best we know
        return peer
    return _as_client(hops[-proxies]) or peer


def _as_client(address: str) -> str | None:
    """The address a client is counted by, or None if it is not an IP address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def sign_in_address(request: HttpRequest) -> str | None:
    """`client_address` for sign-in lockouts, which store it as an IP address: none for a
    sign-in that came from no network peer (a test client's or a command's)."""
    address = client_address(request)
    return None if address == "unknown" else address


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a sign-in attempt is for, as sign-in throttling counts it: one account has
    one failure budget however its address is written (capitals, spaces around it)."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return normalised_email(str(value))


def normalised_email(address: str) -> str:
    """An email address as people's addresses are stored and compared."""
    return address.strip().lower()


def _digest(scope: str, key: str) -> str:
    return salted_hmac(
        "commissioning.core.throttle", f"{scope}\n{key}", algorithm="sha256"
    ).hexdigest()


def _window(period: int) -> int:
    return int(time.time()) // period * period


def hit(scope: str, key: str, *, limit: int, period: int = HOUR) -> bool:
    """Count one use of `scope` by `key` (an address, an email address) in the current window of
    `period` seconds; True if it is within `limit`, False if it is one too many."""
    table = connection.ops.quote_name(ThrottleCount._meta.db_table)
    window = _window(period)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, key_digest, window_start, hits) VALUES (%s, %s, %s, 1) "  # noqa: S608 — the table name is the model's
            f"ON CONFLICT (scope, key_digest, window_start) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING hits",
            [scope, _digest(scope, key), window],
        )
        (hits,) = cursor.fetchone()
    if hits == 1:  # the first use in a new window: earlier windows of this scope are over
        ThrottleCount.objects.filter(scope=scope, window_start__lt=window).delete()
    return bool(hits <= limit)


def used(scope: str, key: str, *, period: int = HOUR) -> int:
    """How many uses `key` has made of `scope` in the current window (for refusing early)."""
    row = ThrottleCount.objects.filter(
        scope=scope, key_digest=_digest(scope, key), window_start=_window(period)
    ).first()
    return row.hits if row else 0
