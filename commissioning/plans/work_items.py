"""What waits for people on plans: sign-offs for councillors, risks due for review for the
plans' commissioners, intentions routed to procurement for procurement officers."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissioning.core.access import Role, bodies_where
from commissioning.core.work_items import (
    Notice,
    Start,
    Urgency,
    WorkItem,
    register_queue,
    register_starts,
)
from commissioning.plans.models import CommissioningIntention, CommissioningPlan, Referral, Risk
from commissioning.plans.rules import may_create_plan, responsible_bodies

# A risk is listed as coming up for review this many days before its review date.
RISK_NOTICE_DAYS = 14


def plans_where(person: Any, role: str, prefix: str = "") -> Q | None:
    """Plans (or, with `prefix`, records of plans) that a body in which the person holds `role`
    leads or shares as a partner; None when there are none."""
    bodies = bodies_where(person, role)
    if not bodies:
        return None
    return Q(**{f"{prefix}organisation__in": bodies}) | Q(
        **{f"{prefix}partnership__members__in": bodies}
    )


def _sign_offs_waiting(person: Any) -> list[WorkItem]:
    scope = plans_where(person, Role.SCRUTINY)
    if scope is None:
        return []
    plans = (
        CommissioningPlan.objects.filter(scope, status=CommissioningPlan.Status.APPROVAL)
        .distinct()
        .order_by("created_at")
    )
    return [
        WorkItem(
            title=_("Sign off %(plan)s") % {"plan": plan.title},
            count=1,
            url=reverse("plans:plan_governance", args=[plan.pk]),
        )
        for plan in plans
    ]


def _councillors_of(plan_pk: int) -> Any:
    from django.contrib.auth import get_user_model

    plan = CommissioningPlan.objects.filter(pk=plan_pk).first()
    if plan is None:
        return []
    bodies = {plan.organisation_id}
    if plan.partnership_id:
        bodies |= set(plan.partnership.members.values_list("pk", flat=True))  # type: ignore[union-attr]
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation__in=bodies, memberships__role=Role.SCRUTINY, is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def _sign_off_notice(plan_pk: int) -> Notice | None:
    plan = CommissioningPlan.objects.filter(
        pk=plan_pk, status=CommissioningPlan.Status.APPROVAL
    ).first()
    if plan is None:
        return None
    return Notice(
        subject=_("%(plan)s is waiting for your sign-off") % {"plan": plan.title},
        path=reverse("plans:plan_governance", args=[plan.pk]),
    )


def _referrals_to_answer(person: Any) -> list[WorkItem]:
    scope = plans_where(person, Role.COMMISSIONER, prefix="plan__")
    if scope is None:
        return []
    rows = (
        Referral.objects.filter(scope, answered_at__isnull=True)
        .values("plan", "plan__title")
        .annotate(total=Count("pk", distinct=True), since=Min("referred_at"))
        .order_by("since")
    )
    return [
        WorkItem(
            title=_("Answer the councillor's comments on %(plan)s") % {"plan": row["plan__title"]},
            count=row["total"],
            url=reverse("plans:plan_governance", args=[row["plan"]]) + "#referrals",
            urgency=Urgency.DUE_SOON,
        )
        for row in rows
    ]


def _commissioners_of(plan_pk: int) -> Any:
    from django.contrib.auth import get_user_model

    plan = CommissioningPlan.objects.filter(pk=plan_pk).first()
    if plan is None:
        return []
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation__in=responsible_bodies(plan),
            memberships__role=Role.COMMISSIONER,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _referral_notice(plan_pk: int) -> Notice | None:
    plan = CommissioningPlan.objects.filter(pk=plan_pk, referrals__answered_at__isnull=True).first()
    if plan is None:
        return None
    return Notice(
        subject=_("A councillor referred %(plan)s back with comments") % {"plan": plan.title},
        path=reverse("plans:plan_governance", args=[plan.pk]) + "#referrals",
    )


def _risks_due(person: Any) -> list[WorkItem]:
    scope = plans_where(person, Role.COMMISSIONER, prefix="plan__")
    if scope is None:
        return []
    today = timezone.localdate()
    rows = (
        Risk.objects.filter(
            scope,
            plan__next_version__isnull=True,
            review_on__lte=today + timedelta(days=RISK_NOTICE_DAYS),
        )
        .values("plan", "plan__title")
        .annotate(
            due=Min("review_on"),
            overdue=Count("pk", filter=Q(review_on__lt=today), distinct=True),
            total=Count("pk", distinct=True),
        )
        .order_by("due")
    )
    items = []
    for row in rows:
        if row["overdue"]:
            title = ngettext(
                "%(count)d risk on %(plan)s is past its review date",
                "%(count)d risks on %(plan)s are past their review date",
                row["overdue"],
            )
            count, urgency = row["overdue"], Urgency.OVERDUE
        else:
            title = ngettext(
                "%(count)d risk on %(plan)s is due for review",
                "%(count)d risks on %(plan)s are due for review",
                row["total"],
            )
            count, urgency = row["total"], Urgency.DUE_SOON
        items.append(
            WorkItem(
                title=title % {"count": count, "plan": row["plan__title"]},
                count=count,
                url=reverse("plans:plan_detail", args=[row["plan"]]) + "#risk-register",
                due=row["due"],
                urgency=urgency,
            )
        )
    return items


def _intentions_to_procure(person: Any) -> list[WorkItem]:
    """Intentions the plans of the person's bodies will secure by procurement: ready to go to
    market once the plan is published, and coming while it is still being written."""
    scope = plans_where(person, Role.PROCUREMENT_OFFICER, prefix="plan__")
    if scope is None:
        return []
    rows = (
        CommissioningIntention.objects.filter(
            scope,
            route=CommissioningIntention.Route.PROCUREMENT,
            plan__next_version__isnull=True,
        )
        .values("plan", "plan__title", "plan__status")
        .annotate(total=Count("pk", distinct=True))
        .order_by("plan__title")
    )
    items = []
    for row in rows:
        if row["plan__status"] in CommissioningPlan.PUBLIC:
            title = ngettext(
                "%(count)d intention of %(plan)s is ready to be procured",
                "%(count)d intentions of %(plan)s are ready to be procured",
                row["total"],
            )
        else:
            title = ngettext(
                "%(count)d intention of %(plan)s will be procured once the plan is published",
                "%(count)d intentions of %(plan)s will be procured once the plan is published",
                row["total"],
            )
        items.append(
            WorkItem(
                title=title % {"count": row["total"], "plan": row["plan__title"]},
                count=row["total"],
                url=reverse("plans:plan_detail", args=[row["plan"]]) + "#intentions",
            )
        )
    return items


def _starts(person: Any) -> list[Start]:
    starts = []
    if may_create_plan(person):
        starts.append(
            Start(
                _("Start a commissioning plan"),
                reverse("plans:plan_create"),
                _("Scope it, set outcomes and intentions, consult and send it for sign-off."),
            )
        )
    starts.append(
        Start(
            _("Read commissioning plans"),
            reverse("plans:plan_list"),
            _("Published plans, and the drafts your organisations are writing."),
        )
    )
    return starts


def register() -> None:
    register_queue(
        "plans.sign_off",
        waiting_for=_sign_offs_waiting,
        recipients=_councillors_of,
        describe=_sign_off_notice,
    )
    register_queue(
        "plans.referrals",
        waiting_for=_referrals_to_answer,
        recipients=_commissioners_of,
        describe=_referral_notice,
    )
    register_queue("plans.risks", waiting_for=_risks_due)
    register_queue("plans.intentions_to_procure", waiting_for=_intentions_to_procure)
    register_starts("plans", _starts)
