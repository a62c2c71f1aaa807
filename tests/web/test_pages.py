"""The frame every page shares: errors, language, security headers and limits."""

import re

import pytest
from django.test import Client
from django.urls import path

from commissioning.config import urls as root_urls


def test_start_page_is_public_and_names_the_cycle(client, db):
    body = client.get("/").content.decode()
    for stage in ("Analyse", "Plan", "Secure services", "Review"):
        assert stage in body
    assert 'class="govuk-skip-link"' in body
    assert "govuk-phase-banner" in body


@pytest.mark.django_db
def test_dashboard_shows_organisations_roles_and_partnerships(
    client, partnership, person_with_role
):
    person = person_with_role(partnership.lead, "commissioner")
    client.force_login(person)
    body = client.get("/dashboard/").content.decode()
    assert partnership.lead.name in body
    assert "Commissioner" in body
    assert partnership.name in body
    assert "Secure services" in body


@pytest.mark.django_db
def test_not_found_page_uses_the_service_frame(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "govuk-template" in body


@pytest.mark.django_db
def test_another_organisations_partnership_is_not_found_rather_than_forbidden(
    client, partnership, person_with_role, provider
):
    outsider = person_with_role(provider, "provider_user")
    client.force_login(outsider)
    response = client.get(f"/partnerships/{partnership.pk}/")
    assert response.status_code == 404
    assert partnership.terms_of_reference not in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_explains_and_keeps_the_frame(client, commissioning_body, person_with_role):
    client.force_login(person_with_role(commissioning_body, "commissioner"))
    response = client.get(f"/organisations/{commissioning_body.pk}/members/add/")
    assert response.status_code == 403
    assert "You do not have permission to do that" in response.content.decode()


def _boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [*root_urls.urlpatterns, path("boom/", _boom)]
handler500 = root_urls.handler500


@pytest.mark.django_db
@pytest.mark.urls("tests.web.test_pages")
def test_server_error_page_is_in_the_service_frame():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_expired_form_gets_a_plain_explanation(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()


@pytest.mark.django_db
def test_oversized_request_is_refused_with_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/sign-in/", {"username": "a@example.org", "password": "x" * 4096})
    assert response.status_code == 400
    assert "could not understand that request" in response.content.decode()


@pytest.mark.django_db
def test_switching_to_welsh_sets_the_language_and_returns_to_the_page(client):
    response = client.get("/language/cy/?next=/organisations/")
    assert response.status_code == 302 and response["Location"] == "/organisations/"
    body = client.get("/organisations/").content.decode()
    assert '<html lang="cy"' in body
    assert "Sefydliadau" in body  # "Organisations", from the Welsh catalogue
    assert client.get("/language/en/?next=/").status_code == 302
    assert '<html lang="en-GB"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_welsh_preference_is_kept_for_signed_in_people(
    client, commissioning_body, person_with_role
):
    person = person_with_role(commissioning_body, "scrutiny")
    client.force_login(person)
    client.get("/language/cy/?next=/dashboard/")
    person.refresh_from_db()
    assert person.preferred_language == "cy"
    assert "Dadansoddi" in client.get("/dashboard/").content.decode()  # stage name, from data


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/cy/", {"next": target})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_unknown_language_is_ignored(client):
    client.get("/language/fr/?next=/")
    assert '<html lang="en-GB"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_content_security_policy_allows_only_the_nonced_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline_scripts == [f' nonce="{nonce}"']
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_health_check_reports_the_database(client):
    assert client.get("/healthz/").json() == {"status": "ok"}


def test_admin_site_sends_people_to_the_service_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    follow = client.get(response["Location"])
    assert follow["Location"].startswith("/sign-in/?next=")


@pytest.mark.django_db
def test_request_bodies_over_the_limit_are_refused_before_reading(client, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    response = client.generic(
        "POST", "/sign-in/", b"x" * (1024 * 1024 + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "The file is too big" in response.content.decode()


@pytest.mark.django_db
def test_no_page_may_use_inline_styles_the_api_documentation_included(client):
    assert "unsafe-inline" not in client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phase", "banner"), [("alpha", "Alpha"), ("beta", "Beta"), ("live", None)]
)
def test_phase_banner_follows_the_setting(client, settings, phase, banner):
    settings.SERVICE_PHASE = phase
    settings.SERVICE_OWNER = "Example Borough Council"
    body = client.get("/").content.decode()
    assert "Example Borough Council" in body
    if banner:
        assert re.search(rf"govuk-phase-banner__content__tag\">\s*{banner}", body)
    else:
        assert "govuk-phase-banner" not in body
