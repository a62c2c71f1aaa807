"""Signing in and out, throttling, and resetting a password."""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD


@pytest.fixture
def commissioner(commissioning_body, person_with_role):
    return person_with_role(commissioning_body, "commissioner", email="alys@council.example")


@pytest.mark.django_db
def test_sign_in_lands_on_the_dashboard(client, commissioner):
    response = client.post(
        "/sign-in/", {"username": "Alys@Council.example", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Commissioner" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alys@council.example", "nobody@council.example"])
def test_wrong_password_and_unknown_person_get_the_same_message(client, commissioner, email):
    response = client.post("/sign-in/", {"username": email, "password": "wrong-password-1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The email address or password is not right" in body
    assert "<title>Error:" in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_empty_form_names_each_missing_field(client):
    body = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "Enter your email address" in body
    assert "Enter your password" in body
    assert 'href="#id_username"' in body and 'href="#id_password"' in body


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out(client, commissioner):
    for _ in range(5):
        client.post("/sign-in/", {"username": commissioner.email, "password": "wrong-one-123"})
    response = client.post("/sign-in/", {"username": commissioner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_needs_a_post(client, commissioner):
    client.force_login(commissioner)
    assert client.get("/sign-out/").status_code == 405
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_password_reset_journey(client, commissioner):
    response = client.post("/password-reset/", {"email": commissioner.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_password_url, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200
    assert "There is a problem" in weak.content.decode()
    done = client.post(
        set_password_url,
        {"new_password1": "A-new-long-passphrase-7", "new_password2": "A-new-long-passphrase-7"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        "/sign-in/", {"username": commissioner.email, "password": "A-new-long-passphrase-7"}
    )
    assert signed_in.status_code == 302
    client.post("/sign-out/")
    again = client.get(link, follow=True)
    assert again.status_code == 400
    assert "This link has expired" in again.content.decode()


@pytest.mark.django_db
def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post("/password-reset/", {"email": "stranger@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_with_a_malformed_address_is_explained(client):
    response = client.post("/password-reset/", {"email": "not an email"})
    assert "Enter an email address in the correct format" in response.content.decode()
