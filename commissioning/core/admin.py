"""Platform administrators' tools for reference data and accounts. Every change made here is
recorded in the audit trail like any other."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from commissioning.audit.services import record_event, snapshot
from commissioning.core.models import (
    ApiToken,
    Area,
    ClientGroup,
    CycleModel,
    CycleStage,
    Membership,
    Organisation,
    Partnership,
    PartnershipMember,
    Person,
)

ADMIN_REASON = "Changed on the administration site"


def _record(
    request: HttpRequest, obj: Any, action: str, before: Any = None, after: Any = None
) -> None:
    record_event(
        actor=request.user,
        verb=f"{obj._meta.model_name}.admin_{action}",
        target=obj,
        before=before,
        after=after,
        reason=ADMIN_REASON,
    )


def _save_audited(request: HttpRequest, obj: Any, save: Any) -> None:
    adding = obj._state.adding
    before = None if adding else snapshot(type(obj).objects.get(pk=obj.pk))
    save()
    _record(request, obj, "added" if adding else "changed", before, snapshot(obj))


def _delete_audited(request: HttpRequest, obj: Any) -> None:
    _record(request, obj, "deleted", before=snapshot(obj))
    obj.delete()


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete here, inline rows included, writes an audit event in the same
    transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            _save_audited(
                request,
                obj,
                lambda: super(AuditedAdmin, self).save_model(request, obj, form, change),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _delete_audited(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                _delete_audited(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                _delete_audited(request, obj)
            for obj in instances:
                _save_audited(request, obj, obj.save)
            formset.save_m2m()


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "identifier", "kind", "sector", "legal_form", "is_demonstration"]
    list_filter = ["kind", "sector", "legal_form", "is_demonstration"]
    search_fields = ["name", "identifier"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["full_name", "email", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser"]
    search_fields = ["full_name", "email"]
    fields = ["full_name", "email", "preferred_language", "is_active", "is_staff", "is_superuser"]
    inlines = [MembershipInline]


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "lead", "has_pooled_fund"]
    search_fields = ["name"]
    autocomplete_fields = ["lead"]
    filter_horizontal = ["areas"]
    inlines = [PartnershipMemberInline]


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_cy", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_cy"]


@admin.register(ClientGroup)
class ClientGroupAdmin(AuditedAdmin):
    list_display = ["name", "name_cy", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


class CycleStageInline(admin.TabularInline):
    model = CycleStage
    extra = 0


@admin.register(CycleModel)
class CycleModelAdmin(AuditedAdmin):
    list_display = ["name", "source", "is_default"]
    inlines = [CycleStageInline]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["person", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
