from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET

from commissioning.core import selectors as core_selectors
from commissioning.core import services as core_services
from commissioning.core import work_items


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"cycle_model": core_selectors.default_cycle_model()})


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = list(core_selectors.memberships_of(request.user))
    organisations: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        entry = organisations.setdefault(
            membership.organisation_id, {"organisation": membership.organisation, "roles": []}
        )
        entry["roles"].append(membership.get_role_display())
    return render(
        request,
        "web/dashboard.html",
        {
            "organisations": list(organisations.values()),
            "partnerships": core_selectors.partnerships_visible_to(
                request.user, with_members=False
            ),
            "cycle_model": core_selectors.default_cycle_model(),
            "waiting": work_items.waiting_for(request.user),
            "starts": work_items.starts_for(request.user),
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@require_GET
def switch_language(request: HttpRequest, language: str) -> HttpResponse:
    """The GOV.UK language navigation is links, so switching is a GET that sets the cookie."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in {"en", "cy"} and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 60 * 60 * 24 * 365,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=False,
        )
        core_services.set_preferred_language(actor=request.user, language=language)
    return response


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _error(request, "500.html", 500)
    except Exception:  # the error may be in the template machinery itself
        return HttpResponse(
            "<!DOCTYPE html><html lang=en><title>Sorry, there is a problem with the service"
            "</title><h1>Sorry, there is a problem with the service</h1>",
            status=500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, "web/csrf_failure.html", 403)
