"""The provider market in the browser, axe-core auditing every page.

A commissioner reads the demo's market position statement: the map, supply against need with
its flags, the sector mix, in English and Welsh. A small charity signs up, adds its befriending
service, is approved, applies for accreditation with its evidence, is approved by an assessor
and appears on the public register of approved providers."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
STATEMENT = "Older people's care and support market, 2026 (demonstration)"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_commissioner_reads_the_market_against_need(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Market analyses").first.click())
    site.follow(lambda: page.get_by_role("link", name=STATEMENT).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(STATEMENT)
    expect(page.get_by_text("Market position statement").first).to_be_visible()

    supply = page.locator("#supply_against_need")
    flags = supply.locator("tbody tr td:last-child").all_inner_texts()
    assert "Under-supplied" in flags and "Over-supplied" in flags
    assert set(supply.locator("tbody th[scope=row]").all_inner_texts()) == {
        "County Durham",
        "Darlington",
        "Hartlepool",
    }
    the_map = page.locator("#map-chart")
    expect(the_map.get_by_role("img").first).to_be_visible()
    expect(the_map.locator("figcaption")).to_contain_text("services with an address are shown")
    expect(page.locator("#sector_mix")).to_contain_text("Third sector")
    expect(page.locator("#concentration")).to_contain_text("concentrated")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")

    site.follow(lambda: page.get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("#supply_against_need tbody tr").first).to_be_visible()


def test_a_charity_signs_up_is_approved_and_accredited(site, demo, browser, live_server):
    from commissioning.core.models import Organisation, Person
    from commissioning.market import services

    council = Organisation.objects.get(name="Northvale Council (demonstration)")
    commissioner = Person.objects.get(email=COMMISSIONER)
    scheme = services.create_scheme(
        actor=commissioner,
        owner=council,
        name="Northvale Community Mark",
        criteria=[
            ("safeguarding", "Safeguarding", "Your safeguarding policy and named lead."),
            ("insurance", "Insurance", "Your public liability certificate."),
        ],
    )

    page = site.page
    site.visit("/market/providers/")
    site.follow(lambda: page.get_by_role("link", name="Add your organisation").click())
    page.get_by_label("Organisation name").fill("Hartside Befriending")
    page.get_by_label("Registered charity (trust or association)").check()
    page.get_by_label("Organisation identifier").fill("GB-CHC-1187001")
    page.get_by_label("Micro: under £10,000 a year").check()
    page.get_by_label("What your organisation does").fill("Weekly visits to older people.")
    page.get_by_label("Your full name").fill("Megan Price")
    page.get_by_label("Your email address").fill("megan@hartside.example")
    page.get_by_label("Choose a password").fill("a long enough password 2026")
    site.follow(lambda: page.get_by_role("button", name="Sign up").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    # The link in the email confirms the address and signs the new administrator in.
    from django.core import mail

    [confirmation] = [m for m in mail.outbox if m.to == ["megan@hartside.example"]]
    link = re.search(r"/sign-up/confirm/\S+/\S+/", confirmation.body).group(0)
    site.visit(link)
    site.follow(lambda: page.get_by_role("button", name="Confirm and sign in").click())
    from commissioning.market.models import Provider

    site.visit(f"/market/providers/{Provider.objects.get(name='Hartside Befriending').pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hartside Befriending")
    expect(page.get_by_text("Waiting for approval")).to_be_visible()

    site.follow(lambda: page.get_by_role("link", name="Add a service").click())
    page.get_by_label("Type of service").select_option(label="Befriending (people supported)")
    page.get_by_label("Name of the service").fill("Hartside home visits")
    page.get_by_label("Local authorities it serves").select_option(label="Hartlepool (E06000001)")
    page.get_by_label("Capacity", exact=True).fill("40")
    page.get_by_label("Welsh").check()
    site.follow(lambda: page.get_by_role("button", name="Save the service").click())
    expect(page.get_by_role("row", name=re.compile("Hartside home visits"))).to_contain_text(
        "Befriending"
    )
    provider_url = page.url

    # The commissioner, in their own browser, approves the sign-up.
    from tests.browser.conftest import new_profile
    from tests.browser.pages import Site

    other = new_profile(browser, live_server.url)
    try:
        assessor = Site(other.new_page())
        SignInPage.open(assessor).sign_in_as(COMMISSIONER, demo)
        assessor.visit("/market/approvals/")
        assessor.follow(
            lambda: assessor.page.get_by_role("link", name=re.compile("Decide.*Hartside")).click()
        )
        assessor.page.get_by_label("Approve: put it on the register").check()
        assessor.follow(
            lambda: assessor.page.get_by_role("button", name="Record the decision").click()
        )
        expect(assessor.page.get_by_role("heading", level=1)).to_have_text(
            "Sign-ups waiting for approval"
        )

        site.visit(f"/market/accreditation/schemes/{scheme.pk}/")
        site.follow(
            lambda: page.get_by_role("button", name="Apply for Hartside Befriending").click()
        )
        for criterion in ("Safeguarding", "Insurance"):
            page.get_by_label("Criterion this evidence is for").select_option(label=criterion)
            page.get_by_label("File").set_input_files(
                {"name": f"{criterion}.pdf", "mimeType": "application/pdf", "buffer": PDF}
            )
            site.follow(lambda: page.get_by_role("button", name="Upload").click())
        site.follow(lambda: page.get_by_role("button", name="Submit for assessment").click())
        expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
        application_url = page.url

        assessor.visit(application_url.removeprefix(live_server.url))
        for criterion in ("Safeguarding", "Insurance"):
            form = assessor.page.locator("form").filter(has_text=f"Is “{criterion}” met?")
            form.get_by_label("Met", exact=True).check()
            assessor.follow(lambda form=form: form.get_by_role("button").click())
        assessor.page.get_by_label("Approve and accredit").check()
        assessor.follow(
            lambda: assessor.page.get_by_role("button", name="Record the decision").click()
        )
        expect(assessor.page.get_by_text("Approved", exact=True)).to_be_visible()
        assert not assessor.unaudited_pages()
    finally:
        other.close()

    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    site.visit("/market/register/")
    expect(page.locator("table").first).to_contain_text("Hartside Befriending")
    site.visit(provider_url.removeprefix(live_server.url))
    expect(page.get_by_text("Northvale Community Mark")).to_be_visible()
