"""Published records (needs assessments, market analyses, plans and whatever is published after
them): every relation into one is copied into its next version or kept with this one on
purpose; what a person may see of them; and what their next version holds."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from commissioning.core.models import Area, ClientGroup, CycleModel, PublishedRecord, Role
from commissioning.core.published import save_next_version, undecided_relations, visible_to
from commissioning.demo import builders
from commissioning.engagement.models import Consultation
from commissioning.market.models import MarketAnalysis, ServiceType
from commissioning.needs.models import NeedsAssessment, PopulationDataset, PrevalenceSet
from commissioning.plans.models import CommissioningPlan, OptionScore, StatusChange
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)
from tests.plans.conftest import (  # noqa: F401  (the plans fixtures, shared)
    areas,
    commissioner,
    council,
    health_board,
    joint,
    make_plan,
    older_people,
)

PUBLISHED_KINDS = [model for model in apps.get_models() if issubclass(model, PublishedRecord)]


def test_assessments_analyses_and_plans_are_published_records():
    labels = {model._meta.label for model in PUBLISHED_KINDS}
    assert {"needs.NeedsAssessment", "market.MarketAnalysis", "plans.CommissioningPlan"} <= labels


@pytest.mark.parametrize("model", PUBLISHED_KINDS, ids=lambda model: model._meta.label)
def test_every_child_is_copied_into_the_next_version_or_kept_with_this_one(model):
    assert undecided_relations(model) == [], (
        f"Decide for each: copy it into {model.__name__}'s next version "
        "(COPIED_TO_NEXT_VERSION), or keep it with the version it belongs to and say why "
        f"({model.__name__}.KEPT_WITH_THIS_VERSION, or KEPT_WITH_ITS_VERSION on the model "
        "that points at it)."
    )
    assert all(reason.strip() for reason in model.KEPT_WITH_THIS_VERSION.values())
    copied = model.COPIED_TO_NEXT_VERSION
    for position, path in enumerate(copied):
        parent = path.rpartition("__")[0]
        assert not parent or parent in copied[:position], f"{parent} is copied before {path}"


def test_a_child_nobody_decided_about_fails_the_check(monkeypatch):
    monkeypatch.setattr(
        CommissioningPlan, "KEPT_WITH_THIS_VERSION", {"status_changes": "Its own stages."}
    )
    monkeypatch.setattr(
        CommissioningPlan,
        "COPIED_TO_NEXT_VERSION",
        tuple(p for p in CommissioningPlan.COPIED_TO_NEXT_VERSION if p != "outcomes__indicators"),
    )
    monkeypatch.setattr(Consultation, "KEPT_WITH_ITS_VERSION", {})
    assert sorted(undecided_relations(CommissioningPlan)) == [
        "engagement.Consultation.plan",
        "plans.Indicator.outcome",
        "plans.SignOff.plan",
    ]


def _assessment(organisation, partnership, status):
    dataset = PopulationDataset.objects.create(
        name="Projections",
        kind=PopulationDataset.Kind.PROJECTION,
        base_year=2022,
        source="ONS",
        licence="OGL",
        file_name="projections.csv",
        status=PopulationDataset.Status.READY,
    )
    return NeedsAssessment.objects.create(
        title="Older people",
        organisation=organisation,
        partnership=partnership,
        client_group=ClientGroup.objects.get(slug="older-people"),
        population_dataset=dataset,
        base_year=2026,
        horizon_year=2030,
        status=status,
    )


def _analysis(organisation, partnership, status):
    assessment = _assessment(organisation, partnership, NeedsAssessment.Status.PUBLISHED)
    return MarketAnalysis.objects.create(
        title="Care homes",
        organisation=organisation,
        partnership=partnership,
        client_group=assessment.client_group,
        needs_assessment=assessment,
        population_dataset=assessment.population_dataset,
        year=2026,
        age_from=65,
        threshold_explanation="The average of the areas.",
        status=status,
    )


def _plan(organisation, partnership, status):
    return CommissioningPlan.objects.create(
        title="Older people's plan",
        organisation=organisation,
        partnership=partnership,
        cycle_model=CycleModel.objects.get(is_default=True),
        first_year=2026,
        last_year=2029,
        status=status,
    )


@pytest.mark.parametrize(
    ("make", "draft", "public"),
    [
        (_assessment, ["draft"], ["published"]),
        (_analysis, ["draft"], ["published"]),
        (
            _plan,
            ["scoping", "analysis", "drafting", "consultation", "approval"],
            ["published", "under_review"],
        ),
    ],
    ids=["needs assessment", "market analysis", "plan"],
)
def test_drafts_are_seen_by_the_owning_bodies_and_published_records_by_everyone(
    db, make, draft, public
):
    owner = OrganisationFactory(commissioning_body=True)
    partner = OrganisationFactory(commissioning_body=True)
    partnership = PartnershipFactory(lead=owner, partners=[partner])
    records = {status: make(owner, partnership, status) for status in draft + public}
    model = type(records[public[0]])
    people = {
        "owner's commissioner": (owner, Role.COMMISSIONER),
        "partner's councillor": (partner, Role.SCRUTINY),
        "another body's commissioner": (OrganisationFactory(commissioning_body=True), None),
    }
    seen = {}
    for name, (organisation, role) in people.items():
        person = PersonFactory()
        MembershipFactory(person=person, organisation=organisation, role=role or Role.COMMISSIONER)
        seen[name] = person
    seen["someone not signed in"] = AnonymousUser()
    seen["a platform administrator"] = PersonFactory(platform_admin=True)

    def visible(person):
        scope = model.objects.filter(
            visible_to(person, model), pk__in=[r.pk for r in records.values()]
        )
        return {record.status for record in scope.distinct()}

    everything = set(draft + public)
    assert visible(seen["owner's commissioner"]) == everything
    assert visible(seen["partner's councillor"]) == everything
    assert visible(seen["a platform administrator"]) == everything
    assert visible(seen["another body's commissioner"]) == set(public)
    assert visible(seen["someone not signed in"]) == set(public)


def test_an_assessments_next_version_keeps_what_it_pins_and_starts_as_a_draft(db):
    owner = OrganisationFactory(commissioning_body=True)
    author = PersonFactory()
    published = _assessment(owner, None, NeedsAssessment.Status.PUBLISHED)
    published.findings = "Demand rises."
    published.is_demonstration = True
    published.save()
    published.areas.set(Area.objects.filter(code__in=["E06000005", "E06000047"]))
    published.prevalence_sets.set(
        [PrevalenceSet.objects.create(condition="Dementia", slug="dementia", source="CFAS II")]
    )
    following = save_next_version(published, created_by=author)
    following.refresh_from_db()
    assert following.pk != published.pk
    assert (following.version, following.status) == (2, NeedsAssessment.Status.DRAFT)
    assert following.previous_version == published and published.next_version == following
    assert following.published_at is None and following.created_by == author
    assert following.created_at >= published.created_at
    assert (following.findings, following.is_demonstration) == ("Demand rises.", True)
    assert set(following.areas.all()) == set(published.areas.all())
    assert set(following.prevalence_sets.all()) == set(published.prevalence_sets.all())


def test_an_analysis_next_version_works_its_figures_out_afresh(db):
    owner = OrganisationFactory(commissioning_body=True)
    published = _analysis(owner, None, MarketAnalysis.Status.PUBLISHED)
    published.figures = {"supply": []}
    published.save()
    published.service_types.set(ServiceType.objects.all()[:2])
    following = save_next_version(published, created_by=None)
    following.refresh_from_db()
    assert following.figures is None and following.status == MarketAnalysis.Status.DRAFT
    assert following.needs_assessment == published.needs_assessment
    assert set(following.service_types.all()) == set(published.service_types.all())


def test_a_plans_next_version_copies_its_contents_with_links_to_the_copies(
    make_plan,  # noqa: F811
    commissioner,  # noqa: F811
    health_board,  # noqa: F811
):
    plan = builders.plan_content(
        actor=commissioner,
        plan=make_plan(),
        partner=health_board,
        service_type=ServiceType.objects.get(slug="befriending"),
    )
    plan.risks.update(intention=plan.intentions.get())
    following = save_next_version(
        plan, created_by=commissioner, status=CommissioningPlan.Status.DRAFTING
    )
    assert following.status == CommissioningPlan.Status.DRAFTING and following.version == 2
    assert set(following.areas.all()) == set(plan.areas.all())
    assert set(following.client_groups.all()) == set(plan.client_groups.all())
    for accessor in ("sections", "outcomes", "intentions", "appraisals", "risks", "resources"):
        assert getattr(following, accessor).count() == getattr(plan, accessor).count() > 0
    assert [s.body for s in following.sections.all()] == [s.body for s in plan.sections.all()]
    assert following.outcomes.get().indicators.count() == 1
    intention = following.intentions.get()
    assert list(intention.outcomes.all()) == list(following.outcomes.all())
    assert set(intention.areas.all()) == set(plan.intentions.get().areas.all())
    assert following.risks.get().intention == intention
    scores = OptionScore.objects.filter(option__appraisal__plan=following)
    assert scores.count() == OptionScore.objects.filter(option__appraisal__plan=plan).count()
    assert {score.criterion.appraisal.plan_id for score in scores} == {following.pk}
    # What this version went through stays with it.
    assert not StatusChange.objects.filter(plan=following).exists()
    assert not following.sign_offs.exists()
