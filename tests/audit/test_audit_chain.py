"""The append-only, hash-chained audit trail."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from commissioning.audit import chain
from commissioning.audit.guard import set_maintenance
from commissioning.audit.models import AppendOnlyError, AuditEvent
from commissioning.audit.services import record_event
from commissioning.core.models import ClientGroup

contents = st.dictionaries(
    st.sampled_from(["verb", "before", "after", "reason"]),
    st.one_of(st.text(max_size=20), st.integers(), st.none()),
    min_size=1,
)


def build_chain(items):
    links, previous = [], chain.GENESIS
    for position, content in enumerate(items, start=1):
        digest = chain.link_hash(previous, content)
        links.append(chain.StoredLink(position, previous, digest, content))
        previous = digest
    return links


@given(st.lists(contents, min_size=1, max_size=12))
def test_an_untouched_chain_verifies(items):
    assert chain.verify(build_chain(items)) == (len(items), None)


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
    checked, broken = chain.verify(links)
    assert checked == index
    assert broken is not None and broken.position == index + 1


@given(st.lists(contents, min_size=3, max_size=12), st.data())
def test_removing_an_event_breaks_the_next_link(items, data):
    links = build_chain(items)
    index = data.draw(st.integers(min_value=0, max_value=len(links) - 2))
    del links[index]
    _checked, broken = chain.verify(links)
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
