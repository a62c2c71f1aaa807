"""What waits for people in the market: sign-ups and applications for accreditation awaiting a
decision, accreditations coming up for renewal, and imports that failed."""

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissioning.core.access import is_signed_in, roles_by_organisation
from commissioning.core.imports import failed_since_last_success
from commissioning.core.work_items import (
    Notice,
    Start,
    Urgency,
    WorkItem,
    register_queue,
    register_starts,
)
from commissioning.market import selectors
from commissioning.market.models import Accreditation, Application, MarketImport
from commissioning.market.rules import (
    ASSESSOR_ROLES,
    PROVIDER_ROLES,
    curates_somewhere,
    is_commissioner,
)


def _sign_ups_waiting(person: Any) -> list[WorkItem]:
    waiting = selectors.providers_waiting(person).aggregate(
        total=Count("pk"), since=Min("created_at")
    )
    if not waiting["total"]:
        return []
    return [
        WorkItem(
            title=ngettext(
                "%(count)d provider sign-up to approve or decline",
                "%(count)d provider sign-ups to approve or decline",
                waiting["total"],
            )
            % {"count": waiting["total"]},
            count=waiting["total"],
            url=reverse("market:approvals"),
        )
    ]


def _applications_waiting(person: Any) -> list[WorkItem]:
    rows = (
        selectors.applications_to_assess(person)
        .order_by()
        .values("scheme", "scheme__name")
        .annotate(total=Count("pk"))
        .order_by("scheme__name")
    )
    return [
        WorkItem(
            title=ngettext(
                "%(count)d application for %(scheme)s to decide",
                "%(count)d applications for %(scheme)s to decide",
                row["total"],
            )
            % {"count": row["total"], "scheme": row["scheme__name"]},
            count=row["total"],
            url=reverse("market:scheme_detail", args=[row["scheme"]]),
        )
        for row in rows
    ]


def _assessors_of(application_pk: int) -> Any:
    application = (
        Application.objects.filter(pk=application_pk).select_related("scheme", "provider").first()
    )
    if application is None:
        return []
    people = get_user_model().objects.filter(
        memberships__organisation=application.scheme.owner_id,
        memberships__role__in=list(ASSESSOR_ROLES),
        is_active=True,
    )
    if application.provider.organisation_id:
        # Nobody decides on an application from their own provider.
        people = people.exclude(memberships__organisation=application.provider.organisation_id)
    return people.distinct().order_by("pk")


def _application_notice(application_pk: int) -> Notice | None:
    application = (
        Application.objects.filter(pk=application_pk, status=Application.Status.SUBMITTED)
        .select_related("scheme", "provider")
        .first()
    )
    if application is None:
        return None
    return Notice(
        subject=_("%(provider)s has applied for %(scheme)s")
        % {
            "provider": application.provider.name,
            "scheme": application.scheme.name,
        },
        path=reverse("market:application_detail", args=[application.pk]),
    )


def _renewals_due(person: Any) -> list[WorkItem]:
    """Accreditations of the person's own provider within their scheme's reminder period."""
    if not is_signed_in(person):
        return []
    mine = [org for org, roles in roles_by_organisation(person).items() if roles & PROVIDER_ROLES]
    if not mine:
        return []
    today = timezone.localdate()
    held = Accreditation.objects.filter(
        provider__organisation__in=mine,
        revoked_at__isnull=True,
        issued_on__lte=today,
        expires_on__gt=today,
    ).select_related("scheme")
    expiring = sorted(
        (
            accreditation
            for accreditation in held
            if accreditation.expires_on - timedelta(days=accreditation.scheme.reminder_days)
            <= today
        ),
        key=lambda accreditation: accreditation.expires_on,
    )
    return [
        WorkItem(
            title=_("Renew your accreditation under %(scheme)s") % {"scheme": accreditation.scheme},
            count=1,
            url=reverse("market:scheme_detail", args=[accreditation.scheme_id]),
            due=accreditation.expires_on,
            urgency=Urgency.DUE_SOON,
        )
        for accreditation in expiring
    ]


def _failed_imports(person: Any) -> list[WorkItem]:
    """The person's imports that failed since their last one that worked."""
    if not is_signed_in(person) or getattr(person, "pk", None) is None:
        return []
    failed = failed_since_last_success(
        MarketImport.objects.filter(imported_by=person),
        ready=MarketImport.Status.READY,
        failed=MarketImport.Status.FAILED,
    )
    return [
        WorkItem(
            title=_("The import of %(file)s failed") % {"file": market_import.file_name},
            count=1,
            url=reverse("market:import_detail", args=[market_import.pk]),
            urgency=Urgency.OVERDUE,
        )
        for market_import in failed[:5]
    ]


def _starts(person: Any) -> list[Start]:
    starts = [
        Start(
            _("Find approved providers"),
            reverse("market:register"),
            _("Providers accredited under a scheme, or passported from one your body recognises."),
        )
    ]
    if selectors.provider_of(person) is not None:
        starts.append(
            Start(
                _("Keep your provider record up to date"),
                reverse("market:my_provider"),
                _("Your services, where you work and your accreditations."),
            )
        )
    if is_commissioner(person):
        starts.append(
            Start(
                _("Start a market analysis"),
                reverse("market:analysis_create"),
                _("Supply against need, quality and sustainability: a market position statement."),
            )
        )
    if curates_somewhere(person):
        starts.append(
            Start(
                _("Import providers"),
                reverse("market:import_upload"),
                _("The CQC care directory or a providers file from your own records."),
            )
        )
    return starts


def register() -> None:
    register_queue("market.sign_ups", waiting_for=_sign_ups_waiting)
    register_queue(
        "market.applications",
        waiting_for=_applications_waiting,
        recipients=_assessors_of,
        describe=_application_notice,
    )
    register_queue("market.renewals", waiting_for=_renewals_due)
    register_queue("market.failed_imports", waiting_for=_failed_imports)
    register_starts("market", _starts)
