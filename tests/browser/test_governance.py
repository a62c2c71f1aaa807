"""Governance that holds, in the browser, in English and in Welsh, axe-core auditing every page:
the demo's older people's plan waits for its open consultation unless the lead commissioner says
why it goes ahead; the councillor reads what the carers' plan rests on (its affordability, its
audit trail, the engagement and the register of interests) and refers it back with comments,
which the commissioner answers; and the plan page flags that its intentions cost more than its
resources (£64.11m against £63.6m)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
COUNCILLOR = "councillor@northvale.example"
CARERS_PLAN = "Carers count: support for unpaid carers 2026 to 2029"
OLDER_PEOPLE = "Living well in later life: older people's commissioning plan 2026 to 2030"
BREAKS = "Carers' breaks: what works for you"
LANGUAGES = {"English": "en", "Cymraeg": "cy"}


def _in(site, page, language: str) -> None:
    """Read in `language`: one of the demo's people prefers Welsh and their pages open in it."""
    link = page.get_by_role("banner").get_by_role("link", name=language)
    if link.count():
        site.follow(lambda: link.click())
    assert (page.locator("html").get_attribute("lang") or "").startswith(LANGUAGES[language])


def _sign_out(site, page) -> None:
    site.follow(lambda: page.get_by_role("button", name=re.compile("Sign out|Allgofnodi")).click())
    page.context.clear_cookies()


def _open_plan(site, page, title: str) -> str:
    """From the plans list to the plan's page; its path."""
    site.visit("/plans/")
    site.follow(lambda: page.get_by_role("link", name=title).first.click())
    return page.url


def _governance(site, page) -> None:
    site.follow(lambda: page.locator("a[href$='/governance/']").first.click())


def _move(site, page, to_status: str, reason: str, why: str = "") -> None:
    form = page.locator("form[action$='/move/']")
    form.locator(f"input[name=to_status][value={to_status}]").check()
    form.locator("textarea[name=reason]").fill(reason)
    if why:
        form.locator("textarea[name=why_set_aside]").fill(why)
    site.follow(lambda: form.locator("button[type=submit]").click())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plan_waits_for_its_open_consultation_unless_the_lead_says_why(site, demo, language):
    page = SignInPage.open(site).sign_in_as(COMMISSIONER, demo).page
    _in(site, page, language)
    _open_plan(site, page, OLDER_PEOPLE)
    _governance(site, page)
    main = page.locator("main")
    # The page says what holds the plan back before anyone tries.
    expect(main.locator(".govuk-warning-text").first).to_be_visible()
    expect(main.get_by_role("link", name=re.compile(re.escape(BREAKS))).first).to_be_visible()
    _move(site, page, "approval", "Agreed by the board.")
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(BREAKS)
    expect(page.locator("main .govuk-tag").first).not_to_contain_text(
        re.compile("Awaiting approval|Yn aros am gymeradwyaeth")
    )
    why = "The cabinet meets before the consultation closes; its results go to the cabinet."
    _move(site, page, "approval", "Agreed by the board.", why)
    expect(page.locator("#set-aside")).to_be_visible()
    expect(main).to_contain_text(why)
    _sign_out(site, page)

    # The councillor reads why, beside what held it back, where they sign it off.
    page = SignInPage.open(site).sign_in_as(COUNCILLOR, demo).page
    _in(site, page, language)
    _open_plan(site, page, OLDER_PEOPLE)
    _governance(site, page)
    site.follow(lambda: page.locator("a[href$='/sign-off/']").first.click())
    expect(page.locator("main")).to_contain_text(why)
    expect(page.locator("main")).to_contain_text(BREAKS)
    assert not site.unaudited_pages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_councillor_reads_what_they_sign_and_refers_it_back(site, demo, language):
    page = SignInPage.open(site).sign_in_as(COUNCILLOR, demo).page
    _in(site, page, language)
    # From the dashboard's item to the sign-off page.
    site.follow(lambda: page.get_by_role("link", name=re.compile(re.escape(CARERS_PLAN))).click())
    site.follow(lambda: page.locator("a[href$='/sign-off/']").first.click())
    main = page.locator("main")
    # Affordability: the carers' plan's intention plans £100,000 in 2027/28 and no resources.
    expect(main.locator("table#affordability")).to_be_visible()
    expect(main.locator(".govuk-warning-text")).to_contain_text("2027/28")
    expect(main.locator(".govuk-warning-text")).to_contain_text("£100,000")
    # Everything the plan rests on opens for them.
    sign_off_url = page.url
    for target in ("/audit/", "/engagement/", "/interests/"):
        opened = site.follow(
            lambda target=target: page.locator(f"#main-content a[href$='{target}']").first.click()
        )
        assert opened.status == 200, target
        site.visit(sign_off_url)
    site.follow(lambda: page.locator("a[href$='/audit/']").first.click())
    expect(page.locator("main table")).to_contain_text("plan.moved")
    site.visit(sign_off_url)
    # They refer it back with comments.
    comments = "Say how carers in Hartlepool will hear of the breaks."
    form = page.locator("form[action$='/refer-back/']")
    form.locator("textarea[name=comments]").fill(comments)
    site.follow(lambda: form.locator("button[type=submit]").click())
    expect(page.locator("#referrals")).to_be_visible()
    expect(page.locator("main")).to_contain_text(comments)

    # The results of the older people's plan's consultation, before "you said, we did".
    _open_plan(site, page, OLDER_PEOPLE)
    _governance(site, page)
    results = site.follow(lambda: page.locator("a[href*='/results/']").first.click())
    assert results.status == 200  # refused (403) before: counts were the commissioners' alone
    _sign_out(site, page)

    # The commissioner finds the comments waiting, and answers them.
    page = SignInPage.open(site).sign_in_as(COMMISSIONER, demo).page
    _in(site, page, language)
    site.follow(lambda: page.locator("a[href$='/governance/#referrals']").first.click())
    expect(page.locator("main")).to_contain_text(comments)
    answer = "GP practices and the carers' centre will tell carers of every break."
    form = page.locator("form[action*='/referrals/']")
    form.locator("textarea[name=answer]").fill(answer)
    site.follow(lambda: form.locator("button[type=submit]").click())
    expect(page.locator("main")).to_contain_text(answer)
    expect(page.locator("a[href$='/governance/#referrals']")).to_have_count(0)
    assert not site.unaudited_pages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plan_page_flags_spend_beyond_its_resources(site, demo, language):
    page = SignInPage.open(site).sign_in_as(COMMISSIONER, demo).page
    _in(site, page, language)
    _open_plan(site, page, OLDER_PEOPLE)
    flag = page.locator("#section-service_review ~ .govuk-warning-text, main .govuk-warning-text")
    text = " ".join(flag.all_inner_texts())
    # £64.11m planned against £63.6m: short in 2028/29 and 2029/30.
    assert "£64,110,000" in text and "£63,600,000" in text, text
    assert "2028/29" in text and "£640,000" in text, text
    assert "2029/30" in text and "£1,240,000" in text, text
    table = page.locator("table#affordability")
    expect(table).to_contain_text("Northvale and Tees Health Board")
    expect(table).to_contain_text("−£1,240,000")  # noqa: RUF001
    assert not site.unaudited_pages()
