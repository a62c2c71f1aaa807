from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commissioning.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the trail is append-only."""

    list_display = ["sequence", "occurred_at", "actor_label", "verb", "object_type", "object_label"]
    list_filter = ["verb", "object_type"]
    search_fields = ["object_label", "actor_label", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
