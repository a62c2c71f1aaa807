"""Schemathesis over the whole OpenAPI document, in the suite: every operation, with generated
valid and invalid input, as an anonymous caller and as a signed-in commissioner with a token,
through the WSGI application (no server). No answer may be a server error, and every answer
must be one the document describes: its status code, content type and body schema."""

import json
import logging

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from commissioning.config.api import api
from commissioning.core import services

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded, and the same cases on every run: the whole fuzz stays within about a minute.
EXAMPLES_PER_OPERATION = 20
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def api_schema():
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def keep_the_test_transaction():
    """Django's test client keeps a request from closing the database connection, which holds
    the test's transaction (on PostgreSQL); the WSGI application called directly would not."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(
    keep_the_test_transaction,
    projection_data,
    commissioning_body,
    provider,
    person_with_role,
    partnership,
):
    """Enough of a commissioning world for generated requests to reach real records."""
    commissioner = person_with_role(commissioning_body, "commissioner")
    person_with_role(provider, "organisation_admin")
    return services.create_api_token(actor=commissioner, name="fuzz")[1]


def fuzz(headers):
    """Every operation in turn; returns the cases run and what failed, by operation."""
    # Thousands of refused requests would each log a warning; server errors still log.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    runs = {"cases": 0, "operations": 0}
    failures = {}
    for result in api_schema().get_all_operations():
        operation = result.ok()
        runs["operations"] += 1
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @FUZZ
        @given(case=cases)
        def call(case):
            runs["cases"] += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as failure:  # every failure is reported below
            failures[operation.label] = failure
    logging.getLogger("django.request").setLevel(logging.NOTSET)
    print(
        f"fuzzed {runs['operations']} operations with {runs['cases']} cases: {len(failures)} failed"
    )
    return runs, failures


def report(failures):
    return "\n\n".join(f"{label}:\n{failure}" for label, failure in failures.items())


@pytest.mark.django_db
def test_anonymous_callers_get_only_documented_answers_and_no_server_error(world):
    runs, failures = fuzz(headers={})
    assert not failures, report(failures)
    assert runs["operations"] >= 25


@pytest.mark.django_db
def test_a_commissioner_with_a_token_gets_only_documented_answers_and_no_server_error(world):
    runs, failures = fuzz(headers={"Authorization": f"Bearer {world}"})
    assert not failures, report(failures)
    assert runs["operations"] >= 25


@pytest.mark.django_db
def test_the_fuzzed_document_is_the_one_served(client):
    served = client.get("/api/v1/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
