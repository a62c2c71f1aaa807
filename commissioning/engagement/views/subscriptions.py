"""Staying informed: subscriptions by a person, an organisation or an email address, and the
links in the emails that confirm or stop them."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Role
from commissioning.core.forms import apply_service_errors, form_status
from commissioning.core.throttle import client_address
from commissioning.engagement import forms, selectors, services


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    """Signed in: your own subscription and your organisations'. Otherwise: by email address,
    confirmed through a link."""
    person = request.user
    if not person.is_authenticated:
        address_form = forms.AddressSubscriptionForm(request.POST or None)
        status: int | None = None
        if request.method == "POST" and address_form.is_valid():
            data = address_form.cleaned_data
            try:
                services.request_address_subscription(
                    email=data["email"],
                    client_group_ids=[g.pk for g in data["client_groups"]],
                    area_ids=[a.pk for a in data["areas"]],
                    language=get_language() or "en",
                    client=client_address(request),
                )
            except ValidationError as exc:
                apply_service_errors(address_form, exc)
                if getattr(exc, "code", None) == "rate_limited":
                    status = 429
            else:
                return render(
                    request, "engagement/subscription_sent.html", {"email": data["email"]}
                )
        return render(
            request,
            "engagement/subscriptions.html",
            {"address_form": address_form, "form": address_form},
            status=status or form_status(address_form),
        )
    organisations = list(core_selectors.organisations_with_role(person, Role.ORGANISATION_ADMIN))
    target = request.POST.get("organisation") if request.method == "POST" else None
    organisation = next((o for o in organisations if str(o.pk) == target), None)
    if target and organisation is None:
        raise PermissionDenied
    forms_by_target: list[tuple[Any, Any, Any]] = []
    status, refused = 200, None
    for each in [None, *organisations]:
        current = (
            selectors.subscription_of_person(person)
            if each is None
            else selectors.subscription_of_organisation(each.pk)
        )
        posted = request.method == "POST" and each == organisation
        form = forms.SubscriptionForm(
            request.POST if posted else None,
            prefix=f"org{each.pk}" if each else "me",
            initial={
                "client_groups": list(current.client_groups.all()) if current else [],
                "areas": list(current.areas.all()) if current else [],
            },
        )
        if posted and request.POST.get("action") == "stop" and current is not None:
            services.unsubscribe(actor=person, subscription=current)
            messages.success(request, _("Subscription stopped."))
            return redirect("engagement:subscriptions")
        if posted and form.is_valid():
            try:
                services.subscribe(
                    actor=person,
                    client_group_ids=[g.pk for g in form.cleaned_data["client_groups"]],
                    area_ids=[a.pk for a in form.cleaned_data["areas"]],
                    organisation_id=each.pk if each else None,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Subscription saved."))
                return redirect("engagement:subscriptions")
        if posted and form.errors:
            status, refused = 400, form
        forms_by_target.append((each, form, current))
    return render(
        request,
        "engagement/subscriptions.html",
        {"targets": forms_by_target, "form": refused},  # `form`: the title says "Error:"
        status=status,
    )


@require_http_methods(["GET", "POST"])
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.confirm_address_subscription(token)
        except ValidationError as exc:
            return render(
                request,
                "engagement/token_page.html",
                {"title": _("The link did not work"), "message": " ".join(exc.messages)},
                status=400,
            )
        return render(
            request,
            "engagement/token_page.html",
            {
                "title": _("Subscription confirmed"),
                "message": _(
                    "We will email you when a plan or consultation you chose is published."
                ),
            },
        )
    return render(
        request,
        "engagement/token_page.html",
        {
            "title": _("Confirm your subscription"),
            "message": _(
                "Confirm that you want emails about commissioning plans and consultations."
            ),
            "button": _("Confirm"),
        },
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        stopped = services.unsubscribe_by_token(token)
        return render(
            request,
            "engagement/token_page.html",
            {
                "title": _("You are unsubscribed") if stopped else _("The link did not work"),
                "message": _("We will not email you about plans and consultations again.")
                if stopped
                else _("This subscription has already stopped, or the link is not complete."),
            },
            status=200 if stopped else 400,
        )
    return render(
        request,
        "engagement/token_page.html",
        {
            "title": _("Stop these emails"),
            "message": _("Stop the emails about commissioning plans and consultations."),
            "button": _("Unsubscribe"),
        },
    )
