"""The plans: their list, a new plan, a plan's page, what changed between versions, and the plan
as Word and PDF documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, Role, can
from commissioning.core.forms import apply_service_errors, form_status
from commissioning.plans import documents, forms, selectors, services
from commissioning.plans.models import CommissioningPlan
from commissioning.plans.panels import plan_panels
from commissioning.plans.rules import is_plan_commissioner, may_create_plan


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
            # A page never links to what its reader cannot open.
            "evidence_visible": {
                "needs": plan.needs_assessment is not None
                and can(person, Action.VIEW, plan.needs_assessment),
                "market": plan.market_analysis is not None
                and can(person, Action.VIEW, plan.market_analysis),
            },
        },
    )


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
