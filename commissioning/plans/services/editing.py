"""What every write to a plan shares: refused markup, the frozen plan and why, the plan's
lock, the audit event, the plan's period and numbers as entered."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event
from commissioning.core.access import Action, require
from commissioning.core.services import refuse_markup as refuse_markup
from commissioning.plans.models import CommissioningPlan, PlanEvent, financial_year


def frozen_message(plan: CommissioningPlan) -> str:
    """Why the plan's content cannot change now, and what to do instead."""
    if plan.is_public:
        return _(
            "This version of the plan is published and cannot change. Start its next "
            "version to make changes."
        )
    return _(
        "The plan is awaiting approval and cannot change. Send it back to drafting to make changes."
    )


def require_editable(actor: Any, plan: CommissioningPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(frozen_message(plan), code="frozen")
    require(actor, Action.CHANGE, plan)


def lock_plan(plan: CommissioningPlan) -> CommissioningPlan:
    return CommissioningPlan.objects.select_for_update().get(pk=plan.pk)


def audit(
    actor: Any,
    verb: str,
    target: Any,
    plan: CommissioningPlan,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """Record the event and put it on the plan's trail, which its commissioners and councillors
    read."""
    event = record_event(
        actor=actor,
        verb=verb,
        target=target,
        organisation=plan.organisation,
        before=before,
        after=after,
        reason=reason,
    )
    PlanEvent.objects.create(plan_id=plan.pk, event=event)


def check_period(first_year: int, last_year: int) -> None:
    longest = settings.PLAN_LONGEST_PERIOD_YEARS
    if last_year < first_year:
        raise ValidationError(
            {"last_year": _("The last year must be the first year or later.")}, code="period"
        )
    if last_year - first_year + 1 > longest:
        raise ValidationError(
            {
                "last_year": _(
                    "A plan covers at most %(years)s financial years; %(first)s to %(last)s is "
                    "%(count)s. Plans are refreshed yearly, so end it sooner."
                )
                % {
                    "years": longest,
                    "first": financial_year(first_year),
                    "last": financial_year(last_year),
                    "count": last_year - first_year + 1,
                }
            },
            code="period",
        )


def to_decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number, like 62.5.")}, code="number") from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number, like 62.5.")}, code="number")
    return number.quantize(Decimal("0.01"))
