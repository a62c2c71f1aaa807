"""Declarations of interest (kept in core): declared for a group's member, ended, and the
published register of those in force."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.core.access import Action, can, require
from commissioning.core.forms import apply_service_errors
from commissioning.engagement import forms, selectors, services
from commissioning.engagement.views.common import form_page


@login_required
@require_http_methods(["GET", "POST"])
def declaration_create(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    group = selectors.group_for(request.user, pk)
    member = selectors.member_of(group, member_pk)
    if member.person_id is None:
        raise Http404
    # Only the person themselves or a commissioner of the plan may declare for them.
    require(request.user, Action.CHANGE, selectors.new_declaration_for(member.person_id))
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_interest(
                actor=request.user,
                person_id=member.person_id,
                kind=data["kind"],
                description=data["description"],
                provider_id=data["provider"].pk if data["provider"] else None,
                declared_on=data["declared_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Declaration recorded."))
            return redirect("engagement:group_detail", pk=group.pk)
    return form_page(
        request,
        form,
        _("Declare an interest"),
        _("Record the declaration"),
        plan=group.plan,
        caption=member.display_name,
        back_url=reverse("engagement:group_detail", args=[group.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration_end(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_for(request.user, pk)
    require(request.user, Action.CHANGE, declaration)
    form = forms.EndDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_declaration(
                actor=request.user,
                declaration=declaration,
                ended_on=form.cleaned_data["ended_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The declaration is ended."))
            return redirect("engagement:register_of_interests")
    return form_page(
        request,
        form,
        _("End a declared interest"),
        _("End the declaration"),
        caption=declaration.person.full_name,
        intro=declaration.description,
        back_url=reverse("engagement:register_of_interests"),
    )


@require_GET
def register_of_interests(request: HttpRequest) -> HttpResponse:
    """Published, as registers of interests are: every declaration in force."""
    declarations = selectors.current_declarations().order_by("person__full_name", "-declared_on")
    page = Paginator(declarations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/register.html",
        {
            "page": page,
            "may_end": {d.pk for d in page if can(request.user, Action.CHANGE, d)},
        },
    )
