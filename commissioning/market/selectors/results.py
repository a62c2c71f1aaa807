"""A market analysis's figures as tables in the reader's language (the page, CSV and XLSX show
the same numbers): a published analysis's from the figures kept when it was published."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from commissioning.core import selectors as core_selectors
from commissioning.kit.tables import Table
from commissioning.market import analysis as market_analysis
from commissioning.market.models import CapacityUnit, Funding, MarketAnalysis, Rating
from commissioning.market.selectors.analyses import analysis_figures

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
