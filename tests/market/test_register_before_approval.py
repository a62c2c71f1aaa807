"""An organisation that signed itself up is not on the public register until it is approved: it
is seen by its own people and by the commissioners who decide on it, and by nobody else."""

import pytest
from django.utils.html import escape

from commissioning.core.access import SYSTEM
from commissioning.core.models import Area, Person
from commissioning.market import services
from commissioning.market.models import ServiceType
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NAME = "Newly Signed Up Befrienders"


@pytest.fixture
def waiting():
    provider = services.sign_up_provider(
        organisation_name=NAME,
        identifier="",
        legal_form="unincorporated",
        income_band="micro",
        full_name="Nia Newcomer",
        email="nia@newly.example",
        password="a long enough password 2026",
    )
    services.save_service(
        actor=SYSTEM,
        provider=provider,
        service_type=ServiceType.objects.get(slug="befriending"),
        name="Newly befriending",
        areas_served=[Area.objects.get(code="E06000005")],
    )
    return provider


@pytest.fixture
def unrelated_commissioner(person_with_role):
    return person_with_role(OrganisationFactory(commissioning_body=True), "commissioner")


def _sees(client, person, organisation_pk) -> dict[str, bool]:
    if person is None:
        client.logout()
    else:
        client.force_login(person)
    listing = client.get("/organisations/", {"q": "Newly"}).content.decode()
    api_list = client.get("/api/v1/organisations", {"q": "Newly"}).json()
    detail = client.get(f"/organisations/{organisation_pk}/")
    api_detail = client.get(f"/api/v1/organisations/{organisation_pk}")
    return {
        "list": escape(NAME) in listing,
        "api list": any(item["name"] == NAME for item in api_list["items"]),
        "page": detail.status_code == 200,
        "api page": api_detail.status_code == 200,
    }


NOWHERE = {"list": False, "api list": False, "page": False, "api page": False}
EVERYWHERE = {"list": True, "api list": True, "page": True, "api page": True}


def test_a_sign_up_waiting_for_approval_is_off_the_public_register(
    client, waiting, unrelated_commissioner
):
    organisation_pk = waiting.organisation_id
    assert _sees(client, None, organisation_pk) == NOWHERE
    assert _sees(client, unrelated_commissioner, organisation_pk) == NOWHERE
    assert _sees(client, PersonFactory(), organisation_pk) == NOWHERE
    # The market's lists agree.
    client.logout()
    assert escape(NAME) not in client.get("/market/providers/").content.decode()
    assert NAME not in client.get("/api/v1/providers").content.decode()


def test_its_own_people_and_its_approvers_see_it_and_after_approval_everyone_does(
    client, waiting, commissioner
):
    organisation_pk = waiting.organisation_id
    founder = Person.objects.get(email="nia@newly.example")
    assert _sees(client, founder, organisation_pk) == EVERYWHERE
    assert _sees(client, commissioner, organisation_pk) == EVERYWHERE  # they decide on it
    services.decide_provider(actor=commissioner, provider=waiting, approve=True)
    assert _sees(client, None, organisation_pk) == EVERYWHERE


def test_a_declined_sign_up_stays_off_the_register(client, waiting, commissioner):
    services.decide_provider(
        actor=commissioner, provider=waiting, approve=False, reason="Not in our area."
    )
    assert _sees(client, None, waiting.organisation_id) == NOWHERE
