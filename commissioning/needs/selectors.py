from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404

from commissioning.needs import series
from commissioning.needs.models import PopulationDataset, PopulationSeries, PrevalenceSet
from commissioning.needs.projection import RateBand, RateSet, project, sum_by


def ready_datasets() -> QuerySet[PopulationDataset]:
    return PopulationDataset.objects.filter(status=PopulationDataset.Status.READY).order_by(
        "-base_year", "name"
    )


def dataset_named(name: str) -> PopulationDataset | None:
    return ready_datasets().filter(name=name).first()


def population_matrix(
    dataset: PopulationDataset,
    *,
    area_codes: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> tuple[list[tuple[str, int]], np.ndarray]:
    """Rows of (area code, year) and a matrix of their populations with 182 columns: ages
    0..90 for males, then ages 0..90 for females — the shape the projection multiplies."""
    stored: Any = PopulationSeries.objects.filter(dataset=dataset)
    if area_codes is not None:
        stored = stored.filter(area__code__in=list(area_codes))
    if years is not None:
        stored = stored.filter(year__in=list(years))
    rows: dict[tuple[str, int], np.ndarray] = {}
    for code, year, sex, blob in stored.values_list("area__code", "year", "sex", "counts").iterator(
        chunk_size=5000
    ):
        row = rows.setdefault((code, year), np.zeros(2 * series.AGES, dtype=np.float64))
        offset = 0 if sex == 1 else series.AGES
        row[offset : offset + series.AGES] = series.unpack(blob)
    keys = sorted(rows)
    matrix = np.vstack([rows[key] for key in keys]) if keys else np.zeros((0, 2 * series.AGES))
    return keys, matrix


def prevalence_sets() -> QuerySet[PrevalenceSet]:
    return PrevalenceSet.objects.prefetch_related("rates").order_by("condition")


def prevalence_sets_by_slug(slugs: Iterable[str]) -> list[PrevalenceSet]:
    wanted = list(dict.fromkeys(slugs))
    found = {s.slug: s for s in prevalence_sets().filter(slug__in=wanted)}
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        raise Http404(f"No prevalence set {', '.join(missing)}")
    return [found[slug] for slug in wanted]


def rate_set(prevalence_set: PrevalenceSet) -> RateSet:
    return RateSet(
        prevalence_set.slug,
        tuple(
            RateBand(rate.age_from, rate.age_to, rate.sex, rate.rate, rate.lower, rate.upper)
            for rate in prevalence_set.rates.all()
        ),
    )


def projected_cases(
    dataset: PopulationDataset,
    *,
    area_codes: list[str],
    years: list[int] | None,
    prevalence_sets: list[PrevalenceSet],
    total: bool = False,
) -> list[dict[str, Any]]:
    """Expected cases per area (or summed over the areas, as area "total"), year and condition,
    as plain dicts: a national query has hundreds of thousands of rows."""
    keys, matrix = population_matrix(dataset, area_codes=area_codes, years=years)
    if total:
        keys_by_year, matrix = sum_by([year for _, year in keys], matrix)
        keys = [("total", year) for year in keys_by_year]
    projected = project(matrix, [rate_set(s) for s in prevalence_sets]).tolist()
    conditions = [s.condition for s in prevalence_sets]
    return [
        {
            "area_code": area,
            "year": year,
            "condition": condition,
            "cases": bounds[0],
            "low": bounds[1],
            "high": bounds[2],
        }
        for (area, year), per_condition in zip(keys, projected, strict=True)
        for condition, bounds in zip(conditions, per_condition, strict=True)
    ]


def ready_dataset_by_pk(pk: int) -> PopulationDataset:
    try:
        return ready_datasets().get(pk=pk)
    except PopulationDataset.DoesNotExist as exc:
        raise Http404 from exc
