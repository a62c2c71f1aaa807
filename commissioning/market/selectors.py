"""Reads for the provider market, each scoped to what the person may see."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from commissioning.core import selectors as core_selectors
from commissioning.core.access import Action, can, is_platform_admin, roles_by_organisation
from commissioning.market import analysis as market_analysis
from commissioning.market.models import (
    Accreditation,
    AccreditationScheme,
    Application,
    CapacityUnit,
    EvidenceDocument,
    Funding,
    Location,
    MarketAnalysis,
    MarketImport,
    Provider,
    Rating,
    SchemeRecognition,
    Service,
    ServiceType,
)
from commissioning.market.rules import (
    ASSESSOR_ROLES,
    PROVIDER_ROLES,
    analysis_scope,
    curates_somewhere,
    provider_scope,
)
from commissioning.needs import selectors as needs_selectors
from commissioning.needs.tables import Table


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


# ---------------------------------------------------------------------------------------------
# Market analysis


def supply(
    *, area_codes: Iterable[str], service_type_slugs: Iterable[str] | None = None
) -> pl.DataFrame:
    """Every service of a listed provider placed in the areas (by its location, or, for a
    service that goes to people, by the areas it serves), open or closed, as the Polars frame
    the analysis reads (`analysis.SCHEMA`), built column by column straight from the query. A
    service serving several areas with one capacity is split between them evenly."""
    codes = list(area_codes)
    services = Service.objects.filter(provider__status=Provider.Status.LISTED).filter(
        Q(location__area__code__in=codes)
        | Q(location__area__isnull=True, areas_served__code__in=codes)
    )
    if service_type_slugs is not None:
        services = services.filter(service_type__slug__in=list(service_type_slugs))
    rows = list(
        services.distinct().values_list(
            "pk",
            "provider_id",
            "provider__name",
            "provider__sector",
            "provider__income_band",
            "service_type__slug",
            "location__area__code",
            "capacity",
            "location__rating",
            "funding",
            "status",
        )
    )
    served: dict[int, list[str]] = {}
    unplaced = [row[0] for row in rows if row[6] is None]
    for start in range(0, len(unplaced), 1000):
        for service_id, code in Service.areas_served.through.objects.filter(
            service_id__in=unplaced[start : start + 1000], area__code__in=codes
        ).values_list("service_id", "area__code"):
            served.setdefault(service_id, []).append(code)
    columns: dict[str, list[Any]] = {name: [] for name in market_analysis.SCHEMA}
    for pk, provider_id, name, sector, size, slug, area, capacity, rating, funding, status in rows:
        areas = [area] if area else served.get(pk, [])
        share = None if capacity is None else float(capacity) / max(len(areas), 1)
        for code in areas:
            columns["service_id"].append(pk)
            columns["provider_id"].append(provider_id)
            columns["provider_name"].append(name)
            columns["sector"].append(sector or "")
            columns["size"].append(size or "")
            columns["service_type"].append(slug)
            columns["area_code"].append(code)
            columns["capacity"].append(share)
            columns["rating"].append(rating or None)
            columns["funding"].append("|".join(funding or ()))
            columns["is_open"].append(status == Service.Status.OPEN)
    return market_analysis.from_columns(columns)


def map_points(
    *, area_codes: Iterable[str], service_type_slugs: Iterable[str]
) -> list[dict[str, Any]]:
    """Open locations with coordinates in the areas, one point per location and service type,
    with the provider's sector: the map and its table. Codes, not labels (`analysis_results`
    names the area and service type in the reader's language)."""
    rows = (
        Service.objects.filter(
            provider__status=Provider.Status.LISTED,
            status=Service.Status.OPEN,
            location__area__code__in=list(area_codes),
            service_type__slug__in=list(service_type_slugs),
        )
        .select_related("location", "location__area", "service_type", "provider")
        .order_by("location__area__name", "service_type__position", "location__name")
    )
    return [
        {
            "location": service.location.name if service.location else service.name,
            "provider": service.provider.name,
            "provider_id": service.provider_id,
            "sector": service.provider.sector,
            "service_type": service.service_type.slug,
            "area_code": service.location.area.code
            if service.location and service.location.area
            else "",
            "postcode": service.location.postcode if service.location else "",
            "latitude": service.location.latitude if service.location else None,
            "longitude": service.location.longitude if service.location else None,
            "capacity": float(service.capacity) if service.capacity is not None else None,
            "rating": service.location.rating if service.location else "",
        }
        for service in rows
    ]


def analyses_visible_to(person: Any) -> QuerySet[MarketAnalysis]:
    return (
        MarketAnalysis.objects.filter(analysis_scope(person))
        .select_related("organisation", "client_group")
        .distinct()
    )


def analysis_for(person: Any, pk: int) -> MarketAnalysis:
    analysis = (
        MarketAnalysis.objects.filter(analysis_scope(person), pk=pk)
        .select_related(
            "organisation",
            "partnership",
            "client_group",
            "needs_assessment",
            "population_dataset",
            "need_condition",
        )
        .first()
    )
    if analysis is None:
        raise Http404
    return analysis


def published_analyses() -> QuerySet[MarketAnalysis]:
    return MarketAnalysis.objects.filter(status=MarketAnalysis.Status.PUBLISHED).select_related(
        "organisation", "client_group"
    )


# ---------------------------------------------------------------------------------------------
# The register of approved providers


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


_FLAG_LABELS = {
    "under": gettext_lazy("Under-supplied"),
    "balanced": gettext_lazy("Balanced"),
    "over": gettext_lazy("Over-supplied"),
    "unknown": gettext_lazy("Not known"),
}
_SECTOR_LABELS = {
    "public": gettext_lazy("Public sector"),
    "private": gettext_lazy("Private sector"),
    "third": gettext_lazy("Third sector"),
    "": gettext_lazy("Not known"),
}
_SIZE_LABELS = {
    "micro": gettext_lazy("Micro"),
    "small": gettext_lazy("Small"),
    "medium": gettext_lazy("Medium"),
    "large": gettext_lazy("Large"),
    "major": gettext_lazy("Major"),
    "super_major": gettext_lazy("Super-major"),
    "": gettext_lazy("Not known"),
}
_RATING_LABELS = {**{r.value: r.label for r in Rating}, "not_rated": gettext_lazy("Not rated")}
_FUNDING_LABELS = {**{f.value: f.label for f in Funding}, "unknown": gettext_lazy("Not known")}
_BAND_LABELS = {
    "unconcentrated": gettext_lazy("Unconcentrated"),
    "moderately concentrated": gettext_lazy("Moderately concentrated"),
    "highly concentrated": gettext_lazy("Highly concentrated"),
}


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


@dataclass
class AnalysisResults:
    tables: dict[str, Table]
    supply_rows: list[Any]
    points: list[dict[str, Any]]
    population_label: str
    need_label: str
    flags: dict[str, int]
    area_codes: list[str]


def analysis_figures(analysis: MarketAnalysis) -> dict[str, Any]:
    """The figures of a market analysis computed now from the register and its pinned population
    data: supply against need, demand by year, the services on the map, sector and size mix,
    concentration, ratings and funding. Plain JSON in codes, not labels, so that publishing can
    keep them as they are and every language reads them."""
    codes = list(analysis.areas.values_list("code", flat=True))
    units = dict(analysis.service_types.values_list("slug", "capacity_unit"))
    types = set(units)
    known = set(core_selectors.areas_by_code(set(codes)))
    market = supply(area_codes=codes, service_type_slugs=list(types))
    population = needs_selectors.population_by_area(
        analysis.population_dataset,
        area_codes=codes,
        year=analysis.year,
        age_from=analysis.age_from,
        age_to=analysis.age_to,
    )
    for code in codes:
        population.setdefault(code, 0.0)
    need = None
    if analysis.need_condition is not None:
        need = needs_selectors.cases_by_area(
            analysis.population_dataset,
            area_codes=codes,
            year=analysis.year,
            prevalence_set=analysis.need_condition,
        )
    threshold = market_analysis.Threshold(
        basis=analysis.basis,
        under_below=float(analysis.under_below) / 100,
        over_above=float(analysis.over_above) / 100,
        target_per_1000={k: float(v) for k, v in analysis.targets.items() if k in types},
        explanation=analysis.threshold_explanation,
    )
    assessment = analysis.needs_assessment
    first, last = (
        (assessment.base_year, assessment.horizon_year)
        if assessment is not None
        else (analysis.year, analysis.year)
    )
    demand = needs_selectors.demand_by_year(
        analysis.population_dataset,
        area_codes=codes,
        years=range(first, last + 1),
        age_from=analysis.age_from,
        age_to=analysis.age_to,
        prevalence_set=analysis.need_condition,
    )
    return {
        "area_codes": codes,
        "units": units,  # capacities are in these units (beds, hours a week, places)
        "has_need": bool(need),
        "supply": [
            asdict(row)
            for row in market_analysis.supply_against_need(
                market, population=population, need=need, threshold=threshold
            )
            if row.service_type in types and row.area_code in known
        ],
        "demand": [
            {"year": int(year["year"]), "people": year["people"], "cases": year["cases"]}
            for year in demand
        ],
        "sector_mix": [asdict(row) for row in market_analysis.sector_mix(market)],
        "concentration": [asdict(row) for row in market_analysis.concentration(market)],
        "ratings": [asdict(row) for row in market_analysis.rating_distribution(market)],
        "funding": [asdict(row) for row in market_analysis.funding_mix(market)],
        "points": map_points(area_codes=codes, service_type_slugs=list(types)),
    }


def analysis_results(analysis: MarketAnalysis) -> AnalysisResults:
    """Supply against need, sector and size mix, concentration, quality and funding for a
    market analysis, as tables (the page, CSV and XLSX show the same numbers): a published
    analysis's from the figures kept when it was published, a draft's computed now."""
    figures = analysis.figures if analysis.is_published and analysis.figures else None
    if figures is None:
        figures = analysis_figures(analysis)
    return _results_from(analysis, figures)


def _results_from(analysis: MarketAnalysis, figures: dict[str, Any]) -> AnalysisResults:
    codes = list(figures["area_codes"])
    types = {t.slug: t for t in analysis.service_types.all()}
    areas = {a.code: a for a in core_selectors.areas_by_code(set(codes)).values()}
    rows = [market_analysis.SupplyRow(**row) for row in figures["supply"]]
    need = figures["has_need"]
    units = {slug: t.capacity_unit for slug, t in types.items()} | figures.get("units", {})
    if analysis.age_to is None:
        population_label = gettext("People aged %(age)s and over") % {"age": analysis.age_from}
    else:
        population_label = gettext("People aged %(start)s to %(end)s") % {
            "start": analysis.age_from,
            "end": analysis.age_to,
        }
    need_label = (
        gettext("Projected cases of %(condition)s")
        % {"condition": analysis.need_condition.condition}
        if analysis.need_condition
        else ""
    )
    supply_table = Table(
        "supply_against_need",
        gettext("Supply against need"),
        [
            ("area", gettext("Area")),
            ("service_type", gettext("Service type")),
            ("services", gettext("Services")),
            ("capacity", gettext("Capacity")),
            ("unit", gettext("Unit")),
            ("unknown_capacity", gettext("Services with capacity not known")),
            ("population", population_label),
            ("capacity_per_1000", gettext("Capacity per 1,000")),
            *(
                [("need", need_label), ("capacity_per_case", gettext("Capacity per case"))]
                if need
                else []
            ),
            ("benchmark", gettext("Compared with (per 1,000)")),
            ("ratio", gettext("Per cent of comparison")),
            ("flag", gettext("Supply")),
        ],
        caption=gettext(
            "%(year)s. Under-supplied below %(under)s%% of the comparison, over-supplied above "
            "%(over)s%%: %(why)s"
        )
        % {
            "year": analysis.year,
            "under": analysis.under_below,
            "over": analysis.over_above,
            "why": analysis.threshold_explanation,
        },
    )
    flags: dict[str, int] = {}
    for row in sorted(
        (r for r in rows if r.area_code in areas and r.service_type in types),
        key=lambda r: (areas[r.area_code].name, types[r.service_type].position),
    ):
        flags[row.flag] = flags.get(row.flag, 0) + 1
        supply_table.rows.append(
            {
                "area": areas[row.area_code].localised_name,
                "service_type": types[row.service_type].localised_name,
                "services": row.services,
                "capacity": _round(row.capacity),
                "unit": str(CapacityUnit(units[row.service_type]).label),
                "unknown_capacity": row.unknown_capacity,
                "population": None if row.population is None else round(row.population),
                "capacity_per_1000": _round(row.capacity_per_1000, 2),
                "need": None if row.need is None else round(row.need),
                "capacity_per_case": _round(row.capacity_per_case, 2),
                "benchmark": _round(row.benchmark, 2),
                "ratio": None
                if row.ratio_to_benchmark is None
                else round(100 * row.ratio_to_benchmark),
                "flag": str(_FLAG_LABELS[row.flag]),
                "flag_code": row.flag,
            }
        )

    def type_name(slug: str) -> str:
        return types[slug].localised_name if slug in types else gettext("All service types")

    mix = Table(
        "sector_mix",
        gettext("Sector and size of providers"),
        [
            ("service_type", gettext("Service type")),
            ("dimension", gettext("By")),
            ("category", gettext("Group")),
            ("services", gettext("Services")),
            ("capacity", gettext("Capacity")),
            ("share", gettext("Share of capacity (per cent)")),
        ],
    )
    for mix_row in (market_analysis.MixRow(**row) for row in figures["sector_mix"]):
        if mix_row.services == 0:
            continue
        labels = _SECTOR_LABELS if mix_row.dimension == "sector" else _SIZE_LABELS
        mix.rows.append(
            {
                "service_type": type_name(mix_row.service_type),
                "dimension": gettext("Sector")
                if mix_row.dimension == "sector"
                else gettext("Size"),
                "category": str(labels.get(mix_row.category, mix_row.category)),
                "services": mix_row.services,
                "capacity": _round(mix_row.capacity),
                "share": None if mix_row.share is None else round(100 * mix_row.share, 1),
            }
        )
    concentration = Table(
        "concentration",
        gettext("Concentration of providers"),
        [
            ("service_type", gettext("Service type")),
            ("providers", gettext("Providers")),
            ("hhi", gettext("Herfindahl-Hirschman index")),
            ("band", gettext("Concentration")),
            ("top_share", gettext("Largest provider's share (per cent)")),
            ("top3_share", gettext("Three largest providers' share (per cent)")),
            ("largest", gettext("Largest provider")),
        ],
        caption=gettext(
            "Shares of capacity by provider (or of services, where no capacity is known). "
            "Below 1,500 a market is unconcentrated; above 2,500 highly concentrated."
        ),
    )
    for conc in (market_analysis.ConcentrationRow(**row) for row in figures["concentration"]):
        if conc.service_type not in types:
            continue
        concentration.rows.append(
            {
                "service_type": type_name(conc.service_type),
                "providers": conc.providers,
                "hhi": round(conc.hhi),
                "band": str(_BAND_LABELS.get(conc.band, conc.band)),
                "top_share": round(100 * conc.top_share, 1),
                "top3_share": round(100 * conc.top3_share, 1),
                "largest": conc.largest_provider_name,
            }
        )
    ratings = Table(
        "ratings",
        gettext("Quality: the regulator's latest ratings"),
        [
            ("service_type", gettext("Service type")),
            ("rating", gettext("Rating")),
            ("services", gettext("Services")),
            ("share", gettext("Share (per cent)")),
        ],
    )
    for rating in (market_analysis.RatingRow(**row) for row in figures["ratings"]):
        if rating.services == 0:
            continue
        ratings.rows.append(
            {
                "service_type": type_name(rating.service_type),
                "rating": str(_RATING_LABELS.get(rating.rating, rating.rating)),
                "services": rating.services,
                "share": None if rating.share is None else round(100 * rating.share, 1),
            }
        )
    funding = Table(
        "funding",
        gettext("How services are paid for"),
        [
            ("service_type", gettext("Service type")),
            ("funding", gettext("Arrangement")),
            ("services", gettext("Services")),
            ("capacity", gettext("Capacity")),
        ],
        caption=gettext("A service paid for in more than one way counts under each."),
    )
    for fund in (market_analysis.FundingRow(**row) for row in figures["funding"]):
        if fund.services == 0:
            continue
        funding.rows.append(
            {
                "service_type": type_name(fund.service_type),
                "funding": str(_FUNDING_LABELS.get(fund.funding, fund.funding)),
                "services": fund.services,
                "capacity": _round(fund.capacity),
            }
        )
    demand = Table(
        "demand",
        gettext("Demand and its projection"),
        [
            ("year", gettext("Year")),
            ("people", population_label),
            *([("cases", need_label)] if analysis.need_condition else []),
        ],
        caption=gettext("All the areas of the analysis together."),
    )
    for year in figures["demand"]:
        demand.rows.append(
            {
                "year": year["year"],
                "people": round(year["people"]),
                "cases": None if year["cases"] is None else round(year["cases"]),
            }
        )
    points = [
        {
            **point,
            "service_type_name": type_name(point["service_type"]),
            "area": areas[point["area_code"]].localised_name if point["area_code"] in areas else "",
        }
        for point in figures["points"]
    ]
    places = Table(
        "services_map",
        gettext("Services by location and type of provider"),
        [
            ("location", gettext("Service")),
            ("provider", gettext("Provider")),
            ("sector", gettext("Sector")),
            ("service_type_name", gettext("Service type")),
            ("area", gettext("Area")),
            ("postcode", gettext("Postcode")),
            ("capacity", gettext("Capacity")),
            ("rating", gettext("Rating")),
        ],
    )
    for point in points:
        places.rows.append(
            {
                **point,
                "sector": str(_SECTOR_LABELS.get(point["sector"], "")),
                "rating": str(_RATING_LABELS.get(point["rating"], "")) if point["rating"] else "",
            }
        )
    return AnalysisResults(
        tables={
            t.key: t for t in (supply_table, demand, mix, concentration, ratings, funding, places)
        },
        supply_rows=rows,
        points=points,
        population_label=population_label,
        need_label=need_label,
        flags=flags,
        area_codes=codes,
    )


def accreditation_for(person: Any, pk: int) -> Accreditation:
    accreditation = Accreditation.objects.filter(pk=pk).select_related("scheme", "provider").first()
    if accreditation is None or not can(person, Action.VIEW, accreditation):
        raise Http404
    return accreditation


def provider_named(name: str) -> Provider | None:
    """For the demo loader and the command line only."""
    return Provider.objects.filter(name=name).first()


def analysis_titled(title: str) -> MarketAnalysis | None:
    """For the demo loader only."""
    return MarketAnalysis.objects.filter(title=title).first()


def scheme_named(name: str) -> AccreditationScheme | None:
    """For the demo loader only."""
    return AccreditationScheme.objects.filter(name=name).first()
