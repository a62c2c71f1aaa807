"""A market position statement that rests on a draft needs assessment: publishing it alone is
refused, saying why; the publish page offers to publish the assessment with it to whoever may,
and tells anyone else whom to ask. No public page links to something its reader cannot open."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from commissioning.core.models import Organisation, Person
from commissioning.market import services
from commissioning.market.models import MarketAnalysis, ServiceType
from commissioning.needs.models import NeedsAssessment

COMMISSIONER = "commissioner@northvale.example"
HEALTH_COMMISSIONER = "health.commissioner@northvale.example"
STATEMENT = "Older people's care and support market, 2026 (demonstration)"


@pytest.fixture
def assessment(db):
    call_command("load_demo", verbosity=0)
    draft = NeedsAssessment.objects.get(title__startswith="Older people's needs")
    assert not draft.is_published
    return draft


def _analysis(person, organisation, assessment):
    return services.create_analysis(
        actor=person,
        title="Nursing care market resting on the draft",
        organisation=organisation,
        needs_assessment=assessment,
        service_types=[ServiceType.objects.get(slug="care_home_nursing")],
        year=2026,
        age_from=65,
        threshold_explanation="Within a tenth of the average is balanced.",
        summary="We want more nursing care.",
    )


def _sign_in(client, email):
    from commissioning.demo.loader import DEMO_PASSWORD

    response = client.post("/sign-in/", {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_publishing_alone_is_refused_with_a_clear_message(assessment):
    commissioner = Person.objects.get(email=COMMISSIONER)
    analysis = _analysis(commissioner, assessment.organisation, assessment)
    with pytest.raises(ValidationError) as refused:
        services.publish_analysis(actor=commissioner, analysis=analysis)
    assert refused.value.code == "draft_assessment"
    message = " ".join(refused.value.messages)
    assert assessment.title in message and "still a draft" in message
    analysis.refresh_from_db()
    assessment.refresh_from_db()
    assert analysis.status == "draft" and assessment.status == "draft"


def test_the_commissioner_is_asked_and_publishes_both(client, assessment):
    commissioner = Person.objects.get(email=COMMISSIONER)
    analysis = _analysis(commissioner, assessment.organisation, assessment)
    _sign_in(client, COMMISSIONER)
    detail = client.get(f"/market/analyses/{analysis.pk}/").content.decode()
    assert f'href="/market/analyses/{analysis.pk}/publish/"' in detail  # to the question
    page = client.get(f"/market/analyses/{analysis.pk}/publish/")
    body = page.content.decode()
    assert page.status_code == 200 and "which is still a draft" in body
    assert "Publish the statement and the needs assessment" in body
    # Publishing alone, from an old page, is refused and sent back to the question.
    response = client.post(f"/market/analyses/{analysis.pk}/publish/", follow=True)
    assert response.redirect_chain[-1][0] == f"/market/analyses/{analysis.pk}/publish/"
    assert "still a draft" in response.content.decode()
    assert MarketAnalysis.objects.get(pk=analysis.pk).status == "draft"

    response = client.post(
        f"/market/analyses/{analysis.pk}/publish/", {"with_assessment": "yes"}, follow=True
    )
    assert "The market position statement is published." in response.content.decode()
    analysis.refresh_from_db()
    assessment.refresh_from_db()
    assert analysis.status == "published" and assessment.status == "published"
    client.post("/sign-out/")
    public = client.get(f"/market/analyses/{analysis.pk}/").content.decode()
    assert f'href="/needs-assessments/{assessment.pk}/"' in public
    assert client.get(f"/needs-assessments/{assessment.pk}/").status_code == 200


def test_someone_who_cannot_publish_the_assessment_is_told_whom_to_ask(client, assessment):
    health = Person.objects.get(email=HEALTH_COMMISSIONER)
    board = Organisation.objects.get(name__contains="Health Board")
    analysis = _analysis(health, board, assessment)
    _sign_in(client, HEALTH_COMMISSIONER)
    body = client.get(f"/market/analyses/{analysis.pk}/publish/").content.decode()
    assert "you cannot publish it" in body
    assert f"Ask a commissioner of {assessment.organisation.name}" in body
    assert "Publish the statement and the needs assessment" not in body
    response = client.post(
        f"/market/analyses/{analysis.pk}/publish/", {"with_assessment": "yes"}, follow=True
    )
    assert "Only a commissioner of" in response.content.decode()
    assessment.refresh_from_db()
    analysis.refresh_from_db()
    assert analysis.status == "draft" and assessment.status == "draft"


def test_no_public_page_of_a_statement_links_to_a_page_that_answers_404(client, assessment):
    # A statement published on a draft before publishing checked (as the demo's once was).
    statement = MarketAnalysis.objects.get(title=STATEMENT)
    MarketAnalysis.objects.filter(pk=statement.pk).update(needs_assessment=assessment)
    for address in (f"/market/analyses/{statement.pk}/", "/market/analyses/"):
        body = client.get(address).content.decode()
        links = set(re.findall(r'href="(/[^"#]*)"', body))
        assert links
        for link in sorted(links):
            if link.startswith(("/static/", "/sign-")):
                continue
            assert client.get(link.replace("&amp;", "&")).status_code != 404, (address, link)
    # Nor does the statement link to the draft itself.
    body = client.get(f"/market/analyses/{statement.pk}/").content.decode()
    assert f"/needs-assessments/{assessment.pk}/" not in body
