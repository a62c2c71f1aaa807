"""An organisation administrator invites a person; the radios and errors are accessible."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser


def test_administrator_invites_a_colleague_to_a_role(site, demo):
    from commissioning.core.models import Organisation

    council = Organisation.objects.get(name="Northvale Council (demonstration)")
    page = SignInPage.open(site).sign_in_as("orgadmin@northvale.example", demo).page
    site.visit(f"/organisations/{council.pk}/members/add/")
    site.follow(lambda: page.get_by_role("button", name="Send invitation").click())
    expect(page.get_by_role("alert")).to_contain_text("Select a role")
    page.get_by_role("link", name="Select a role").click()
    expect(page.get_by_label("Commissioner", exact=True)).to_be_focused()
    page.get_by_label("Full name").fill("Ffion Evans")
    page.get_by_label("Email address").fill("ffion.evans@northvale.example")
    page.get_by_label("Scrutiny (councillor)").check()
    site.follow(lambda: page.get_by_role("button", name="Send invitation").click())
    expect(page.get_by_role("alert")).to_contain_text("We have sent an invitation to that address")
    # She joins only when she accepts.
    expect(page.get_by_role("cell", name="ffion.evans@northvale.example")).to_have_count(0)
