"""The public can read what it is consulted on, axe-core auditing every page: a member of the
public opens the demo's open consultation and downloads its consultation draft, the plan as it
stood when the consultation was published, in English and in Welsh; a commissioner attaches an
Easy Read version, the service first refusing a file that only claims to be a PDF, and the public
then finds it on the consultation's page.

The Welsh pages are driven through the service's own catalogue (`cy`), so the tests follow the
words a Welsh reader sees whatever the state of the translation."""

import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.pages import SignInPage, Site

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
PLAN = "Living well in later life"
CONSULTATION = "Day opportunities and carers' breaks for older people"


def cy(text: str) -> str:
    """The words as the Welsh site shows them (English where the catalogue has none yet)."""
    with translation.override("cy"):
        return gettext(text)


def _pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _open_consultation(site: Site) -> None:
    page = site.page
    site.visit("/consultations/")
    site.follow(lambda: page.get_by_role("link", name=CONSULTATION).first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION)


def _documents(site: Site, *, welsh: bool = False):
    heading = cy("What we are consulting on") if welsh else "What we are consulting on"
    return site.page.get_by_role("heading", name=heading, level=2)


def _download(site: Site, link, tmp_path: Path, name: str) -> tuple[str, Path]:
    with site.page.expect_download() as download:
        link.click()
    saved = tmp_path / name
    download.value.save_as(saved)
    return download.value.suggested_filename, saved


def test_the_public_read_the_consultation_draft_in_english_and_welsh(site, demo, tmp_path):
    page = site.page
    _open_consultation(site)
    # The plan itself is a draft the public cannot open; its consultation draft is on the page.
    page.get_by_role("link", name="Read the consultation draft").click()
    expect(page).to_have_url(re.compile("#documents$"))
    expect(_documents(site)).to_be_visible()
    draft = page.get_by_role("link", name=re.compile(f"^Consultation draft of {PLAN}"))
    expect(draft).to_be_visible()
    entry = page.locator(".oc-attachment").filter(has=draft)
    expect(entry).to_contain_text(re.compile(r"PDF, [\d.]+\s(KB|MB)"))
    expect(entry).to_contain_text("Later changes to the plan are not in it.")
    name, saved = _download(site, draft, tmp_path, "english.pdf")
    assert name.endswith("-en.pdf")
    assert saved.read_bytes().startswith(b"%PDF-")
    assert PLAN in _pdf_text(saved)

    site.follow(lambda: page.get_by_role("banner").get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(_documents(site, welsh=True)).to_be_visible()
    before_plan = cy("Consultation draft of %(plan)s, version %(version)s").split("%(plan)s")[0]
    welsh_draft = page.get_by_role("link", name=re.compile(f"^{re.escape(before_plan + PLAN)}"))
    expect(welsh_draft).to_be_visible()
    name, saved = _download(site, welsh_draft, tmp_path, "welsh.pdf")
    assert name.endswith("-cy.pdf")
    text = _pdf_text(saved)
    assert PLAN in text
    assert cy("Commissioning plan of %(body)s, %(period)s, version %(version)s.")[:12] in text


def _a_pdf(path: Path) -> Path:
    from weasyprint import HTML

    HTML(
        string="<html lang='en'><body><h1>Day opportunities</h1>"
        "<p>We want to hear from you.</p></body></html>"
    ).write_pdf(path)
    return path


def test_a_commissioner_attaches_an_easy_read_pdf_that_the_public_then_read(site, demo, tmp_path):
    page = site.page
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    _open_consultation(site)
    site.follow(
        lambda: page.get_by_role(
            "link", name="Attach a document, such as an Easy Read version"
        ).click()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Attach a document")

    # A text file named as a PDF is refused, saying why; nothing is attached.
    pretend = tmp_path / "easy-read.pdf"
    pretend.write_text("This is not really a PDF.")
    page.get_by_label("Document", exact=True).set_input_files(pretend)
    page.get_by_label("Title in English").fill("Easy Read version of the consultation")
    site.follow(lambda: page.get_by_role("button", name="Attach the document").click())
    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="There is a problem")
    )
    expect(summary).to_contain_text("its contents are not a PDF document")

    page.get_by_label("Document", exact=True).set_input_files(_a_pdf(tmp_path / "hawdd.pdf"))
    page.get_by_label("Title in English").fill("Easy Read version of the consultation")
    page.get_by_label("Title in Welsh (optional)").fill("Fersiwn Hawdd ei Ddarllen")
    page.get_by_role("group", name="Language of the document").get_by_label(
        "English and Welsh"
    ).check()
    page.get_by_label("This is an Easy Read version").check()
    site.follow(lambda: page.get_by_role("button", name="Attach the document").click())
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "The document is attached to the consultation."
    )

    # The public find it on the consultation's page, in English and in Welsh.
    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    _open_consultation(site)
    easy_read = page.get_by_role("link", name="Easy Read version of the consultation")
    entry = page.locator(".oc-attachment").filter(has=easy_read)
    expect(entry).to_contain_text("Easy Read")
    expect(entry).to_contain_text(re.compile(r"PDF, [\d.]+\s(KB|bytes)"))
    name, saved = _download(site, easy_read, tmp_path, "easy-read.pdf")
    assert name == "hawdd.pdf"
    assert "We want to hear from you." in _pdf_text(saved)

    site.follow(lambda: page.get_by_role("banner").get_by_role("link", name="Cymraeg").click())
    expect(page.get_by_role("link", name="Fersiwn Hawdd ei Ddarllen")).to_be_visible()
