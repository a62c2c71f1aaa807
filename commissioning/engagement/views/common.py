"""What the engagement pages share: the one form page, and the plan or consultation a
commissioner is changing."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commissioning.core.access import Action, require
from commissioning.core.forms import form_status
from commissioning.engagement import selectors
from commissioning.plans import selectors as plans_selectors
from commissioning.plans.rules import is_plan_commissioner


def form_page(
    request: HttpRequest, form: Any, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "engagement/form.html",
        {"form": form, "title": title, "submit": submit, **extra},
        status=form_status(form),
    )


def plan_to_change(request: HttpRequest, pk: int) -> Any:
    plan = plans_selectors.plan_for(request.user, pk)
    if not is_plan_commissioner(request.user, plan):
        raise PermissionDenied
    return plan


def consultation_to_change(request: HttpRequest, pk: int) -> Any:
    consultation = selectors.consultation_for(request.user, pk)
    require(request.user, Action.CHANGE, consultation)
    return consultation
