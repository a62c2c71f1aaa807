"""Signing an organisation up tells nobody whether an email address already has an account."""

import re

import pytest
from django.core import mail

from commissioning.core.models import Organisation, Person
from tests.factories import PASSWORD

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
    "password": "a long enough password 2026",
}
REGISTERED = "procurement@northvale.example"
NEW = "megan@hartside.example"


@pytest.fixture
def officer(commissioning_body, person_with_role):
    return person_with_role(commissioning_body, "procurement_officer", email=REGISTERED)


def _sign_up(client, email):
    response = client.post("/market/sign-up/", {**SIGN_UP, "email": email})
    page = response.content.decode().replace(email, "ADDRESS")
    return response.status_code, re.sub(r'(nonce|value)="[^"]*"', "", page)  # per request


def _signs_in(client, email, password):
    signed_in = client.post("/sign-in/", {"username": email, "password": password})
    client.logout()
    return signed_in.status_code == 302


@pytest.mark.parametrize("written", [REGISTERED, "Procurement@Northvale.EXAMPLE"])
def test_a_registered_address_is_answered_like_a_new_one(client, officer, written):
    registered = _sign_up(client, written)
    new = _sign_up(client.__class__(), NEW)
    assert registered == new
    assert registered[0] == 200 and "Check your email" in registered[1]
    # Only one organisation was made, for the new address; the registered one is untouched.
    assert Organisation.objects.filter(name="Hartside Befriending").count() == 1
    officer.refresh_from_db()
    assert officer.memberships.count() == 1
    # The holder of the registered address is told; the new address is asked to confirm.
    notice, confirmation = sorted(mail.outbox, key=lambda message: message.to != [REGISTERED])
    assert notice.to == [REGISTERED] and "already has an account" in notice.body
    assert confirmation.to == [NEW] and "/sign-up/confirm/" in confirmation.body
    # The password the signer chose opens neither account, so trying it tells nothing either.
    assert not _signs_in(client, REGISTERED, SIGN_UP["password"])
    assert not _signs_in(client, NEW, SIGN_UP["password"])
    assert _signs_in(client, REGISTERED, PASSWORD)


def test_the_emailed_link_confirms_the_address_once_and_signs_in(client):
    _sign_up(client, NEW)
    [confirmation] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/sign-up/confirm/\S+/\S+/)", confirmation.body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Confirm your email address" in page.content.decode()
    assert not Person.objects.get(email=NEW).has_usable_password()  # opening it confirms nothing
    confirmed = client.post(link, follow=True)
    assert confirmed.redirect_chain[-1][0] == "/dashboard/"
    assert "Your email address is confirmed" in confirmed.content.decode()
    client.logout()
    assert _signs_in(client, NEW, SIGN_UP["password"])
    again = client.post(link)
    assert again.status_code == 400 and "The link did not work" in again.content.decode()
    broken = client.post(link.replace("/confirm/", "/confirm/x"))
    assert broken.status_code == 400


def test_sign_up_notices_to_one_address_are_limited(client, officer, settings):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(10):
        status, _page = _sign_up(client, REGISTERED)
        assert status == 200
    assert len(mail.outbox) == 3


def test_confirmation_links_to_one_address_are_limited_too(client, settings):
    # Each sign-up replaces the unconfirmed one before it, so without a limit anyone could
    # have a stranger's inbox sent a link for every request.
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(10):
        status, _page = _sign_up(client, NEW)
        assert status == 200
    assert len(mail.outbox) == 3
    assert Person.objects.filter(email=NEW).count() == 1


def test_signing_up_again_before_confirming_starts_afresh(client):
    """A confirmation link that expired, or an email that never came, is not the end: signing up
    again with the same address (and the same organisation) sends a new link, which works."""
    first = _sign_up(client, NEW)
    [old] = mail.outbox
    mail.outbox.clear()
    again = _sign_up(client, NEW)
    assert again == first
    [new] = mail.outbox  # a new link, not a notice of "someone" signing up
    assert "/sign-up/confirm/" in new.body and "already has an account" not in new.body
    assert Organisation.objects.filter(name="Hartside Befriending").count() == 1
    old_link, new_link = (
        re.search(r"https?://[^/\s]+(/sign-up/confirm/\S+/\S+/)", message.body).group(1)
        for message in (old, new)
    )
    assert client.post(old_link).status_code == 400
    assert client.post(new_link)["Location"] == "/dashboard/"
    client.logout()
    assert _signs_in(client, NEW, SIGN_UP["password"])
    # Confirmed, the account is kept: a further sign-up only tells its holder.
    mail.outbox.clear()
    other = {**SIGN_UP, "email": NEW, "organisation_name": "Other", "identifier": "GB-CHC-1187009"}
    assert client.post("/market/sign-up/", other).status_code == 200
    [notice] = mail.outbox
    assert "already has an account" in notice.body
    assert not Organisation.objects.filter(name="Other").exists()
    assert Organisation.objects.filter(name="Hartside Befriending").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_name", "Hartside <b>Befriending</b>"),
        ("full_name", "Megan <img src=x onerror=alert(1)> Price"),
    ],
)
def test_tags_in_a_name_are_refused_with_a_message_and_nothing_is_made(client, field, value):
    response = client.post("/market/sign-up/", {**SIGN_UP, field: value, "email": NEW})
    assert response.status_code == 400
    assert "Remove the HTML tags" in response.content.decode()
    assert not Person.objects.filter(email=NEW).exists()
    assert not mail.outbox


def test_a_search_takes_any_words(client):
    response = client.get("/organisations/", {"q": "<b>Northvale"})
    assert response.status_code == 200
    assert "Remove the HTML tags" not in response.content.decode()
