from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from commissioning.core.access import is_platform_admin
from commissioning.kit.tables import Table
from commissioning.needs import series
from commissioning.needs.models import (
    NeedsAssessment,
    PopulationDataset,
    PopulationSeries,
    PrevalenceSet,
)
from commissioning.needs.projection import RateBand, RateSet, project, sum_by
from commissioning.needs.rules import assessment_scope
from commissioning.needs.tables import AssessmentTables


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
    decimals: int | None = None,
) -> list[dict[str, Any]]:
    """Expected cases per area (or summed over the areas, as area "total"), year and condition,
    as plain dicts: a national query has hundreds of thousands of rows. With `decimals`, the
    figures are rounded to that many places, all at once."""
    keys, matrix = population_matrix(dataset, area_codes=area_codes, years=years)
    if total:
        keys_by_year, matrix = sum_by([year for _, year in keys], matrix)
        keys = [("total", year) for year in keys_by_year]
    projected_matrix = project(matrix, [rate_set(s) for s in prevalence_sets])
    if decimals is not None:
        projected_matrix = projected_matrix.round(decimals)
    projected = projected_matrix.tolist()
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


BANDS = [(start, start + 4) for start in range(0, 90, 5)] + [(90, 90)]
AGE_GROUPS = [(0, 17), (18, 64), (65, 90), (75, 90), (85, 90)]


def _band_label(start: int, end: int) -> str:
    return "90+" if start == 90 else f"{start}-{end}"


def assessment_years(assessment: NeedsAssessment) -> list[int]:
    """The years from the base to the horizon that the assessment's population data holds."""
    dataset = assessment.population_dataset
    first = max(assessment.base_year, dataset.first_year or assessment.base_year)
    last = min(assessment.horizon_year, dataset.last_year or assessment.horizon_year)
    return list(range(first, last + 1))


def assessment_tables(
    assessment: NeedsAssessment, *, area_code: str = "", pyramid_year: int | None = None
) -> AssessmentTables:
    """The population profile, growth of age groups and projected cases of an assessment,
    from its pinned dataset and rate sets: over its areas summed, or for one of them
    (`area_code`); the profile for the base year, or for `pyramid_year` (any year held).
    An area outside the assessment, or a year outside its data, is a ValueError."""
    areas = {area.code: area for area in assessment.areas.all()}
    if area_code and area_code not in areas:
        raise ValueError(f"{area_code} is not one of the assessment's areas")
    area_codes = [area_code] if area_code else list(areas)
    dataset = assessment.population_dataset
    years = assessment_years(assessment)
    if pyramid_year is not None and pyramid_year not in years:
        raise ValueError(f"{pyramid_year} is not a year of the assessment's data")
    first = years[0] if years else assessment.base_year
    shown_year = first if pyramid_year is None else pyramid_year
    keys, matrix = population_matrix(dataset, area_codes=area_codes, years=years)
    held_years, by_year = sum_by([year for _, year in keys], matrix)
    totals = dict(zip(held_years, by_year, strict=True))
    place = areas[area_code].localised_name if area_code else ""
    where = place or gettext("all areas of the assessment together")

    profile = Table(
        "population_profile",
        gettext("Population by age and sex"),
        [
            ("age", gettext("Age")),
            ("male", gettext("Male")),
            ("female", gettext("Female")),
            ("total", gettext("Total")),
        ],
    )
    if shown_year in totals:
        row = totals[shown_year]
        for start, end in BANDS:
            male = int(row[start : end + 1].sum())
            female = int(row[91 + start : 91 + end + 1].sum())
            profile.rows.append(
                {
                    "age": _band_label(start, end),
                    "male": male,
                    "female": female,
                    "total": male + female,
                }
            )
        profile.caption = gettext("%(year)s, %(where)s") % {"year": shown_year, "where": where}

    group_labels = [
        gettext("Aged %(start)s to %(end)s") % {"start": s, "end": e}
        if e < 90
        else gettext("Aged %(start)s and over") % {"start": s}
        for s, e in AGE_GROUPS
    ]
    growth = Table(
        "age_group_growth",
        gettext("Growth of age groups"),
        [("year", gettext("Year"))]
        + [(f"group_{i}", label) for i, label in enumerate(group_labels)],
        caption=where[:1].upper() + where[1:],
    )
    for year in held_years:
        row = totals[year]
        growth.rows.append(
            {
                "year": year,
                **{
                    f"group_{i}": int(row[s : e + 1].sum() + row[91 + s : 91 + e + 1].sum())
                    for i, (s, e) in enumerate(AGE_GROUPS)
                },
            }
        )

    cases = Table(
        "projected_cases",
        gettext("Projected cases"),
        [
            ("year", gettext("Year")),
            ("condition", gettext("Condition")),
            ("cases", gettext("Expected cases")),
            ("low", gettext("Low estimate")),
            ("high", gettext("High estimate")),
        ],
        caption=where[:1].upper() + where[1:],
    )
    prevalence = list(assessment.prevalence_sets.prefetch_related("rates"))
    if prevalence and keys:
        for row in projected_cases(
            dataset, area_codes=area_codes, years=years, prevalence_sets=prevalence, total=True
        ):
            cases.rows.append(
                {
                    "year": row["year"],
                    "condition": row["condition"],
                    "cases": round(row["cases"]),
                    "low": round(row["low"]),
                    "high": round(row["high"]),
                }
            )
    return AssessmentTables(
        {table.key: table for table in (profile, growth, cases)},
        place=place,
        area_code=area_code,
        pyramid_year=shown_year if shown_year in totals else None,
        years=tuple(held_years),
    )


def assessments_visible_to(person: Any) -> QuerySet[NeedsAssessment]:
    return (
        NeedsAssessment.objects.filter(assessment_scope(person))
        .distinct()
        .select_related("organisation", "partnership", "client_group", "population_dataset")
        .order_by("-created_at")
    )


def assessment_for(person: Any, pk: int) -> NeedsAssessment:
    """An assessment the person may see, or 404 (a draft of another body is not confirmed)."""
    try:
        return (
            assessments_visible_to(person).prefetch_related("areas", "prevalence_sets").get(pk=pk)
        )
    except NeedsAssessment.DoesNotExist as exc:
        raise Http404 from exc


def datasets_visible_to(person: Any) -> QuerySet[PopulationDataset]:
    """Ready datasets for everyone; an import still running or refused only for whoever
    started it (and platform administrators)."""
    ready = Q(status=PopulationDataset.Status.READY)
    if is_platform_admin(person):
        scope = Q()
    elif getattr(person, "is_authenticated", False):
        scope = ready | Q(imported_by=person)
    else:
        scope = ready
    return PopulationDataset.objects.filter(scope).order_by("-created_at")


def dataset_for(person: Any, pk: int) -> PopulationDataset:
    try:
        return datasets_visible_to(person).get(pk=pk)
    except PopulationDataset.DoesNotExist as exc:
        raise Http404 from exc


def population_by_area(
    dataset: PopulationDataset,
    *,
    area_codes: Iterable[str],
    year: int,
    age_from: int = 0,
    age_to: int | None = None,
) -> dict[str, float]:
    """People of both sexes aged `age_from` to `age_to` (None: and over) in each area in a
    year: the population a market analysis measures supply against."""
    keys, matrix = population_matrix(dataset, area_codes=area_codes, years=[year])
    last = series.AGES - 1 if age_to is None else min(age_to, series.AGES - 1)
    columns = [*range(age_from, last + 1), *range(series.AGES + age_from, series.AGES + last + 1)]
    return {code: float(matrix[index, columns].sum()) for index, (code, _year) in enumerate(keys)}


def cases_by_area(
    dataset: PopulationDataset,
    *,
    area_codes: Iterable[str],
    year: int,
    prevalence_set: PrevalenceSet,
) -> dict[str, float]:
    """Expected cases of one condition in each area in a year."""
    return {
        row["area_code"]: float(row["cases"])
        for row in projected_cases(
            dataset, area_codes=list(area_codes), years=[year], prevalence_sets=[prevalence_set]
        )
    }


def prevalence_set_by_pk(pk: int) -> PrevalenceSet | None:
    return PrevalenceSet.objects.filter(pk=pk).first()


def dataset_covering(*, year: int) -> PopulationDataset | None:
    """The most recent ready dataset that holds the year (a projection for future years)."""
    return (
        ready_datasets()
        .filter(first_year__lte=year, last_year__gte=year)
        .order_by("-base_year", "-imported_at")
        .first()
    )


def demand_by_year(
    dataset: PopulationDataset,
    *,
    area_codes: Iterable[str],
    years: Iterable[int],
    age_from: int = 0,
    age_to: int | None = None,
    prevalence_set: PrevalenceSet | None = None,
) -> list[dict[str, Any]]:
    """People aged `age_from` to `age_to` in the areas together, and expected cases of a
    condition, in each year held: demand and its projection, for a market position statement."""
    keys, matrix = population_matrix(dataset, area_codes=area_codes, years=years)
    held, by_year = sum_by([year for _, year in keys], matrix)
    last = series.AGES - 1 if age_to is None else min(age_to, series.AGES - 1)
    columns = [*range(age_from, last + 1), *range(series.AGES + age_from, series.AGES + last + 1)]
    cases = project(by_year, [rate_set(prevalence_set)]) if prevalence_set and len(held) else None
    return [
        {
            "year": year,
            "people": float(by_year[index, columns].sum()),
            "cases": float(cases[index, 0, 0]) if cases is not None else None,
        }
        for index, year in enumerate(held)
    ]
