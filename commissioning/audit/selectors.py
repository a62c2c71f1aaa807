from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from commissioning.audit import chain
from commissioning.audit.keys import chain_key
from commissioning.audit.models import AuditChainHead, AuditEvent
from commissioning.core.access import Action, can
from commissioning.core.selectors import organisations_where


def events_visible_to(person: Any) -> QuerySet[AuditEvent]:
    """Platform administrators see every event; an organisation's administrators see its own."""
    events = AuditEvent.objects.order_by("-sequence")
    if getattr(person, "is_platform_admin", False):
        return events
    if not person.is_authenticated:
        return events.none()
    return events.filter(organisation__in=organisations_where(person, Action.VIEW_AUDIT))


def events_for(person: Any, target: Any) -> QuerySet[AuditEvent]:
    if not can(person, Action.VIEW_AUDIT, target):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        object_type=target._meta.label_lower, object_id=str(target.pk)
    ).order_by("-sequence")


def stored_links(batch_size: int = 2000) -> Iterator[chain.StoredLink]:
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        yield chain.StoredLink(
            position=event.sequence,
            previous_hash=event.previous_hash,
            hash=event.hash,
            content=event.chain_content(),
        )


@dataclass(frozen=True)
class TrailCheck:
    count: int
    head: str
    problem: str | None  # None when the trail is intact and agrees with every anchor


def check_trail(anchors: Iterable[chain.Anchor] = ()) -> TrailCheck:
    """Verify every link with the chain's key, the sealed head row, and any anchors recorded
    outside the database."""
    anchors = list(anchors)
    key = chain_key()
    result = chain.walk(key, stored_links(), remember=[anchor.count for anchor in anchors])
    if result.broken is not None:
        problem = (
            f"Audit chain broken at event #{result.broken.position}: {result.broken.reason}. "
            f"{result.checked} events before it are intact."
        )
        return TrailCheck(result.checked, result.head, problem)
    stored_head = AuditChainHead.objects.filter(id=1).first()
    if stored_head is None:
        if result.checked:
            return TrailCheck(result.checked, result.head, "The chain's head record is missing.")
    elif not chain.seal_matches(key, stored_head.count, stored_head.last_hash, stored_head.seal):
        if result.checked or stored_head.count or stored_head.seal:
            problem = "The chain's head record was not sealed with the chain's key."
            return TrailCheck(result.checked, result.head, problem)
    elif (stored_head.count, stored_head.last_hash) != (result.checked, result.head):
        problem = (
            f"The chain has {result.checked} events ending with {result.head}, but its head "
            f"record says {stored_head.count} ending with {stored_head.last_hash}: the newest "
            "events have been removed."
        )
        return TrailCheck(result.checked, result.head, problem)
    for anchor in anchors:
        mismatch = chain.anchor_mismatch(result, anchor)
        if mismatch is not None:
            problem = f"The audit chain does not match its anchor: {mismatch}."
            return TrailCheck(result.checked, result.head, problem)
    return TrailCheck(result.checked, result.head, None)
