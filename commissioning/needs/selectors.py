from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404

from commissioning.needs import series
from commissioning.needs.models import PopulationDataset, PopulationSeries


def ready_datasets() -> QuerySet[PopulationDataset]:
    return PopulationDataset.objects.filter(status=PopulationDataset.Status.READY).order_by(
        "-base_year", "name"
    )


def dataset_by_pk(pk: int) -> PopulationDataset:
    try:
        return PopulationDataset.objects.get(pk=pk)
    except PopulationDataset.DoesNotExist as exc:
        raise Http404 from exc


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
