"""A commissioner's journey: sign in, read the dashboard in English and in Welsh, sign out; and
what a person sees when signing in goes wrong."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.pages import DashboardPage, SignInPage, StartPage

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
STAGES_EN = ["Analyse", "Plan", "Secure services", "Review"]
# The stages' Welsh names are data (reference_data), not the message catalogue.
STAGES_CY = ["Dadansoddi", "Cynllunio", "Sicrhau gwasanaethau", "Adolygu"]


def welsh(message: str) -> str:
    """The Welsh catalogue's translation of a message, or the message itself while it has
    none: the catalogue is translated separately, so the test follows whatever it holds."""
    with translation.override("cy"):
        return translation.gettext(message)


def test_commissioner_signs_in_reads_the_dashboard_in_welsh_and_signs_out(site, demo):
    start = StartPage.open(site)
    expect(start.heading).to_have_text("Commission health and social care together")
    assert start.stage_names() == STAGES_EN

    sign_in = start.start()
    expect(sign_in.heading).to_have_text("Sign in")
    dashboard = sign_in.sign_in_as(COMMISSIONER, demo)

    expect(dashboard.heading).to_contain_text("Dashboard")
    expect(dashboard.heading).to_contain_text("Alys Morgan")
    assert dashboard.html_lang == "en-GB"
    assert dashboard.organisations_and_roles() == {
        "Northvale Council (demonstration)": "Commissioner",
        "Northvale and Tees Health Board (demonstration)": "Commissioner",
    }
    expect(
        dashboard.partnership_link("Northvale Joint Commissioning Partnership (demonstration)")
    ).to_be_visible()
    assert dashboard.stage_names() == STAGES_EN
    expect(dashboard.sign_out_button).to_be_visible()

    welsh_dashboard = dashboard.switch_language("Cymraeg", then=DashboardPage)
    expect(site.page).to_have_url(re.compile(r"/dashboard/$"))
    expect(site.page.locator("html")).to_have_attribute("lang", "cy")
    expect(welsh_dashboard.current_language).to_have_text("Cymraeg")
    expect(welsh_dashboard.language_link("English")).to_be_visible()
    expect(welsh_dashboard.heading).to_contain_text(welsh("Dashboard"))
    assert welsh_dashboard.stage_names() == STAGES_CY
    assert list(welsh_dashboard.organisations_and_roles()) == [
        "Northvale Council (demonstration)",
        "Northvale and Tees Health Board (demonstration)",
    ]

    dashboard = welsh_dashboard.switch_language("English", then=DashboardPage)
    expect(site.page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(dashboard.current_language).to_have_text("English")
    expect(dashboard.heading).to_contain_text("Dashboard")
    assert dashboard.stage_names() == STAGES_EN

    start = dashboard.sign_out()
    expect(site.page).to_have_url(re.compile(r"/$"))
    expect(start.heading).to_have_text("Commission health and social care together")
    expect(start.sign_out_button).to_have_count(0)
    expect(start.sign_in_link).to_be_visible()

    # Signed out for real: the dashboard now asks for a sign-in.
    site.visit(DashboardPage.path)
    expect(site.page).to_have_url(re.compile(r"/sign-in/\?next=/dashboard/$"))
    expect(SignInPage(site).heading).to_have_text("Sign in")


def test_wrong_password_is_explained_in_an_error_summary_linked_to_the_email_field(site, demo):
    sign_in = SignInPage.open(site)
    response = sign_in.sign_in_with(COMMISSIONER, "not-the-right-password")

    assert response.status < 500, f"a wrong password answered {response.status}"
    expect(site.page).to_have_url(re.compile(r"/sign-in/$"))
    expect(site.page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(sign_in.error_summary).to_be_visible()
    message = "The email address or password is not right. Check them and try again."
    assert sign_in.error_summary_links() == {message: "#id_username"}
    # GOV.UK Frontend moves focus to the summary so that screen readers announce it.
    expect(site.page.locator(".govuk-error-summary")).to_be_focused()

    # What was typed stays, except the password; and the person is still signed out.
    expect(sign_in.email).to_have_value(COMMISSIONER)
    expect(sign_in.password).to_have_value("")
    expect(sign_in.sign_in_link).to_be_visible()

    sign_in.error_summary.get_by_role("link", name=message).click()
    expect(sign_in.email).to_be_focused()


def test_empty_sign_in_form_asks_for_the_email_address_and_the_password(site, reference_data):
    sign_in = SignInPage.open(site)
    response = sign_in.sign_in_with("", "")

    assert response.status < 500, f"an empty form answered {response.status}"
    expect(site.page).to_have_title(re.compile(r"^Error: "))
    assert sign_in.error_summary_links() == {
        "Enter your email address": "#id_username",
        "Enter your password": "#id_password",
    }
    # Each field says what is wrong with it, to sighted people and to screen readers.
    expect(sign_in.email).to_have_accessible_description("Error: Enter your email address")
    expect(sign_in.password).to_have_accessible_description("Error: Enter your password")

    sign_in.error_summary.get_by_role("link", name="Enter your password").click()
    expect(sign_in.password).to_be_focused()
