"""The API's documentation is a page of the site: in its layout, in English and in Welsh, and
clean under axe-core like every other page (the `site` fixture audits each page reached)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import ServicePage

pytestmark = pytest.mark.browser


class ApiDocsPage(ServicePage):
    path = "/api/v1/docs"


def test_the_api_documentation_passes_axe_in_english_and_welsh(site, reference_data):
    docs = ApiDocsPage.open(site)
    expect(docs.heading).to_have_text("API documentation")
    assert docs.html_lang == "en-GB"
    for operation in ("GET /api/v1/plans", "GET /api/v1/consultations/{consultation_id}/results"):
        expect(docs.main.get_by_role("heading", name=operation, exact=True)).to_be_visible()
    expect(docs.main.get_by_role("link", name="openapi.json")).to_have_attribute(
        "href", "/api/v1/openapi.json"
    )
    # Every interactive thing on the page is a plain link: nothing nested, nothing tiny.
    assert docs.main.locator("button, [role=button], input, select, textarea").count() == 0

    welsh = docs.switch_language("Cymraeg", then=ApiDocsPage)
    assert welsh.html_lang == "cy"
    expect(welsh.main.get_by_role("heading", name="GET /api/v1/plans", exact=True)).to_be_visible()
    # The API's own words are in English, and say so to a screen reader on the Welsh page.
    assert welsh.main.locator("[lang=en]").count() > 10
