"""The provider market as JSON: the register of providers and services, market analyses and
their supply against need, and the register of approved providers. Scoped like the pages: the
public sees listed providers and published analyses; unit costs and workforce figures only
reach commissioners and the provider itself."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commissioning.core.api_auth import ANYONE
from commissioning.core.api_schema import (
    BoundedPageNumberPagination,
    Cases,
    Coordinate,
    Figure,
    Money,
    PerCase,
    Ratio,
    RecordId,
)
from commissioning.market import selectors
from commissioning.market.rules import may_see_commercial

router = Router(tags=["Provider market"])


class ProviderSummaryOut(Schema):
    id: int
    name: str
    status: str
    sector: str
    income_band: str
    cqc_provider_id: str | None
    charity_number: str
    company_number: str
    open_services: int


class ServiceOut(Schema):
    id: int
    name: str
    service_type: str
    status: str
    capacity: Figure | None
    capacity_unit: str
    client_groups: list[str]
    areas_served: list[str]
    location: str | None
    postcode: str | None
    area_code: str | None
    latitude: Coordinate | None
    longitude: Coordinate | None
    cqc_location_id: str | None
    rating: str | None
    rating_date: date | None
    funding: list[str]
    languages: list[str]
    unit_cost: Money | None = Field(
        None, description="commissioners of the areas the provider serves, and the provider"
    )
    staff: int | None = Field(None, description="as unit_cost")
    vacancies: int | None = Field(None, description="as unit_cost")


class ProviderOut(ProviderSummaryOut):
    description: str
    website: str
    services: list[ServiceOut]


class ProviderQuery(Schema):
    q: str = Field("", description="name, postcode or CQC provider ID")
    service_type: str = Field("", description="a service type's code, e.g. home_care")
    area: str = Field("", description="an ONS local authority code")
    sector: str = Field("", description="public, private or third")


def _service(service: Any, commercial: bool) -> dict[str, Any]:
    location = service.location
    return {
        "id": service.pk,
        "name": service.name,
        "service_type": service.service_type.slug,
        "status": service.status,
        "capacity": float(service.capacity) if service.capacity is not None else None,
        "capacity_unit": service.service_type.capacity_unit,
        "client_groups": [group.slug for group in service.client_groups.all()],
        "areas_served": [area.code for area in service.areas_served.all()],
        "location": location.name if location else None,
        "postcode": location.postcode if location else None,
        "area_code": location.area.code if location and location.area else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "cqc_location_id": location.cqc_location_id if location else None,
        "rating": (location.rating or None) if location else None,
        "rating_date": location.rating_date if location else None,
        "funding": list(service.funding),
        "languages": list(service.languages),
        "unit_cost": float(service.unit_cost)
        if commercial and service.unit_cost is not None
        else None,
        "staff": service.staff if commercial else None,
        "vacancies": service.vacancies if commercial else None,
    }


@router.get(
    "/providers",
    response=list[ProviderSummaryOut],
    auth=ANYONE,
    summary="Providers on the register, in every sector",
)
@paginate(BoundedPageNumberPagination)
def list_providers(request: HttpRequest, query: Query[ProviderQuery]) -> Any:
    return selectors.providers_visible_to(
        request.user,
        query=query.q,
        service_type=query.service_type,
        area_code=query.area,
        sector=query.sector,
    ).order_by("name", "pk")


@router.get("/providers/{provider_id}", response=ProviderOut, auth=ANYONE)
def get_provider(request: HttpRequest, provider_id: RecordId) -> Any:
    provider = selectors.provider_for(request.user, provider_id)
    commercial = may_see_commercial(request.user, provider)
    services = [_service(s, commercial) for s in selectors.services_of(provider)]
    return {
        **{
            field: getattr(provider, field)
            for field in (
                "id",
                "name",
                "status",
                "sector",
                "income_band",
                "cqc_provider_id",
                "charity_number",
                "company_number",
                "description",
                "website",
            )
        },
        "open_services": len(services),
        "services": services,
    }


class AnalysisSummaryOut(Schema):
    id: int
    title: str
    status: str
    organisation: str
    client_group: str
    year: int
    published_at: datetime | None

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return str(obj.organisation.name)

    @staticmethod
    def resolve_client_group(obj: Any) -> str:
        return str(obj.client_group.slug)


class SupplyOut(Schema):
    area_code: str
    service_type: str
    services: int
    capacity: Figure
    unknown_capacity: int
    population: Figure | None
    capacity_per_1000: Figure | None
    need: Cases | None
    capacity_per_case: PerCase | None
    benchmark: Figure | None
    ratio_to_benchmark: Ratio | None
    flag: str = Field(description="under, balanced, over or unknown")


class AnalysisOut(Schema):
    id: int
    title: str
    status: str
    organisation: str
    client_group: str
    year: int
    published_at: datetime | None
    areas: list[str]
    service_types: list[str]
    basis: str
    under_below: Figure
    over_above: Figure
    threshold_explanation: str
    supply_against_need: list[SupplyOut]


@router.get(
    "/market-analyses",
    response=list[AnalysisSummaryOut],
    auth=ANYONE,
    summary="Market analyses: published ones (market position statements) and your drafts",
)
@paginate(BoundedPageNumberPagination)
def list_analyses(request: HttpRequest) -> Any:
    return selectors.analyses_visible_to(request.user)


@router.get("/market-analyses/{analysis_id}", response=AnalysisOut, auth=ANYONE)
def get_analysis(request: HttpRequest, analysis_id: RecordId) -> Any:
    analysis = selectors.analysis_for(request.user, analysis_id)
    results = selectors.analysis_results(analysis)
    return {
        "id": analysis.pk,
        "title": analysis.title,
        "status": analysis.status,
        "organisation": analysis.organisation.name,
        "client_group": analysis.client_group.slug,
        "year": analysis.year,
        "published_at": analysis.published_at,
        "areas": results.area_codes,
        "service_types": sorted(analysis.service_types.values_list("slug", flat=True)),
        "basis": analysis.basis,
        "under_below": float(analysis.under_below),
        "over_above": float(analysis.over_above),
        "threshold_explanation": analysis.threshold_explanation,
        "supply_against_need": [
            {name: getattr(row, name) for name in SupplyOut.model_fields}
            for row in results.supply_rows
        ],
    }


class AccreditationOut(Schema):
    provider_id: int
    provider: str
    scheme_id: int
    scheme: str
    issued_on: date
    expires_on: date

    @staticmethod
    def resolve_provider(obj: Any) -> str:
        return str(obj.provider.name)

    @staticmethod
    def resolve_scheme(obj: Any) -> str:
        return str(obj.scheme.name)


@router.get(
    "/approved-providers",
    response=list[AccreditationOut],
    auth=ANYONE,
    summary="The register of approved providers: accreditations valid today",
)
@paginate(BoundedPageNumberPagination)
def approved_providers(request: HttpRequest) -> Any:
    return selectors.register_of_approved_providers()
