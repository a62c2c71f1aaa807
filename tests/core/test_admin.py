"""The administration site: platform administrators only, and every change audited."""

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.audit.services import record_event
from commissioning.core.models import ClientGroup, Membership
from tests.factories import PersonFactory


@pytest.fixture
def platform_admin_client(client, db):
    client.force_login(PersonFactory(platform_admin=True))
    return client


def test_changing_a_client_group_is_audited(platform_admin_client):
    group = ClientGroup.objects.get(slug="carers")
    response = platform_admin_client.post(
        f"/admin/core/clientgroup/{group.pk}/change/",
        {
            "name": "Carers",
            "name_cy": "Gofalwyr",
            "slug": "carers",
            "description": "Unpaid carers",
            "position": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.latest("sequence")
    assert event.verb == "clientgroup.admin_changed"
    assert (event.before["description"], event.after["description"]) == ("", "Unpaid carers")


def test_adding_a_membership_inline_is_audited(platform_admin_client, commissioning_body):
    person = PersonFactory(full_name="Huw Jenkins")
    prefix = "memberships"
    response = platform_admin_client.post(
        f"/admin/core/person/{person.pk}/change/",
        {
            "full_name": person.full_name,
            "email": person.email,
            "preferred_language": "cy",
            "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-organisation": commissioning_body.pk,
            f"{prefix}-0-role": "scrutiny",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(person=person)
    event = AuditEvent.objects.filter(
        object_type="core.membership", object_id=str(membership.pk)
    ).get()
    assert event.verb == "membership.admin_added"


def test_audit_events_cannot_be_edited_in_the_admin(platform_admin_client):
    event = record_event(actor=None, verb="test", target=ClientGroup.objects.first())
    assert (
        platform_admin_client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    )
    assert (
        platform_admin_client.post(
            f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "x"}
        ).status_code
        == 403
    )
