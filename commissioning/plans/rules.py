"""Access rules for commissioning plans, registered with core's `access` at start-up.

A published plan (and one under review) is public: it is what providers and citizens read. Until
then a plan is seen by the people of the body that leads it and of the partnership's member
bodies. Their commissioners write it while it is being scoped, analysed, drafted or consulted
on; nobody changes it once it awaits approval or is published. Councillors (the scrutiny role)
sign it off; a commissioner may record a board's decision instead.

The plan's verbs are asked here and nowhere else: `Action.MOVE` (between stages),
`Action.SIGN_OFF` (on the plan: may this person record any sign-off; on an unsaved
`SignOff(plan=..., kind=...)`: may they record that kind), `Action.START_NEXT_VERSION`."""

from typing import Any

from django.db.models import Q

from commissioning.core.access import (
    Action,
    acting_person,
    can,
    holds_role_in,
    is_commissioner_of,
    is_platform_admin,
    is_signed_in,
    roles_by_organisation,
    rule_for,
)
from commissioning.core.models import Role
from commissioning.core.published import visible_to
from commissioning.plans.models import (
    AppraisalCriterion,
    AppraisalOption,
    CommissioningIntention,
    CommissioningPlan,
    FrameworkOutcome,
    Indicator,
    OptionsAppraisal,
    OutcomeFramework,
    PlanOutcome,
    PlanSection,
    Referral,
    ResourceLine,
    Risk,
    SignOff,
)


def plan_scope(person: Any) -> Q:
    return visible_to(person, CommissioningPlan)


def responsible_bodies(plan: CommissioningPlan) -> set[int]:
    """The lead body and, for a joint plan, every member of the partnership."""
    cached = getattr(plan, "_responsible_bodies", None)
    if cached is None:
        cached = {plan.organisation_id}
        if plan.partnership_id:
            cached |= set(
                plan.partnership.members.values_list("pk", flat=True)  # type: ignore[union-attr]
            )
        plan._responsible_bodies = cached  # type: ignore[attr-defined]
    return cached


def has_role_for(person: Any, plan: CommissioningPlan, role: str) -> bool:
    if not is_signed_in(person):
        return False
    return holds_role_in(person, role, responsible_bodies(plan))


def is_plan_commissioner(person: Any, plan: CommissioningPlan) -> bool:
    """A commissioner of the lead body or of a partner body (or a platform administrator):
    the people who write the plan and move it through its stages."""
    return is_commissioner_of(person, responsible_bodies(plan))


def may_create_plan(person: Any) -> bool:
    return is_platform_admin(person) or any(
        Role.COMMISSIONER in roles for roles in roles_by_organisation(person).values()
    )


def may_see_governance(person: Any, plan: CommissioningPlan) -> bool:
    """The stages, sign-off and versions page: the plan's commissioners and councillors."""
    return is_plan_commissioner(person, plan) or has_role_for(person, plan, Role.SCRUTINY)


def _is_platform_itself(person: Any) -> bool:
    return is_platform_admin(person) and acting_person(person) is None


@rule_for(CommissioningPlan)
def _plan(person: Any, action: Action, plan: CommissioningPlan) -> bool:
    if action == Action.VIEW:
        if plan.pk is None:
            return False
        if plan.status in CommissioningPlan.PUBLIC:
            return True
        return CommissioningPlan.objects.filter(plan_scope(person), pk=plan.pk).exists()
    if action == Action.CHANGE:
        if plan.pk is None:
            # Starting a plan: a commissioner somewhere, or, once the lead body is chosen, one
            # of that body or of the partnership's members.
            if plan.organisation_id is None:
                return may_create_plan(person)
            return is_plan_commissioner(person, plan)
        return plan.is_editable and is_plan_commissioner(person, plan)
    if action in (Action.SIGN_OFF, Action.DECIDE):
        # Signing off: a councillor of a responsible body, or a commissioner recording a board.
        return plan.status == CommissioningPlan.Status.APPROVAL and (
            is_platform_admin(person)
            or has_role_for(person, plan, Role.SCRUTINY)
            or has_role_for(person, plan, Role.COMMISSIONER)
        )
    if action == Action.MOVE:
        # Which moves the stage allows is the plan's own rule (`CommissioningPlan.MOVES`).
        return is_plan_commissioner(person, plan)
    if action == Action.START_NEXT_VERSION:
        # Whether this version may have a next one yet is checked by the service, which says why.
        return is_plan_commissioner(person, plan)
    if action == Action.VIEW_AUDIT:
        # The plan's trail: its commissioners, and the councillors who scrutinise and sign it.
        return may_see_governance(person, plan)
    return False


def may_set_aside_holds(person: Any, plan: CommissioningPlan) -> bool:
    """Who may move a plan on although something holds it back (`core.holds`), recording why:
    a commissioner of the lead body (or a platform administrator), not of a partner alone."""
    return is_commissioner_of(person, [plan.organisation_id])


@rule_for(Referral)
def _referral(person: Any, action: Action, referral: Referral) -> bool:
    plan = referral.plan
    if action in (Action.VIEW, Action.VIEW_AUDIT):
        return may_see_governance(person, plan)
    if action == Action.SIGN_OFF:
        # Referring back instead of signing off: a councillor of a responsible body, while the
        # plan awaits approval. The platform itself (loading the demonstration) may too.
        return plan.status == CommissioningPlan.Status.APPROVAL and (
            has_role_for(person, plan, Role.SCRUTINY) or _is_platform_itself(person)
        )
    if action == Action.CHANGE:
        # Answering the comments: the plan's commissioners.
        return is_plan_commissioner(person, plan)
    return False


@rule_for(SignOff)
def _sign_off(person: Any, action: Action, sign_off: SignOff) -> bool:
    if action != Action.SIGN_OFF:
        return can(person, action, sign_off.plan)
    # A councillor signs off as scrutiny; a commissioner records the board's decision. The
    # platform itself (loading the demonstration) may record either.
    if not can(person, Action.SIGN_OFF, sign_off.plan):
        return False
    if sign_off.kind == SignOff.Kind.SCRUTINY:
        return has_role_for(person, sign_off.plan, Role.SCRUTINY) or _is_platform_itself(person)
    if sign_off.kind == SignOff.Kind.BOARD:
        return is_plan_commissioner(person, sign_off.plan)
    return False


@rule_for(PlanSection)
@rule_for(PlanOutcome)
@rule_for(CommissioningIntention)
@rule_for(OptionsAppraisal)
@rule_for(Risk)
@rule_for(ResourceLine)
def _part_of_plan(person: Any, action: Action, part: Any) -> bool:
    # Every part of a plan is seen and changed with the plan itself.
    return can(person, action, part.plan)


@rule_for(Indicator)
def _indicator(person: Any, action: Action, indicator: Indicator) -> bool:
    return can(person, action, indicator.outcome.plan)


@rule_for(AppraisalCriterion)
@rule_for(AppraisalOption)
def _part_of_appraisal(person: Any, action: Action, part: Any) -> bool:
    return can(person, action, part.appraisal.plan)


@rule_for(OutcomeFramework)
@rule_for(FrameworkOutcome)
def _framework(person: Any, action: Action, record: Any) -> bool:
    # Outcome frameworks are published reference data; platform administrators keep them.
    if action == Action.VIEW:
        return True
    return action in (Action.CHANGE, Action.VIEW_AUDIT) and is_platform_admin(person)
