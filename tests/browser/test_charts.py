"""The needs assessment's charts in a browser that enforces the site's Content-Security-Policy:
the server draws each one as SVG, the page's script redraws it with Vega from the same spec
without eval or inline styles, and each has a summary in words and its table beside it. axe
runs on the page as served and again once the charts are redrawn."""

import re

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, expect

from tests.browser.pages import DashboardPage, ServicePage, SignInPage, Site

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
TITLE = "Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"
TABLES = ["population_profile", "age_group_growth", "projected_cases"]


class AssessmentPage(ServicePage):
    @classmethod
    def from_dashboard(cls, dashboard: DashboardPage) -> "AssessmentPage":
        page = dashboard.page
        dashboard.site.follow(
            lambda: page.get_by_role("link", name="Needs assessments").first.click()
        )
        dashboard.site.follow(lambda: page.get_by_role("link", name=TITLE).click())
        return cls(dashboard.site)

    @property
    def figures(self) -> Locator:
        return self.main.get_by_role("figure")

    @property
    def redrawn(self) -> Locator:
        """Charts the page's script has drawn with Vega (the server's SVG is replaced)."""
        return self.main.locator("figure .oc-chart__live svg.marks")


def test_charts_are_drawn_under_the_strict_policy_with_summaries_and_tables(site: Site, demo):
    console_errors: list[str] = []
    uncaught: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            console_errors.append(message.text)

    site.page.on("console", on_console)
    site.page.on("pageerror", lambda error: uncaught.append(str(error)))

    assessment = AssessmentPage.from_dashboard(SignInPage.open(site).sign_in_as(COMMISSIONER, demo))
    expect(assessment.heading).to_have_text(TITLE)

    expect(assessment.figures).to_have_count(3)
    expect(assessment.redrawn).to_have_count(3, timeout=15_000)
    site.audit()  # again, now that Vega has drawn the charts

    for figure, key in zip(assessment.figures.all(), TABLES, strict=True):
        svg = figure.locator("svg.marks")
        expect(svg).to_have_count(1)
        assert svg.locator(".role-mark > *").count() > 0, f"the {key} chart has no marks"
        # Named for what it shows; the caption says what the numbers do.
        expect(figure.locator(".oc-chart__live")).to_have_attribute("aria-label", re.compile(r"\w"))
        caption = figure.locator("figcaption")
        expect(caption).to_contain_text("The table below has the figures.")
        assert len(caption.inner_text().split()) > 10, caption.inner_text()
        # The table with the chart's figures comes straight after it.
        following = figure.evaluate(
            "f => { let e = f.nextElementSibling; while (e && e.tagName !== 'TABLE') "
            "e = e.nextElementSibling; return e && e.id; }"
        )
        assert following == key
        # Nothing in a chart takes keyboard focus: the table is the way through the numbers.
        assert figure.locator("a, button, [tabindex]").count() == 0

    figures = assessment.figures
    expect(figures.nth(0).locator("figcaption")).to_contain_text("people lived in these areas")
    expect(figures.nth(1).locator("figcaption")).to_contain_text("“Aged 85 and over” grows fastest")
    expect(figures.nth(2).locator("figcaption")).to_contain_text(
        "Expected cases of Dementia rise from"
    )

    csp_errors = [e for e in console_errors if "Content Security Policy" in e]
    assert not csp_errors, "\n".join(csp_errors)
    assert not uncaught, uncaught
    assert not console_errors, console_errors


def test_without_javascript_the_server_drawn_charts_remain(browser: Browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/sign-in/")
        page.get_by_label("Email address", exact=True).fill(COMMISSIONER)
        page.get_by_label("Password", exact=True).fill(demo)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_role("link", name="Needs assessments").first.click()
        page.get_by_role("link", name=TITLE).click()
        images = page.get_by_role("main").get_by_role("figure").get_by_role("img")
        expect(images).to_have_count(3)
        for image in images.all():
            expect(image).to_have_attribute("aria-label", re.compile(r"\w"))
            assert image.bounding_box()["height"] > 200  # type: ignore[index]
    finally:
        context.close()
