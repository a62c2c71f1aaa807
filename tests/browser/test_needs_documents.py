"""A needs assessment read for one area and year, and downloaded as Word and PDF, in English and
Welsh; a market position statement resting on the draft assessment asks before publishing it
too. axe runs on every page on the way."""

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.pages import SignInPage

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
TITLE = "Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"


def _assessment():
    from commissioning.needs.models import NeedsAssessment

    return NeedsAssessment.objects.get(title=TITLE)


def test_an_assessment_for_one_area_and_year_downloads_as_word_and_pdf(site, demo):
    page = SignInPage.open(site).sign_in_as(COMMISSIONER, demo).page
    assessment = _assessment()
    site.visit(f"/needs-assessments/{assessment.pk}/")
    expect(page.get_by_text("Showing all areas of the assessment together.")).to_be_visible()
    expect(page.locator("#population_profile caption")).to_contain_text("2014")

    page.get_by_label("Area", exact=True).select_option(label="Darlington")
    page.get_by_label("Year of the population pyramid").select_option("2020")
    site.follow(lambda: page.get_by_role("button", name="Show").click())
    expect(page.get_by_text("Showing Darlington.")).to_be_visible()
    expect(page.locator("#population_profile caption")).to_contain_text("2020, Darlington")
    expect(page.locator("#projected_cases caption")).to_contain_text("Darlington")
    expect(page.get_by_label("Area", exact=True)).to_have_value("E06000005")

    with page.expect_download() as word:
        page.get_by_role("link", name="Word (DOCX)").click()
    assert word.value.suggested_filename.endswith("-v1-E06000005.docx")
    document = Document(str(word.value.path()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert document.paragraphs[0].text == TITLE and "Projected cases" in headings
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF", exact=True).click()
    text = "".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "2020, Darlington" in text and "Expected cases" in text

    site.follow(lambda: page.get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator("#id_area")).to_have_value("E06000005")
    expect(page.locator("#population_profile caption")).to_contain_text("2020")
    with page.expect_download() as welsh:
        page.locator("a[href*='assessment.pdf']").click()
    assert PdfReader(welsh.value.path()).trailer["/Root"]["/Lang"] == "cy"
    site.follow(lambda: page.get_by_role("link", name="English").click())


def test_publishing_a_statement_on_the_draft_asks_to_publish_the_assessment_too(site, demo):
    from commissioning.core.models import Person
    from commissioning.market import services
    from commissioning.market.models import ServiceType

    commissioner = Person.objects.get(email=COMMISSIONER)
    assessment = _assessment()
    analysis = services.create_analysis(
        actor=commissioner,
        title="Nursing care market, 2026",
        organisation=assessment.organisation,
        needs_assessment=assessment,
        service_types=[ServiceType.objects.get(slug="care_home_nursing")],
        year=2026,
        age_from=65,
        threshold_explanation="Within a tenth of the average is balanced.",
        summary="We want more nursing care for people with dementia.",
    )
    page = SignInPage.open(site).sign_in_as(COMMISSIONER, demo).page
    site.visit(f"/market/analyses/{analysis.pk}/")
    site.follow(
        lambda: page.get_by_role("button", name="Publish as the market position statement").click()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish the market position statement"
    )
    expect(page.get_by_text("which is still a draft")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Cymraeg").click())
    assert page.locator("html").get_attribute("lang") == "cy"
    site.follow(lambda: page.get_by_role("link", name="English").click())
    site.follow(
        lambda: page.get_by_role(
            "button", name="Publish the statement and the needs assessment"
        ).click()
    )
    expect(page.get_by_text("The market position statement is published.")).to_be_visible()
    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    site.visit(f"/market/analyses/{analysis.pk}/")
    site.follow(lambda: page.get_by_role("link", name=TITLE).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
