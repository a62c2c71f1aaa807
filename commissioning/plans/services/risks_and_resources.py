"""The plan's risk register and the resources it can draw on."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.plans.models import CommissioningIntention, CommissioningPlan, ResourceLine, Risk
from commissioning.plans.rules import responsible_bodies
from commissioning.plans.services.editing import (
    audit,
    lock_plan,
    refuse_markup,
    require_editable,
    to_decimal,
)


@transaction.atomic
def save_risk(
    *,
    actor: Any,
    plan: CommissioningPlan,
    risk: Risk | None = None,
    description: str,
    likelihood: int,
    impact: int,
    owner: str,
    mitigation: str,
    review_on: date,
    intention: CommissioningIntention | None = None,
) -> Risk:
    plan = lock_plan(plan)
    require_editable(actor, plan)
    if (risk is not None and risk.plan_id != plan.pk) or (
        intention is not None and intention.plan_id != plan.pk
    ):
        raise PermissionDenied
    refuse_markup({"description": description, "owner": owner, "mitigation": mitigation})
    before = snapshot(risk) if risk else None
    if risk is None:
        risk = Risk(plan=plan)
    risk.description = description
    risk.likelihood = likelihood
    risk.impact = impact
    risk.owner = owner
    risk.mitigation = mitigation
    risk.review_on = review_on
    risk.intention = intention
    risk.full_clean()
    risk.save()
    audit(actor, "plan.risk_saved", risk, plan, before=before, after=snapshot(risk))
    return risk


@transaction.atomic
def remove_risk(*, actor: Any, risk: Risk) -> None:
    plan = lock_plan(risk.plan)
    require_editable(actor, plan)
    audit(actor, "plan.risk_removed", risk, plan, before=snapshot(risk))
    risk.delete()


@transaction.atomic
def save_resource(
    *,
    actor: Any,
    plan: CommissioningPlan,
    resource: ResourceLine | None = None,
    funding_stream: str,
    year: int,
    amount: Decimal,
    partner: Any = None,
    is_pooled: bool = False,
    notes: str = "",
) -> ResourceLine:
    plan = lock_plan(plan)
    require_editable(actor, plan)
    if resource is not None and resource.plan_id != plan.pk:
        raise PermissionDenied
    refuse_markup({"funding_stream": funding_stream, "notes": notes})
    if year not in plan.years:
        raise ValidationError(
            {
                "year": _("Choose one of the plan's years (%(period)s).")
                % {"period": plan.period_label}
            },
            code="year",
        )
    if partner is not None and partner.pk not in responsible_bodies(plan):
        raise ValidationError(
            {"partner": _("Choose the lead body or one of the partnership's members.")},
            code="partner",
        )
    if is_pooled and plan.partnership_id is None:
        raise ValidationError(
            {"is_pooled": _("Only a joint plan has a pooled fund: this plan has no partnership.")},
            code="pooled",
        )
    before = snapshot(resource) if resource else None
    if resource is None:
        resource = ResourceLine(plan=plan)
    resource.funding_stream = funding_stream.strip()
    resource.year = year
    resource.amount = to_decimal(amount, "amount")
    resource.partner = partner
    resource.is_pooled = is_pooled
    resource.notes = notes
    resource.full_clean()
    resource.save()
    audit(actor, "plan.resource_saved", resource, plan, before=before, after=snapshot(resource))
    return resource


@transaction.atomic
def remove_resource(*, actor: Any, resource: ResourceLine) -> None:
    plan = lock_plan(resource.plan)
    require_editable(actor, plan)
    audit(actor, "plan.resource_removed", resource, plan, before=snapshot(resource))
    resource.delete()
