from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from commissioning.core.models import Role
from commissioning.demo import builders
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.plans.conftest import (  # noqa: F401  (the plans fixtures, shared)
    areas,
    board_commissioner,
    commissioner,
    council,
    councillor,
    full_plan,
    health_board,
    joint,
    make_plan,
    older_people,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(make_plan):  # noqa: F811 (the imported fixture)
    return make_plan()


@pytest.fixture
def provider(db):
    return OrganisationFactory(name="Dales Home Care Ltd", kind="provider", sector="private")


@pytest.fixture
def provider_director(provider):
    person = PersonFactory(full_name="Dana Director", email="dana@dales.example")
    MembershipFactory(person=person, organisation=provider, role=Role.PROVIDER_USER)
    return person


@pytest.fixture
def make_consultation(commissioner, plan):  # noqa: F811 (the imported fixture)
    def make(*, publish=True, opens_in=timedelta(days=-1), lasts=timedelta(days=84), **extra):
        opens_at = timezone.now() + opens_in
        return builders.consultation(
            actor=commissioner,
            plan=plan,
            opens_at=opens_at,
            closes_at=opens_at + lasts,
            publish=publish,
            **extra,
        )

    return make


def answers_for(consultation, *, agree=0, activities=(0,), rating=4, text=""):
    questions = list(consultation.questions.all())
    return {
        questions[0].pk: [str(agree)],
        questions[1].pk: [str(a) for a in activities],
        questions[2].pk: [str(rating)],
        questions[3].pk: [text] if text else [],
    }
