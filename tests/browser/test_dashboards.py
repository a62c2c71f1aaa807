"""Each of the demo's people signs in and finds on their dashboard what is waiting for them, in
English and in Welsh; every page is audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser

CARERS_PLAN = "Carers count: support for unpaid carers 2026 to 2029"
BREAKS = "Carers' breaks: what works for you"
BOARD = "Carers' partnership board"
OLDER_PEOPLE = "Living well in later life: older people's commissioning plan 2026 to 2030"

# Who signs in, and the start of each item that waits for them, most urgent first.
QUEUES = {
    "commissioner@northvale.example": [
        f"2 risks on {CARERS_PLAN} are past their review date",
        f"Meeting of {BOARD}",
        f"{BREAKS} closes soon: 0 responses so far",
        "1 application for Northvale Quality Mark (demonstration) to decide",
    ],
    "councillor@northvale.example": [
        f"Have your say on {BREAKS}",
        f"Sign off {CARERS_PLAN}",
    ],
    "evaluator@northvale.example": [f"Meeting of {BOARD}", f"Have your say on {BREAKS}"],
    "procurement@northvale.example": [
        f"Have your say on {BREAKS}",
        f"1 intention of {OLDER_PEOPLE} will be procured once the plan is published",
    ],
    "provider@carers-centre.example": [f"Meeting of {BOARD}", f"Have your say on {BREAKS}"],
}

WELSH = {
    "councillor@northvale.example": f"Cymeradwyo {CARERS_PLAN}",
    "provider@carers-centre.example": f"Dweud eich dweud ar {BREAKS}",
}


def _sign_out(site, page) -> None:
    site.follow(lambda: page.get_by_role("button", name=re.compile("Sign out|Allgofnodi")).click())
    page.context.clear_cookies()  # the next person starts from the English sign-in page


def _switch_to(site, page, language: str) -> None:
    """Unless the page is in it already: one of the demo's people reads in Welsh, and their
    pages open in it."""
    link = page.get_by_role("banner").get_by_role("link", name=language)
    if link.count():
        site.follow(lambda: link.click())


def _queue(page) -> list[str]:
    waiting = page.get_by_role("list", name=re.compile("Waiting for you|Yn aros amdanoch"))
    return [link.inner_text().strip() for link in waiting.get_by_role("link").all()]


def test_each_role_finds_what_waits_for_them(site, demo):
    for email, expected in QUEUES.items():
        dashboard = SignInPage.open(site).sign_in_as(email, demo)
        _switch_to(site, dashboard.page, "English")
        assert _queue(dashboard.page) == expected, email
        _sign_out(site, dashboard.page)
    # The councillor follows their item to the plan's governance page, where they sign it off.
    page = SignInPage.open(site).sign_in_as("councillor@northvale.example", demo).page
    _switch_to(site, page, "English")
    site.follow(lambda: page.get_by_role("link", name=f"Sign off {CARERS_PLAN}").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Stages, sign-off and versions")
    expect(page).to_have_title(re.compile(re.escape(CARERS_PLAN)))
    expect(page.get_by_role("link", name="Sign off the plan")).to_be_visible()


def test_the_queues_read_in_welsh(site, demo):
    for email, item in WELSH.items():
        page = SignInPage.open(site).sign_in_as(email, demo).page
        _switch_to(site, page, "Cymraeg")
        expect(page.get_by_role("heading", name="Yn aros amdanoch")).to_be_visible()
        assert item in _queue(page), email
        _sign_out(site, page)


def test_someone_with_nothing_waiting_sees_what_they_can_start(site, demo):
    dashboard = SignInPage.open(site).sign_in_as("commissioner@westmarch.example", demo)
    main = dashboard.page.get_by_role("main")
    expect(main).to_contain_text("Nothing is waiting for you.")
    expect(main.get_by_role("link", name="Start a commissioning plan")).to_be_visible()
