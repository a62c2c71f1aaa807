"""Text sent to the API follows the same plain-text policy as the pages: a name is one line
with no control characters; a description keeps its line breaks and loses other controls."""

import pytest

from commissioning.core import services
from commissioning.core.models import ClientGroup
from tests.factories import PersonFactory


@pytest.fixture
def admin_token(db):
    admin = PersonFactory(platform_admin=True)
    return {"Authorization": f"Bearer {services.create_api_token(actor=admin, name='admin')[1]}"}


@pytest.mark.django_db
def test_a_client_group_sent_with_control_characters_is_stored_clean(client, admin_token):
    response = client.post(
        "/api/v1/client-groups",
        {
            "slug": "young-carers",
            "name": "Young\x0b carers\r\nunder 18\x01",
            "name_cy": "Gofalwyr\tifanc\x1b",
            "description": "Children who care\x07 for someone.\r\nAt school or not.",
        },
        content_type="application/json",
        headers=admin_token,
    )
    assert response.status_code == 201
    group = ClientGroup.objects.get(slug="young-carers")
    assert group.name == "Young carers under 18"
    assert group.name_cy == "Gofalwyr ifanc"
    assert group.description == "Children who care for someone.\r\nAt school or not."

    response = client.patch(
        f"/api/v1/client-groups/{group.pk}",
        {"name": "Young carers\x00\n(all ages)"},
        content_type="application/json",
        headers=admin_token,
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Young carers (all ages)"


@pytest.mark.django_db
def test_a_name_of_nothing_but_control_characters_is_refused(client, admin_token):
    response = client.post(
        "/api/v1/client-groups",
        {"slug": "nothing", "name": "\x00\x01\x02"},
        content_type="application/json",
        headers=admin_token,
    )
    assert response.status_code == 422
    assert not ClientGroup.objects.filter(slug="nothing").exists()


@pytest.mark.django_db
def test_a_name_with_tags_is_refused(client, admin_token):
    response = client.post(
        "/api/v1/client-groups",
        {"slug": "tagged", "name": "Young <script>alert(1)</script> carers"},
        content_type="application/json",
        headers=admin_token,
    )
    assert response.status_code == 422
    assert "HTML tags" in response.content.decode()
    assert not ClientGroup.objects.filter(slug="tagged").exists()
