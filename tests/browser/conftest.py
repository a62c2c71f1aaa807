"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live_server, with axe-core auditing every page the tests reach.

Never `playwright install`: the browser is Debian's /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.pages import AXE_SCRIPT, Site
from tests.conftest import AXE_AUDITS, load_reference_data

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder drives a browser, whether or not its module says so."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    assert AXE_SCRIPT.is_file(), f"axe-core is missing: run npm ci ({AXE_SCRIPT})"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_context(browser: Browser, base_url: str, *, bypass_csp: bool) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        bypass_csp=bypass_csp,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A fresh browser profile: no cookies, no language chosen. It bypasses the site's
    Content-Security-Policy only so that axe-core can be added as a <script>; the policy
    itself is tested with `strict_context`."""
    context = _new_context(browser, live_server.url, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def strict_context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A browser profile that enforces the site's Content-Security-Policy, as people's do."""
    context = _new_context(browser, live_server.url, bypass_csp=False)
    yield context
    context.close()


def _site(page: Page, request: pytest.FixtureRequest, *, script_tag: bool) -> Iterator[Site]:
    site = Site(
        page,
        inject_axe_as_script_tag=script_tag,
        on_audit=request.config.stash[AXE_AUDITS].append,
    )
    yield site
    unaudited = site.unaudited_pages()
    assert not unaudited, f"the test reached pages without an axe-core audit: {unaudited}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def site(page: Page, request: pytest.FixtureRequest) -> Iterator[Site]:
    """A browser tab on the live server; every page it lands on is audited with axe-core."""
    yield from _site(page, request, script_tag=True)


@pytest.fixture
def strict_site(strict_context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Site]:
    """A tab under the site's own Content-Security-Policy; still audited with axe-core."""
    yield from _site(strict_context.new_page(), request, script_tag=False)


# --- data -------------------------------------------------------------------------------------


@pytest.fixture
def reference_data(live_server) -> None:
    """Areas, client groups and cycle models: live_server tests are transactional, and Django
    empties every table after each one (see `tests.conftest.load_reference_data`)."""
    load_reference_data()


@pytest.fixture
def demo(reference_data) -> str:
    """The demonstration authority, loaded through the project's own loader. Returns the
    password every demo account has."""
    from commissioning.demo.loader import DEMO_PASSWORD, load_demo

    load_demo()
    return DEMO_PASSWORD
