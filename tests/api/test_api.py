"""The JSON API: authentication, errors, and the documents it serves."""

import json

import pytest

from commissioning.core import services
from commissioning.core.models import ClientGroup


@pytest.fixture
def council_admin(commissioning_body, person_with_role):
    return person_with_role(commissioning_body, "organisation_admin")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_token_authenticates_and_me_lists_roles(client, council_admin, commissioning_body):
    _, token = services.create_api_token(actor=council_admin, name="report")
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    me = response.json()
    assert me["email"] == council_admin.email
    assert me["memberships"] == [
        {
            "id": council_admin.memberships.get().pk,
            "role": "organisation_admin",
            "organisation": {
                "id": commissioning_body.pk,
                "name": commissioning_body.name,
                "identifier": commissioning_body.identifier,
            },
        }
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer oc_not-a-real-token", "Bearer ", "Basic abc"])
def test_bad_credentials_get_401(client, header):
    assert client.get("/api/v1/me", headers={"Authorization": header}).status_code == 401


@pytest.mark.django_db
def test_revoked_token_stops_working(client, council_admin):
    token, plaintext = services.create_api_token(actor=council_admin, name="report")
    services.revoke_api_token(actor=council_admin, token=token)
    assert client.get("/api/v1/me", headers=bearer(plaintext)).status_code == 401


@pytest.mark.django_db
def test_token_of_a_deactivated_person_stops_working(client, council_admin):
    _, plaintext = services.create_api_token(actor=council_admin, name="report")
    council_admin.is_active = False
    council_admin.save()
    assert client.get("/api/v1/me", headers=bearer(plaintext)).status_code == 401


@pytest.mark.django_db
def test_only_a_fingerprint_of_the_token_is_stored(council_admin):
    token, plaintext = services.create_api_token(actor=council_admin, name="report")
    token.refresh_from_db()
    assert plaintext not in (token.key_hash, token.prefix) and len(token.key_hash) == 64


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(council_admin, commissioning_body):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(council_admin)
    response = client.post(
        f"/api/v1/organisations/{commissioning_body.pk}/members",
        json.dumps({"email": "a@example.org", "full_name": "A", "role": "commissioner"}),
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_validation_errors_are_422_with_field_messages(client, council_admin, commissioning_body):
    _, token = services.create_api_token(actor=council_admin, name="report")
    url = f"/api/v1/organisations/{commissioning_body.pk}/members"
    wrong_role = client.post(
        url,
        {"email": "a@example.org", "full_name": "A", "role": "provider_user"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert wrong_role.status_code == 422
    assert wrong_role.json()["errors"][0]["field"] == "role"
    not_a_role = client.post(
        url,
        {"email": "a@example.org", "full_name": "A", "role": "king"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert not_a_role.status_code == 422
    malformed = client.post(
        url, "{not json", content_type="application/json", headers=bearer(token)
    )
    assert malformed.status_code in (400, 422)


@pytest.mark.django_db
def test_platform_admin_edits_client_groups_with_an_audit_record(client):
    from commissioning.audit.models import AuditEvent
    from tests.factories import PersonFactory

    admin = PersonFactory(platform_admin=True)
    _, token = services.create_api_token(actor=admin, name="admin")
    group = ClientGroup.objects.get(slug="carers")
    response = client.patch(
        f"/api/v1/client-groups/{group.pk}",
        {"description": "Unpaid carers of any age"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 200
    assert response.json()["description"] == "Unpaid carers of any age"
    event = AuditEvent.objects.latest("sequence")
    assert event.verb == "clientgroup.updated"
    assert (event.before["description"], event.after["description"]) == (
        "",
        "Unpaid carers of any age",
    )
    duplicate = client.post(
        "/api/v1/client-groups",
        {"slug": "carers", "name": "Carers again"},
        content_type="application/json",
        headers=bearer(token),
    )
    assert duplicate.status_code == 422


@pytest.mark.django_db
def test_public_lists_are_paginated_and_filterable(client):
    regions = client.get("/api/v1/areas?level=region").json()
    assert regions["count"] == 9
    north_east = client.get("/api/v1/areas?parent=E12000001").json()
    assert {"E06000047", "E06000005", "E06000001"} <= {a["code"] for a in north_east["items"]}
    stages = client.get("/api/v1/cycle-models").json()["items"][0]["stages"]
    assert [s["name"] for s in stages] == ["Analyse", "Plan", "Secure services", "Review"]


@pytest.mark.django_db
def test_openapi_schema_documents_every_operation_and_auth(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Open Commissioning API"
    assert "/api/v1/organisations/{organisation_id}/members" in schema["paths"]
    assert {"ApiTokenAuth", "ActiveSessionAuth"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.django_db
def test_the_documentation_is_a_page_of_the_site_loading_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    body = response.content.decode()
    assert response.status_code == 200
    assert "swagger" not in body.lower() and "cdn" not in body.lower()
    assert 'src="http' not in body and 'href="//' not in body
    assert "unsafe-inline" not in response["Content-Security-Policy"]
