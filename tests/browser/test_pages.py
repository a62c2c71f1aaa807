"""Every kind of page, as the public and as a commissioner sees it. Each page reached is also
audited with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) by the `site` fixture."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import (
    AccessibilityStatementPage,
    AccountPage,
    NotFoundPage,
    OrganisationListPage,
    PasswordResetPage,
    SignInPage,
    StartPage,
)

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
COUNCIL = "Northvale Council (demonstration)"
HEALTH_BOARD = "Northvale and Tees Health Board (demonstration)"
PARTNERSHIP = "Northvale Joint Commissioning Partnership (demonstration)"
CARERS_CENTRE = "Northvale Carers' Centre (demonstration)"
EN_DASH = "\N{EN DASH}"


@pytest.mark.parametrize(
    ("page_object", "heading"),
    [
        pytest.param(StartPage, "Commission health and social care together", id="start"),
        pytest.param(SignInPage, "Sign in", id="sign-in"),
        pytest.param(PasswordResetPage, "Reset your password", id="password-reset"),
        pytest.param(AccessibilityStatementPage, "Accessibility statement", id="accessibility"),
        pytest.param(NotFoundPage, "Page not found", id="not-found"),
    ],
)
def test_public_page_has_its_heading_and_passes_axe(site, reference_data, page_object, heading):
    page = page_object.open(site)  # answers with the page's status, then axe-core runs

    expect(page.heading).to_have_text(heading)
    expect(site.page).to_have_title(f"{heading} {EN_DASH} Open Commissioning")
    expect(page.main).to_be_visible()
    expect(page.sign_in_link).to_be_visible()


def test_anyone_can_find_an_organisation_without_signing_in(site, demo):
    organisations = OrganisationListPage.open(site)
    expect(organisations.heading).to_have_text("Organisations")
    expect(organisations.table.locator("caption")).to_have_text("13 organisations")
    assert {COUNCIL, HEALTH_BOARD, CARERS_CENTRE} <= set(organisations.names())

    organisations.search("Carers")
    assert organisations.names() == [CARERS_CENTRE]

    charity = organisations.open_organisation(CARERS_CENTRE)
    expect(charity.heading).to_contain_text(CARERS_CENTRE)
    summary = charity.summary_list()
    assert summary["Identifier"] == "GB-CHC-1999001"
    assert summary["Sector"] == "Third sector"
    # Who works there is for the organisation's people, not the public.
    expect(charity.people_and_roles).to_have_count(0)


def test_commissioner_pages_pass_axe(site, demo):
    dashboard = SignInPage.open(site).sign_in_as(COMMISSIONER, demo)

    partnership = dashboard.open_partnership(PARTNERSHIP)
    expect(partnership.heading).to_contain_text(PARTNERSHIP)
    summary = partnership.summary_list()
    assert summary["Lead commissioner"] == COUNCIL
    assert summary["Pooled fund"] == "Yes"
    assert "County Durham (E06000047)" in summary["Areas"]

    council = partnership.open_lead_commissioner()
    expect(council.heading).to_contain_text(COUNCIL)
    assert ("Alys Morgan", COMMISSIONER, "Commissioner") in council.people()

    organisations = council.navigate_to("Organisations", then=OrganisationListPage)
    expect(organisations.heading).to_have_text("Organisations")

    account = organisations.navigate_to("Your account", then=AccountPage)
    expect(account.heading).to_have_text("Your account")
    assert account.roles() == [f"Commissioner, {COUNCIL}", f"Commissioner, {HEALTH_BOARD}"]


def test_password_reset_asks_for_an_email_address(site, reference_data):
    reset = PasswordResetPage.open(site)
    response = reset.send_link()

    assert response.status < 500
    expect(reset.error_summary).to_contain_text("Enter your email address")
    expect(reset.email).to_have_accessible_description("Error: Enter your email address")
