"""Commissioning plans through their services: the stages, the content, sign-off, publication,
versions, and every refusal the issue names (nothing written, a message a person can act on)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.audit.models import AuditEvent
from commissioning.market.models import ServiceType
from commissioning.plans import selectors, services
from commissioning.plans.models import (
    CommissioningPlan,
    FrameworkOutcome,
    OptionScore,
    PlanSection,
)
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

Status = CommissioningPlan.Status


def _walk_to_approval(plan, actor):
    for status in (Status.ANALYSIS, Status.DRAFTING, Status.CONSULTATION, Status.APPROVAL):
        plan = services.move_plan(
            actor=actor, plan=plan, to_status=status, reason=f"Ready: {status}"
        )
    return plan


def _publish(plan, commissioner, councillor):
    plan = _walk_to_approval(plan, commissioner)
    services.sign_off_plan(
        actor=councillor, plan=plan, kind="scrutiny", decided_on=date(2026, 11, 1)
    )
    return services.move_plan(
        actor=commissioner, plan=plan, to_status=Status.PUBLISHED, reason="Signed off by Cabinet"
    )


def test_a_new_plan_has_the_outline_plans_sections_in_order(make_plan):
    plan = make_plan()
    assert plan.status == Status.SCOPING
    assert [s.kind for s in selectors.sections_of(plan)] == PlanSection.Kind.values
    assert plan.period_label == "2026/27 \N{EN DASH} 2029/30"
    assert AuditEvent.objects.filter(verb="plan.created", object_id=str(plan.pk)).exists()


def test_a_plan_goes_from_scoping_to_published_with_every_move_recorded(
    full_plan, commissioner, councillor
):
    plan = _publish(full_plan, commissioner, councillor)
    assert plan.status == Status.PUBLISHED and plan.published_at is not None
    history = list(selectors.status_history(plan).values_list("to_status", "reason"))
    assert [to for to, _ in history] == [
        "analysis",
        "drafting",
        "consultation",
        "approval",
        "published",
    ]
    assert all(reason for _, reason in history)
    moves = AuditEvent.objects.filter(
        object_id=str(plan.pk), verb__in=["plan.moved", "plan.published"]
    )
    assert moves.count() == 5
    assert moves.get(verb="plan.published").reason == "Signed off by Cabinet"


def test_moves_skip_no_stage_and_need_a_reason(make_plan, commissioner):
    plan = make_plan()
    with pytest.raises(ValidationError, match="cannot go from Scoping to Published"):
        services.move_plan(actor=commissioner, plan=plan, to_status="published", reason="Now")
    with pytest.raises(ValidationError) as caught:
        services.move_plan(actor=commissioner, plan=plan, to_status="analysis", reason="  ")
    assert "reason" in caught.value.error_dict
    plan.refresh_from_db()
    assert plan.status == Status.SCOPING and not plan.status_changes.exists()


def test_publishing_without_sign_off_is_refused(full_plan, commissioner):
    plan = _walk_to_approval(full_plan, commissioner)
    with pytest.raises(ValidationError, match="has not been signed off"):
        services.move_plan(actor=commissioner, plan=plan, to_status="published", reason="Go")
    plan.refresh_from_db()
    assert plan.status == Status.APPROVAL and plan.published_at is None


def test_a_sign_off_before_the_plan_was_sent_back_no_longer_counts(
    full_plan, commissioner, councillor
):
    plan = _walk_to_approval(full_plan, commissioner)
    services.sign_off_plan(
        actor=councillor, plan=plan, kind="scrutiny", decided_on=date(2026, 9, 1)
    )
    plan = services.move_plan(actor=commissioner, plan=plan, to_status="drafting", reason="Fix")
    plan = services.move_plan(actor=commissioner, plan=plan, to_status="approval", reason="Fixed")
    assert services.current_sign_off(plan) is None
    with pytest.raises(ValidationError, match="signed off"):
        services.move_plan(actor=commissioner, plan=plan, to_status="published", reason="Go")


def test_a_board_decision_is_recorded_by_a_commissioner_and_a_councillor_signs_in_person(
    full_plan, commissioner, councillor, board_commissioner
):
    plan = _walk_to_approval(full_plan, commissioner)
    with pytest.raises(PermissionDenied):  # a commissioner cannot sign as a councillor
        services.sign_off_plan(
            actor=commissioner, plan=plan, kind="scrutiny", decided_on=date(2026, 9, 1)
        )
    with pytest.raises(PermissionDenied):  # nor a councillor record a board
        services.sign_off_plan(
            actor=councillor, plan=plan, kind="board", board="JCB", decided_on=date(2026, 9, 1)
        )
    with pytest.raises(ValidationError, match="Name the board"):
        services.sign_off_plan(
            actor=board_commissioner, plan=plan, kind="board", decided_on=date(2026, 9, 1)
        )
    sign_off = services.sign_off_plan(
        actor=board_commissioner,
        plan=plan,
        kind="board",
        board="Northvale Joint Commissioning Board",
        reference="JCB/2026/14",
        decided_on=date(2026, 9, 1),
    )
    assert services.current_sign_off(plan) == sign_off
    assert AuditEvent.objects.filter(verb="plan.signed_off").count() == 1


def test_only_a_plan_awaiting_approval_is_signed_off(make_plan, councillor):
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.sign_off_plan(
            actor=councillor, plan=make_plan(), kind="scrutiny", decided_on=date(2026, 9, 1)
        )


def test_an_edit_to_a_published_version_is_refused_and_nothing_is_written(
    full_plan, commissioner, councillor
):
    plan = _publish(full_plan, commissioner, councillor)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="published and cannot change"):
        services.save_section(actor=commissioner, plan=plan, kind="introduction", body="New")
    with pytest.raises(ValidationError, match="published"):
        services.save_risk(
            actor=commissioner,
            plan=plan,
            description="x",
            likelihood=1,
            impact=1,
            owner="x",
            mitigation="x",
            review_on=date(2027, 1, 1),
        )
    assert PlanSection.objects.get(plan=plan, kind="introduction").body == ""
    assert AuditEvent.objects.count() == events


def test_a_plan_awaiting_approval_is_frozen_until_sent_back(full_plan, commissioner):
    plan = _walk_to_approval(full_plan, commissioner)
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.save_section(actor=commissioner, plan=plan, kind="introduction", body="Late")


def test_the_next_version_copies_everything_and_the_comparison_reads_the_changes(
    full_plan, commissioner, councillor
):
    services.save_section(
        actor=commissioner, plan=full_plan, kind="introduction", body="Our vision.\n\nFirst year."
    )
    published = _publish(full_plan, commissioner, councillor)
    with pytest.raises(ValidationError):  # a reason is required
        services.start_next_version(actor=commissioner, plan=published, reason="")
    refreshed = services.start_next_version(
        actor=commissioner, plan=published, reason="Yearly refresh"
    )
    assert refreshed.version == 2 and refreshed.status == Status.DRAFTING
    assert refreshed.previous_version == published
    assert refreshed.outcomes.get().indicators.count() == 1
    intention = refreshed.intentions.get()
    assert intention.outcomes.get() == refreshed.outcomes.get()  # linked to the copy
    assert OptionScore.objects.filter(option__appraisal__plan=refreshed).count() == 12
    assert refreshed.resources.count() == 2 and refreshed.risks.count() == 1
    with pytest.raises(ValidationError, match="already been started"):
        services.start_next_version(actor=commissioner, plan=published, reason="Again")

    services.save_section(
        actor=commissioner, plan=refreshed, kind="introduction", body="Our vision.\n\nSecond year."
    )
    changes = {part.title: part for part in selectors.compare_versions(published, refreshed)}
    introduction = changes["Introduction"]
    assert introduction.changed
    assert [(line.kind, line.text) for line in introduction.lines if line.kind != "same"] == [
        ("removed", "First year."),
        ("added", "Second year."),
    ]
    assert not changes["Risk register"].changed
    # The published version is untouched.
    assert PlanSection.objects.get(plan=published, kind="introduction").body.endswith("First year.")
    assert [v.version for v in selectors.versions_of(refreshed, commissioner)] == [1, 2]


def test_a_plan_longer_than_allowed_is_refused(make_plan, settings):
    settings.PLAN_LONGEST_PERIOD_YEARS = 5
    with pytest.raises(ValidationError, match="at most 5 financial years"):
        make_plan(first_year=2026, last_year=2031)
    assert not CommissioningPlan.objects.exists()
    with pytest.raises(ValidationError, match="first year or later"):
        make_plan(first_year=2026, last_year=2025)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "Fine text <img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>click</a>",
        "<!-- hidden -->",
    ],
)
def test_script_or_markup_in_narrative_is_refused(make_plan, commissioner, body):
    plan = make_plan()
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=commissioner, plan=plan, kind="introduction", body=body)
    assert "HTML tags" in caught.value.message_dict["body"][0]
    assert PlanSection.objects.get(plan=plan, kind="introduction").body == ""


def test_markdown_and_comparisons_are_not_markup(make_plan, commissioner):
    plan = make_plan()
    section = services.save_section(
        actor=commissioner,
        plan=plan,
        kind="needs",
        body="## Findings\n\n* People aged <65 are 3 < 4 of the total\n* **Rising**",
    )
    assert section.body.startswith("## Findings")


def test_outcomes_come_from_a_framework_or_are_local(make_plan, commissioner):
    plan = make_plan()
    domain = FrameworkOutcome.objects.get(framework__slug="ascof-2014", code="2")
    framed = services.save_outcome(actor=commissioner, plan=plan, framework_outcome=domain)
    local = services.save_outcome(actor=commissioner, plan=plan, title="Carers get a break")
    assert framed.title == "Delaying and reducing the need for care and support"
    assert not framed.is_local and local.is_local
    with pytest.raises(ValidationError, match="Choose an outcome"):
        services.save_outcome(actor=commissioner, plan=plan)


def test_an_indicators_trajectory_stays_between_baseline_and_target(make_plan, commissioner):
    outcome = services.save_outcome(actor=commissioner, plan=make_plan(), title="Independence")
    common = {
        "actor": commissioner,
        "outcome": outcome,
        "name": "Reablement",
        "kind": "outcome",
        "unit": "%",
        "baseline": Decimal(70),
        "baseline_year": 2025,
        "target": Decimal(80),
        "data_source": "SALT",
    }
    with pytest.raises(ValidationError, match="after the baseline year"):
        services.save_indicator(**common, target_year=2025)
    with pytest.raises(ValidationError, match="outside the years"):
        services.save_indicator(**common, target_year=2028, trajectory={2030: Decimal(75)})
    indicator = services.save_indicator(**common, target_year=2028, trajectory={2026: "72.5"})
    assert indicator.trajectory_rows() == [(2026, Decimal("72.50"))]


def test_an_intention_stays_within_the_plans_areas_client_groups_and_years(
    make_plan, commissioner, older_people, areas
):
    plan = make_plan()
    common = {
        "actor": commissioner,
        "plan": plan,
        "title": "Home care",
        "kind": "continue",
        "route": "procurement",
        "service_type": ServiceType.objects.get(slug="home_care"),
        "client_group": older_people,
        "areas": areas,
        "current_budget": Decimal(1000),
        "rationale": "Demand is steady.",
    }
    with pytest.raises(ValidationError, match="outside the plan's period"):
        services.save_intention(**common, planned_budget={2035: Decimal(1)})
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.save_intention(**common, planned_budget={2026: Decimal(-5)})
    from commissioning.core.models import Area, ClientGroup

    with pytest.raises(ValidationError, match="plan's own areas"):
        services.save_intention(
            **{**common, "areas": [Area.objects.get(code="E08000001")]}, planned_budget={}
        )
    with pytest.raises(ValidationError, match="plan's client groups"):
        services.save_intention(
            **{**common, "client_group": ClientGroup.objects.get(slug="carers")}, planned_budget={}
        )
    assert not plan.intentions.exists()
    intention = services.save_intention(**common, planned_budget={2027: "1200.50"})
    assert intention.budget_rows() == [(2027, Decimal("1200.50"))]


def test_only_intentions_of_published_plans_can_be_secured(full_plan, commissioner, councillor):
    intention = full_plan.intentions.get()
    with pytest.raises(ValidationError, match="publish"):
        services.require_published_intention(intention)
    _publish(full_plan, commissioner, councillor)
    intention.refresh_from_db()
    assert services.require_published_intention(intention) == intention
    assert list(selectors.published_intentions()) == [intention]


def test_weights_that_do_not_sum_to_100_cannot_be_agreed(make_plan, commissioner):
    appraisal = services.create_appraisal(
        actor=commissioner,
        plan=make_plan(),
        title="Make or buy",
        question="Which?",
        options=["In-house", "Buy"],
    )
    criteria = [{"name": c.name, "weight": c.weight} for c in appraisal.criteria.all()]
    criteria[0]["weight"] = Decimal(20)  # 95 in all
    services.save_criteria(actor=commissioner, appraisal=appraisal, criteria=criteria)
    with pytest.raises(ValidationError, match="add up to 95%"):
        services.agree_weights(
            actor=commissioner, appraisal=appraisal, agreed_by="Board", agreed_on=date(2026, 5, 1)
        )
    appraisal.refresh_from_db()
    assert not appraisal.weights_agreed


def test_options_are_scored_only_after_the_weights_are_agreed_and_then_weights_are_fixed(
    make_plan, commissioner
):
    appraisal = services.create_appraisal(
        actor=commissioner,
        plan=make_plan(),
        title="Make or buy",
        question="Which?",
        options=["In-house", "Buy"],
    )
    option = appraisal.options.first()
    scores = {c.pk: (Decimal(5), "Even") for c in appraisal.criteria.all()}
    with pytest.raises(ValidationError, match="Agree the weights"):
        services.score_option(actor=commissioner, option=option, scores=scores)
    services.agree_weights(
        actor=commissioner, appraisal=appraisal, agreed_by="Cabinet", agreed_on=date(2026, 5, 1)
    )
    with pytest.raises(ValidationError, match="no longer change"):
        services.save_criteria(
            actor=commissioner, appraisal=appraisal, criteria=[{"name": "Cost", "weight": 100}]
        )
    bad = dict(scores)
    first = next(iter(bad))
    bad[first] = (Decimal(11), "")
    with pytest.raises(ValidationError) as caught:
        services.score_option(actor=commissioner, option=option, scores=bad)
    assert set(caught.value.error_dict) == {f"score_{first}", f"rationale_{first}"}
    assert not OptionScore.objects.exists()


def test_appraisal_results_rank_the_options_and_show_sensitivity(full_plan):
    results = selectors.appraisal_results(full_plan.appraisals.get())
    assert results.complete
    assert results.preferred == ["Grant-fund community groups"]
    assert [row.rank for row in results.rows] == [1, 2]
    assert results.rows[0].total == pytest.approx(7.0)
    # Every criterion scores the second option higher: no weight change alone alters that.
    assert all(item["robust"] for item in results.sensitivity)


def test_risks_are_rated_likelihood_times_impact(full_plan):
    risk = selectors.risks_of(full_plan)[0]
    assert risk.score == 12 and risk.rating == "High"


def test_resources_summarise_by_stream_partner_and_pooled_fund(full_plan, commissioner):
    tables = selectors.resource_tables(full_plan)
    assert tables["by_stream"].total == Decimal("650000")
    assert tables["pooled"].total == Decimal("250000")
    assert [row[0] for row in tables["by_partner"].rows] == [
        "Northvale Council",
        "Northvale Health Board",
    ]
    with pytest.raises(ValidationError, match="plan's years"):
        services.save_resource(
            actor=commissioner, plan=full_plan, funding_stream="BCF", year=2040, amount=Decimal(1)
        )
    stranger = OrganisationFactory(commissioning_body=True)
    with pytest.raises(ValidationError, match="partnership's members"):
        services.save_resource(
            actor=commissioner,
            plan=full_plan,
            funding_stream="BCF",
            year=2026,
            amount=Decimal(1),
            partner=stranger,
        )


def test_a_pooled_fund_needs_a_joint_plan(make_plan, commissioner):
    plan = make_plan(partnership=None, title="Council-only plan")
    with pytest.raises(ValidationError, match="Only a joint plan"):
        services.save_resource(
            actor=commissioner,
            plan=plan,
            funding_stream="BCF",
            year=2026,
            amount=Decimal(1),
            is_pooled=True,
        )


def test_people_outside_the_responsible_bodies_cannot_write(make_plan, council):
    plan = make_plan()
    provider_user = PersonFactory()
    MembershipFactory(
        person=provider_user,
        organisation=OrganisationFactory(third_sector_charity=True),
        role="provider_user",
    )
    procurement = PersonFactory()
    MembershipFactory(person=procurement, organisation=council, role="procurement_officer")
    for person in (provider_user, procurement):
        with pytest.raises(PermissionDenied):
            services.save_section(actor=person, plan=plan, kind="introduction", body="Mine")
        with pytest.raises(PermissionDenied):
            services.move_plan(actor=person, plan=plan, to_status="analysis", reason="Mine")


def test_a_partner_bodys_commissioner_writes_the_joint_plan(make_plan, board_commissioner):
    plan = make_plan()
    services.save_section(actor=board_commissioner, plan=plan, kind="monitoring", body="Quarterly")


def test_drafts_are_seen_by_the_responsible_bodies_and_published_plans_by_everyone(
    full_plan, commissioner, councillor, board_commissioner
):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    outsider = PersonFactory()
    MembershipFactory(
        person=outsider,
        organisation=OrganisationFactory(commissioning_body=True),
        role="commissioner",
    )
    assert list(selectors.plans_visible_to(board_commissioner)) == [full_plan]
    assert not selectors.plans_visible_to(anonymous).exists()
    assert not selectors.plans_visible_to(outsider).exists()
    _publish(full_plan, commissioner, councillor)
    assert list(selectors.plans_visible_to(anonymous)) == [full_plan]
    assert list(selectors.plans_visible_to(outsider)) == [full_plan]


def test_a_joint_plan_is_led_by_the_partnerships_lead(make_plan, health_board):
    with pytest.raises(ValidationError, match="lead commissioner"):
        make_plan(organisation=health_board)


def test_a_decision_cannot_be_dated_in_the_future(full_plan, commissioner, councillor):
    plan = _walk_to_approval(full_plan, commissioner)
    with pytest.raises(ValidationError, match="future"):
        services.sign_off_plan(
            actor=councillor,
            plan=plan,
            kind="scrutiny",
            decided_on=date.today() + timedelta(days=2),
        )
