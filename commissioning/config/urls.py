from django.contrib import admin
from django.urls import include, path

from commissioning.config.api import api

admin.site.site_header = "Open Commissioning"
admin.site.site_title = "Open Commissioning"

urlpatterns = [
    path("", include("commissioning.web.urls")),
    path("", include("commissioning.core.urls")),
    path("", include("commissioning.needs.urls")),
    path("", include("commissioning.market.urls")),
    path("", include("commissioning.plans.urls")),
    path("", include("commissioning.engagement.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "commissioning.web.views.bad_request"
handler403 = "commissioning.web.views.permission_denied"
handler404 = "commissioning.web.views.page_not_found"
handler500 = "commissioning.web.views.server_error"
