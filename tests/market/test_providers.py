"""Providers on the register: a charity signs itself up, is approved, keeps its services
current; commercial figures stay with commissioners; markup is refused."""

import html
import re

import pytest
from django.core import mail
from django.test import Client

from commissioning.audit.models import AuditEvent
from commissioning.core.access import SYSTEM
from commissioning.core.models import Membership, Organisation
from commissioning.demo import builders
from commissioning.market import services
from commissioning.market.models import Provider, Service, ServiceType

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "organisation_name": "Hartside Befriending",
    "legal_form": "charity",
    "identifier": "GB-CHC-1187001",
    "income_band": "micro",
    "description": "Weekly visits to older people living alone.",
    "website": "",
    "cqc_provider_id": "",
    "full_name": "Megan Price",
    "email": "megan@hartside.example",
    "password": "a long enough password 2026",
}


def test_a_charity_signs_up_waits_for_approval_and_is_listed(
    client, commissioner, django_capture_on_commit_callbacks
):
    response = client.post("/market/sign-up/", SIGN_UP)
    provider = Provider.objects.get(name="Hartside Befriending")
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert provider.status == "pending" and provider.sector == "third"
    # Nobody signs in until the address is confirmed through the emailed link.
    assert (
        client.post(
            "/sign-in/", {"username": SIGN_UP["email"], "password": SIGN_UP["password"]}
        ).status_code
        == 200
    )
    [confirmation] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/sign-up/confirm/\S+/\S+/)", confirmation.body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link)["Location"] == "/dashboard/"
    assert client.post(link).status_code == 400  # once only
    mail.outbox.clear()
    assert provider.charity_number == "1187001"
    organisation = Organisation.objects.get(name="Hartside Befriending")
    assert Membership.objects.filter(organisation=organisation, role="organisation_admin").exists()
    # Signed in as the new administrator, who can add services while waiting.
    add = client.post(
        f"/market/providers/{provider.pk}/services/new/",
        {
            "service_type": ServiceType.objects.get(slug="befriending").pk,
            "name": "Home visits",
            "areas_served": [_area("E06000001").pk],
            "capacity": "40",
            "languages": ["en", "cy"],
        },
    )
    assert add.status_code == 302
    anonymous = client.__class__()
    assert anonymous.get(f"/market/providers/{provider.pk}/").status_code == 404
    assert "Hartside" not in anonymous.get("/market/providers/").content.decode()

    client.force_login(commissioner)
    assert "Hartside Befriending" in client.get("/market/approvals/").content.decode()
    refused = client.post(f"/market/providers/{provider.pk}/decide/", {"decision": "decline"})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/market/providers/{provider.pk}/decide/", {"decision": "approve"})
    assert approved.status_code == 302
    provider.refresh_from_db()
    assert provider.status == "listed" and provider.decided_by == commissioner
    assert len(mail.outbox) == 1 and "provider register" in mail.outbox[0].subject
    page = anonymous.get("/market/providers/?q=Hartside").content.decode()
    assert "Hartside Befriending" in page
    assert AuditEvent.objects.filter(verb="provider.approved").exists()


def _area(code):
    from commissioning.core.models import Area

    return Area.objects.get(code=code)


def test_a_sign_up_with_a_wrong_identifier_or_a_used_email_saves_nothing(client, commissioner):
    bad = client.post("/market/sign-up/", {**SIGN_UP, "identifier": "GB-COH-123"})
    assert bad.status_code == 400
    assert "GB-CHC" in bad.content.decode()
    used = client.post("/market/sign-up/", {**SIGN_UP, "email": commissioner.email})
    assert used.status_code == 200 and "Check your email" in used.content.decode()
    assert not Provider.objects.exists()
    assert not Organisation.objects.filter(name="Hartside Befriending").exists()


def _sign_up_page(fields):
    response = Client().post("/market/sign-up/", fields)
    return response.status_code, re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())


def test_an_address_signed_up_by_someone_else_is_won_back_by_its_owner(client):
    squatted = _sign_up_page(
        {
            **SIGN_UP,
            "organisation_name": "Squatter Care",
            "identifier": "GB-CHC-1187002",
            "full_name": "Not Megan",
            "password": "the squatter's own password 1",
        }
    )
    squatter = Organisation.objects.get(name="Squatter Care")
    mail.outbox.clear()
    owner = _sign_up_page(SIGN_UP)
    assert owner == squatted and owner[0] == 200 and "Check your email" in owner[1]
    # The owner is asked to confirm, with a link that works; nobody is told of a "sign-up".
    [confirmation] = mail.outbox
    assert confirmation.to == [SIGN_UP["email"]] and "/sign-up/confirm/" in confirmation.body
    link = re.search(r"https?://[^/\s]+(/sign-up/confirm/\S+/\S+/)", confirmation.body).group(1)
    assert client.post(link)["Location"] == "/dashboard/"
    organisation = Organisation.objects.get(name="Hartside Befriending")
    assert Membership.objects.get(role="organisation_admin", organisation=organisation).person.email
    assert [m.organisation for m in Membership.objects.filter(person__email=SIGN_UP["email"])] == [
        organisation
    ]
    # The squatter's organisation, waiting record and account are gone, and the trail says so.
    assert not Organisation.objects.filter(pk=squatter.pk).exists()
    assert not Provider.objects.filter(name="Squatter Care").exists()
    assert {
        "organisation.sign_up_withdrawn",
        "person.sign_up_withdrawn",
        "provider.sign_up_withdrawn",
    } <= set(AuditEvent.objects.values_list("verb", flat=True))
    client.logout()
    assert (
        client.post(
            "/sign-in/",
            {"username": SIGN_UP["email"], "password": "the squatter's own password 1"},
        ).status_code
        == 200
    )


def test_html_in_a_description_is_refused_with_a_message(client):
    response = client.post(
        "/market/sign-up/", {**SIGN_UP, "description": "We <script>alert(1)</script> help"}
    )
    assert response.status_code == 400
    assert "plain text" in response.content.decode()
    assert not Provider.objects.exists()


def test_a_registered_provider_claims_its_regulator_record_instead_of_a_second_one(
    client, commissioner
):
    regulator = Provider.objects.create(
        name="Hollyhurst Care Ltd", cqc_provider_id="1-101641001", source="regulator"
    )
    regulator.locations.create(
        name="Hollyhurst Lodge", cqc_location_id="1-101641021", area=_area("E06000005")
    )
    client.post(
        "/market/sign-up/",
        {
            **SIGN_UP,
            "organisation_name": "Hollyhurst Care Ltd",
            "legal_form": "company",
            "identifier": "GB-COH-04012345",
            "cqc_provider_id": "1-101641001",
        },
    )
    pending = Provider.objects.get(status="pending")
    assert pending.claim_of == regulator
    result = services.decide_provider(actor=commissioner, provider=pending, approve=True)
    assert result == regulator
    regulator.refresh_from_db()
    assert regulator.organisation.name == "Hollyhurst Care Ltd"
    assert Provider.objects.filter(status="listed").count() == 1


def test_unit_costs_and_workforce_are_seen_by_commissioners_and_the_provider_only(
    client, commissioner, provider, person_with_role
):
    listed = builders.listed_provider(
        organisation=provider,
        services=[
            {
                "service_type": ServiceType.objects.get(slug="advocacy"),
                "name": "Advocacy",
                "capacity": 100,
                "unit_cost": "412.50",
                "staff": 6,
                "vacancies": 2,
                "areas_served": [_area("E06000005")],
            }
        ],
    )
    path = f"/market/providers/{listed.pk}/"
    api = f"/api/v1/providers/{listed.pk}"
    assert "412.50" not in client.get(path).content.decode()
    assert client.get(api).json()["services"][0]["unit_cost"] is None
    client.force_login(commissioner)
    assert "412.50" in client.get(path).content.decode()
    assert client.get(api).json()["services"][0]["unit_cost"] == 412.5
    client.force_login(person_with_role(provider, "provider_user"))
    assert "412.50" in client.get(path).content.decode()


def test_a_provider_keeps_its_own_record_and_every_change_is_audited(
    client, provider, person_with_role
):
    listed = services.register_provider(actor=SYSTEM, organisation=provider)
    client.force_login(person_with_role(provider, "organisation_admin"))
    response = client.post(
        f"/market/providers/{listed.pk}/edit/",
        {"name": provider.name, "sector": "third", "staff": "12", "volunteers": "40"},
    )
    assert response.status_code == 302
    listed.refresh_from_db()
    assert (listed.staff, listed.volunteers) == (12, 40)
    event = AuditEvent.objects.filter(verb="provider.updated").get()
    assert event.before["staff"] is None and event.after["staff"] == 12
    bad = client.post(
        f"/market/providers/{listed.pk}/services/new/",
        {"service_type": ServiceType.objects.get(slug="befriending").pk, "name": "Visits"},
    )
    assert bad.status_code == 400
    assert "areas it serves" in bad.content.decode()
    assert not Service.objects.exists()


def test_the_register_filters_by_type_area_and_sector(client, provider):
    builders.listed_provider(
        organisation=provider,
        services=[
            {
                "service_type": ServiceType.objects.get(slug="carers_support"),
                "name": "Carers' café",
                "areas_served": [_area("E06000001")],
            }
        ],
    )

    def names(query):
        body = client.get(f"/market/providers/?{query}").content.decode()
        return [
            html.unescape(name)
            for name in re.findall(r'href="/market/providers/\d+/">([^<]+)</a>', body)
        ]

    assert names("service_type=carers_support&area=E06000001") == [provider.name]
    assert names("service_type=home_care") == []
    assert names("sector=private") == []
    assert client.get("/api/v1/providers?service_type=carers_support").json()["items"][0][
        "name"
    ] == (provider.name)
