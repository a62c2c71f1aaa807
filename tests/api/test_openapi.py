"""The OpenAPI document tells the truth: what needs credentials, and which refusals each
operation gives. (tests/api/test_fuzz.py checks every real answer against it.)"""

import pytest

OPERATIONS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def document(client, db):
    return client.get("/api/v1/openapi.json").json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in OPERATIONS:
                yield f"{method.upper()} {path}", operation


def needs_credentials(operation):
    security = operation.get("security", [])
    return bool(security) and {} not in security


@pytest.mark.parametrize(
    "public",
    [
        "GET /api/v1/organisations",
        "GET /api/v1/organisations/{organisation_id}",
        "GET /api/v1/areas",
        "GET /api/v1/projections",
        "GET /api/v1/needs-assessments",
        "GET /api/v1/needs-assessments/{assessment_id}",
        "GET /api/v1/providers",
        "GET /api/v1/providers/{provider_id}",
        "GET /api/v1/market-analyses",
        "GET /api/v1/approved-providers",
    ],
)
def test_public_operations_need_no_credentials_and_answer_anonymous_callers(
    client, document, public
):
    assert "security" not in document
    operation = dict(operations(document))[public]
    assert not needs_credentials(operation)
    assert "401" not in operation["responses"]
    if "{" not in public:
        assert client.get(public.split()[1]).status_code in (200, 422)


def test_signed_in_operations_say_so_and_refuse_anonymous_callers_with_401(client, document):
    signed_in = {label: op for label, op in operations(document) if needs_credentials(op)}
    assert {"GET /api/v1/me", "GET /api/v1/audit-events", "POST /api/v1/client-groups"} <= set(
        signed_in
    )
    for label, operation in signed_in.items():
        assert "401" in operation["responses"], label
    for label in ("GET /api/v1/me", "GET /api/v1/partnerships", "GET /api/v1/audit-events"):
        assert client.get(label.split()[1]).status_code == 401


def test_every_operation_lists_the_refusals_it_can_give_with_their_schemas(document):
    for label, operation in operations(document):
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        expected = set()
        if any(p["in"] == "path" for p in parameters):
            expected |= {"404", "422"}
        if parameters or "requestBody" in operation:
            expected.add("422")
        if label.split()[0] != "GET":
            expected.add("403")
        assert expected <= set(responses), label
        for code in expected:
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith(("/ErrorOut", "/ValidationErrorOut")), label
    members = dict(operations(document))["GET /api/v1/organisations/{organisation_id}/members"]
    assert "403" in members["responses"]
