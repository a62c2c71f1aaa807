"""Platform administrators edit the service types the market is analysed by (reference data:
names in English and Welsh, the unit capacity is counted in, the regulator's words for each),
audited like every other change on the administration site."""

from django.contrib import admin

from commissioning.core.admin import AuditedAdmin
from commissioning.market.models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = ("name", "name_cy", "slug", "capacity_unit", "is_regulated", "is_active")
    list_editable = ("is_active",)
    search_fields = ("name", "name_cy", "slug")
    ordering = ("position", "name")
