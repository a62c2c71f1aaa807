"""A published needs assessment shows the figures it was published with: population data and
prevalence rates imported later are new datasets and rate sets beside the ones it pins, so its
page, downloads and API do not move."""

import re

import pytest
from django.core.management import call_command

from commissioning.core.models import Person
from commissioning.demo import builders
from commissioning.needs import services
from commissioning.needs.models import NeedsAssessment, PopulationSeries


@pytest.fixture
def published(db):
    call_command("load_demo", verbosity=0)
    assessment = NeedsAssessment.objects.get(title__startswith="Older people's needs")
    if not assessment.is_published:
        commissioner = Person.objects.get(email="commissioner@northvale.example")
        assessment = services.publish_assessment(actor=commissioner, assessment=assessment)
    return assessment


def _published(client, assessment) -> dict[str, object]:
    base = f"/needs-assessments/{assessment.pk}"
    page = re.sub(r'nonce="[^"]*"', "", client.get(f"{base}/").content.decode())
    return {
        "page": page,
        "profile": client.get(f"{base}/tables/population_profile.csv").content,
        "cases": client.get(f"{base}/tables/projected_cases.csv").content,
        "api": client.get(f"/api/v1/needs-assessments/{assessment.pk}").json(),
    }


def test_importing_population_and_rates_again_does_not_move_a_published_assessment(
    client, published
):
    before = _published(client, published)
    assert "Projected cases" in before["page"] and before["api"]["tables"]
    series_before = PopulationSeries.objects.filter(dataset=published.population_dataset).count()

    # the same ONS file again, under the same name
    builders.population(name=published.population_dataset.name)
    builders.dementia_rates(slug="dementia-imported-again", source="CFAS II, imported again")

    published = NeedsAssessment.objects.get(pk=published.pk)
    count = PopulationSeries.objects.filter(dataset=published.population_dataset).count()
    assert count == series_before
    after = _published(client, published)
    for key, value in before.items():
        assert after[key] == value, key
