"""Engagement in the browser, axe-core auditing every page: a commissioner builds a
questionnaire (one question of each kind), reorders and publishes it; the public finds a
consultation and answers it, in English and in Welsh, the service refusing an answer with HTML in
it; the commissioner reads the results (charts, tables and written answers); and the plan's
engagement page, a planning group with declared interests, the register of interests and the
email subscriptions are read in both languages.

The Welsh pages are driven through the service's own catalogue (`cy`), so the tests follow the
words a Welsh reader sees whatever the state of the translation."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from tests.browser.pages import SignInPage, Site

pytestmark = pytest.mark.browser

COMMISSIONER = "commissioner@northvale.example"
PLAN = "Living well in later life"
CONSULTATION = "Day opportunities and carers' breaks for older people"
BOARD = "Living well in later life programme board"
NEW_CONSULTATION = "Carers' breaks: what would help"
SCRIPT = "<script>alert('x')</script>"


def cy(text: str) -> str:
    """The words as the Welsh site shows them (English where the catalogue has none yet)."""
    with translation.override("cy"):
        return gettext(text)


def optional(question: str, *, welsh: bool = False) -> str:
    template = "%(question)s (optional)"
    return (cy(template) if welsh else template) % {"question": question}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The rate limit on answers counts in the process's cache, which outlives a test: start
    each test with none counted."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _consultation(title: str):
    from commissioning.engagement.models import Consultation

    return Consultation.objects.get(title=title)


def _responses(title: str) -> int:
    return _consultation(title).responses.count()


def _error_summary(page: Page, *, welsh: bool = False):
    heading = cy("There is a problem") if welsh else "There is a problem"
    return (
        page.get_by_role("main")
        .get_by_role("alert")
        .filter(has=page.get_by_role("heading", name=heading))
    )


def _open_demo_plan(site: Site) -> str:
    page = site.page
    site.visit("/plans/")
    site.follow(lambda: page.get_by_role("link", name=re.compile(PLAN)).first.click())
    return urlparse(page.url).path


def _to_welsh(site: Site) -> None:
    site.follow(lambda: site.page.get_by_role("banner").get_by_role("link", name="Cymraeg").click())
    assert site.page.locator("html").get_attribute("lang") == "cy"


def _to_english(site: Site) -> None:
    site.follow(lambda: site.page.get_by_role("banner").get_by_role("link", name="English").click())
    assert site.page.locator("html").get_attribute("lang") == "en-GB"


def _add_question(site: Site, kind: str, text: str, **fields: str | bool) -> None:
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Add a question").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a question")
    page.get_by_role("group", name="Kind of question").get_by_label(kind, exact=True).check()
    page.get_by_label("Question", exact=True).fill(text)
    if fields.get("help_text"):
        page.get_by_label("Help text (optional)").fill(str(fields["help_text"]))
    if fields.get("required"):
        page.get_by_label("An answer is required").check()
    if fields.get("choices"):
        page.get_by_label("Choices (for single and multiple choice)").fill(str(fields["choices"]))
    if fields.get("lowest"):
        page.get_by_label("What 1 means (for a rating scale)").fill(str(fields["lowest"]))
    if fields.get("highest"):
        page.get_by_label("What 5 means (for a rating scale)").fill(str(fields["highest"]))
    site.follow(lambda: page.get_by_role("button", name="Save the question").click())
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Question saved.")


def _question_headings(page: Page) -> list[str]:
    return [
        " ".join(text.split())
        for text in page.locator("#questions ~ .govuk-summary-card h3").all_inner_texts()
    ]


# --- 1. a commissioner builds and publishes a questionnaire ----------------------------------


def test_a_commissioner_builds_reorders_and_publishes_a_questionnaire(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    _open_demo_plan(site)
    site.follow(lambda: page.get_by_role("link", name="Engagement", exact=True).click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement")
    site.follow(lambda: page.get_by_role("link", name="Start a consultation").click())

    today = timezone.localdate()
    page.get_by_label("Title", exact=True).fill(NEW_CONSULTATION)
    page.get_by_label("What the consultation is about").fill(
        "We want to double the breaks for carers.\n\n"
        "* Tell us what helps.\n* Tell us what does not."
    )
    audiences = page.get_by_role("group", name="Who it is for")
    audiences.get_by_label("The public", exact=True).check()
    audiences.get_by_label("People who use services and carers", exact=True).check()
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Closes on").fill((today + timedelta(weeks=12)).isoformat())
    site.follow(lambda: page.get_by_role("button", name="Create the consultation").click())
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_CONSULTATION)
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Now add its questions.")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    expect(page.get_by_text("No questions yet.")).to_be_visible()

    _add_question(
        site,
        "Free text",
        "What would make a break work for you?",
        help_text="Please do not include anyone's name.",
    )
    _add_question(
        site,
        "Single choice",
        "How often would you like a break?",
        required=True,
        choices="Every week\nEvery month\nA few times a year",
    )
    _add_question(
        site,
        "Multiple choice",
        "Which breaks would you use?",
        choices="A sitting service at home\nA day out\nA short stay away",
    )
    _add_question(
        site,
        "Rating scale (1 to 5)",
        "How easy is it to get a break now?",
        lowest="Very hard",
        highest="Very easy",
    )
    assert _question_headings(page) == [
        "1. What would make a break work for you?",
        "2. How often would you like a break?",
        "3. Which breaks would you use?",
        "4. How easy is it to get a break now?",
    ]
    first = page.locator(".govuk-summary-card").filter(has_text="What would make a break work")
    expect(first).to_contain_text("Please do not include anyone's name.")
    rating = page.locator(".govuk-summary-card").filter(has_text="How easy is it")
    expect(rating).to_contain_text("1 Very hard \N{EN DASH} 5 Very easy")

    # The first question has no "Move up", the last no "Move down".
    expect(page.get_by_role("button", name="Move up question 1")).to_have_count(0)
    expect(page.get_by_role("button", name="Move down question 4")).to_have_count(0)
    site.follow(lambda: page.get_by_role("button", name="Move up question 4").click())
    assert _question_headings(page) == [
        "1. What would make a break work for you?",
        "2. How often would you like a break?",
        "3. How easy is it to get a break now?",
        "4. Which breaks would you use?",
    ]
    site.follow(lambda: page.get_by_role("button", name="Move down question 1").click())
    assert _question_headings(page)[:2] == [
        "1. How often would you like a break?",
        "2. What would make a break work for you?",
    ]

    site.follow(lambda: page.get_by_role("button", name="Publish the consultation").click())
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "The consultation is published on the public site."
    )
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    expect(
        page.get_by_text("The consultation is published, so its questions are fixed.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Move"))).to_have_count(0)
    expect(page.get_by_role("button", name="Publish the consultation")).to_have_count(0)

    # The public sees it among the open consultations.
    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    site.visit("/consultations/")
    open_now = page.get_by_role("heading", name="Open now").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(open_now.get_by_role("link", name=NEW_CONSULTATION)).to_be_visible()
    expect(open_now.get_by_role("link", name=CONSULTATION)).to_be_visible()


# --- 2. the public answers, in English and in Welsh ------------------------------------------


def _answer_demo_consultation(site: Site, free_text: str, *, welsh: bool = False):
    """Fill in the demo questionnaire as a carer and send it; the response to the sending."""
    page = site.page
    t = cy if welsh else (lambda text: text)
    page.get_by_role("group", name=t("Which of these describes you best?")).get_by_label(
        t("A carer"), exact=True
    ).check()
    page.get_by_role(
        "group", name="Do you agree that community groups should run day opportunities?"
    ).get_by_label("Agree", exact=True).check()
    helps = page.get_by_role(
        "group",
        name=optional("Which would help you or the person you care for most?", welsh=welsh),
    )
    helps.get_by_label("Lunch clubs").check()
    helps.get_by_label("Transport to activities").check()
    page.get_by_role(
        "group", name=optional("How good are day opportunities where you live now?", welsh=welsh)
    ).get_by_label("4", exact=True).check()
    page.get_by_label(optional("Is there anything else we should know?", welsh=welsh)).fill(
        free_text
    )
    return site.follow(lambda: page.get_by_role("button", name=t("Send your answers")).click())


def test_the_public_answers_a_consultation_in_english_and_welsh(site, demo):
    page = site.page
    before = _responses(CONSULTATION)
    site.visit("/consultations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    site.follow(lambda: page.get_by_role("link", name=CONSULTATION).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION)
    expect(page.get_by_text("Open", exact=True)).to_be_visible()
    # Results are the commissioners' until "you said, we did" is published.
    expect(page.get_by_role("link", name="Results")).to_have_count(0)
    site.follow(lambda: page.get_by_role("link", name="Answer the consultation").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    free_text = page.get_by_label(optional("Is there anything else we should know?"))
    expect(free_text).to_have_accessible_description(
        "Please do not include anyone's name or personal details."
    )

    # An answer with HTML in it is refused, and nothing is kept.
    refused = _answer_demo_consultation(site, f"More buses please {SCRIPT}")
    assert refused.status == 400
    # GOV.UK: the title starts "Error: " once. Checked at the end, so that the rest of the
    # journey still runs.
    error_title = page.title()
    summary = _error_summary(page)
    expect(summary).to_be_visible()
    markup_error = "Remove the HTML tags (anything written between < and >) from your answer"
    error_link = summary.get_by_role("link", name=re.compile(re.escape(markup_error)))
    expect(error_link).to_have_count(1)
    field_id = free_text.get_attribute("id")
    assert error_link.get_attribute("href") == f"#{field_id}"
    group = page.locator(".govuk-form-group--error").filter(has=free_text)
    expect(group.locator(".govuk-error-message")).to_contain_text(markup_error)
    expect(free_text).to_have_accessible_description(re.compile(re.escape(markup_error)))
    assert _responses(CONSULTATION) == before
    # The script was written back as text, never run as markup.
    expect(free_text).to_have_value(f"More buses please {SCRIPT}")
    assert page.locator("main script").count() == 0
    # The choices the person made are still chosen.
    expect(page.get_by_label("A carer", exact=True)).to_be_checked()
    expect(page.get_by_label("Lunch clubs")).to_be_checked()

    # Following the error takes the person to the field.
    error_link.click()
    expect(free_text).to_be_focused()

    answered = _answer_demo_consultation(site, "More buses to the day centre, please.")
    assert answered.ok
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION)
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "Thank you: your answers are sent."
    )
    assert _responses(CONSULTATION) == before + 1
    latest = _consultation(CONSULTATION).responses.order_by("-pk").first()
    assert latest.stakeholder_group == "carer"
    assert latest.person is None
    assert {a.text for a in latest.answers.all() if a.text} == {
        "More buses to the day centre, please."
    }

    # Once more, in Welsh: the list, the consultation, the refusal and the thanks.
    _to_welsh(site)
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION)
    site.visit("/consultations/")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Consultations"))
    site.follow(lambda: page.get_by_role("link", name=CONSULTATION).click())
    site.follow(lambda: page.get_by_role("link", name=cy("Answer the consultation")).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Your answers"))

    refused = _answer_demo_consultation(site, f"{SCRIPT} Mwy o fysiau", welsh=True)
    assert refused.status == 400
    expect(_error_summary(page, welsh=True)).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_have_count(1)
    assert _responses(CONSULTATION) == before + 1

    answered = _answer_demo_consultation(site, "Mwy o fysiau i'r ganolfan ddydd.", welsh=True)
    assert answered.ok
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.get_by_role("alert")).to_contain_text(
        cy(
            "Thank you: your answers are sent. The commissioners will publish what "
            "they heard and what they will do."
        )
    )
    assert _responses(CONSULTATION) == before + 2
    assert not site.unaudited_pages()
    assert error_title == f"Error: {CONSULTATION} \N{EN DASH} Open Commissioning"


def test_an_answer_missing_a_required_question_is_refused(site, demo):
    page = site.page
    before = _responses(CONSULTATION)
    site.visit(f"/consultations/{_consultation(CONSULTATION).pk}/respond/")
    response = site.follow(lambda: page.get_by_role("button", name="Send your answers").click())
    assert response.status == 400
    summary = _error_summary(page)
    expect(summary).to_contain_text(
        "Say which of the groups this consultation is for you belong to."
    )
    expect(summary).to_contain_text(
        "Answer this question: Do you agree that community groups should run day opportunities?"
    )
    group = page.get_by_role(
        "group", name="Do you agree that community groups should run day opportunities?"
    )
    expect(group).to_have_accessible_description(re.compile(r"Error:\s+Answer this question"))
    assert _responses(CONSULTATION) == before


# --- 3. the commissioner reads the results ---------------------------------------------------


def test_the_commissioner_reads_the_results_as_charts_tables_and_words(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    consultation = _consultation(CONSULTATION)
    total = consultation.responses.count()
    site.visit("/consultations/")
    site.follow(lambda: page.get_by_role("link", name=CONSULTATION).click())
    site.follow(lambda: page.get_by_role("link", name="Results", exact=True).click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    expect(page.get_by_text(f"{total} responses so far.")).to_be_visible()

    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Download every response (CSV)")).to_be_visible()
    expect(main.locator("#respondents")).to_contain_text("A carer")

    questions = list(consultation.questions.order_by("position"))
    charted = [q for q in questions if q.kind != "free_text"]
    figures = main.get_by_role("figure")
    expect(figures).to_have_count(len(charted))
    for question in charted:
        section = main.locator(f"section[aria-labelledby='question-{question.pk}-heading']")
        expect(section.get_by_role("heading", level=2)).to_contain_text(question.text)
        figure = section.get_by_role("figure")
        # Drawn on the server as SVG, named for what it shows, summed up in words.
        svg = figure.locator("svg").first
        expect(svg).to_be_attached()
        expect(figure.get_by_role("img").first).to_have_attribute("aria-label", re.compile(r"\w"))
        expect(figure.locator("figcaption")).to_contain_text("The table below has the figures.")
        expect(figure.locator("figcaption")).to_contain_text("people answered")
        # Its table, with a row an option, comes after it.
        table = section.locator(f"table#question-{question.pk}")
        expect(table).to_be_visible()
        options = question.choices or ["1", "2", "3", "4", "5"]
        expect(table.locator("tbody tr")).to_have_count(len(options))
        expect(table.locator("thead")).to_contain_text("Responses")
    rating = next(q for q in questions if q.kind == "rating")
    expect(
        main.locator(f"section[aria-labelledby='question-{rating.pk}-heading'] figcaption")
    ).to_contain_text("The average rating was")

    # The written answers are readable: a few here, every one a click away.
    free = next(q for q in questions if q.kind == "free_text")
    written = main.locator(f"section[aria-labelledby='question-{free.pk}-heading']")
    expect(written.get_by_role("figure")).to_have_count(0)
    expect(written).to_contain_text("written answers.")
    expect(written.locator(".govuk-inset-text").first).to_be_visible()
    assert written.locator(".govuk-inset-text").count() == 5

    # The page's script redraws the charts with Vega; axe again on what it drew.
    expect(main.locator("figure .oc-chart__live svg.marks")).to_have_count(
        len(charted), timeout=15_000
    )
    site.audit()

    site.follow(
        lambda: written.get_by_role("link", name=re.compile("Read every written answer")).click()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(free.text)
    expect(page.get_by_role("main")).to_contain_text(
        "The lunch club is the only time my mother sees anyone all week."
    )

    site.visit(f"/consultations/{consultation.pk}/results/")
    _to_welsh(site)
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Results"))
    expect(page.get_by_role("main").get_by_role("figure")).to_have_count(len(charted))


def test_the_public_sees_you_said_we_did_once_the_consultation_has_closed(site, demo):
    from commissioning.engagement.models import Consultation

    consultation = _consultation(CONSULTATION)
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(weeks=13), closes_at=timezone.now() - timedelta(days=1)
    )
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    site.visit(f"/consultations/{consultation.pk}/results/")
    expect(page.get_by_text("The consultation has closed.")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Publish “you said, we did”").click())
    page.get_by_label("You said, we did").fill(f"You said transport. {SCRIPT}")
    response = site.follow(lambda: page.get_by_role("button", name="Publish").click())
    assert response.status == 400
    expect(_error_summary(page)).to_contain_text("Remove the HTML tags")
    page.get_by_label("You said, we did").fill(
        "## You said\n\nTransport is the problem.\n\n"
        "## We did\n\n* Community transport is in the plan."
    )
    site.follow(lambda: page.get_by_role("button", name="Publish").click())
    expect(page.get_by_role("alert", name="Success")).to_contain_text("is published")
    site.follow(
        lambda: page.get_by_role("button", name="Add to the plan's engagement record").click()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement")
    expect(page.locator("main")).to_contain_text("with “you said, we did”")

    site.follow(lambda: page.get_by_role("button", name="Sign out").click())
    site.visit(f"/consultations/{consultation.pk}/")
    expect(page.get_by_role("heading", name="You said, we did")).to_be_visible()
    expect(page.get_by_role("link", name="Answer the consultation")).to_have_count(0)
    site.follow(lambda: page.get_by_role("link", name="Results", exact=True).click())
    expect(page.get_by_role("main").get_by_role("figure")).to_have_count(3)
    # The public sees counts, never the written answers themselves.
    expect(page.get_by_role("link", name=re.compile("Read every written answer"))).to_have_count(0)
    expect(page.get_by_role("link", name="Download every response (CSV)")).to_have_count(0)
    _to_welsh(site)
    expect(page.get_by_role("main").get_by_role("figure")).to_have_count(3)


# --- 4. the engagement record, planning groups, interests and subscriptions -----------------


def test_the_engagement_page_and_a_planning_group_in_english_and_welsh(site, demo):
    SignInPage.open(site).sign_in_as(COMMISSIONER, demo)
    page = site.page
    _open_demo_plan(site)
    site.follow(lambda: page.get_by_role("link", name="Engagement", exact=True).click())
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Engagement")
    expect(main.get_by_role("link", name=CONSULTATION).first).to_be_visible()
    expect(main).to_contain_text("Focus groups at three day centres")
    expect(main).to_contain_text("Gypsy and Traveller elders")
    engagement_path = urlparse(page.url).path

    site.follow(lambda: main.get_by_role("link", name=BOARD).click())
    expect(page.get_by_role("heading", level=1)).to_have_text(BOARD)
    # four people and the two providers they represent
    members = page.get_by_role("table", name="Members")
    expect(members.locator("tbody tr")).to_have_count(6)
    declared = members.get_by_text("Interest declared", exact=True)
    expect(declared).to_have_count(2)
    expect(page.locator("#meetings ~ .govuk-summary-card").first).to_contain_text(
        "Agree the appraisal's weights as proposed."
    )
    group_path = urlparse(page.url).path

    site.follow(lambda: page.get_by_role("link", name="Register of interests").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of interests")
    register = page.get_by_role("table", name="Register of interests")
    expect(register.locator("tbody tr")).to_have_count(2)
    expect(register).to_contain_text("Managing director of Brightwater Care Homes")

    _to_welsh(site)
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Register of interests"))
    site.visit(group_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(BOARD)
    expect(
        page.get_by_role("table", name=cy("Members")).get_by_text(
            cy("Interest declared"), exact=True
        )
    ).to_have_count(2)
    site.visit(engagement_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Engagement"))
    _to_english(site)


def test_the_public_reads_the_register_of_interests_and_subscribes(site, demo):
    from commissioning.core.models import ClientGroup

    page = site.page
    site.visit("/interests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of interests")
    register = page.get_by_role("table", name="Register of interests")
    expect(register.locator("tbody tr")).to_have_count(2)
    # Only the person or a commissioner ends a declaration.
    expect(register.get_by_role("link", name=re.compile("^End"))).to_have_count(0)
    _to_welsh(site)
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Register of interests"))
    _to_english(site)

    site.visit("/consultations/")
    site.follow(
        lambda: page.get_by_role(
            "link", name="Get an email when a consultation opens or a plan is published"
        ).click()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Get emails about plans and consultations"
    )
    response = site.follow(lambda: page.get_by_role("button", name="Subscribe").click())
    assert response.status == 400
    expect(_error_summary(page)).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_accessible_description(re.compile("Error:"))
    error_title = page.title()  # checked at the end
    page.get_by_label("Email address").fill("a.carer@example.org")
    page.get_by_role("group", name="Client groups").get_by_label("Carers", exact=True).check()
    page.get_by_role("group", name="Areas").get_by_label("Darlington (E06000005)").check()
    site.follow(lambda: page.get_by_role("button", name="Subscribe").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text("a.carer@example.org")

    site.visit("/subscriptions/")
    _to_welsh(site)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        cy("Get emails about plans and consultations")
    )
    response = site.follow(lambda: page.get_by_role("button", name=cy("Subscribe")).click())
    assert response.status == 400
    expect(_error_summary(page, welsh=True)).to_be_visible()
    page.get_by_label(cy("Email address")).fill("gofalwr@example.org")
    with translation.override("cy"):
        carers = ClientGroup.objects.get(name="Carers").localised_name
    page.get_by_role("group", name=cy("Client groups")).get_by_label(carers, exact=True).check()
    response = site.follow(lambda: page.get_by_role("button", name=cy("Subscribe")).click())
    assert response.ok, f"{response.status}: " + " ".join(
        page.locator(".govuk-error-summary").all_inner_texts()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Check your email"))
    # GOV.UK: a page with errors has a title starting "Error: ".
    assert error_title.startswith("Error: "), error_title
