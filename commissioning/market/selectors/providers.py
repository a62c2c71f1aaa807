"""Reads of the provider register, each scoped to what the person may see: service types,
providers with their services and locations, sign-ups waiting for a decision, and imports."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from commissioning.core.access import Action, can, is_platform_admin, roles_by_organisation
from commissioning.market.models import Location, MarketImport, Provider, Service, ServiceType
from commissioning.market.rules import PROVIDER_ROLES, curates_somewhere, provider_scope


def service_types(*, include_inactive: bool = False) -> QuerySet[ServiceType]:
    types = ServiceType.objects.all()
    return types if include_inactive else types.filter(is_active=True)


def service_type_by_slug(slug: str) -> ServiceType | None:
    return ServiceType.objects.filter(slug=slug).first()


def providers_visible_to(
    person: Any,
    *,
    query: str = "",
    service_type: str = "",
    area_code: str = "",
    sector: str = "",
    status: str = "",
) -> QuerySet[Provider]:
    providers = Provider.objects.filter(provider_scope(person))
    if status:
        providers = providers.filter(status=status)
    else:
        providers = providers.filter(status=Provider.Status.LISTED)
    if query:
        providers = providers.filter(
            Q(name__icontains=query)
            | Q(cqc_provider_id=query.strip())
            | Q(locations__name__icontains=query)
            | Q(locations__postcode__iexact=query.strip())
        )
    if service_type:
        providers = providers.filter(
            services__service_type__slug=service_type, services__status=Service.Status.OPEN
        )
    if area_code:
        providers = providers.filter(
            Q(locations__area__code=area_code, locations__status=Location.Status.OPEN)
            | Q(services__areas_served__code=area_code)
        )
    if sector:
        providers = providers.filter(sector=sector)
    return providers.distinct().annotate(
        open_services=Count(
            "services", filter=Q(services__status=Service.Status.OPEN), distinct=True
        )
    )


def provider_for(person: Any, pk: int) -> Provider:
    provider = Provider.objects.filter(provider_scope(person), pk=pk).first()
    if provider is None:
        raise Http404
    return provider


def provider_of(person: Any) -> Provider | None:
    """The provider record the person keeps, if they are one of a provider's people."""
    mine = [org for org, roles in roles_by_organisation(person).items() if roles & PROVIDER_ROLES]
    if not mine:
        return None
    return Provider.objects.filter(organisation__in=mine).order_by("-pk").first()


def services_of(provider: Provider, *, include_closed: bool = False) -> QuerySet[Service]:
    services = (
        Service.objects.filter(provider=provider)
        .select_related("service_type", "location", "location__area")
        .prefetch_related("client_groups", "areas_served")
    )
    return services if include_closed else services.filter(status=Service.Status.OPEN)


def service_of(person: Any, provider: Provider, pk: int) -> Service:
    service = services_of(provider, include_closed=True).filter(pk=pk).first()
    if service is None or not can(person, Action.VIEW, service):
        raise Http404
    return service


def locations_of(provider: Provider) -> QuerySet[Location]:
    return (
        Location.objects.filter(provider=provider)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.select_related("service_type").order_by(
                    "service_type__position"
                ),
            )
        )
        .order_by("status", "name")
    )


def providers_waiting(person: Any) -> QuerySet[Provider]:
    if not curates_somewhere(person):
        return Provider.objects.none()
    return (
        Provider.objects.filter(provider_scope(person), status=Provider.Status.PENDING)
        .select_related("organisation", "claim_of")
        .order_by("created_at")
    )


def imports_visible_to(person: Any) -> QuerySet[MarketImport]:
    imports = MarketImport.objects.all()
    if not is_platform_admin(person):
        imports = imports.filter(imported_by_id=getattr(person, "pk", None))
    return imports.order_by("-created_at")


def import_for(person: Any, pk: int) -> MarketImport:
    market_import = MarketImport.objects.filter(pk=pk).first()
    if market_import is None or not can(person, Action.VIEW, market_import):
        raise Http404
    return market_import


def provider_named(name: str) -> Provider | None:
    """For the demo loader and the command line only."""
    return Provider.objects.filter(name=name).first()
