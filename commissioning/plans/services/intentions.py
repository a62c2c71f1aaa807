"""Commissioning intentions: what the plan will commission, for whom, how and with what
budget."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.plans.models import (
    CommissioningIntention,
    CommissioningPlan,
    PlanOutcome,
    financial_year,
)
from commissioning.plans.services.editing import (
    audit,
    lock_plan,
    refuse_markup,
    require_editable,
    to_decimal,
)


@transaction.atomic
def save_intention(
    *,
    actor: Any,
    plan: CommissioningPlan,
    intention: CommissioningIntention | None = None,
    title: str,
    kind: str,
    route: str,
    service_type: Any,
    client_group: Any,
    areas: Iterable[Any],
    current_budget: Decimal,
    planned_budget: Mapping[int, Decimal],
    rationale: str,
    risks: str = "",
    timetable: str = "",
    in_place_by: date | None = None,
    outcomes: Iterable[PlanOutcome] = (),
) -> CommissioningIntention:
    plan = lock_plan(plan)
    require_editable(actor, plan)
    if intention is not None and intention.plan_id != plan.pk:
        raise PermissionDenied
    refuse_markup({"title": title, "rationale": rationale, "risks": risks, "timetable": timetable})
    areas = list(areas)
    outcomes = list(outcomes)
    plan_areas = set(plan.areas.values_list("pk", flat=True))
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    if any(area.pk not in plan_areas for area in areas):
        raise ValidationError(
            {"areas": _("An intention covers some or all of the plan's own areas.")},
            code="areas",
        )
    if not plan.client_groups.filter(pk=client_group.pk).exists():
        raise ValidationError(
            {"client_group": _("Choose one of the plan's client groups.")}, code="client_group"
        )
    if any(outcome.plan_id != plan.pk for outcome in outcomes):
        raise PermissionDenied
    budget: dict[str, str] = {}
    for year, amount in sorted(planned_budget.items()):
        if year not in plan.years:
            raise ValidationError(
                {
                    "planned_budget": _("%(year)s is outside the plan's period (%(period)s).")
                    % {"year": financial_year(year), "period": plan.period_label}
                },
                code="budget_year",
            )
        value = to_decimal(amount, "planned_budget")
        if value < 0:
            raise ValidationError(
                {"planned_budget": _("A budget cannot be negative.")}, code="negative"
            )
        budget[str(year)] = str(value)
    before = snapshot(intention) if intention else None
    if intention is None:
        intention = CommissioningIntention(plan=plan, position=plan.intentions.count())
    intention.title = title
    intention.kind = kind
    intention.route = route
    intention.service_type = service_type
    intention.client_group = client_group
    intention.current_budget = to_decimal(current_budget, "current_budget")
    intention.planned_budget = budget
    intention.rationale = rationale
    intention.risks = risks
    intention.timetable = timetable
    intention.in_place_by = in_place_by
    intention.full_clean()
    intention.save()
    intention.areas.set(areas)
    intention.outcomes.set(outcomes)
    after = snapshot(intention) | {
        "areas": sorted(area.code for area in areas),
        "outcomes": sorted(outcome.pk for outcome in outcomes),
    }
    audit(actor, "plan.intention_saved", intention, plan, before=before, after=after)
    return intention


@transaction.atomic
def remove_intention(*, actor: Any, intention: CommissioningIntention) -> None:
    plan = lock_plan(intention.plan)
    require_editable(actor, plan)
    audit(actor, "plan.intention_removed", intention, plan, before=snapshot(intention))
    intention.delete()


def require_published_intention(intention: CommissioningIntention) -> CommissioningIntention:
    """Procurement exercises, grant rounds and in-house agreements start only from an intention
    in a published plan; the apps that secure services call this before they do."""
    if not intention.plan.is_public:
        raise ValidationError(
            _(
                "Services can be secured only for an intention in a published plan: publish "
                "%(plan)s first."
            )
            % {"plan": intention.plan.title},
            code="unpublished",
        )
    return intention
