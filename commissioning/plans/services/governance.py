"""Moving a plan through its stages, its sign-off and its publication."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.core.announcements import announce
from commissioning.plans import signals
from commissioning.plans.models import PLAN_MOVES, CommissioningPlan, SignOff, StatusChange
from commissioning.plans.selectors import current_sign_off, sent_for_approval
from commissioning.plans.services.editing import audit, lock_plan, refuse_markup

Status = CommissioningPlan.Status

# The moves a plan can make, forwards through the stages and back a step when work is undone.
MOVES = PLAN_MOVES


@transaction.atomic
def move_plan(
    *, actor: Any, plan: CommissioningPlan, to_status: str, reason: str
) -> CommissioningPlan:
    """Move the plan to its next stage (or back one), with the reason recorded."""
    plan = lock_plan(plan)
    require(actor, Action.MOVE, plan)
    refuse_markup({"reason": reason})
    if not plan.may_move_to(to_status):
        raise ValidationError(
            _("A plan cannot go from %(from)s to %(to)s.")
            % {
                "from": Status(plan.status).label,
                "to": Status(to_status).label if to_status in Status.values else to_status,
            },
            code="move",
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the move.")}, code="reason")
    if to_status == Status.PUBLISHED:
        _check_publishable(plan)
    before = snapshot(plan)
    StatusChange.objects.create(
        plan=plan,
        from_status=plan.status,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=acting_person(actor),
    )
    plan.save(update_fields=plan.enter(to_status))
    audit(
        actor,
        "plan.published" if to_status == Status.PUBLISHED else "plan.moved",
        plan,
        plan,
        before=before,
        after=snapshot(plan),
        reason=reason.strip(),
    )
    if to_status == Status.PUBLISHED:
        signals.plan_published.send(sender=CommissioningPlan, plan=plan)
    elif to_status == Status.APPROVAL:
        announce("plans.sign_off", plan.pk)  # the councillors who sign it off hear of it
    return plan


def _check_publishable(plan: CommissioningPlan) -> None:
    if current_sign_off(plan) is None:
        raise ValidationError(
            _(
                "The plan has not been signed off. A councillor signs it off, or a commissioner "
                "records the board's decision, before it is published."
            ),
            code="sign_off",
        )
    for record, label in (
        (plan.needs_assessment, _("needs assessment")),
        (plan.market_analysis, _("market analysis")),
    ):
        if record is not None and record.status != "published":
            raise ValidationError(
                _(
                    "The plan shows figures from a %(what)s that is still a draft (%(title)s): "
                    "publish it first, so that readers of the plan can see them."
                )
                % {"what": label, "title": record.title},
                code="evidence_draft",
            )
    if not plan.outcomes.exists() or not plan.intentions.exists():
        raise ValidationError(
            _("A published plan sets out at least one outcome and one commissioning intention."),
            code="content",
        )


@transaction.atomic
def sign_off_plan(
    *,
    actor: Any,
    plan: CommissioningPlan,
    kind: str,
    decided_on: date,
    board: str = "",
    reference: str = "",
    notes: str = "",
) -> SignOff:
    """A councillor signs the plan off, or a commissioner records a board's decision to approve
    it. Only a plan awaiting approval."""
    plan = lock_plan(plan)
    if plan.status != Status.APPROVAL:
        raise ValidationError(
            _("Only a plan awaiting approval can be signed off."), code="not_awaiting"
        )
    require(actor, Action.SIGN_OFF, plan)
    # Under the plan's lock, so that sign-offs sent at once record one decision.
    if current_sign_off(plan) is not None:
        raise ValidationError(
            _("This plan has already been signed off. It can now be published."),
            code="already_signed_off",
        )
    if kind in SignOff.Kind.values:
        # A councillor signs as scrutiny, a commissioner records the board's decision.
        require(actor, Action.SIGN_OFF, SignOff(plan=plan, kind=kind))
    refuse_markup({"board": board, "reference": reference, "notes": notes})
    if kind == SignOff.Kind.BOARD and not board.strip():
        raise ValidationError({"board": _("Name the board that made the decision.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    sign_off = SignOff(
        plan=plan,
        kind=kind,
        board=board.strip(),
        decided_on=decided_on,
        reference=reference.strip(),
        notes=notes,
        recorded_by=acting_person(actor),
        approval=sent_for_approval(plan),
    )
    sign_off.full_clean()
    sign_off.save()
    audit(actor, "plan.signed_off", sign_off, plan, after=snapshot(sign_off))
    return sign_off
