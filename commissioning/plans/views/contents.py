"""What a plan holds: its scope, evidence and sections, outcomes and indicators, intentions,
risks and resources, and removing any of them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core.access import Action, can
from commissioning.core.forms import apply_service_errors
from commissioning.plans import forms, selectors, services
from commissioning.plans.models import PlanSection
from commissioning.plans.views.editing import editable_plan, form_page, frozen_redirects


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def plan_scope(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    initial = {name: getattr(plan, name) for name in services.SCOPE_FIELDS}
    initial.update(
        first_year=plan.first_year,
        last_year=plan.last_year,
        client_groups=list(plan.client_groups.all()),
        areas=list(plan.areas.all()),
    )
    form = forms.ScopeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_scope(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The scope was saved."))
            return redirect(reverse("plans:plan_detail", args=[pk]) + "#scope")
    return form_page(
        request,
        plan,
        form,
        _("Scope the plan"),
        _("Save the scope"),
        intro=_(
            "Answer the scoping questions so that everyone involved knows whose plan it is, "
            "for whom, and how people will take part."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def plan_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    form = forms.EvidenceForm(
        request.POST or None,
        person=request.user,
        initial={
            "needs_assessment": plan.needs_assessment,
            "market_analysis": plan.market_analysis,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pin_evidence(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("plans:plan_detail", args=[pk]) + "#section-needs")
    return form_page(
        request,
        plan,
        form,
        _("Evidence the plan draws on"),
        _("Save"),
        intro=_(
            "The plan shows the figures and charts of the assessment and analysis you "
            "choose, as they are, rather than copies. Published ones never change."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def section_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = editable_plan(request, pk)
    if kind not in PlanSection.Kind.values:
        raise Http404
    section = plan.sections.get(kind=kind)
    form = forms.SectionForm(request.POST or None, initial={"body": section.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(actor=request.user, plan=plan, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("plans:plan_detail", args=[pk]) + f"#section-{kind}")
    return form_page(
        request,
        plan,
        form,
        section.get_kind_display(),
        _("Save the section"),
        prompts=forms.SECTION_PROMPTS.get(kind, []),
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def outcome_edit(request: HttpRequest, pk: int, outcome_pk: int | None = None) -> HttpResponse:
    plan = editable_plan(request, pk)
    outcome = selectors.outcome_of(plan, outcome_pk) if outcome_pk else None
    initial = (
        {
            "framework_outcome": str(outcome.framework_outcome_id or ""),
            "title": outcome.title,
            "description": outcome.description,
        }
        if outcome
        else {}
    )
    form = forms.OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_outcome(
                actor=request.user, plan=plan, outcome=outcome, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("plans:plan_detail", args=[pk]) + "#outcomes")
    return form_page(
        request,
        plan,
        form,
        _("Change the outcome") if outcome else _("Add a strategic outcome"),
        _("Save the outcome"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def indicator_edit(
    request: HttpRequest, pk: int, outcome_pk: int, indicator_pk: int | None = None
) -> HttpResponse:
    plan = editable_plan(request, pk)
    outcome = selectors.outcome_of(plan, outcome_pk)
    indicator = selectors.indicator_of(outcome, indicator_pk) if indicator_pk else None
    initial: dict[str, Any] = {}
    if indicator:
        initial = {
            name: getattr(indicator, name)
            for name in (
                "name",
                "kind",
                "unit",
                "baseline",
                "baseline_year",
                "target",
                "target_year",
                "data_source",
            )
        }
        initial["trajectory"] = forms.trajectory_text(indicator)
    form = forms.IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(
                actor=request.user, outcome=outcome, indicator=indicator, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("plans:plan_detail", args=[pk]) + "#outcomes")
    return form_page(
        request,
        plan,
        form,
        _("Indicator for %(outcome)s") % {"outcome": outcome.title},
        _("Save the indicator"),
    )


@require_GET
def intention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intention = selectors.intention_for(request.user, pk)
    plan = intention.plan
    return render(
        request,
        "plans/intention_detail.html",
        {
            "intention": intention,
            "plan": plan,
            "risks": intention.risk_entries.all(),
            "can_change": can(request.user, Action.CHANGE, plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def intention_edit(request: HttpRequest, pk: int, intention_pk: int | None = None) -> HttpResponse:
    plan = editable_plan(request, pk)
    intention = selectors.intention_of(plan, intention_pk) if intention_pk else None
    initial: dict[str, Any] = {}
    if intention:
        initial = {
            name: getattr(intention, name)
            for name in (
                "title",
                "kind",
                "route",
                "service_type",
                "client_group",
                "current_budget",
                "rationale",
                "risks",
                "timetable",
                "in_place_by",
            )
        }
        initial["areas"] = list(intention.areas.all())
        initial["outcomes"] = list(intention.outcomes.all())
        initial.update({f"budget_{year}": amount for year, amount in intention.budget_rows()})
    else:
        initial["areas"] = list(plan.areas.all())
        groups = list(plan.client_groups.all())
        if len(groups) == 1:
            initial["client_group"] = groups[0]
    form = forms.IntentionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("budget_")}
        try:
            saved = services.save_intention(
                actor=request.user,
                plan=plan,
                intention=intention,
                planned_budget=form.planned_budget(),
                **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("plans:intention_detail", pk=saved.pk)
    return form_page(
        request,
        plan,
        form,
        _("Change the intention") if intention else _("Add a commissioning intention"),
        _("Save the intention"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def risk_edit(request: HttpRequest, pk: int, risk_pk: int | None = None) -> HttpResponse:
    plan = editable_plan(request, pk)
    risk = selectors.risk_of(plan, risk_pk) if risk_pk else None
    initial = (
        {
            name: getattr(risk, name)
            for name in (
                "description",
                "likelihood",
                "impact",
                "owner",
                "mitigation",
                "review_on",
                "intention",
            )
        }
        if risk
        else {}
    )
    form = forms.RiskForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_risk(actor=request.user, plan=plan, risk=risk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("plans:plan_detail", args=[pk]) + "#risk-register")
    return form_page(
        request,
        plan,
        form,
        _("Change the risk") if risk else _("Add a risk"),
        _("Save the risk"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@frozen_redirects
def resource_edit(request: HttpRequest, pk: int, resource_pk: int | None = None) -> HttpResponse:
    plan = editable_plan(request, pk)
    resource = selectors.resource_of(plan, resource_pk) if resource_pk else None
    initial = (
        {
            name: getattr(resource, name)
            for name in ("funding_stream", "partner", "year", "amount", "is_pooled", "notes")
        }
        if resource
        else {}
    )
    form = forms.ResourceForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_resource(
                actor=request.user, plan=plan, resource=resource, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("plans:plan_detail", args=[pk]) + "#resources")
    return form_page(
        request,
        plan,
        form,
        _("Change the resource") if resource else _("Add a resource"),
        _("Save the resource"),
    )


@login_required
@require_POST
@frozen_redirects
def part_remove(request: HttpRequest, pk: int, part: str, part_pk: int) -> HttpResponse:
    plan = editable_plan(request, pk)
    anchor = {"risk": "risk-register"}.get(part, part + "s")
    if part == "outcome":
        services.remove_outcome(actor=request.user, outcome=selectors.outcome_of(plan, part_pk))
    elif part == "indicator":
        indicator = selectors.indicator_in(plan, part_pk)
        services.remove_indicator(actor=request.user, indicator=indicator)
        anchor = "outcomes"
    elif part == "intention":
        services.remove_intention(
            actor=request.user, intention=selectors.intention_of(plan, part_pk)
        )
    elif part == "risk":
        services.remove_risk(actor=request.user, risk=selectors.risk_of(plan, part_pk))
    elif part == "resource":
        services.remove_resource(actor=request.user, resource=selectors.resource_of(plan, part_pk))
    elif part == "option":
        option = selectors.option_in(plan, part_pk)
        services.remove_option(actor=request.user, option=option)
        return redirect("plans:appraisal_detail", pk=pk, appraisal_pk=option.appraisal_id)
    else:
        raise Http404
    messages.success(request, _("It was removed."))
    return redirect(reverse("plans:plan_detail", args=[pk]) + f"#{anchor}")
