from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, Role, can, require
from commissioning.core.forms import apply_service_errors, form_status
from commissioning.plans import documents, forms, selectors, services
from commissioning.plans.models import CommissioningPlan, PlanSection, SignOff
from commissioning.plans.panels import plan_panels
from commissioning.plans.rules import is_plan_commissioner, may_create_plan, may_see_governance


def _form_page(
    request: HttpRequest, plan: CommissioningPlan, form: Any, title: str, submit: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "plans/form.html",
        {"plan": plan, "form": form, "title": title, "submit": submit, **extra},
        status=form_status(form),
    )


def _editable_plan(request: HttpRequest, pk: int) -> CommissioningPlan:
    plan = selectors.plan_for(request.user, pk)
    if not plan.is_editable and is_plan_commissioner(request.user, plan):
        messages.error(request, services.frozen_message(plan))
        raise _Frozen(plan)
    require(request.user, Action.CHANGE, plan)
    return plan


class _Frozen(Exception):
    def __init__(self, plan: CommissioningPlan) -> None:
        self.plan = plan


def _frozen_redirects(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Frozen as frozen:
            return redirect("plans:plan_detail", pk=frozen.plan.pk)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# ---------------------------------------------------------------------------------------------
# Plans


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_visible_to(request.user).order_by("-created_at")
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "can_create": may_create_plan(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    # A plan is led by a body in which the person is a commissioner.
    if not core_selectors.organisations_with_role(request.user, Role.COMMISSIONER).exists():
        raise PermissionDenied
    form = forms.PlanForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        cycle_model = core_selectors.default_cycle_model()
        try:
            plan = services.create_plan(
                actor=request.user, cycle_model=cycle_model, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The plan was started. Answer the scoping questions first.")
            )
            return redirect("plans:plan_scope", pk=plan.pk)
    return render(
        request,
        "plans/form.html",
        {"form": form, "title": _("Start a commissioning plan"), "submit": _("Start the plan")},
        status=form_status(form),
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    person = request.user
    commissioner = is_plan_commissioner(person, plan)
    next_version = selectors.next_version_of(plan)
    return render(
        request,
        "plans/plan_detail.html",
        {
            **selectors.plan_contents(plan),
            "panels": plan_panels(plan, person),
            "can_change": can(person, Action.CHANGE, plan),
            "is_commissioner": commissioner,
            "next_version": next_version
            if next_version and can(person, Action.VIEW, next_version)
            else None,
            "stages": CommissioningPlan.Status.choices,
        },
    )


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
    kinds = [
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
    return _form_page(
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


@require_GET
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    older = plan.previous_version
    if older is None or not can(request.user, Action.VIEW, older):
        raise Http404
    return render(
        request,
        "plans/compare.html",
        {"plan": plan, "older": older, "parts": selectors.compare_versions(older, plan)},
    )


@require_GET
def plan_document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    context = selectors.plan_contents(plan)
    context["panels"] = plan_panels(plan, request.user, printing=True)
    if extension == "docx":
        content = documents.plan_docx(context)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif extension == "pdf":
        content = documents.plan_pdf(context, request=request)
        content_type = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="commissioning-plan-{plan.pk}-v{plan.version}.{extension}"'
    )
    return response


# ---------------------------------------------------------------------------------------------
# Scope, evidence and sections


@login_required
@require_http_methods(["GET", "POST"])
@_frozen_redirects
def plan_scope(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
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
@_frozen_redirects
def plan_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
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
@_frozen_redirects
def section_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        section.get_kind_display(),
        _("Save the section"),
        prompts=forms.SECTION_PROMPTS.get(kind, []),
    )


# ---------------------------------------------------------------------------------------------
# Outcomes and indicators


@login_required
@require_http_methods(["GET", "POST"])
@_frozen_redirects
def outcome_edit(request: HttpRequest, pk: int, outcome_pk: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        _("Change the outcome") if outcome else _("Add a strategic outcome"),
        _("Save the outcome"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@_frozen_redirects
def indicator_edit(
    request: HttpRequest, pk: int, outcome_pk: int, indicator_pk: int | None = None
) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        _("Indicator for %(outcome)s") % {"outcome": outcome.title},
        _("Save the indicator"),
    )


# ---------------------------------------------------------------------------------------------
# Intentions


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
@_frozen_redirects
def intention_edit(request: HttpRequest, pk: int, intention_pk: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        _("Change the intention") if intention else _("Add a commissioning intention"),
        _("Save the intention"),
    )


# ---------------------------------------------------------------------------------------------
# Options appraisal


@login_required
@require_http_methods(["GET", "POST"])
@_frozen_redirects
def appraisal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(request, plan, form, _("Start an options appraisal"), _("Start"))


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
@_frozen_redirects
def option_score(request: HttpRequest, pk: int, appraisal_pk: int, option_pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        _("Score %(option)s") % {"option": option.name},
        _("Save the scores"),
        back_url=reverse("plans:appraisal_detail", args=[pk, appraisal_pk]),
    )


# ---------------------------------------------------------------------------------------------
# Risks and resources


@login_required
@require_http_methods(["GET", "POST"])
@_frozen_redirects
def risk_edit(request: HttpRequest, pk: int, risk_pk: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        _("Change the risk") if risk else _("Add a risk"),
        _("Save the risk"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@_frozen_redirects
def resource_edit(request: HttpRequest, pk: int, resource_pk: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
    return _form_page(
        request,
        plan,
        form,
        _("Change the resource") if resource else _("Add a resource"),
        _("Save the resource"),
    )


# ---------------------------------------------------------------------------------------------
# Removing a part of the plan


@login_required
@require_POST
@_frozen_redirects
def part_remove(request: HttpRequest, pk: int, part: str, part_pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
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
