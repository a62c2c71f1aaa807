from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    """The administration site, for platform administrators only. Signing in goes through
    the service's own sign-in page, with its throttling."""

    site_header = _("Open Commissioning administration")
    site_title = _("Open Commissioning administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_superuser)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('core:sign_in')}?{urlencode({'next': next_url})}")


class PlatformAdminConfig(AdminConfig):
    default_site = "commissioning.core.admin_site.PlatformAdminSite"
