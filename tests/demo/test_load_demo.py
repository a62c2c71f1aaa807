"""The demonstration authority, as `make run` loads it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from commissioning.audit.models import AuditEvent
from commissioning.core.models import Membership, Organisation, Partnership, Person, Role
from commissioning.demo.loader import DEMO_PASSWORD, PEOPLE, PLATFORM_ADMIN
from tests.conftest import fast_test_settings


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """The demo, loaded once for this module inside a transaction rolled back after its last
    test; each test runs in a savepoint inside it. Returns where its uploads are."""
    files = tmp_path_factory.mktemp("demo")
    with (
        override_settings(**fast_test_settings(files)),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", verbosity=0)
        yield files
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo: Path, db, settings) -> None:
    settings.MEDIA_ROOT = loaded_demo / "media"


def counts():
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        Partnership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_loading_twice_adds_nothing(demo):
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before


def test_every_role_sector_and_legal_form_is_represented(demo):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(Organisation.objects.values_list("sector", flat=True)) == set(
        Organisation.Sector.values
    )
    assert set(Organisation.objects.values_list("legal_form", flat=True)) == set(
        Organisation.LegalForm.values
    )
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert Person.objects.filter(is_superuser=True).count() == 1


def test_demo_is_labelled_and_identifiers_are_valid(demo):
    for organisation in Organisation.objects.all():
        assert organisation.is_demonstration and "(demonstration)" in organisation.name
        organisation.full_clean()


def test_partnership_is_joint_with_a_lead_and_the_three_real_areas(demo):
    partnership = Partnership.objects.get()
    assert partnership.lead.name == "Northvale Council (demonstration)"
    assert partnership.members.count() == 2 and partnership.has_pooled_fund
    assert sorted(partnership.areas.values_list("name", flat=True)) == [
        "County Durham",
        "Darlington",
        "Hartlepool",
    ]


def test_the_demo_was_written_through_audited_services(demo):
    call_command("verify_audit", verbosity=0)
    assert AuditEvent.objects.filter(verb="membership.added").count() == Membership.objects.count()


def test_readme_documents_every_demo_account_and_the_password(demo, client):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert DEMO_PASSWORD in readme
    for person in [*PEOPLE, PLATFORM_ADMIN]:
        assert person.email in readme
        response = client.post("/sign-in/", {"username": person.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, person.email
        client.post("/sign-out/")


def test_demo_loads_the_real_ons_population(demo):
    from commissioning.needs.selectors import ready_datasets

    datasets = {d.kind: d for d in ready_datasets()}
    assert datasets["estimate"].base_year == 2011 and datasets["estimate"].area_count == 391
    assert (datasets["projection"].first_year, datasets["projection"].last_year) == (2014, 2027)
    assert all(d.is_demonstration for d in datasets.values())


def test_the_partnerships_older_peoples_plan_is_out_to_consultation(demo, client):
    from commissioning.plans import selectors as plan_selectors
    from commissioning.plans.models import CommissioningPlan

    plan = CommissioningPlan.objects.get(title__startswith="Living well in later life")
    assert plan.status == "consultation" and plan.partnership is not None
    assert plan.is_demonstration
    assert plan.outcomes.count() == 3 and plan.intentions.count() == 3
    assert plan.needs_assessment is not None and plan.market_analysis is not None
    results = plan_selectors.appraisal_results(plan.appraisals.get())
    assert results.preferred == ["Grant-fund community groups"]
    assert plan.risks.count() == 3
    assert plan_selectors.resource_tables(plan)["pooled"].total == 4 * 2_100_000
    client.force_login(plan.created_by)
    page = client.get(f"/plans/{plan.pk}/")
    assert page.status_code == 200
    assert "Nursing care for people with dementia" in page.content.decode()


def test_a_consultation_on_the_plan_is_open_on_the_public_site(demo, client):
    from commissioning.engagement.models import Consultation

    consultation = Consultation.objects.get(title__startswith="Day opportunities and carers")
    assert consultation.is_open()
    assert consultation.plan.title.startswith("Living well in later life")
    assert consultation.responses.count() == 120
    listing = client.get("/consultations/").content.decode()
    assert consultation.title.replace("'", "&#x27;") in listing
    form = client.get(f"/consultations/{consultation.pk}/respond/")
    assert form.status_code == 200
    assert "Which would help you or the person you care for most?" in form.content.decode()
    plan_page = client.get(f"/plans/{consultation.plan_id}/")
    assert plan_page.status_code == 404  # the plan is a draft: not public, the consultation is
    board = consultation.plan.engagement_groups.get()
    # Four people, and the two providers whose people sit on it as organisations.
    assert board.members.filter(person__isnull=False).count() == 4
    assert board.members.filter(organisation__isnull=False).count() == 2
    assert consultation.plan.engagement_activities.count() == 2
