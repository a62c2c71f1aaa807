from datetime import date
from decimal import Decimal

import pytest

from commissioning.core.access import SYSTEM
from commissioning.core.models import Area, ClientGroup, CycleModel
from commissioning.market.models import ServiceType
from commissioning.plans import services
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
    return _person(council, "commissioner", "Carys Commissioner")


@pytest.fixture
def councillor(council):
    return _person(council, "scrutiny", "Cllr Sam Scrutiny")


@pytest.fixture
def board_commissioner(health_board):
    return _person(health_board, "commissioner", "Bethan Board")


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
            "title": "Older people's commissioning plan",
            "organisation": council,
            "partnership": joint,
            "client_groups": [older_people],
            "areas": areas,
            "first_year": 2026,
            "last_year": 2029,
            "cycle_model": CycleModel.objects.get(is_default=True),
        }
        values.update(overrides)
        return services.create_plan(**values)

    return make


@pytest.fixture
def full_plan(make_plan, commissioner, older_people, areas, health_board):
    """A plan with an outcome, an indicator, an intention, a scored appraisal, a risk and
    resources: everything a published plan holds."""
    plan = make_plan()
    outcome = services.save_outcome(
        actor=commissioner, plan=plan, title="People live at home for longer"
    )
    services.save_indicator(
        actor=commissioner,
        outcome=outcome,
        name="Older people still at home 91 days after reablement",
        kind="outcome",
        unit="%",
        baseline=Decimal("78.0"),
        baseline_year=2025,
        target=Decimal("85.0"),
        target_year=2029,
        trajectory={2027: Decimal("80"), 2028: Decimal("83")},
        data_source="SALT return, table STS2a",
    )
    services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Community befriending",
        kind="increase",
        route="grant",
        service_type=ServiceType.objects.get(slug="befriending"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("80000"),
        planned_budget={2026: Decimal("90000"), 2027: Decimal("100000")},
        rationale="Loneliness is rising with the number of people over 85.",
        outcomes=[outcome],
    )
    appraisal = services.create_appraisal(
        actor=commissioner,
        plan=plan,
        title="Who runs day opportunities",
        question="Keep the council's day centres, or grant-fund community groups?",
        options=["Keep in-house", "Grant-fund community groups"],
    )
    services.agree_weights(
        actor=commissioner,
        appraisal=appraisal,
        agreed_by="Joint commissioning board",
        agreed_on=date(2026, 6, 1),
    )
    for option, base in zip(appraisal.options.all(), (5, 7), strict=True):
        services.score_option(
            actor=commissioner,
            option=option,
            scores={
                c.pk: (Decimal(base), "Scored at the workshop.") for c in appraisal.criteria.all()
            },
        )
    services.save_risk(
        actor=commissioner,
        plan=plan,
        description="Community groups lack capacity to grow",
        likelihood=3,
        impact=4,
        owner="Head of commissioning",
        mitigation="Capacity-building grants through the umbrella body",
        review_on=date(2026, 12, 1),
    )
    services.save_resource(
        actor=commissioner,
        plan=plan,
        funding_stream="Better Care Fund",
        year=2026,
        amount=Decimal("250000"),
        partner=health_board,
        is_pooled=True,
    )
    services.save_resource(
        actor=commissioner,
        plan=plan,
        funding_stream="Council core budget",
        year=2026,
        amount=Decimal("400000"),
    )
    return plan


@pytest.fixture
def system():
    return SYSTEM
