"""Reads of the register of approved providers: schemes, applications and their evidence,
valid and revoked accreditations, and passporting (the topics a provider's accreditations count
for in a body's procurements)."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.core.access import Action, can, is_platform_admin, roles_by_organisation
from commissioning.market.models import (
    Accreditation,
    AccreditationScheme,
    Application,
    EvidenceDocument,
    Provider,
    SchemeRecognition,
)
from commissioning.market.rules import ASSESSOR_ROLES, PROVIDER_ROLES


def schemes() -> QuerySet[AccreditationScheme]:
    return AccreditationScheme.objects.select_related("owner").prefetch_related("criteria")


def scheme_by_pk(pk: int) -> AccreditationScheme:
    scheme = schemes().filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def schemes_run_by(person: Any) -> QuerySet[AccreditationScheme]:
    if is_platform_admin(person):
        return schemes()
    mine = [org for org, roles in roles_by_organisation(person).items() if roles & ASSESSOR_ROLES]
    return schemes().filter(owner__in=mine)


def applications_of(provider: Provider) -> QuerySet[Application]:
    return Application.objects.filter(provider=provider).select_related("scheme")


def applications_to_assess(person: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(
            scheme__in=schemes_run_by(person), status=Application.Status.SUBMITTED
        )
        .exclude(
            provider__organisation__in=[
                org
                for org, roles in roles_by_organisation(person).items()
                if roles & PROVIDER_ROLES
            ]
        )
        .select_related("scheme", "provider")
        .order_by("submitted_at")
    )


def application_for(person: Any, pk: int) -> Application:
    application = (
        Application.objects.filter(pk=pk)
        .select_related("scheme", "scheme__owner", "provider", "provider__organisation")
        .first()
    )
    if application is None or not can(person, Action.VIEW, application):
        raise Http404
    return application


def evidence_for(person: Any, pk: int) -> EvidenceDocument:
    document = (
        EvidenceDocument.objects.filter(pk=pk)
        .select_related("application", "application__provider", "application__scheme")
        .first()
    )
    if document is None or not can(person, Action.VIEW, document):
        raise Http404
    return document


def register_of_approved_providers(
    *, scheme: AccreditationScheme | None = None, on: date | None = None, query: str = ""
) -> QuerySet[Accreditation]:
    """Accreditations valid on the day: the public register."""
    day = on or timezone.localdate()
    accreditations = Accreditation.objects.filter(
        revoked_at__isnull=True, issued_on__lte=day, expires_on__gt=day
    ).select_related("scheme", "scheme__owner", "provider")
    if scheme is not None:
        accreditations = accreditations.filter(scheme=scheme)
    if query:
        accreditations = accreditations.filter(provider__name__icontains=query)
    return accreditations.order_by("provider__name", "scheme__name")


def revoked_accreditations(*, scheme: AccreditationScheme | None = None) -> QuerySet[Accreditation]:
    revoked = Accreditation.objects.filter(revoked_at__isnull=False).select_related(
        "scheme", "provider"
    )
    return revoked.filter(scheme=scheme) if scheme is not None else revoked


def accreditations_of(provider: Provider) -> QuerySet[Accreditation]:
    return Accreditation.objects.filter(provider=provider).select_related("scheme")


def recognitions_by(commissioning_body_id: int) -> QuerySet[SchemeRecognition]:
    return SchemeRecognition.objects.filter(
        commissioning_body_id=commissioning_body_id, ended_on__isnull=True
    ).select_related("scheme")


def passported_topics(
    *, commissioning_body_id: int, provider_id: int, on: date | None = None
) -> dict[str, Accreditation]:
    """Passporting, for procurement: the criterion topics (governance, safeguarding…) a
    provider's valid accreditation counts as evidence met for in this body's procurements,
    each with the accreditation that proves it. Empty when the body recognises no scheme the
    provider holds."""
    day = on or timezone.localdate()
    recognised = SchemeRecognition.objects.filter(
        commissioning_body_id=commissioning_body_id, recognised_on__lte=day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    accreditations = (
        Accreditation.objects.filter(
            provider_id=provider_id,
            scheme__in=recognised.values("scheme"),
            revoked_at__isnull=True,
            issued_on__lte=day,
            expires_on__gt=day,
        )
        .select_related("scheme")
        .prefetch_related("scheme__criteria")
        .order_by("-expires_on")
    )
    topics: dict[str, Accreditation] = {}
    for accreditation in accreditations:
        for criterion in accreditation.scheme.criteria.all():
            topics.setdefault(criterion.topic, accreditation)
    return topics


def accreditation_for(person: Any, pk: int) -> Accreditation:
    accreditation = Accreditation.objects.filter(pk=pk).select_related("scheme", "provider").first()
    if accreditation is None or not can(person, Action.VIEW, accreditation):
        raise Http404
    return accreditation


def scheme_named(name: str) -> AccreditationScheme | None:
    """For the demo loader only."""
    return AccreditationScheme.objects.filter(name=name).first()
