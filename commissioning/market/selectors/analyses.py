"""Reads for market analyses: the supply on the register in an analysis's areas, the services on
its map, the analyses a person may see, and an analysis's figures computed now."""

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import polars as pl
from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.core import selectors as core_selectors
from commissioning.market import analysis as market_analysis
from commissioning.market.models import MarketAnalysis, Provider, Service
from commissioning.market.rules import analysis_scope
from commissioning.needs import selectors as needs_selectors


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


def analysis_titled(title: str) -> MarketAnalysis | None:
    """For the demo loader only."""
    return MarketAnalysis.objects.filter(title=title).first()
