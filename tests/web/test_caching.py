"""What a signed-in person sees stays out of shared and browser caches; public pages for
people who are not signed in stay cacheable."""

import pytest
from django.core.management import call_command

from commissioning.core import services as core_services
from commissioning.core.models import Person
from commissioning.demo.loader import DEMO_PASSWORD
from commissioning.needs.models import NeedsAssessment

COMMISSIONER = "commissioner@northvale.example"
PRIVATE = "private, no-store"


@pytest.fixture
def draft_assessment(db):
    call_command("load_demo", verbosity=0)
    assessment = NeedsAssessment.objects.get(title__startswith="Older people's needs")
    assert not assessment.is_published
    return assessment


def test_public_pages_for_people_not_signed_in_stay_cacheable(client, draft_assessment):
    for url in ("/", "/api/v1/areas"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")


def test_signed_in_pages_and_private_downloads_are_not_stored(client, draft_assessment):
    assert client.post("/sign-in/", {"username": COMMISSIONER, "password": DEMO_PASSWORD})
    for url in (
        "/",
        "/dashboard/",
        f"/needs-assessments/{draft_assessment.pk}/",
        f"/needs-assessments/{draft_assessment.pk}/tables/projected_cases.csv",
        f"/needs-assessments/{draft_assessment.pk}/tables/projected_cases.xlsx",
        "/api/v1/me",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PRIVATE, url


def test_api_answers_to_a_token_are_not_stored(client, draft_assessment):
    person = Person.objects.get(email=COMMISSIONER)
    _token, plaintext = core_services.create_api_token(actor=person, name="reporting")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_view_that_chooses_its_own_caching_keeps_it(client, db):
    response = client.get("/sign-in/")  # Django's sign-in view forbids caching in its own words
    assert "must-revalidate" in response["Cache-Control"]
