"""The Content-Security-Policy, in a browser that enforces it as people's browsers do (every
browser test's does: axe-core is added through DevTools, beyond the policy's reach)."""

import pytest
from playwright.sync_api import ConsoleMessage, expect

from tests.browser.pages import (
    AccessibilityStatementPage,
    NotFoundPage,
    OrganisationListPage,
    SignInPage,
    StartPage,
)

pytestmark = pytest.mark.browser


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def test_every_page_is_served_with_a_strict_policy(site, reference_data):
    nonces: list[str] = []
    for page_object in (StartPage, SignInPage, AccessibilityStatementPage, NotFoundPage):
        response = site.visit(page_object.path, status=page_object.status)
        policy = directives(response.headers.get("content-security-policy", ""))

        assert policy.get("default-src") == ["'self'"], page_object.path
        assert "'unsafe-inline'" not in policy.get("script-src", []), page_object.path
        assert "'unsafe-eval'" not in policy.get("script-src", []), page_object.path
        assert policy.get("object-src") == ["'none'"], page_object.path
        assert policy.get("frame-ancestors") == ["'none'"], page_object.path

        # The one inline script is allowed by a nonce, the same in the page and the header.
        inline_nonce = site.page.evaluate(
            "() => document.querySelector('script:not([src])')?.nonce ?? ''"
        )
        assert inline_nonce, f"the inline script on {page_object.path} has no nonce"
        assert f"'nonce-{inline_nonce}'" in policy.get("script-src", []), page_object.path
        nonces.append(inline_nonce)

    assert len(set(nonces)) == len(nonces), f"a nonce was used twice: {nonces}"


def test_pages_run_their_scripts_without_a_policy_violation(site, demo):
    console_errors: list[str] = []
    uncaught: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(f"{site.page.url}: {message.text}")

    site.page.on("console", on_console)
    site.page.on("pageerror", lambda error: uncaught.append(str(error)))

    script_ran_on = {}
    start = StartPage.open(site)
    script_ran_on["/"] = start.page.evaluate("document.body.className")
    sign_in = start.start()
    sign_in.sign_in_with("", "")
    # Under the real policy, GOV.UK Frontend starts and moves focus to the error summary.
    expect(sign_in.page.locator(".govuk-error-summary")).to_be_focused()
    script_ran_on["/sign-in/ (errors)"] = sign_in.page.evaluate("document.body.className")
    dashboard = sign_in.sign_in_as("commissioner@northvale.example", demo)
    script_ran_on["/dashboard/"] = dashboard.page.evaluate("document.body.className")
    organisations = dashboard.navigate_to("Organisations", then=OrganisationListPage)
    expect(organisations.heading).to_have_text("Organisations")
    script_ran_on["/organisations/"] = organisations.page.evaluate("document.body.className")

    csp_errors = [e for e in console_errors if "Content Security Policy" in e]
    assert not csp_errors, "\n".join(csp_errors)
    # The nonce'd inline script ran, so GOV.UK Frontend knows it is supported and starts.
    not_started = {
        path: classes
        for path, classes in script_ran_on.items()
        if not {"js-enabled", "govuk-frontend-supported"} <= set(classes.split())
    }
    assert not not_started, f"the inline script did not run on {not_started}"
    assert not uncaught, uncaught
