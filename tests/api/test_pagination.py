"""Every list the API gives answers in pages with the total it holds, and an address under
/api/v1/ that names no operation answers JSON 404, like every other refusal of the API."""

import pytest

from commissioning.config.api import api

pytestmark = pytest.mark.django_db


def resolve(schema, document):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_no_operation_answers_a_bare_list_every_list_is_paged_with_its_total():
    document = api.get_openapi_schema()
    bare, paged = [], []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            answer = responses.get(200) or responses.get("200")
            if not answer or "application/json" not in answer.get("content", {}):
                continue
            schema = resolve(answer["content"]["application/json"]["schema"], document)
            if schema.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
            elif {"items", "count"} <= set(schema.get("properties", {})):
                paged.append(path)
                names = {p["name"] for p in operation.get("parameters", [])}
                assert {"page", "page_size"} <= names, path
    assert not bare, f"lists without pages and a total: {bare}"
    assert len(paged) >= 17


@pytest.mark.parametrize(
    ("actor", "path", "total"),
    [
        ("commissioner", "/api/v1/plans", 4),
        ("anonymous", "/api/v1/plans", 2),
        ("commissioner", "/api/v1/consultations", 3),
        ("anonymous", "/api/v1/consultations", 2),
        ("anonymous", "/api/v1/interests", 1),
        ("commissioner", "/api/v1/partnerships", 1),
        ("anonymous", "/api/v1/cycle-models", 2),
        ("anonymous", "/api/v1/market-analyses", 1),
        ("anonymous", "/api/v1/prevalence-sets", 1),
    ],
)
def test_a_list_walked_page_by_page_gives_its_total_once_each(as_actor, world, actor, path, total):
    first = as_actor(actor, path, page_size=1).json()
    assert first["count"] == total
    seen = []
    for page in range(1, total + 2):
        items = as_actor(actor, path, page=page, page_size=1).json()["items"]
        assert len(items) == (1 if page <= total else 0)
        seen += [item.get("id") or item.get("slug") for item in items]
    assert len(set(seen)) == total


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing-here",
        "/api/v1/plans/1/nothing-here",
        "/api/v1/organisations/",
        "/api/v1/v2/plans",
        "/api/v1/docs/more",
    ],
)
def test_an_unknown_api_address_answers_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "/api/v1/docs" in response.json()["detail"]
    assert client.post(path, {}).status_code == 404


def test_a_record_not_found_is_json_404_too(client):
    response = client.get("/api/v1/plans/999999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
