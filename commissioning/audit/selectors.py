from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from commissioning.audit import chain
from commissioning.audit.models import AuditEvent
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
