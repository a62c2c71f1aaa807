"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live_server, with axe-core auditing every page the tests reach.

Never `playwright install`: the browser is Debian's /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests import snapshots
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


def new_profile(browser: Browser, base_url: str) -> BrowserContext:
    """A fresh browser profile, as people's are: no cookies, no language chosen, and the site's
    Content-Security-Policy enforced."""
    context = browser.new_context(
        base_url=base_url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    # axe-core is in every page before the page's own scripts run: far quicker than adding it
    # after each page loads, and, like DevTools, beyond the reach of the page's policy.
    context.add_init_script(path=str(AXE_SCRIPT))
    return context


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = new_profile(browser, live_server.url)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def site(page: Page, request: pytest.FixtureRequest) -> Iterator[Site]:
    """A browser tab on the live server; every page it lands on is audited with axe-core."""
    site = Site(page, on_audit=request.config.stash[AXE_AUDITS].append)
    yield site
    unaudited = site.unaudited_pages()
    assert not unaudited, f"the test reached pages without an axe-core audit: {unaudited}"


# --- data -------------------------------------------------------------------------------------


@pytest.fixture
def reference_data(live_server) -> None:
    """Areas, client groups and cycle models: live_server tests are transactional, and Django
    empties every table after each one (see `tests.conftest.load_reference_data`)."""
    load_reference_data()


@pytest.fixture(scope="session")
def _kept_demo(tmp_path_factory) -> dict[str, snapshots.Snapshot]:
    """The demo as this test process first loaded it: empty until a test asks for it."""
    return {}


@pytest.fixture
def demo(reference_data, settings, _kept_demo, tmp_path_factory) -> str:
    """The demonstration authority, loaded through the project's own loader by the first test of
    this process that asks for it and put back from its snapshot for every later one. Returns
    the password every demo account has."""
    from commissioning.demo.loader import DEMO_PASSWORD, load_demo

    media_root = Path(settings.MEDIA_ROOT)
    if "demo" in _kept_demo:
        snapshots.restore(_kept_demo["demo"], media_root)
    else:
        load_demo()
        _kept_demo["demo"] = snapshots.take(media_root, tmp_path_factory.mktemp("demo"))
    return DEMO_PASSWORD
