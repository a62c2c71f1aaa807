"""The plan's engagement page (its groups, consultations and record) and the engagement
record's activities."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.forms import apply_service_errors
from commissioning.engagement import forms, selectors, services
from commissioning.engagement.models import EngagementActivity
from commissioning.engagement.rules import is_plan_insider
from commissioning.engagement.views.common import form_page, plan_to_change
from commissioning.plans import selectors as plans_selectors
from commissioning.plans.rules import is_plan_commissioner


@login_required
@require_GET
def plan_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the plan's people do to engage: groups, consultations and the record."""
    plan = plans_selectors.plan_for(request.user, pk)
    if not is_plan_insider(request.user, plan):
        raise PermissionDenied
    groups = selectors.groups_of(plan, request.user)
    return render(
        request,
        "engagement/plan_engagement.html",
        {
            "plan": plan,
            "groups": groups,
            "consultations": selectors.consultations_of(plan, request.user),
            "record": selectors.engagement_record(plan),
            "may_change": is_plan_commissioner(request.user, plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int, activity_pk: int | None = None) -> HttpResponse:
    plan = plan_to_change(request, pk)
    activity = selectors.activity_of(plan, activity_pk) if activity_pk else None
    stages = (
        [(s.pk, str(s.localised_name)) for s in plan.cycle_model.stages.all()]
        if plan.cycle_model
        else []
    )
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if activity is not None:
        initial = {
            "kind": activity.kind,
            "title": activity.title,
            "held_on": activity.held_on,
            "cycle_stage": activity.cycle_stage_id,
            "seldom_heard_groups": activity.seldom_heard_groups,
            "what_changed": activity.what_changed,
            **{n: getattr(activity, n) for n in EngagementActivity.PARTICIPANT_FIELDS.values()},
        }
    form = forms.ActivityForm(request.POST or None, initial=initial, stages=stages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_activity(
                actor=request.user,
                plan=plan,
                activity=activity,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                cycle_stage_id=data["cycle_stage"],
                participants=form.participants(),
                seldom_heard_groups=data["seldom_heard_groups"],
                what_changed=data["what_changed"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Engagement record saved."))
            return redirect("engagement:plan_engagement", pk=plan.pk)
    return form_page(
        request,
        form,
        _("Change the activity") if activity else _("Record an engagement activity"),
        _("Save the activity"),
        plan=plan,
        back_url=reverse("engagement:plan_engagement", args=[plan.pk]),
    )


@login_required
@require_POST
def activity_remove(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    plan = plan_to_change(request, pk)
    activity = selectors.activity_of(plan, activity_pk)
    services.remove_activity(actor=request.user, activity=activity)
    messages.success(request, _("Activity removed from the record."))
    return redirect("engagement:plan_engagement", pk=plan.pk)
