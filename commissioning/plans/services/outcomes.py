"""Strategic outcomes and their indicators."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.plans.models import CommissioningPlan, FrameworkOutcome, Indicator, PlanOutcome
from commissioning.plans.services.editing import (
    audit,
    lock_plan,
    refuse_markup,
    require_editable,
    to_decimal,
)


@transaction.atomic
def save_outcome(
    *,
    actor: Any,
    plan: CommissioningPlan,
    outcome: PlanOutcome | None = None,
    framework_outcome: FrameworkOutcome | None = None,
    title: str = "",
    description: str = "",
) -> PlanOutcome:
    """A strategic outcome, chosen from a framework (its title taken from there unless given)
    or written locally."""
    plan = lock_plan(plan)
    require_editable(actor, plan)
    if outcome is not None and outcome.plan_id != plan.pk:
        raise PermissionDenied
    refuse_markup({"title": title, "description": description})
    title = title.strip() or (framework_outcome.localised_name if framework_outcome else "")
    if not title:
        raise ValidationError(
            {"title": _("Choose an outcome from a framework, or write a local one.")},
            code="required",
        )
    before = snapshot(outcome) if outcome else None
    if outcome is None:
        outcome = PlanOutcome(plan=plan, position=plan.outcomes.count())
    outcome.framework_outcome = framework_outcome
    outcome.title = title
    outcome.description = description
    outcome.full_clean()
    outcome.save()
    audit(
        actor,
        "plan.outcome_saved",
        outcome,
        plan,
        before=before,
        after=snapshot(outcome),
    )
    return outcome


@transaction.atomic
def remove_outcome(*, actor: Any, outcome: PlanOutcome) -> None:
    plan = lock_plan(outcome.plan)
    require_editable(actor, plan)
    before = snapshot(outcome)
    audit(actor, "plan.outcome_removed", outcome, plan, before=before)
    outcome.delete()


@transaction.atomic
def save_indicator(
    *,
    actor: Any,
    outcome: PlanOutcome,
    indicator: Indicator | None = None,
    name: str,
    kind: str,
    unit: str,
    baseline: Decimal,
    baseline_year: int,
    target: Decimal,
    target_year: int,
    data_source: str,
    trajectory: Mapping[int, Decimal] | None = None,
) -> Indicator:
    """An outcome or output measure: where it stands (baseline), where the plan means it to be
    (target), and the way there year by year (trajectory), with the source of its figures."""
    plan = lock_plan(outcome.plan)
    require_editable(actor, plan)
    if indicator is not None and indicator.outcome_id != outcome.pk:
        raise PermissionDenied
    refuse_markup({"name": name, "unit": unit, "data_source": data_source})
    if target_year <= baseline_year:
        raise ValidationError(
            {"target_year": _("The target year must come after the baseline year.")},
            code="years",
        )
    steps: dict[str, str] = {}
    for year, value in sorted((trajectory or {}).items()):
        if not baseline_year < year <= target_year:
            raise ValidationError(
                {
                    "trajectory": _(
                        "The trajectory gives %(year)s, outside the years from the baseline "
                        "(%(baseline)s) to the target (%(target)s)."
                    )
                    % {"year": year, "baseline": baseline_year, "target": target_year}
                },
                code="trajectory",
            )
        steps[str(year)] = str(to_decimal(value, "trajectory"))
    before = snapshot(indicator) if indicator else None
    if indicator is None:
        indicator = Indicator(outcome=outcome)
    indicator.name = name
    indicator.kind = kind
    indicator.unit = unit
    indicator.baseline = to_decimal(baseline, "baseline")
    indicator.baseline_year = baseline_year
    indicator.target = to_decimal(target, "target")
    indicator.target_year = target_year
    indicator.trajectory = steps
    indicator.data_source = data_source
    indicator.full_clean()
    indicator.save()
    audit(actor, "plan.indicator_saved", indicator, plan, before=before, after=snapshot(indicator))
    return indicator


@transaction.atomic
def remove_indicator(*, actor: Any, indicator: Indicator) -> None:
    plan = lock_plan(indicator.outcome.plan)
    require_editable(actor, plan)
    audit(actor, "plan.indicator_removed", indicator, plan, before=snapshot(indicator))
    indicator.delete()
