"""The plan itself: starting it, its scope, the evidence it draws on and its sections."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.plans.models import CommissioningPlan, PlanSection
from commissioning.plans.services.editing import (
    audit,
    check_period,
    lock_plan,
    refuse_markup,
    require_editable,
)


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    title: str,
    organisation: Any,
    client_groups: Iterable[Any],
    areas: Iterable[Any],
    first_year: int,
    last_year: int,
    cycle_model: Any,
    partnership: Any = None,
    summary: str = "",
    is_demonstration: bool = False,
) -> CommissioningPlan:
    """Start a plan in scoping, with the outline plan's sections ready to write."""
    plan = CommissioningPlan(
        title=title,
        organisation=organisation,
        partnership=partnership,
        cycle_model=cycle_model,
        first_year=first_year,
        last_year=last_year,
        summary=summary,
        created_by=acting_person(actor),
        is_demonstration=is_demonstration,
    )
    # A plan is led by a body (or partnership) in which the actor is a commissioner.
    require(actor, Action.CHANGE, plan)
    if partnership is not None and organisation.pk != partnership.lead_id:
        raise ValidationError(
            {"partnership": _("A joint plan is led by the partnership's lead commissioner.")},
            code="lead",
        )
    refuse_markup({"title": title, "summary": summary})
    check_period(first_year, last_year)
    client_groups = list(client_groups)
    areas = list(areas)
    if not client_groups:
        raise ValidationError({"client_groups": _("Choose at least one client group.")})
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    plan.full_clean()
    plan.save()
    plan.client_groups.set(client_groups)
    plan.areas.set(areas)
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, kind=kind, position=position)
        for position, kind in enumerate(PlanSection.Kind.values)
    )
    audit(actor, "plan.created", plan, plan, after=snapshot(plan))
    return plan


SCOPE_FIELDS = (
    "title",
    "summary",
    "scope_documents",
    "scope_citizens",
    "scope_commitments",
    "scope_services",
    "scope_timetable",
    "scope_citizen_involvement",
    "scope_stakeholder_involvement",
    "scope_team",
)


@transaction.atomic
def update_scope(
    *,
    actor: Any,
    plan: CommissioningPlan,
    first_year: int,
    last_year: int,
    client_groups: Iterable[Any],
    areas: Iterable[Any],
    **answers: str,
) -> CommissioningPlan:
    """The plan's title, period, client groups, areas and its answers to the scoping
    questions."""
    plan = lock_plan(plan)
    require_editable(actor, plan)
    unknown = set(answers) - set(SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"not scoping fields: {sorted(unknown)}")
    refuse_markup(answers)
    check_period(first_year, last_year)
    client_groups = list(client_groups)
    areas = list(areas)
    if not client_groups:
        raise ValidationError({"client_groups": _("Choose at least one client group.")})
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    before = snapshot(plan)
    for field, value in answers.items():
        setattr(plan, field, value)
    plan.first_year, plan.last_year = first_year, last_year
    plan.full_clean()
    plan.save()
    plan.client_groups.set(client_groups)
    plan.areas.set(areas)
    audit(actor, "plan.scope_changed", plan, plan, before=before, after=snapshot(plan))
    return plan


@transaction.atomic
def pin_evidence(
    *,
    actor: Any,
    plan: CommissioningPlan,
    needs_assessment: Any = None,
    market_analysis: Any = None,
) -> CommissioningPlan:
    """Pin the needs assessment and market analysis whose figures the plan's needs-assessment
    and service-review sections show. Both are immutable once published, so the plan shows the
    figures it was agreed on."""
    plan = lock_plan(plan)
    require_editable(actor, plan)
    for record in (needs_assessment, market_analysis):
        if record is not None:
            require(actor, Action.VIEW, record)
    before = snapshot(plan)
    plan.needs_assessment = needs_assessment
    plan.market_analysis = market_analysis
    plan.save(update_fields=["needs_assessment", "market_analysis", "updated_at"])
    audit(actor, "plan.evidence_pinned", plan, plan, before=before, after=snapshot(plan))
    return plan


@transaction.atomic
def save_section(*, actor: Any, plan: CommissioningPlan, kind: str, body: str) -> PlanSection:
    plan = lock_plan(plan)
    require_editable(actor, plan)
    refuse_markup({"body": body})
    section = PlanSection.objects.get(plan=plan, kind=kind)
    before = snapshot(section)
    section.body = body
    section.save(update_fields=["body", "updated_at"])
    audit(actor, "plan.section_changed", section, plan, before=before, after=snapshot(section))
    return section
