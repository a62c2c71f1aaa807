import pytest

from commissioning.core.access import SYSTEM
from commissioning.core.models import Area, ClientGroup, CycleModel, Role
from commissioning.demo import builders
from commissioning.market.models import ServiceType
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)


@pytest.fixture
def council(db):
    return OrganisationFactory(commissioning_body=True, name="Northvale Council")


@pytest.fixture
def health_board(db):
    return OrganisationFactory(commissioning_body=True, name="Northvale Health Board")


@pytest.fixture
def joint(council, health_board):
    partnership = PartnershipFactory(lead=council, partners=[health_board], has_pooled_fund=True)
    partnership.areas.set(Area.objects.filter(code__in=["E06000005", "E06000047"]))
    return partnership


def _person(organisation, role, name):
    person = PersonFactory(full_name=name)
    MembershipFactory(person=person, organisation=organisation, role=role)
    return person


@pytest.fixture
def commissioner(council):
    return _person(council, Role.COMMISSIONER, "Carys Commissioner")


@pytest.fixture
def councillor(council):
    return _person(council, Role.SCRUTINY, "Cllr Sam Scrutiny")


@pytest.fixture
def board_commissioner(health_board):
    return _person(health_board, Role.COMMISSIONER, "Bethan Board")


@pytest.fixture
def older_people(db):
    return ClientGroup.objects.get(slug="older-people")


@pytest.fixture
def areas(db):
    return list(Area.objects.filter(code__in=["E06000005", "E06000047"]))


@pytest.fixture
def make_plan(commissioner, council, joint, older_people, areas):
    def make(**overrides):
        values = {
            "actor": commissioner,
            "organisation": council,
            "partnership": joint,
            "client_groups": [older_people],
            "areas": areas,
            "cycle_model": CycleModel.objects.get(is_default=True),
        }
        values.update(overrides)
        return builders.plan(**values)

    return make


@pytest.fixture
def full_plan(make_plan, commissioner, health_board):
    """A plan with an outcome, an indicator, an intention, a scored appraisal, a risk and
    resources: everything a published plan holds."""
    return builders.plan_content(
        actor=commissioner,
        plan=make_plan(),
        partner=health_board,
        service_type=ServiceType.objects.get(slug="befriending"),
    )


@pytest.fixture
def system():
    return SYSTEM
