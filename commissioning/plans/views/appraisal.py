"""Options appraisals: criteria and weights, options and their scores, the conclusion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, can
from commissioning.core.forms import apply_service_errors
from commissioning.plans import forms, selectors, services
from commissioning.plans.views.editing import editable_plan, form_page, frozen_redirects


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def appraisal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    form = forms.AppraisalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.create_appraisal(
                actor=request.user, plan=plan, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The appraisal starts with the guidance's six criteria. Change them and their "
                    "weights, then record who agreed them before scoring."
                ),
            )
            return redirect("plans:appraisal_detail", pk=pk, appraisal_pk=appraisal.pk)
    return form_page(request, plan, form, _("Start an options appraisal"), _("Start"))


@require_http_methods(["GET", "POST"])
def appraisal_detail(request: HttpRequest, pk: int, appraisal_pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    appraisal = selectors.appraisal_of(plan, appraisal_pk)
    may_change = can(request.user, Action.CHANGE, plan)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not may_change:
        raise PermissionDenied
    criteria_form = forms.CriteriaForm(
        request.POST if action == "criteria" else None,
        initial={"criteria": forms.criteria_text(appraisal)},
    )
    agree_form = forms.AgreeWeightsForm(request.POST if action == "agree" else None)
    option_form = forms.OptionForm(request.POST if action == "option" else None)
    conclusion_form = forms.ConclusionForm(
        request.POST if action == "conclusion" else None,
        initial={"conclusion": appraisal.conclusion},
    )
    handlers = {
        "criteria": (
            criteria_form,
            lambda data: services.save_criteria(
                actor=request.user, appraisal=appraisal, criteria=data["criteria"]
            ),
        ),
        "agree": (
            agree_form,
            lambda data: services.agree_weights(actor=request.user, appraisal=appraisal, **data),
        ),
        "option": (
            option_form,
            lambda data: services.add_option(actor=request.user, appraisal=appraisal, **data),
        ),
        "conclusion": (
            conclusion_form,
            lambda data: services.conclude_appraisal(
                actor=request.user, appraisal=appraisal, **data
            ),
        ),
    }
    if action is not None:
        if action not in handlers:
            raise Http404
        form, handle = handlers[action]
        if form.is_valid():
            try:
                handle(form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("plans:appraisal_detail", pk=pk, appraisal_pk=appraisal_pk)
    status = 400 if action and handlers[action][0].errors else 200
    return render(
        request,
        "plans/appraisal_detail.html",
        {
            "plan": plan,
            "appraisal": appraisal,
            "results": selectors.appraisal_results(selectors.appraisal_of(plan, appraisal_pk)),
            "interests": core_selectors.interests_by_person([appraisal.weights_recorded_by_id]),
            "can_change": may_change,
            "criteria_form": criteria_form,
            "agree_form": agree_form,
            "option_form": option_form,
            "conclusion_form": conclusion_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def option_score(request: HttpRequest, pk: int, appraisal_pk: int, option_pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    appraisal = selectors.appraisal_of(plan, appraisal_pk)
    option = selectors.option_of(appraisal, option_pk)
    if not appraisal.weights_agreed:
        messages.error(request, _("Agree the weights before scoring."))
        return redirect("plans:appraisal_detail", pk=pk, appraisal_pk=appraisal_pk)
    form = forms.ScoreForm(request.POST or None, appraisal=appraisal, option=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_option(actor=request.user, option=option, scores=form.scores())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("plans:appraisal_detail", pk=pk, appraisal_pk=appraisal_pk)
    return form_page(
        request,
        plan,
        form,
        _("Score %(option)s") % {"option": option.name},
        _("Save the scores"),
        back_url=reverse("plans:appraisal_detail", args=[pk, appraisal_pk]),
    )
