import os
from dataclasses import asdict
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

# Every page the browser tests reach is audited with axe-core; the audits are listed at the end
# of the run. Under pytest-xdist each worker hands its audits to the controlling process, which
# alone writes the summary.
AXE_AUDITS = pytest.StashKey[list[Any]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[AXE_AUDITS] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["axe_audits"] = [asdict(audit) for audit in session.config.stash[AXE_AUDITS]]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    from tests.browser.pages import AxeAudit, AxeViolation

    for audit in getattr(node, "workeroutput", {}).get("axe_audits", []):
        violations = [AxeViolation(**violation) for violation in audit.pop("violations")]
        node.config.stash[AXE_AUDITS].append(AxeAudit(**audit, violations=violations))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    audits = config.stash.get(AXE_AUDITS, [])
    if not audits:
        return
    engine = audits[0].engine
    terminalreporter.section(f"axe-core {engine}: WCAG 2.0/2.1/2.2 A and AA, per page")
    seen: dict[tuple[str, str, int | None, str], Any] = {}
    for audit in audits:
        seen.setdefault((audit.path, audit.lang, audit.status, audit.title), audit)
    for (path, lang, status, title), audit in seen.items():
        outcome = (
            "no violations"
            if not audit.violations
            else "VIOLATIONS " + ", ".join(f"{v.rule} ({v.impact})" for v in audit.violations)
        )
        terminalreporter.write_line(
            f"{status} {path} [{lang}] “{title}”: {outcome}; {audit.passes} rules passed"
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
