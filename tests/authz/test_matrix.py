"""Every URL and API operation, requested as anonymous, as each role, as a member of an
unrelated organisation and as a platform administrator."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from commissioning.audit.models import AuditEvent
from commissioning.config.api import api
from commissioning.core.models import ApiToken, ClientGroup, Membership, Person
from tests.authz.decisions import API_CASES, CASES, PAGE_CASES, Case
from tests.authz.world import ACTOR_NAMES, World, build_world
from tests.conftest import fast_test_settings

# URL names that are handled by a whole-namespace decision or are not endpoints of ours.
ADMIN_NAMESPACE = "admin"
API_NAMESPACE = "api-1.0.0"


@pytest.fixture(scope="module")
def matrix_files(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("matrix")


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, matrix_files: Path) -> Iterator[World]:
    """The world, built once for this module inside a transaction that is rolled back after
    its last test. Each test runs in pytest-django's transaction, here a savepoint inside this
    one, rolled back after the test: every case starts from the world as built."""
    with (
        override_settings(**fast_test_settings(matrix_files)),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(matrix_world: World, db, settings, matrix_files: Path) -> World:
    """The module's world; the evidence its providers uploaded is in the module's folder."""
    settings.MEDIA_ROOT = matrix_files / "media"
    return matrix_world


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"{namespace}:<unnamed {pattern.pattern}>")
            else:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} /api/v1{path.removeprefix('/api/v1')}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_url_and_operation_has_a_decision():
    decided = {case.key for case in PAGE_CASES}
    own_urls = {
        name
        for name in url_names()
        if not name.startswith((f"{ADMIN_NAMESPACE}:", f"{API_NAMESPACE}:"))
    }
    api_docs = {f"{API_NAMESPACE}:openapi-json", f"{API_NAMESPACE}:openapi-view"}
    missing_urls = (own_urls | api_docs) - decided
    assert not missing_urls, f"URLs without an access decision: {sorted(missing_urls)}"
    missing_ops = api_operations() - {case.key for case in API_CASES}
    assert not missing_ops, f"API operations without an access decision: {sorted(missing_ops)}"
    unknown = {case.key for case in API_CASES} - api_operations()
    assert not unknown, f"Decisions for operations that do not exist: {sorted(unknown)}"


def test_matrix_size_is_reported(capsys):
    with capsys.disabled():
        print(
            f"\nauthorisation matrix: {len(CASES)} URL/operation cases x {len(ACTOR_NAMES)} "
            f"actors = {len(CASES) * len(ACTOR_NAMES)} requests"
        )
    assert len(CASES) * len(ACTOR_NAMES) > 300


def _path(case: Case, world) -> str:
    kwargs = case.kwargs(world)
    if case.key.startswith(("GET ", "POST ", "PATCH ", "PUT ", "DELETE ")):
        path = case.key.split(" ", 1)[1]
        for name, value in kwargs.items():
            path = path.replace("{" + name + "}", str(value))
        assert "{" not in path
    else:
        path = reverse(case.key, kwargs=kwargs)
    return path + (f"?{case.query.format(**kwargs)}" if case.query else "")


def _state():
    return (
        Membership.objects.count(),
        ClientGroup.objects.order_by().values_list("description", flat=True).count(),
        sorted(ClientGroup.objects.values_list("description", flat=True)),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
        Person.objects.count(),
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_actor_gets_what_the_decision_says(case: Case, client, world: World):
    path = _path(case, world)
    is_api = path.startswith("/api/v1/") and case.key.startswith(case.method)
    failures = []
    for actor in ACTOR_NAMES:
        savepoint = transaction.savepoint()
        client.logout()
        headers = {}
        if actor != "anonymous":
            if is_api:
                headers["Authorization"] = f"Bearer {world.tokens[actor]}"
            else:
                client.force_login(world.people[actor])
        before_state = _state()
        before_events = AuditEvent.objects.count()
        data = case.data(world)
        if is_api and case.method != "GET":
            response = client.generic(
                case.method,
                path,
                json.dumps(data) if data else "",
                content_type="application/json",
                headers=headers,
            )
        elif case.method == "GET":
            response = client.get(path, headers=headers)
        else:
            response = client.post(path, data, headers=headers)
        expected = case.expect(actor)
        if response.status_code != expected:
            failures.append(f"{actor}: expected {expected}, got {response.status_code}")
        if (
            expected == 302
            and response.status_code == 302
            and actor == "anonymous"
            and (not is_api and case.expect("commissioner") != 302)
        ):
            assert response["Location"].startswith(reverse("core:sign_in"))
        content = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        body = content.decode(errors="replace")
        for marker in world.private_markers_hidden_from(actor):
            if marker in body:
                failures.append(f"{actor}: response shows private text {marker!r}")
        refused_write = case.is_write and (
            (actor == "anonymous" and not case.anonymous_may_write) or expected >= 400
        )
        changed = _state() != before_state or AuditEvent.objects.count() != before_events
        if refused_write and changed:
            failures.append(f"{actor}: a refused write changed the database")
        if (
            case.is_write
            and not refused_write
            and response.status_code == expected
            and (AuditEvent.objects.count() == before_events)
        ):
            failures.append(f"{actor}: the write left no audit event")
        transaction.savepoint_rollback(savepoint)
    assert not failures, "\n".join(failures)


def test_no_response_leaks_across_tenants_in_lists(client, world: World):
    """The list endpoints and pages are scoped: an outsider's view of every list holds none of
    the council's private text."""
    client.force_login(world.people["outsider"])
    for path in [
        "/dashboard/",
        "/organisations/",
        "/account/",
        "/api/v1/partnerships",
        "/api/v1/audit-events",
        "/api/v1/me",
    ]:
        body = client.get(path).content.decode()
        for marker in world.private_markers_hidden_from("outsider"):
            assert marker not in body, (path, marker)
    assert re.search("Hillshire private terms", client.get("/api/v1/partnerships").content.decode())
