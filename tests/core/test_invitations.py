"""Nobody is placed in an organisation by someone else: an organisation invites, the person
accepts or declines from their own account, and the inviter learns nothing about accounts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from commissioning.audit.models import AuditEvent
from commissioning.core import services
from commissioning.core.models import Invitation, Membership, Person
from commissioning.market import services as market_services
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_admin(provider, person_with_role):
    return person_with_role(provider, "organisation_admin", full_name="Pat Provider")


@pytest.fixture
def council_commissioner(commissioning_body, person_with_role):
    return person_with_role(
        commissioning_body,
        "commissioner",
        full_name="Carys Council-Commissioner",
        email="carys@council.example",
    )


@pytest.fixture
def platform_admin(db):
    return PersonFactory(
        platform_admin=True, full_name="Morgan Platform-Admin", email="morgan@platform.example"
    )


def _add_through_the_page(client, organisation, email, role="provider_user"):
    return client.post(
        f"/organisations/{organisation.pk}/members/add/",
        {"full_name": "Anyone At All", "email": email, "role": role},
        follow=True,
    )


def _add_through_the_api(client, person, organisation, email, role="provider_user"):
    _token, plaintext = services.create_api_token(actor=person, name="attack")
    return client.post(
        f"/api/v1/organisations/{organisation.pk}/members",
        {"email": email, "full_name": "Anyone At All", "role": role},
        content_type="application/json",
        headers={"Authorization": f"Bearer {plaintext}"},
    )


def test_a_provider_cannot_attach_a_commissioner_or_the_platform_administrator_through_the_page(
    client, provider, provider_admin, council_commissioner, platform_admin
):
    client.force_login(provider_admin)
    for victim in (council_commissioner, platform_admin):
        response = _add_through_the_page(client, provider, victim.email.upper())
        assert response.status_code == 200
        body = response.content.decode()
        assert "We have sent an invitation to that address" in body
        assert victim.full_name not in body
        assert not Membership.objects.filter(person=victim, organisation=provider).exists()
        assert Invitation.objects.get(person=victim, organisation=provider).is_open


def test_a_provider_cannot_attach_an_existing_account_through_the_api(
    client, provider, provider_admin, council_commissioner
):
    response = _add_through_the_api(client, provider_admin, provider, council_commissioner.email)
    assert response.status_code == 202
    assert council_commissioner.full_name not in response.content.decode()
    assert not Membership.objects.filter(
        person=council_commissioner, organisation=provider
    ).exists()


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    client, provider, provider_admin, council_commissioner
):
    known = _add_through_the_api(client, provider_admin, provider, council_commissioner.email)
    unknown = _add_through_the_api(client, provider_admin, provider, "nobody@nowhere.example")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    client.force_login(provider_admin)
    pages = [
        _add_through_the_page(client, provider, email).content.decode()
        for email in ("carys@council.example", "someone.else@nowhere.example")
    ]
    assert _without_tokens(pages[0]) == _without_tokens(pages[1])
    # Nor does the organisation's audit trail, which its administrators read: it names nobody
    # and holds the same events for both addresses.
    trail = AuditEvent.objects.filter(organisation=provider).order_by("sequence")
    assert council_commissioner.full_name not in str(
        list(trail.values_list("object_label", "after"))
    )
    sent = [verb for verb in trail.values_list("verb", flat=True) if verb != "api_token.created"]
    assert sent == ["invitation.sent"] * 4


def _without_tokens(page: str) -> str:
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', "", page)


def test_the_invited_person_accepts_on_their_account_page(
    client, provider, provider_admin, council_commissioner, django_capture_on_commit_callbacks
):
    client.force_login(provider_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _add_through_the_page(client, provider, council_commissioner.email)
    assert mail.outbox[-1].to == [council_commissioner.email]
    assert "/account/" in mail.outbox[-1].body
    client.force_login(council_commissioner)
    account = client.get("/account/").content.decode()
    assert escape(provider.name) in account and "Accept" in account
    invitation = Invitation.objects.get(person=council_commissioner)
    assert client.get(f"/account/invitations/{invitation.pk}/accept/").status_code == 405
    response = client.post(f"/account/invitations/{invitation.pk}/accept/", follow=True)
    assert "You have joined" in response.content.decode()
    assert Membership.objects.filter(
        person=council_commissioner, organisation=provider, role="provider_user"
    ).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    accepted = AuditEvent.objects.get(verb="invitation.accepted")
    assert accepted.actor_id == council_commissioner.pk
    # Answered once: a second answer changes nothing.
    client.post(f"/account/invitations/{invitation.pk}/decline/")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_the_invited_person_declines_and_gains_nothing(
    client, provider, provider_admin, council_commissioner
):
    services.invite_member(
        actor=provider_admin,
        organisation=provider,
        email=council_commissioner.email,
        full_name="x",
        role="organisation_admin",
    )
    invitation = Invitation.objects.get(person=council_commissioner)
    client.force_login(council_commissioner)
    response = client.post(f"/account/invitations/{invitation.pk}/decline/", follow=True)
    assert "You declined the invitation" in response.content.decode()
    assert not Membership.objects.filter(person=council_commissioner, organisation=provider)
    assert AuditEvent.objects.filter(verb="invitation.declined").exists()
    assert escape(provider.name) not in client.get("/account/").content.decode()


def test_nobody_answers_another_persons_invitation_and_an_expired_one_is_closed(
    client, provider, provider_admin, council_commissioner, commissioning_body
):
    services.invite_member(
        actor=provider_admin,
        organisation=provider,
        email=council_commissioner.email,
        full_name="x",
        role="provider_user",
    )
    invitation = Invitation.objects.get(person=council_commissioner)
    client.force_login(provider_admin)  # the inviter cannot accept for them
    assert client.post(f"/account/invitations/{invitation.pk}/accept/").status_code == 404
    assert not Membership.objects.filter(person=council_commissioner, organisation=provider)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(council_commissioner)
    response = client.post(f"/account/invitations/{invitation.pk}/accept/", follow=True)
    assert "has expired" in response.content.decode()
    assert not Membership.objects.filter(person=council_commissioner, organisation=provider)


def test_a_provider_waiting_for_approval_manages_no_members(client, council_commissioner):
    waiting = market_services.sign_up_provider(
        organisation_name="Minute Old Care Ltd",
        identifier="GB-COH-09876543",
        legal_form="company",
        income_band="micro",
        full_name="Quick Signer",
        email="quick@minuteold.example",
        password="a long enough password 2026",
    )
    founder = Person.objects.get(email="quick@minuteold.example")
    organisation = waiting.organisation
    client.force_login(founder)
    page = client.post(
        f"/organisations/{organisation.pk}/members/add/",
        {"full_name": "x", "email": council_commissioner.email, "role": "provider_user"},
    )
    assert page.status_code == 403
    api = _add_through_the_api(client, founder, organisation, council_commissioner.email)
    assert api.status_code == 403
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(person=council_commissioner, organisation=organisation)


def test_invitations_to_one_address_are_emailed_a_few_times_an_hour(
    provider, provider_admin, council_commissioner, settings, django_capture_on_commit_callbacks
):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 3
    for _attempt in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_member(
                actor=provider_admin,
                organisation=provider,
                email=council_commissioner.email,
                full_name="x",
                role="provider_user",
            )
    assert len([m for m in mail.outbox if m.to == [council_commissioner.email]]) == 3
    assert Invitation.objects.filter(person=council_commissioner, status="pending").count() == 1


def test_an_invitation_is_refused_once_the_inviter_no_longer_manages_members(
    client, provider, provider_admin, council_commissioner
):
    services.invite_member(
        actor=provider_admin,
        organisation=provider,
        email=council_commissioner.email,
        full_name="x",
        role="organisation_admin",
    )
    invitation = Invitation.objects.get(person=council_commissioner)
    Membership.objects.filter(person=provider_admin, organisation=provider).delete()
    client.force_login(council_commissioner)
    response = client.post(f"/account/invitations/{invitation.pk}/accept/", follow=True)
    assert "can no longer be accepted" in response.content.decode()
    assert not Membership.objects.filter(person=council_commissioner, organisation=provider)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_invitation_is_refused_once_its_organisation_is_not_approved(
    client, provider, provider_admin, council_commissioner
):
    from commissioning.market.models import Provider

    services.invite_member(
        actor=provider_admin,
        organisation=provider,
        email=council_commissioner.email,
        full_name="x",
        role="provider_user",
    )
    invitation = Invitation.objects.get(person=council_commissioner)
    # The organisation's sign-up to the register is (now) declined: it brings nobody in.
    Provider.objects.create(name=provider.name, organisation=provider, status="declined")
    client.force_login(council_commissioner)
    response = client.post(f"/account/invitations/{invitation.pk}/accept/", follow=True)
    assert "can no longer be accepted" in response.content.decode()
    assert not Membership.objects.filter(person=council_commissioner, organisation=provider)


def test_two_invitations_at_once_to_one_new_address_both_answer(
    client, provider, provider_admin, monkeypatch
):
    """The second request looks the address up before the first has made its account, and
    then meets it when saving its own: it carries on with that account instead of failing."""
    address = "new.person@example.org"
    Person.objects.create(email=address, full_name="Made A Moment Earlier")
    looked_up = Person.objects.filter

    def not_yet_there(*args, **kwargs):
        monkeypatch.setattr(Person.objects, "filter", looked_up)  # only the first look is early
        return looked_up(*args, **kwargs).none()

    monkeypatch.setattr(Person.objects, "filter", not_yet_there)
    client.force_login(provider_admin)
    response = _add_through_the_page(client, provider, address)
    assert response.status_code == 200
    assert "We have sent an invitation to that address" in response.content.decode()
    person = Person.objects.get(email=address)
    assert Invitation.objects.get(person=person, organisation=provider).is_open
