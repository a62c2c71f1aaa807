"""Reading, checking and storing a population file for an import that has started: every
series or none. The service that starts an import and the task that runs it in the background
both call this, so neither reaches into the other."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from commissioning.audit.services import record_event, snapshot
from commissioning.core import selectors as core_selectors
from commissioning.core.imports import record_refusal
from commissioning.core.imports import set_progress as _set_progress
from commissioning.kit.phrases import Phrase, Refusal, gettext_noop
from commissioning.needs import population_formats, series
from commissioning.needs.models import PopulationDataset, PopulationSeries

Progress = Callable[[int], None]
BATCH = 2000


class PopulationImportError(Refusal):
    """The file was refused; `phrase` says why, naming the line where there is one."""


def _fail(actor: Any, dataset: PopulationDataset, problem: Phrase) -> None:
    record_refusal(
        actor=actor,
        record=dataset,
        problem=problem,
        verb="population_dataset.import_failed",
        status=PopulationDataset.Status.FAILED,
    )


def _collect(
    path: Path, year: int | None, dataset: PopulationDataset, progress: Progress | None
) -> tuple[population_formats.Layout, dict[tuple[str, int, int], np.ndarray]]:
    layout = population_formats.detect_layout(path)
    counts: dict[tuple[str, int, int], np.ndarray] = {}
    seen: dict[tuple[str, int, int], np.ndarray] = {}

    def report(done: int, total: int) -> None:
        _set_progress(dataset, int(90 * done / max(total, 1)), progress)

    for cell in population_formats.read_cells(path, year=year, progress=report, layout=layout):
        key = (cell.area_code, cell.year, cell.sex)
        if key not in counts:
            counts[key] = np.zeros(series.AGES, dtype=np.int64)
            seen[key] = np.zeros(series.AGES, dtype=bool)
        counts[key][cell.age] = cell.count
        seen[key][cell.age] = True
    if not counts:
        raise PopulationImportError(
            Phrase(gettext_noop("The file holds no population counts.")), code="empty"
        )
    for (code, cell_year, sex), present in seen.items():
        if not present.all():
            missing = ", ".join(str(age) for age in np.flatnonzero(~present)[:10])
            words = (
                gettext_noop(
                    "{area_code} {year} males has no count for ages {ages}: every single "
                    "year of age 0 to 90+ is needed."
                )
                if sex == 1
                else gettext_noop(
                    "{area_code} {year} females has no count for ages {ages}: every single "
                    "year of age 0 to 90+ is needed."
                )
            )
            raise PopulationImportError(
                Phrase(words, area_code=code, year=cell_year, ages=missing),
                code="incomplete",
            )
    return layout, counts


def run_population_import(
    *,
    actor: Any,
    dataset: PopulationDataset,
    path: Path,
    year: int | None = None,
    progress: Progress | None = None,
) -> PopulationDataset:
    """Read, check and store a file for a started import: every series or none."""
    try:
        layout, counts = _collect(Path(path), year, dataset, progress)
        areas = core_selectors.areas_by_code({code for code, _, _ in counts})
        unknown = sorted({code for code, _, _ in counts} - set(areas))
        if unknown:
            raise PopulationImportError(
                Phrase(
                    gettext_noop("These area codes are not ONS areas this service knows: {codes}."),
                    codes=", ".join(unknown[:10]),
                ),
                code="unknown_area",
            )
        with transaction.atomic():
            rows = [
                PopulationSeries(
                    dataset=dataset,
                    area=areas[code],
                    year=cell_year,
                    sex=sex,
                    counts=series.pack(values),
                    total=int(values.sum()),
                )
                for (code, cell_year, sex), values in counts.items()
            ]
            for start in range(0, len(rows), BATCH):
                PopulationSeries.objects.bulk_create(rows[start : start + BATCH])
            years = sorted({cell_year for _, cell_year, _ in counts})
            dataset.kind = layout.kind
            dataset.layout = layout.label.render()
            dataset.layout_phrase = layout.label.to_json()
            dataset.base_year = year or years[0]
            dataset.first_year, dataset.last_year = years[0], years[-1]
            dataset.area_count = len({code for code, _, _ in counts})
            dataset.cell_count = len(counts) * series.AGES
            dataset.status = PopulationDataset.Status.READY
            dataset.progress = 100
            dataset.imported_at = timezone.now()
            dataset.save()
            record_event(
                actor=actor,
                verb="population_dataset.imported",
                target=dataset,
                after=snapshot(dataset),
            )
    except population_formats.PopulationFileError as exc:
        _fail(actor, dataset, exc.phrase)
        raise PopulationImportError(exc.phrase, code=exc.code, line=exc.line) from exc
    except PopulationImportError as exc:
        _fail(actor, dataset, exc.phrase)
        raise
    if progress is not None:
        progress(100)
    return dataset
