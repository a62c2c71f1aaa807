"""A published plan's refresh: its next version."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.core.published import save_next_version
from commissioning.plans.models import CommissioningPlan, StatusChange
from commissioning.plans.services.editing import audit, lock_plan

Status = CommissioningPlan.Status


@transaction.atomic
def start_next_version(*, actor: Any, plan: CommissioningPlan, reason: str) -> CommissioningPlan:
    """Refresh a published plan: its next version starts in drafting as a copy of everything in
    it (what that is, the plan's model declares), and the published version stays as it was
    until the next is published."""
    plan = lock_plan(plan)
    require(actor, Action.START_NEXT_VERSION, plan)
    if not plan.is_public:
        raise ValidationError(
            _("Only a published plan has a next version; change this one directly."),
            code="not_published",
        )
    if CommissioningPlan.objects.filter(previous_version=plan).exists():
        raise ValidationError(
            _("This plan's next version has already been started."), code="exists"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new version.")})
    copy = save_next_version(plan, created_by=acting_person(actor), status=Status.DRAFTING)
    StatusChange.objects.create(
        plan=copy,
        from_status=Status.PUBLISHED,
        to_status=Status.DRAFTING,
        reason=reason.strip(),
        changed_by=acting_person(actor),
    )
    audit(
        actor,
        "plan.next_version_started",
        copy,
        copy,
        after=snapshot(copy),
        reason=reason.strip(),
    )
    return copy
