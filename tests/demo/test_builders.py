"""The builders the demo, the tests and the benchmarks share make what they say, through the
services: audited, and refused to anyone the services refuse."""

import pytest
from django.core.exceptions import PermissionDenied

from commissioning.audit.models import AuditEvent
from commissioning.core.models import Role
from commissioning.demo import builders
from commissioning.market import services
from commissioning.market.models import Accreditation, ServiceType
from tests.plans.conftest import (  # noqa: F401  (the plans fixtures, shared)
    areas,
    commissioner,
    council,
    councillor,
    health_board,
    joint,
    make_plan,
    older_people,
)


def test_a_plan_with_content_holds_one_of_everything(make_plan, commissioner, health_board):  # noqa: F811
    plan = builders.plan_content(
        actor=commissioner,
        plan=make_plan(),
        partner=health_board,
        service_type=ServiceType.objects.get(slug="befriending"),
    )
    assert plan.outcomes.get().indicators.count() == 1
    assert plan.intentions.count() == plan.risks.count() == 1
    appraisal = plan.appraisals.get()
    assert appraisal.options.count() == 2 and appraisal.weights_agreed_on is not None
    assert plan.resources.count() == 2
    assert AuditEvent.objects.filter(verb__startswith="plan").exists()


def test_a_consultation_is_published_with_its_questions(make_plan, commissioner):  # noqa: F811
    consultation = builders.consultation(actor=commissioner, plan=make_plan())
    assert consultation.is_open()
    assert [q.kind for q in consultation.questions.all()] == [
        kind for kind, _text, _extra in builders.QUESTIONS
    ]


def test_the_builders_go_through_the_services_checks(make_plan, councillor):  # noqa: F811
    plan = make_plan()
    with pytest.raises(PermissionDenied):
        builders.consultation(actor=councillor, plan=plan)


def test_a_provider_is_listed_applies_and_is_accredited(
    provider, commissioning_body, person_with_role
):
    listed = builders.listed_provider(
        organisation=provider,
        services=[
            {
                "service_type": ServiceType.objects.get(slug="befriending"),
                "name": "Home visits",
                "areas_served": [],
            }
        ],
    )
    assert listed.is_listed and listed.services.get().name == "Home visits"
    assessor = person_with_role(commissioning_body, Role.COMMISSIONER)
    scheme = services.create_scheme(actor=assessor, owner=commissioning_body, name="Mark")
    application = builders.application_with_evidence(
        actor=person_with_role(provider, Role.ORGANISATION_ADMIN), scheme=scheme, provider=listed
    )
    assert application.evidence.count() == scheme.criteria.count()
    builders.approved(assessor=assessor, application=application)
    assert Accreditation.objects.get().provider == listed
