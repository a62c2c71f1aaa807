"""Key the audit chain: every existing event's hash is recomputed as an HMAC under the chain's
key (OC_AUDIT_KEY, or one derived from SECRET_KEY), and the head records how many events there
are, sealed with the same key.

The old, unkeyed chain is checked first; if it is already broken the migration stops rather
than give tampered events fresh, valid hashes. Keep the key from now on: with a different key
the chain no longer verifies.
"""

from django.db import migrations, models

from commissioning.audit import chain
from commissioning.audit.guard import set_maintenance
from commissioning.audit.keys import chain_key


def content_of(event):
    # As AuditEvent.chain_content was when this migration was written.
    return {
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "organisation": event.organisation_id,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


def rehash(apps, schema_editor, *, old_hash, new_hash, seal):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("sequence")
    old_previous = new_previous = chain.GENESIS
    count = 0
    set_maintenance(schema_editor.connection, True)
    try:
        for event in events.iterator(chunk_size=2000):
            content = content_of(event)
            if event.previous_hash != old_previous or old_hash(old_previous, content) != event.hash:
                raise RuntimeError(
                    f"The audit chain is broken at event #{event.sequence}; investigate it "
                    "(manage.py verify_audit on the previous release) before migrating."
                )
            old_previous = event.hash
            digest = new_hash(new_previous, content)
            events.filter(sequence=event.sequence).update(previous_hash=new_previous, hash=digest)
            new_previous = digest
            count += 1
    finally:
        set_maintenance(schema_editor.connection, False)
    AuditChainHead.objects.using(schema_editor.connection.alias).update_or_create(
        id=1,
        defaults={"last_hash": new_previous, "count": count, "seal": seal(count, new_previous)},
    )


def key_the_chain(apps, schema_editor):
    key = chain_key()
    rehash(
        apps,
        schema_editor,
        old_hash=chain.unkeyed_link_hash,
        new_hash=lambda previous, content: chain.link_hash(key, previous, content),
        seal=lambda count, last: chain.head_seal(key, count, last),
    )


def unkey_the_chain(apps, schema_editor):
    key = chain_key()
    rehash(
        apps,
        schema_editor,
        old_hash=lambda previous, content: chain.link_hash(key, previous, content),
        new_hash=chain.unkeyed_link_hash,
        seal=lambda count, last: "",
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="count",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="seal",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(key_the_chain, unkey_the_chain),
    ]
