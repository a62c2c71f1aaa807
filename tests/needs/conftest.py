import pytest
from django.core.management import call_command

THREE_AREAS = ["E06000047", "E06000005", "E06000001"]  # County Durham, Darlington, Hartlepool


@pytest.fixture
def demo(db):
    """The demo loaded, and its older people's needs assessment (a draft)."""
    from commissioning.needs.models import NeedsAssessment

    call_command("load_demo", verbosity=0)
    return NeedsAssessment.objects.get(title__startswith="Older people's needs")


@pytest.fixture
def older_people(db, person_with_role):
    """A council's draft needs assessment of older people in three areas, on the real ONS 2014
    projections (2014 to 2027) and the CFAS II dementia rates; its commissioner made it."""
    from commissioning.core.models import Area, ClientGroup
    from commissioning.demo import builders
    from commissioning.needs import services
    from tests.factories import OrganisationFactory, PartnershipFactory

    council = OrganisationFactory(commissioning_body=True)
    board = OrganisationFactory(commissioning_body=True)
    partnership = PartnershipFactory(lead=council, partners=[board])
    areas = list(Area.objects.filter(code__in=THREE_AREAS))
    partnership.areas.set(areas)
    commissioner = person_with_role(council, "commissioner")
    return services.create_assessment(
        actor=commissioner,
        organisation=council,
        partnership=partnership,
        areas=areas,
        prevalence_sets=[builders.dementia_rates(source="CFAS II, The Lancet, 2013")],
        title="Older people's needs, 2014 to 2027",
        client_group=ClientGroup.objects.get(slug="older-people"),
        population_dataset=builders.population(),
        base_year=2014,
        horizon_year=2027,
        findings="## Dementia\n\nExpected cases **rise** every year.",
    )
