"""A plan's stages, sign-off and versions: moving it, signing it off or referring it back,
answering the referral, its audit trail, starting its next version."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, can, require
from commissioning.core.forms import apply_service_errors
from commissioning.core.holds import Hold, holds_on
from commissioning.plans import forms, selectors, services
from commissioning.plans.models import CommissioningPlan, Referral, SignOff
from commissioning.plans.panels import governance_panels
from commissioning.plans.rules import is_plan_commissioner, may_see_governance

Status = CommissioningPlan.Status


def _held(plan: CommissioningPlan, moves: list[str]) -> list[tuple[str, list[Hold]]]:
    """What holds the plan back from each forward move it can make now."""
    held = []
    for status in moves:
        if status in (Status.APPROVAL, Status.PUBLISHED):
            holds = holds_on("plan", plan, status)
            if holds:
                held.append((str(Status(status).label), holds))
    return held


def _governance_context(plan: CommissioningPlan, person: Any) -> dict[str, Any]:
    """What the governance and sign-off pages share: what the plan rests on, its
    affordability, the moves that went ahead regardless, and the councillors' referrals."""
    return {
        "plan": plan,
        "affordability": selectors.affordability(plan),
        "affordability_table": selectors.plan_tables(plan)["affordability"],
        "set_aside": selectors.moves_set_aside(plan),
        "referrals": selectors.referrals_of(plan),
        "panels": governance_panels(plan, person),
        "can_view_trail": can(person, Action.VIEW_AUDIT, plan),
    }


@login_required
@require_GET
def plan_governance(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    person = request.user
    if not may_see_governance(person, plan):
        raise PermissionDenied
    moves = list(plan.moves()) if can(person, Action.MOVE, plan) else []
    next_version = selectors.next_version_of(plan)
    history = list(selectors.status_history(plan))
    sign_offs = list(selectors.sign_offs_of(plan))
    drafts = services.drafts_to_publish_with(plan, person) if Status.PUBLISHED in moves else []
    commissioner = is_plan_commissioner(person, plan)
    return render(
        request,
        "plans/governance.html",
        {
            **_governance_context(plan, person),
            "history": history,
            "sign_offs": sign_offs,
            "interests": core_selectors.interests_by_person(
                [c.changed_by_id for c in history] + [s.recorded_by_id for s in sign_offs]
            ),
            "current_sign_off": selectors.current_sign_off(plan),
            "move_form": forms.MoveForm(moves=moves, drafts=drafts) if moves else None,
            "held": _held(plan, moves),
            "can_sign_off": can(person, Action.SIGN_OFF, plan),
            "versions": selectors.versions_of(plan, person),
            "next_version": next_version,
            "can_start_next": can(person, Action.START_NEXT_VERSION, plan)
            and plan.is_public
            and next_version is None,
            "reason_form": forms.ReasonForm(),
            "answer_form": forms.AnswerReferralForm() if commissioner else None,
        },
    )


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.MOVE, plan)
    form = forms.MoveForm(
        request.POST,
        moves=list(plan.moves()),
        drafts=services.drafts_to_publish_with(plan, request.user),
    )
    if form.is_valid():
        try:
            plan = services.move_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The plan is now at the stage: %(status)s.")
                % {"status": plan.get_status_display()},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("plans:plan_governance", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the plan, or, for a councillor, refer it back with comments: on one page with
    what the plan rests on, its affordability and anything that went ahead regardless."""
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.SIGN_OFF, plan)
    kinds: list[str] = [
        kind
        for kind in (SignOff.Kind.SCRUTINY, SignOff.Kind.BOARD)
        if can(request.user, Action.SIGN_OFF, SignOff(plan=plan, kind=kind))
    ]
    form = forms.SignOffForm(request.POST or None, kinds=kinds, initial={"kind": kinds[0]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sign_off_plan(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The sign-off was recorded. The plan can now be published.")
                )
                return redirect("plans:plan_governance", pk=pk)
        status = 400
    may_refer = can(request.user, Action.SIGN_OFF, Referral(plan=plan))
    return render(
        request,
        "plans/sign_off.html",
        {
            **_governance_context(plan, request.user),
            "form": form,
            "refer_form": forms.ReferBackForm() if may_refer else None,
        },
        status=status,
    )


@login_required
@require_POST
def plan_refer_back(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.SIGN_OFF, Referral(plan=plan))
    form = forms.ReferBackForm(request.POST)
    if form.is_valid():
        try:
            services.refer_back(
                actor=request.user, plan=plan, comments=form.cleaned_data["comments"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The plan was referred back to its commissioners with your comments. It "
                    "comes back to you once they have answered them."
                ),
            )
            return redirect("plans:plan_governance", pk=pk)
    return render(
        request,
        "plans/sign_off.html",
        {
            **_governance_context(plan, request.user),
            "form": None,
            "refer_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def referral_answer(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    referral = selectors.referral_of(plan, referral_pk)
    require(request.user, Action.CHANGE, referral)
    form = forms.AnswerReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what you changed, or why you did not."))
        return redirect(reverse("plans:plan_governance", args=[pk]) + "#referrals")
    try:
        services.answer_referral(
            actor=request.user, referral=referral, answer=form.cleaned_data["answer"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Your answer was recorded. The plan can be sent for approval again.")
        )
    return redirect(reverse("plans:plan_governance", args=[pk]) + "#referrals")


@login_required
@require_GET
def plan_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's audit trail: every change to it, its parts, its consultations and groups."""
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.VIEW_AUDIT, plan)
    page = Paginator(selectors.plan_trail(plan, request.user), 50).get_page(request.GET.get("page"))
    events = [entry.event for entry in page]
    return render(request, "plans/audit.html", {"plan": plan, "page": page, "events": events})


@login_required
@require_POST
def plan_next_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.START_NEXT_VERSION, plan)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the new version."))
        return redirect("plans:plan_governance", pk=pk)
    try:
        following = services.start_next_version(
            actor=request.user, plan=plan, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plans:plan_governance", pk=pk)
    messages.success(
        request,
        _("Version %(version)s was started as a copy of the published plan.")
        % {"version": following.version},
    )
    return redirect("plans:plan_detail", pk=following.pk)
