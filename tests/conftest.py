import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("OC_ENVIRONMENT", "test")
# Playwright drives its browser from a background event loop; Django refuses ORM calls from
# async contexts unless told this is expected, which it is only in the browser tests' server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)


@pytest.fixture(autouse=True)
def _audit_triggers_allow_flush(request):
    """Transactional tests end with Django emptying every table; the audit trail's
    append-only triggers would refuse that, so they stand aside for the flush alone."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.db import connection

    from commissioning.audit.guard import set_maintenance

    set_maintenance(connection, False)
    yield
    set_maintenance(connection, True)


def load_reference_data() -> None:
    """Areas, client groups, cycle models, service types and outcome frameworks. A migration
    creates them, but transactional tests end with Django emptying every table, so whatever
    runs after the first such test finds them gone: put back whatever is missing (the loaders
    are idempotent)."""
    from commissioning.core import reference_data as reference
    from commissioning.core.models import Area, ClientGroup, CycleModel, CycleStage
    from commissioning.market import reference_data as market_reference
    from commissioning.market.models import ServiceType
    from commissioning.plans import reference_data as plans_reference
    from commissioning.plans.models import FrameworkOutcome, OutcomeFramework

    reference.load(Area, ClientGroup, CycleModel, CycleStage)
    assert CycleModel.objects.filter(is_default=True).exists()
    market_reference.load(ServiceType)
    plans_reference.load(OutcomeFramework, FrameworkOutcome)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """pytest-django runs transactional tests last, each after another one's flush."""
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        load_reference_data()


def fast_test_settings(directory: Path) -> dict[str, Any]:
    """What every test runs with; files go under `directory`."""
    return {
        "LANGUAGE_CODE": "en-gb",
        # Argon2 is the production hasher (see tests/core/test_security_settings.py); hashing
        # hundreds of test passwords with it would only slow the suite down.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": directory / "media",  # uploads never land in the project's var/
        "AUDIT_ANCHOR_FILE": str(directory / "audit-anchors.log"),  # nor audit anchors
    }


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    for name, value in fast_test_settings(tmp_path).items():
        setattr(settings, name, value)


@pytest.fixture
def commissioning_body(db):
    return OrganisationFactory(commissioning_body=True)


@pytest.fixture
def provider(db):
    return OrganisationFactory(third_sector_charity=True)


@pytest.fixture
def person_with_role(db):
    def make(organisation, role, **person_fields):
        person = PersonFactory(**person_fields)
        MembershipFactory(person=person, organisation=organisation, role=role)
        return person

    return make


@pytest.fixture
def partnership(db):
    return PartnershipFactory()
