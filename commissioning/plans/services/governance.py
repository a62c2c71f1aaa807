"""Moving a plan through its stages, its sign-off and its publication."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import snapshot
from commissioning.core.access import Action, acting_person, can, require
from commissioning.core.announcements import announce
from commissioning.core.holds import holds_on
from commissioning.market import services as market_services
from commissioning.needs import services as needs_services
from commissioning.plans import selectors, signals
from commissioning.plans.models import (
    PLAN_MOVES,
    CommissioningPlan,
    Referral,
    SignOff,
    StatusChange,
)
from commissioning.plans.rules import may_set_aside_holds
from commissioning.plans.selectors import current_sign_off, sent_for_approval
from commissioning.plans.services.editing import audit, lock_plan, refuse_markup

Status = CommissioningPlan.Status

# The moves a plan can make, forwards through the stages and back a step when work is undone.
MOVES = PLAN_MOVES


@transaction.atomic
def move_plan(
    *,
    actor: Any,
    plan: CommissioningPlan,
    to_status: str,
    reason: str,
    why_set_aside: str = "",
    publish_evidence: bool = False,
) -> CommissioningPlan:
    """Move the plan to its next stage (or back one), with the reason recorded.

    What the apps built on plans hold it back for (`core.holds`: a consultation still open, one
    closed without "you said, we did") refuses the move, unless a commissioner of the lead body
    records `why_set_aside`, kept with the move and shown to the councillor. Publishing a plan
    that rests on a draft needs assessment or market analysis publishes it too when
    `publish_evidence` is given and the person may publish it; otherwise it is refused."""
    plan = lock_plan(plan)
    require(actor, Action.MOVE, plan)
    refuse_markup({"reason": reason, "why_set_aside": why_set_aside})
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
    if to_status == Status.APPROVAL and selectors.unanswered_referrals(plan):
        raise ValidationError(
            _(
                "A councillor referred the plan back with comments that are not answered yet. "
                "Answer them before sending the plan for approval again."
            ),
            code="referral",
        )
    if to_status == Status.PUBLISHED:
        _check_publishable(plan)
    set_aside = _holds_set_aside(actor, plan, to_status, why_set_aside)
    if to_status == Status.PUBLISHED:
        _publish_evidence(actor, plan, publish_evidence)
    before = snapshot(plan)
    StatusChange.objects.create(
        plan=plan,
        from_status=plan.status,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=acting_person(actor),
        set_aside=set_aside,
        why_set_aside=why_set_aside.strip() if set_aside else "",
    )
    plan.save(update_fields=plan.enter(to_status))
    audit(
        actor,
        "plan.published" if to_status == Status.PUBLISHED else "plan.moved",
        plan,
        plan,
        before=before,
        after=snapshot(plan),
        reason=reason.strip()
        + (f"\n{why_set_aside.strip()}" if set_aside and why_set_aside.strip() else ""),
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
    if not plan.outcomes.exists() or not plan.intentions.exists():
        raise ValidationError(
            _("A published plan sets out at least one outcome and one commissioning intention."),
            code="content",
        )


def _holds_set_aside(
    actor: Any, plan: CommissioningPlan, to_status: str, why: str
) -> list[dict[str, str]]:
    """The holds on the move, when a person who may set them aside says why; refused
    otherwise. None when nothing holds the plan back."""
    holds = holds_on("plan", plan, to_status)
    if not holds:
        return []
    if not may_set_aside_holds(actor, plan):
        raise ValidationError(
            " ".join(hold.message for hold in holds)
            + " "
            + _(
                "Only a commissioner of the lead body can move the plan on regardless, "
                "recording why."
            ),
            code="held",
        )
    if not why.strip():
        raise ValidationError(
            {
                "why_set_aside": " ".join(hold.message for hold in holds)
                + " "
                + _(
                    "Put this right first, or say why the plan should move on regardless: the "
                    "councillor who signs it off reads your reason."
                )
            },
            code="held",
        )
    return [{"code": hold.code, "message": hold.message} for hold in holds]


def _publish_evidence(actor: Any, plan: CommissioningPlan, publish_too: bool) -> None:
    """A published plan links to the needs assessment and market analysis it shows: they are
    published with it when the person asked and may, or the plan waits for them."""
    for record, label, publish in (
        (
            plan.needs_assessment,
            _("needs assessment"),
            lambda r: needs_services.publish_assessment(actor=actor, assessment=r),
        ),
        (
            plan.market_analysis,
            _("market analysis"),
            lambda r: market_services.publish_analysis(actor=actor, analysis=r),
        ),
    ):
        if record is None or record.status in type(record).PUBLIC:
            continue
        may_publish = can(actor, Action.CHANGE, record)
        if publish_too and may_publish:
            try:
                publish(record)
            except ValidationError as exc:
                raise ValidationError(
                    _("The %(what)s %(title)s could not be published: %(why)s")
                    % {"what": label, "title": record.title, "why": " ".join(exc.messages)},
                    code="evidence_draft",
                ) from None
            continue
        if may_publish:
            message = _(
                "The plan shows figures from a %(what)s that is still a draft (%(title)s). "
                "Readers of the published plan could not open it: publish it with the plan "
                "(tick the box to publish it too), or publish it first."
            )
        else:
            message = _(
                "The plan shows figures from a %(what)s that is still a draft (%(title)s). "
                "Readers of the published plan could not open it, and you cannot publish it: "
                "ask its commissioners to publish it first."
            )
        raise ValidationError(
            message % {"what": label, "title": record.title}, code="evidence_draft"
        )


def drafts_to_publish_with(plan: CommissioningPlan, person: Any) -> list[Any]:
    """The drafts the plan rests on that this person could publish with it."""
    return [
        record
        for record in (plan.needs_assessment, plan.market_analysis)
        if record is not None
        and record.status not in type(record).PUBLIC
        and can(person, Action.CHANGE, record)
    ]


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


@transaction.atomic
def refer_back(*, actor: Any, plan: CommissioningPlan, comments: str) -> Referral:
    """A councillor refers the plan back to its commissioners with comments instead of signing
    it off: it returns to drafting, and the commissioners see the comments and answer them
    before sending it for approval again."""
    plan = lock_plan(plan)
    if plan.status != Status.APPROVAL:
        raise ValidationError(
            _("Only a plan awaiting approval can be referred back."), code="not_awaiting"
        )
    require(actor, Action.SIGN_OFF, Referral(plan=plan))
    if current_sign_off(plan) is not None:
        raise ValidationError(
            _("This plan has already been signed off, so it cannot be referred back."),
            code="already_signed_off",
        )
    refuse_markup({"comments": comments})
    if not comments.strip():
        raise ValidationError(
            {"comments": _("Say what the commissioners should look at again.")},
            code="required",
        )
    referral = Referral(
        plan=plan,
        approval=sent_for_approval(plan),
        comments=comments.strip(),
        referred_by=acting_person(actor),
    )
    referral.full_clean()
    referral.save()
    before = snapshot(plan)
    StatusChange.objects.create(
        plan=plan,
        from_status=plan.status,
        to_status=Status.DRAFTING,
        reason=_("Referred back by the councillor: %(comments)s") % {"comments": comments.strip()},
        changed_by=acting_person(actor),
    )
    plan.save(update_fields=plan.enter(Status.DRAFTING))
    audit(
        actor,
        "plan.referred_back",
        referral,
        plan,
        before=before,
        after=snapshot(referral),
        reason=comments.strip(),
    )
    announce("plans.referrals", plan.pk)  # the plan's commissioners hear of it
    return referral


@transaction.atomic
def answer_referral(*, actor: Any, referral: Referral, answer: str) -> Referral:
    """The commissioners' answer to a councillor's comments, read by the councillor when the
    plan comes back for approval."""
    plan = lock_plan(referral.plan)
    referral = Referral.objects.select_for_update().get(pk=referral.pk, plan=plan)
    require(actor, Action.CHANGE, referral)
    if referral.is_answered:
        raise ValidationError(_("These comments have already been answered."), code="answered")
    refuse_markup({"answer": answer})
    if not answer.strip():
        raise ValidationError(
            {"answer": _("Say what you changed, or why you did not.")}, code="required"
        )
    before = snapshot(referral)
    referral.answer = answer.strip()
    referral.answered_by = acting_person(actor)
    referral.answered_at = timezone.now()
    referral.save(update_fields=["answer", "answered_by", "answered_at"])
    audit(
        actor,
        "plan.referral_answered",
        referral,
        plan,
        before=before,
        after=snapshot(referral),
    )
    return referral
