import json
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from commissioning.audit import chain
from commissioning.audit.keys import chain_key
from commissioning.audit.models import AuditChainHead, AuditEvent


def _plain(value: Any) -> Any:
    """Make a value JSON-native so that it hashes the same after a database round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for an event's before or after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = field.value_from_object(instance)
    return _plain(data)


@transaction.atomic
def record_event(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    organisation: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": chain.GENESIS}
    )
    actor_id = getattr(actor, "pk", None)
    event = AuditEvent(
        occurred_at=timezone.now().astimezone(UTC),
        actor_id=actor_id,
        actor_label=(actor.get_username() if actor is not None else "system")[:255],
        organisation_id=getattr(organisation, "pk", None),
        verb=verb,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_label=str(target)[:255],
        before=_plain(before),
        after=_plain(after),
        reason=reason,
        previous_hash=head.last_hash,
    )
    key = chain_key()
    event.hash = chain.link_hash(key, event.previous_hash, event.chain_content())
    event.save()
    head.last_hash = event.hash
    head.count += 1
    head.seal = chain.head_seal(key, head.count, head.last_hash)
    head.save(update_fields=["last_hash", "count", "seal"])
    return event
