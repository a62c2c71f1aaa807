from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from commissioning.engagement import services
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
    MembershipFactory(person=person, organisation=provider, role="provider_user")
    return person


@pytest.fixture
def make_consultation(commissioner, plan):  # noqa: F811 (the imported fixture)
    def make(*, publish=True, opens_in=timedelta(days=-1), lasts=timedelta(days=84), **extra):
        opens_at = timezone.now() + opens_in
        consultation = services.save_consultation(
            actor=commissioner,
            plan=plan,
            title=extra.get("title", "Day opportunities for older people"),
            summary="We propose to grant-fund community groups to run day opportunities.",
            audiences=extra.get("audiences", ["public", "service_users_and_carers", "providers"]),
            opens_at=opens_at,
            closes_at=opens_at + lasts,
        )
        services.save_question(
            actor=commissioner,
            consultation=consultation,
            kind="single_choice",
            text="Do you agree with the proposal?",
            required=True,
            choices="Agree\nNeither agree nor disagree\nDisagree",
        )
        services.save_question(
            actor=commissioner,
            consultation=consultation,
            kind="multiple_choice",
            text="Which activities matter to you?",
            choices="Lunch clubs\nExercise\nArts and crafts\nTrips out",
        )
        services.save_question(
            actor=commissioner,
            consultation=consultation,
            kind="rating",
            text="How good are day opportunities now?",
            lowest_label="Very poor",
            highest_label="Very good",
        )
        services.save_question(
            actor=commissioner,
            consultation=consultation,
            kind="free_text",
            text="What else should we know?",
            help_text="Tell us in your own words.",
        )
        if publish:
            consultation = services.publish_consultation(
                actor=commissioner, consultation=consultation
            )
        return consultation

    return make


def answers_for(consultation, *, agree=0, activities=(0,), rating=4, text=""):
    questions = list(consultation.questions.all())
    return {
        questions[0].pk: [str(agree)],
        questions[1].pk: [str(a) for a in activities],
        questions[2].pk: [str(rating)],
        questions[3].pk: [text] if text else [],
    }
