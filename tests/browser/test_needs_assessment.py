"""A commissioner opens the demo's older people's needs assessment, reads real population and
projected dementia in English and Welsh, downloads a table and publishes; the public then reads
it without signing in. axe runs on every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
TITLE = "Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"


def test_commissioner_reads_downloads_and_publishes_a_needs_assessment(site, demo):
    dashboard = SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = dashboard.page
    site.follow(lambda: page.get_by_role("link", name="Needs assessments").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs assessments")
    site.follow(lambda: page.get_by_role("link", name=TITLE).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    cases = page.locator("#projected_cases")
    years = cases.locator("tbody th[scope=row]").all_inner_texts()
    assert years == [str(year) for year in range(2014, 2028)]
    first, last = (
        int(cases.locator("tbody tr").nth(i).locator("td").nth(1).inner_text().replace(",", ""))
        for i in (0, 13)
    )
    assert last > first > 0  # the population ages: more people with dementia each year
    expect(page.locator("#population_profile caption")).to_contain_text("2014")
    expect(page.get_by_text("The Lancet, 2013").first).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^CSV.*Projected cases")).click()
    assert download_info.value.suggested_filename.endswith("-v1-projected_cases.csv")

    site.follow(lambda: page.get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("#projected_cases tbody th[scope=row]").all_inner_texts() == years
    site.follow(lambda: page.get_by_role("link", name="English").click())

    site.follow(lambda: page.get_by_role("button", name="Publish").click())
    expect(page.get_by_role("alert")).to_contain_text("anyone can now read it")
    url = page.url
    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    site.visit(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)


def test_drafts_stay_private_and_the_form_reports_problems(site, demo):
    from commissioning.needs.models import NeedsAssessment

    draft = NeedsAssessment.objects.get(title=TITLE)
    site.visit(f"/needs-assessments/{draft.pk}/", status=404)
    dashboard = SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = dashboard.page
    site.visit("/needs-assessments/new/")
    site.follow(lambda: page.get_by_role("button", name="Save draft").click())
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Choose at least one area")
    page.get_by_role("link", name="Enter a title").click()
    expect(page.get_by_label("Title")).to_be_focused()
