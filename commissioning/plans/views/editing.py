"""What the plan's editing pages share: the form page, and a frozen plan sent back to its page
with the reason."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from commissioning.core.access import Action, require
from commissioning.core.forms import form_status
from commissioning.plans import selectors, services
from commissioning.plans.models import CommissioningPlan
from commissioning.plans.rules import is_plan_commissioner


def form_page(
    request: HttpRequest, plan: CommissioningPlan, form: Any, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "plans/form.html",
        {"plan": plan, "form": form, "title": title, "submit": submit, **extra},
        status=form_status(form),
    )


def editable_plan(request: HttpRequest, pk: int) -> CommissioningPlan:
    plan = selectors.plan_for(request.user, pk)
    if not plan.is_editable and is_plan_commissioner(request.user, plan):
        messages.error(request, services.frozen_message(plan))
        raise Frozen(plan)
    require(request.user, Action.CHANGE, plan)
    return plan


class Frozen(Exception):
    def __init__(self, plan: CommissioningPlan) -> None:
        self.plan = plan


def frozen_redirects(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Frozen as frozen:
            return redirect("plans:plan_detail", pk=frozen.plan.pk)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
