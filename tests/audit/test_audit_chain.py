"""The append-only, hash-chained audit trail."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from commissioning.audit import chain
from commissioning.audit.guard import set_maintenance
from commissioning.audit.keys import chain_key
from commissioning.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from commissioning.audit.services import record_event
from commissioning.core.models import ClientGroup

contents = st.dictionaries(
    st.sampled_from(["verb", "before", "after", "reason"]),
    st.one_of(st.text(max_size=20), st.integers(), st.none()),
    min_size=1,
)


KEY = chain.derive_key("a secret kept outside the database")


def build_chain(items, key=KEY):
    links, previous = [], chain.GENESIS
    for position, content in enumerate(items, start=1):
        digest = chain.link_hash(key, previous, content)
        links.append(chain.StoredLink(position, previous, digest, content))
        previous = digest
    return links


@given(st.lists(contents, min_size=1, max_size=12))
def test_an_untouched_chain_verifies(items):
    assert chain.verify(KEY, build_chain(items)) == (len(items), None)


@given(st.lists(contents, min_size=2, max_size=12), st.data())
def test_changing_any_event_breaks_the_chain_exactly_there(items, data):
    links = build_chain(items)
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 1))
    tampered = dict(links[index].content, reason="rewritten after the fact")
    if tampered == links[index].content:
        return
    links[index] = chain.StoredLink(
        links[index].position, links[index].previous_hash, links[index].hash, tampered
    )
    checked, broken = chain.verify(KEY, links)
    assert checked == index
    assert broken is not None and broken.position == index + 1


@given(st.lists(contents, min_size=3, max_size=12), st.data())
def test_removing_an_event_breaks_the_next_link(items, data):
    links = build_chain(items)
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 2))
    del links[index]
    _checked, broken = chain.verify(KEY, links)
    assert broken is not None and broken.position == index + 2


@pytest.fixture
def events(db):
    group = ClientGroup.objects.first()
    return [
        record_event(
            actor=None,
            verb=f"client_group.test{i}",
            target=group,
            after={"n": i, "when": "2026-11-22"},
        )
        for i in range(4)
    ]


def test_verify_audit_reports_an_intact_chain(events, capsys):
    call_command("verify_audit")
    assert "Audit chain intact: 4 events verified." in capsys.readouterr().out


def test_events_cannot_be_changed_or_deleted_through_the_orm(events):
    event = events[1]
    event.reason = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET reason = 'edited'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_raw_changes(events, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 4


def test_verify_audit_finds_the_first_tampered_event(events):
    set_maintenance(connection, True)  # what an attacker with the database owner's rights can do
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET reason = 'nothing to see' WHERE sequence = %s",
                [events[2].sequence],
            )
    finally:
        set_maintenance(connection, False)
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit")
    assert f"broken at event #{events[2].sequence}" in str(caught.value)
    assert "2 events before it are intact" in str(caught.value)


def tamper(statement, params=()):
    """What someone with the database owner's rights (but not the chain's key) can do."""
    set_maintenance(connection, True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
    finally:
        set_maintenance(connection, False)


def rewrite_from(events, index, key, reason):
    """Rewrite one event's reason and recompute its hash and every later hash, and the head."""
    stored = list(AuditEvent.objects.order_by("sequence"))
    previous = stored[index].previous_hash
    for position, event in enumerate(stored[index:], start=index):
        content = event.chain_content()
        if position == index:
            content["reason"] = reason
        digest = chain.link_hash(key, previous, content)
        tamper(
            "UPDATE audit_auditevent SET reason = %s, previous_hash = %s, hash = %s "
            "WHERE sequence = %s",
            [content["reason"], previous, digest, event.sequence],
        )
        previous = digest
    tamper(
        "UPDATE audit_auditchainhead SET last_hash = %s, seal = %s WHERE id = 1",
        [previous, chain.head_seal(key, len(stored), previous)],
    )


def verify_output(*args):
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_verify_audit_prints_the_head_and_count_to_record_elsewhere(events):
    output = verify_output()
    assert f"Head: {events[-1].hash} after 4 events." in output
    assert f"--expect-count 4 --expect-head {events[-1].hash}" in output
    # The chain may grow after the anchor was taken; the anchored events must still be there.
    record_event(actor=None, verb="client_group.later", target=ClientGroup.objects.first())
    assert "5 events verified" in verify_output(
        "--expect-count", "4", "--expect-head", events[-1].hash
    )


def test_deleting_the_newest_events_is_detected(events):
    tamper("DELETE FROM audit_auditevent WHERE sequence >= %s", [events[2].sequence])
    with pytest.raises(CommandError, match="the newest events have been removed"):
        call_command("verify_audit")
    # Also when the head record is put back as it was two events ago, it cannot be sealed
    # without the key...
    tamper(
        "UPDATE audit_auditchainhead SET last_hash = %s, count = 2 WHERE id = 1",
        [events[1].hash],
    )
    with pytest.raises(CommandError, match="not sealed with the chain's key"):
        call_command("verify_audit")


def test_deleting_the_newest_events_with_the_key_is_caught_by_the_anchor(events):
    anchored_head = events[-1].hash
    tamper("DELETE FROM audit_auditevent WHERE sequence >= %s", [events[2].sequence])
    tamper(
        "UPDATE audit_auditchainhead SET last_hash = %s, count = 2, seal = %s WHERE id = 1",
        [events[1].hash, chain.head_seal(chain_key(), 2, events[1].hash)],
    )
    with pytest.raises(CommandError, match="events have been removed"):
        call_command("verify_audit", "--expect-count", "4", "--expect-head", anchored_head)


def test_rewriting_an_event_and_recomputing_every_later_hash_is_detected(events):
    # Without the key, the attacker can only guess: the old unkeyed SHA-256, or another key.
    rewrite_from(events, 1, chain.derive_key("a guess at the key"), "nothing to see")
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit")
    assert f"broken at event #{events[1].sequence}" in str(caught.value)
    assert "does not match its stored hash" in str(caught.value)


def test_a_rewrite_by_someone_holding_the_key_is_caught_by_the_anchor(events):
    anchored_head = events[-1].hash
    rewrite_from(events, 1, chain_key(), "nothing to see")
    assert "4 events verified" in verify_output()  # the key alone cannot tell
    with pytest.raises(CommandError, match="have been rewritten"):
        call_command("verify_audit", "--expect-count", "4", "--expect-head", anchored_head)


def test_an_event_forged_without_the_key_is_detected(events):
    forged = {
        **events[-1].chain_content(),
        "verb": "client_group.deleted",
        "reason": "forged",
    }
    digest = chain.unkeyed_link_hash(events[-1].hash, forged)
    tamper(
        "INSERT INTO audit_auditevent (occurred_at, actor_label, verb, object_type, object_id, "
        "object_label, reason, previous_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            events[-1].occurred_at,
            events[-1].actor_label,
            forged["verb"],
            forged["object_type"],
            forged["object_id"],
            forged["object_label"],
            forged["reason"],
            events[-1].hash,
            digest,
        ],
    )
    with pytest.raises(CommandError, match="does not match its stored hash"):
        call_command("verify_audit")


def test_verify_audit_records_the_head_in_the_anchor_file_and_checks_it_next_time(
    events, settings, tmp_path
):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchors.txt")
    assert "Head recorded in" in verify_output()
    line = (tmp_path / "audit-anchors.txt").read_text().splitlines()[-1]
    assert line.endswith(f" 4 {events[-1].hash}")
    tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [events[-1].sequence])
    tamper(
        "UPDATE audit_auditchainhead SET last_hash = %s, count = 3, seal = %s WHERE id = 1",
        [events[2].hash, chain.head_seal(chain_key(), 3, events[2].hash)],
    )
    with pytest.raises(CommandError, match="events have been removed"):
        call_command("verify_audit")


def test_the_anchor_file_is_kept_by_default_beside_the_database_and_can_be_turned_off():
    def configured(**environment):
        env = {k: v for k, v in os.environ.items() if k != "OC_AUDIT_ANCHOR_FILE"}
        env.update(environment, DJANGO_SETTINGS_MODULE="commissioning.config.settings")
        code = "from django.conf import settings; print(repr(settings.AUDIT_ANCHOR_FILE))"
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return eval(run.stdout)  # noqa: S307 - the repr of a string we printed

    base = Path(__file__).resolve().parents[2]
    assert configured() == str(base / "var" / "audit-anchors.log")
    assert configured(OC_AUDIT_ANCHOR_FILE="") == ""


def test_putting_back_an_earlier_sealed_head_is_caught_by_the_default_anchor_file(db):
    group = ClientGroup.objects.first()
    first = [record_event(actor=None, verb=f"client_group.t{i}", target=group) for i in range(2)]
    # A database writer keeps a copy of the head row as it is now (a backup will do): sealed
    # with the key, it needs no key to be put back.
    earlier = AuditChainHead.objects.values("count", "last_hash", "seal").get()
    verify_output()
    later = [record_event(actor=None, verb=f"client_group.u{i}", target=group) for i in range(2)]
    verify_output()  # four events, anchored outside the database
    tamper("DELETE FROM audit_auditevent WHERE sequence >= %s", [later[0].sequence])
    tamper(
        "UPDATE audit_auditchainhead SET count = %s, last_hash = %s, seal = %s WHERE id = 1",
        [earlier["count"], earlier["last_hash"], earlier["seal"]],
    )
    assert earlier["last_hash"] == first[-1].hash
    with pytest.raises(CommandError, match="had 4 when anchored: events have been removed"):
        call_command("verify_audit")


def test_deleting_every_event_and_the_head_is_caught_by_the_default_anchor_file(events):
    verify_output()
    tamper("DELETE FROM audit_auditevent")
    tamper("DELETE FROM audit_auditchainhead")
    with pytest.raises(CommandError, match="has 0 events but had 4 when anchored"):
        call_command("verify_audit")


def test_without_an_anchor_file_verify_audit_says_what_goes_unnoticed(events, settings):
    settings.AUDIT_ANCHOR_FILE = ""
    assert "a return to an earlier sealed head would not be noticed" in verify_output()
