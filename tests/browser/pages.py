"""Page objects for the browser tests, and the axe-core audit every page gets.

A test drives a `Site`: a person's browser tab on the service. Every page the tab lands on,
whether by `Site.visit` or by a page object clicking a link or submitting a form, is checked with
axe-core against WCAG 2.0, 2.1 and 2.2 A and AA, and the test fails at the first page with a
violation. The `site` fixture also fails a test that reached a page without auditing it.

Page objects find things the way a person does: by role, accessible name, label and heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Locator, Page, Response, expect

REPO = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """(tags) => axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(r => ({
    version: r.testEngine.version,
    passes: r.passes.length,
    incomplete: r.incomplete.map(v => v.id),
    violations: r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
    })),
}))"""


# --- axe-core -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AxeViolation:
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: list[dict[str, str]]

    def describe(self) -> str:
        lines = [f"  {self.rule} [{self.impact}] {self.help}", f"    {self.help_url}"]
        for node in self.nodes:
            summary = " ".join(node["summary"].split())
            lines.append(f"    - {node['target']}: {summary[:400]}")
        return "\n".join(lines)


@dataclass(frozen=True)
class AxeAudit:
    url: str
    status: int | None
    title: str
    lang: str
    engine: str
    passes: int
    violations: list[AxeViolation]

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def describe(self) -> str:
        head = (
            f"axe-core {self.engine} found {len(self.violations)} WCAG A/AA violation(s) on "
            f"{self.path} (lang={self.lang}, title “{self.title}”):"
        )
        return "\n".join([head, *(v.describe() for v in self.violations)])


# --- the browser tab ------------------------------------------------------------------------


@dataclass
class Site:
    """One person's browser tab on the service. Audits every page it lands on with axe-core."""

    page: Page
    on_audit: Callable[[AxeAudit], None] = field(default=lambda audit: None, repr=False)
    audits: list[AxeAudit] = field(default_factory=list, repr=False)
    landed: list[str] = field(default_factory=list, repr=False)
    _last_status: int | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._record_navigation)
        self.page.on("response", self._record_response)

    def _record_navigation(self, frame: Any) -> None:
        if frame == self.page.main_frame and not frame.url.startswith("about:"):
            self.landed.append(urldefrag(frame.url).url)

    def _record_response(self, response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self._last_status = response.status

    # Navigation ---------------------------------------------------------------------------

    def visit(self, path: str, *, status: int = 200) -> Response:
        """Go to a path as if typed into the address bar, check its status, audit it."""
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path} answered {response.status}, not {status}"
        self.audit()
        return response

    def follow(self, action: Callable[[], None]) -> Response:
        """Do something that loads a new page (click a link, submit a form), then audit it."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        assert response is not None
        self.audit()
        return response

    # Auditing -----------------------------------------------------------------------------

    def audit(self) -> AxeAudit:
        """Run axe-core on the page as it is now; fail with the details of any violation."""
        self.page.wait_for_load_state("load")
        result = self.page.evaluate(_RUN_AXE, WCAG_TAGS)
        found = [
            AxeViolation(v["id"], v["impact"], v["help"], v["helpUrl"], v["nodes"])
            for v in result["violations"]
        ]
        audit = AxeAudit(
            url=urldefrag(self.page.url).url,
            status=self._last_status,
            title=self.page.title(),
            lang=self.page.locator("html").get_attribute("lang") or "",
            engine=result["version"],
            passes=result["passes"],
            violations=found,
        )
        self.audits.append(audit)
        self.on_audit(audit)
        assert not audit.violations, audit.describe()
        return audit

    def unaudited_pages(self) -> list[str]:
        audited = {audit.url for audit in self.audits}
        return [url for url in dict.fromkeys(self.landed) if url not in audited]


# --- page objects ---------------------------------------------------------------------------

P = TypeVar("P", bound="ServicePage")


class ServicePage:
    """What every page of the service has: the header, language and service navigation."""

    path = "/"
    status = 200  # what opening `path` answers

    def __init__(self, site: Site) -> None:
        self.site = site
        self.page = site.page

    @classmethod
    def open(cls: type[P], site: Site) -> P:
        site.visit(cls.path, status=cls.status)
        return cls(site)

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    @property
    def banner(self) -> Locator:
        return self.page.get_by_role("banner")

    @property
    def html_lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    @property
    def current_language(self) -> Locator:
        """The language the language navigation marks as current (not a link)."""
        return self.banner.locator("[aria-current='true']")

    def language_link(self, name: str) -> Locator:
        return self.banner.get_by_role("link", name=name, exact=True)

    def switch_language(self, name: str, then: type[P]) -> P:
        self.site.follow(lambda: self.language_link(name).click())
        return then(self.site)

    @property
    def sign_out_button(self) -> Locator:
        return self.banner.get_by_role("button", name="Sign out")

    @property
    def sign_in_link(self) -> Locator:
        return self.banner.get_by_role("link", name="Sign in", exact=True)

    def navigate_to(self, section: str, then: type[P]) -> P:
        """Follow a link in the service navigation (Dashboard, Organisations, Your account)."""
        link = self.banner.get_by_role("link", name=section, exact=True)
        self.site.follow(lambda: link.click())
        return then(self.site)

    def sign_out(self) -> StartPage:
        self.site.follow(lambda: self.sign_out_button.click())
        return StartPage(self.site)

    def summary_list(self) -> dict[str, str]:
        """A GOV.UK summary list as a person reads it: each key and its value."""
        rows = self.main.locator(".govuk-summary-list__row")
        return {
            " ".join(row.locator("dt").inner_text().split()): " ".join(
                row.locator("dd").inner_text().split()
            )
            for row in rows.all()
        }


class StartPage(ServicePage):
    path = "/"

    @property
    def start_button(self) -> Locator:
        # GOV.UK start buttons are links with role="button".
        return self.main.get_by_role("button", name="Sign in")

    def start(self) -> SignInPage:
        self.site.follow(lambda: self.start_button.click())
        return SignInPage(self.site)

    def stage_names(self) -> list[str]:
        return _stage_names(self.main)


class SignInPage(ServicePage):
    path = "/sign-in/"

    @property
    def email(self) -> Locator:
        return self.main.get_by_label("Email address", exact=True)

    @property
    def password(self) -> Locator:
        return self.main.get_by_label("Password", exact=True)

    @property
    def submit(self) -> Locator:
        return self.main.get_by_role("button", name="Sign in", exact=True)

    def sign_in_with(self, email: str, password: str) -> Response:
        self.email.fill(email)
        self.password.fill(password)
        return self.site.follow(lambda: self.submit.click())

    def sign_in_as(self, email: str, password: str) -> DashboardPage:
        response = self.sign_in_with(email, password)
        assert response.ok, f"signing in answered {response.status}"
        expect(self.page).to_have_url(re.compile(r"/dashboard/$"))
        return DashboardPage(self.site)

    @property
    def error_summary(self) -> Locator:
        return self.main.get_by_role("alert").filter(
            has=self.page.get_by_role("heading", name="There is a problem")
        )

    def error_summary_links(self) -> dict[str, str]:
        """Each error in the summary and the fragment it links to."""
        links = self.error_summary.get_by_role("link")
        return {link.inner_text().strip(): link.get_attribute("href") or "" for link in links.all()}


class DashboardPage(ServicePage):
    path = "/dashboard/"

    def organisations_and_roles(self) -> dict[str, str]:
        return self.summary_list()

    def stage_names(self) -> list[str]:
        return _stage_names(self.main)

    def partnership_link(self, name: str) -> Locator:
        return self.main.get_by_role("link", name=re.compile(rf"^{re.escape(name)}"))

    def open_partnership(self, name: str) -> PartnershipPage:
        self.site.follow(lambda: self.partnership_link(name).click())
        return PartnershipPage(self.site)


class OrganisationListPage(ServicePage):
    path = "/organisations/"

    @property
    def table(self) -> Locator:
        return self.main.get_by_role("table")

    def names(self) -> list[str]:
        return [
            " ".join(text.split())
            for text in self.table.get_by_role("row").locator("td:first-child").all_inner_texts()
        ]

    def search(self, text: str) -> OrganisationListPage:
        self.main.get_by_label("Name or identifier").fill(text)
        self.site.follow(lambda: self.main.get_by_role("button", name="Search").click())
        return self

    def open_organisation(self, name: str) -> OrganisationPage:
        self.site.follow(lambda: self.table.get_by_role("link", name=name, exact=True).click())
        return OrganisationPage(self.site)


class OrganisationPage(ServicePage):
    @property
    def people_and_roles(self) -> Locator:
        return self.main.get_by_role("table", name="People and roles")

    def people(self) -> list[tuple[str, str, str]]:
        """(name, email address, role) for each row of the People and roles table."""
        people = []
        for row in self.people_and_roles.locator("tbody").get_by_role("row").all():
            name, email, role = (
                " ".join(text.split()) for text in row.get_by_role("cell").all_inner_texts()[:3]
            )
            people.append((name, email, role))
        return people


class PartnershipPage(ServicePage):
    def open_lead_commissioner(self) -> OrganisationPage:
        row = self.main.locator(".govuk-summary-list__row").filter(has_text="Lead commissioner")
        self.site.follow(lambda: row.get_by_role("link").click())
        return OrganisationPage(self.site)


class AccountPage(ServicePage):
    path = "/account/"

    def roles(self) -> list[str]:
        return [
            " ".join(text.split())
            for text in self.main.locator(".govuk-summary-list__row")
            .filter(has_text="Roles")
            .get_by_role("listitem")
            .all_inner_texts()
        ]


class PasswordResetPage(ServicePage):
    path = "/password-reset/"

    @property
    def email(self) -> Locator:
        return self.main.get_by_label("Email address", exact=True)

    def send_link(self) -> Response:
        return self.site.follow(
            lambda: self.main.get_by_role("button", name="Send the link").click()
        )

    @property
    def error_summary(self) -> Locator:
        return self.main.get_by_role("alert").filter(
            has=self.page.get_by_role("heading", name="There is a problem")
        )


class AccessibilityStatementPage(ServicePage):
    path = "/accessibility/"


class NotFoundPage(ServicePage):
    path = "/this-page-does-not-exist/"
    status = 404


def _stage_names(main: Locator) -> list[str]:
    """The stages of the commissioning cycle, in order: the headings of the list's items."""
    headings = main.get_by_role("listitem").get_by_role("heading", level=3)
    return [" ".join(text.split()) for text in headings.all_inner_texts()]
