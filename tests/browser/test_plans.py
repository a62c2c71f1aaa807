"""A commissioning plan in the browser, axe-core auditing every page: a commissioner takes a plan
from scoping to published (scope, a section in Markdown, an outcome from a framework with its
indicator, an intention, an options appraisal, a risk and a resource, the stages, a board's
sign-off), and the public reads it without signing in, in English and in Welsh."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
TITLE = "Carers' breaks plan"


def _move(site, page, stage: str, reason: str) -> None:
    site.follow(lambda: page.get_by_role("link", name="Stages, sign-off and versions").click())
    page.get_by_label(stage, exact=True).check()
    page.get_by_label("Reason").fill(reason)
    site.follow(lambda: page.get_by_role("button", name="Move the plan").click())
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        f"The plan is now at the stage: {stage}."
    )


def test_a_commissioner_takes_a_plan_from_scoping_to_published(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Plans", exact=True).first.click())
    site.follow(lambda: page.get_by_role("link", name="Start a commissioning plan").click())
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Lead commissioner").select_option(label="Northvale Council (demonstration)")
    page.get_by_label("Partnership (for a joint plan)").select_option(
        label="Northvale Joint Commissioning Partnership (demonstration)"
    )
    page.get_by_label("Carers", exact=True).check()
    page.get_by_label("Areas").select_option(label="Darlington (E06000005)")
    page.get_by_label("First financial year").select_option(label="2026/27")
    page.get_by_label("Last financial year").select_option(label="2028/29")
    site.follow(lambda: page.get_by_role("button", name="Start the plan").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Scope the plan")
    page.get_by_label("Who are the citizens whose needs the plan is meant to meet?").fill(
        "Unpaid carers in Darlington, young carers included."
    )
    site.follow(lambda: page.get_by_role("button", name="Save the scope").click())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    plan_path = urlparse(page.url).path

    site.follow(
        lambda: page.get_by_role(
            "link", name=re.compile("Write this section.*Introduction")
        ).click()
    )
    page.get_by_label("Text").fill("## Why breaks matter\n\nCarers told us **breaks** come first.")
    site.follow(lambda: page.get_by_role("button", name="Save the section").click())
    expect(
        page.locator("#section-introduction + p + .oc-narrative h2, .oc-narrative h2").first
    ).to_have_text("Why breaks matter")

    site.follow(lambda: page.get_by_role("link", name="Add a strategic outcome").click())
    page.get_by_label("From an outcome framework").select_option(
        label="1 Enhancing quality of life for people with care and support needs"
    )
    site.follow(lambda: page.get_by_role("button", name="Save the outcome").click())
    outcome = page.locator(".govuk-summary-card").filter(has_text="Enhancing quality of life")
    site.follow(lambda: outcome.get_by_role("link", name=re.compile("Add an indicator")).click())
    page.get_by_label("Indicator", exact=True).fill("Carers who had a break in the year")
    page.get_by_label("Outcome measure").check()
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Baseline", exact=True).fill("31")
    page.get_by_label("Baseline year").fill("2025")
    page.get_by_label("Target", exact=True).fill("45")
    page.get_by_label("Target year").fill("2028")
    page.get_by_label("Trajectory").fill("2026 = 35\n2027 = 40")
    page.get_by_label("Data source").fill("Survey of Adult Carers in England")
    site.follow(lambda: page.get_by_role("button", name="Save the indicator").click())
    expect(page.locator("#outcomes ~ .govuk-summary-card").first).to_contain_text(
        "From 31% in 2025"
    )

    site.follow(lambda: page.get_by_role("link", name="Add a commissioning intention").click())
    page.get_by_label("Title").fill("Short breaks for carers")
    page.get_by_label("Develop or procure new").check()
    page.get_by_label("Grant", exact=True).check()
    page.get_by_label("Service type").select_option(label="Respite and short breaks")
    page.get_by_label("Current annual budget (£)").fill("0")
    page.get_by_label("Planned budget 2027/28 (£)").fill("120000")
    page.get_by_label("Rationale").fill("Carers asked for breaks before anything else.")
    page.get_by_label("Enhancing quality of life for people with care and support needs").check()
    site.follow(lambda: page.get_by_role("button", name="Save the intention").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Short breaks for carers")
    site.visit(plan_path)

    site.follow(lambda: page.get_by_role("link", name="Start an options appraisal").click())
    page.get_by_label("Title").fill("Who provides short breaks")
    page.get_by_label("What is being decided").fill("Council-run or grant-funded?")
    page.get_by_label("Options").fill("Council-run\nGrant-funded")
    site.follow(lambda: page.get_by_role("button", name="Start").click())
    page.get_by_label("Agreed by").fill("Joint commissioning board")
    page.get_by_label("Agreed on").fill("2026-06-03")
    site.follow(lambda: page.get_by_role("button", name="Record the agreement").click())
    for option, score in (("Council-run", "5"), ("Grant-funded", "7")):
        site.follow(
            lambda option=option: page.get_by_role(
                "link", name=re.compile(f"Score.*{option}")
            ).click()
        )
        for field in page.get_by_label(re.compile("^Score against")).all():
            field.fill(score)
        for field in page.get_by_label("Why this score").all():
            field.fill("Agreed at the workshop.")
        site.follow(lambda: page.get_by_role("button", name="Save the scores").click())
    expect(page.get_by_text("Preferred option: Grant-funded.")).to_be_visible()
    expect(page.locator("#sensitivity")).to_contain_text("No change to this weight alone")
    site.visit(plan_path)

    site.follow(lambda: page.get_by_role("link", name="Add a risk").click())
    page.get_by_label("Risk", exact=True).fill("Too few breaks providers")
    page.get_by_role("group", name="Likelihood").get_by_label("3").check()
    page.get_by_role("group", name="Impact").get_by_label("4").check()
    page.get_by_label("Owner").fill("Carers' lead")
    page.get_by_label("Mitigation").fill("Grow the market with the carers' centre.")
    page.get_by_label("Review by").fill("2027-03-31")
    site.follow(lambda: page.get_by_role("button", name="Save the risk").click())
    expect(page.locator("table#risks")).to_contain_text("Too few breaks providers")

    site.follow(lambda: page.get_by_role("link", name="Add a resource").click())
    page.get_by_label("Funding stream").fill("Carers grant")
    page.get_by_label("Financial year").select_option(label="2027/28")
    page.get_by_label("Amount (£)").fill("150000")
    site.follow(lambda: page.get_by_role("button", name="Save the resource").click())
    expect(page.locator("#resources_by_stream")).to_contain_text("£150,000")

    for stage in ("Analysis", "Drafting", "Awaiting approval"):
        site.visit(plan_path)
        _move(site, page, stage, f"Ready for {stage.lower()}")
    site.follow(lambda: page.get_by_role("link", name="Sign off the plan").click())
    page.get_by_label("Decision of a board").check()
    page.get_by_label("Board or committee").fill("Northvale Joint Commissioning Board")
    page.get_by_label("Decided on").fill("2026-11-02")
    page.get_by_label("Minute or decision reference").fill("JCB 2026/41")
    site.follow(lambda: page.get_by_role("button", name="Record the sign-off").click())
    page.get_by_label("Published", exact=True).check()
    page.get_by_label("Reason").fill("Approved by the board")
    site.follow(lambda: page.get_by_role("button", name="Move the plan").click())
    expect(page.get_by_text("Stage now:")).to_contain_text("Published")

    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    site.visit(plan_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    main = page.locator("main")
    expect(main).to_contain_text("JCB 2026/41")
    expect(main).to_contain_text("Short breaks for carers")
    expect(main.get_by_role("link", name=re.compile("Write this section"))).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")

    site.follow(lambda: page.get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("#section-introduction")).not_to_have_text("1. Introduction")
    assert not site.unaudited_pages()


def test_the_demo_plan_is_out_to_consultation(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    site.visit("/plans/")
    site.follow(
        lambda: page.get_by_role("link", name=re.compile("Living well in later life")).click()
    )
    expect(page.get_by_text("Consultation", exact=True)).to_be_visible()
    expect(page.locator("#population_profile-chart")).to_be_visible()
    expect(page.locator("#supply-chart")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Who should run day opportunities").click())
    expect(page.get_by_text("Preferred option: Grant-fund community groups.")).to_be_visible()
