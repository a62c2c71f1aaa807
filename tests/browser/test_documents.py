"""The documents people download, in the browser, axe-core auditing every page: the demo plan
and the demo market position statement as Word and PDF, in English and then in Welsh. Each is on
A4; supply against need, thirteen columns, is whole on a landscape page with its verdict; every
column header is there to read; figures are written as on the page; a table's title and caption
are apart."""

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.pages import SignInPage
from tests.documents import check_pdf, check_word

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
STATEMENT = "Older people's care and support market, 2026 (demonstration)"
PLAN = "Living well in later life"


def _download(page, extension: str) -> bytes:
    with page.expect_download() as download:
        page.locator(f"main a[href$='.{extension}']").first.click()
    return Path(download.value.path()).read_bytes()


def _supply_table(language: str):
    from commissioning.market import selectors
    from commissioning.market.models import MarketAnalysis

    with translation.override(language):
        analysis = MarketAnalysis.objects.get(title=STATEMENT)
        return selectors.analysis_results(analysis).tables["supply_against_need"]


def _check_both(page, language: str) -> None:
    supply = _supply_table(language)
    assert len(supply.columns) == 13 and supply.wide
    numbers = ["125,524", "8,153"]
    check_word(_download(page, "docx"), [supply], numbers)
    check_pdf(_download(page, "pdf"), [supply], numbers)


def _in_welsh(site) -> None:
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"


def test_the_market_position_statement_downloads_whole_in_english_and_welsh(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    site.visit("/market/analyses/")
    site.follow(lambda: page.get_by_role("link", name=STATEMENT).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(STATEMENT)
    _check_both(page, "en")
    _in_welsh(site)
    _check_both(page, "cy")
    assert not site.unaudited_pages()


def test_the_plan_downloads_whole_in_english_and_welsh(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    site.visit("/plans/")
    site.follow(lambda: page.get_by_role("link", name=PLAN, exact=False).first.click())
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN)
    _check_both(page, "en")
    _in_welsh(site)
    _check_both(page, "cy")
    assert not site.unaudited_pages()
