"""The API's documentation is a page of the site built from the OpenAPI document: every
operation with its parameters and answers, every schema with its fields, in the site's layout
and languages, with nothing fetched from elsewhere; the document itself stays at openapi.json.
(tests/browser/test_api_docs.py audits it with axe-core in English and Welsh.)"""

import html

import pytest
from django.conf import settings

from commissioning.config.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return api.get_openapi_schema()


@pytest.fixture
def page(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_operation_is_on_the_page_with_its_parameters_and_answers(page, document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert f"{method.upper()} {path}" in page
            if operation.get("summary"):
                assert operation["summary"] in page
            for parameter in operation.get("parameters", []):
                assert f">{parameter['name']}<" in page
    assert "GET /api/v1/plans/{plan_id}" in page
    assert "/api/v1/groups/{group_id}" in page


def test_every_schema_is_on_the_page_with_its_fields_and_decimal_places(page, document):
    for name, schema in document["components"]["schemas"].items():
        assert 'id="schema-' in page and f">{name}<" in page
        for prop in schema.get("properties", {}):
            assert f">{prop}<" in page, (name, prop)
    assert "2 decimal places at most" in page  # money, to the penny


def test_the_page_is_the_sites_own_and_loads_nothing_from_elsewhere(client, page):
    assert 'class="govuk-template"' in page and 'lang="en-GB"' in page
    assert "swagger" not in page.lower() and "redoc" not in page.lower()
    assert 'src="http' not in page and "cdn" not in page.lower()
    response = client.get("/api/v1/docs")
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_page_speaks_welsh_and_marks_the_apis_english_words(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    body = client.get("/api/v1/docs").content.decode()
    assert '<html lang="cy"' in body
    assert '<code lang="en">GET /api/v1/plans</code>' in body
    assert body.count('lang="en"') > 50


def test_the_openapi_document_is_still_served(client, document):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json()["info"]["title"] == document["info"]["title"]
