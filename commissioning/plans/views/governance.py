"""A plan's stages, sign-off and versions: moving it, signing it off, starting its next
version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, can, require
from commissioning.core.forms import apply_service_errors
from commissioning.plans import forms, selectors, services
from commissioning.plans.models import SignOff
from commissioning.plans.rules import may_see_governance
from commissioning.plans.views.editing import form_page


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
    return render(
        request,
        "plans/governance.html",
        {
            "plan": plan,
            "history": history,
            "sign_offs": sign_offs,
            "interests": core_selectors.interests_by_person(
                [c.changed_by_id for c in history] + [s.recorded_by_id for s in sign_offs]
            ),
            "current_sign_off": selectors.current_sign_off(plan),
            "move_form": forms.MoveForm(moves=moves) if moves else None,
            "can_sign_off": can(person, Action.SIGN_OFF, plan),
            "versions": selectors.versions_of(plan, person),
            "next_version": next_version,
            "can_start_next": can(person, Action.START_NEXT_VERSION, plan)
            and plan.is_public
            and next_version is None,
            "reason_form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def plan_move(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.MOVE, plan)
    form = forms.MoveForm(request.POST, moves=list(plan.moves()))
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
    plan = selectors.plan_for(request.user, pk)
    require(request.user, Action.SIGN_OFF, plan)
    kinds: list[str] = [
        kind
        for kind in (SignOff.Kind.SCRUTINY, SignOff.Kind.BOARD)
        if can(request.user, Action.SIGN_OFF, SignOff(plan=plan, kind=kind))
    ]
    form = forms.SignOffForm(request.POST or None, kinds=kinds, initial={"kind": kinds[0]})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The sign-off was recorded. The plan can now be published.")
            )
            return redirect("plans:plan_governance", pk=pk)
    return form_page(
        request,
        plan,
        form,
        _("Sign off the plan"),
        _("Record the sign-off"),
        intro=_(
            "Signing off approves this version of the plan for publication. It is recorded "
            "in the audit trail."
        ),
    )


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
