"""Writes for the needs analysis. An import is all or nothing: the file is read and checked in
full, streaming, before one transaction writes every series; a refused file leaves only a
failed dataset record saying why."""

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.core.published import copy_contents, next_version
from commissioning.kit.phrases import Phrase, Refusal, gettext_noop
from commissioning.needs import prevalence_formats
from commissioning.needs.importing import BATCH as BATCH
from commissioning.needs.importing import PopulationImportError as PopulationImportError
from commissioning.needs.importing import Progress, run_population_import
from commissioning.needs.models import (
    NeedsAssessment,
    PopulationDataset,
    PopulationSeries,
    PrevalenceRate,
    PrevalenceSet,
)
from commissioning.needs.projection import RateSet
from commissioning.needs.tasks import import_population_file


def start_population_import(
    *,
    actor: Any,
    file_name: str,
    name: str,
    source: str,
    licence: str,
    year: int | None = None,
    is_demonstration: bool = False,
) -> PopulationDataset:
    """Record an import about to run; its progress and outcome are then visible on it."""
    require(actor, Action.CHANGE, PopulationDataset())
    with transaction.atomic():
        dataset = PopulationDataset(
            name=name,
            kind=PopulationDataset.Kind.ESTIMATE,
            base_year=year or 0,
            source=source,
            licence=licence,
            file_name=file_name,
            is_demonstration=is_demonstration,
            imported_by=acting_person(actor),
        )
        dataset.full_clean(exclude=["base_year"])
        dataset.save()
        record_event(
            actor=actor,
            verb="population_dataset.import_started",
            target=dataset,
            after=snapshot(dataset),
        )
    return dataset


def upload_population_file(
    *,
    actor: Any,
    upload: Any,
    name: str,
    source: str,
    licence: str,
    year: int | None = None,
) -> PopulationDataset:
    """Keep an uploaded file in storage and import it in the background."""
    dataset = start_population_import(
        actor=actor,
        file_name=Path(upload.name).name,
        name=name,
        source=source,
        licence=licence,
        year=year,
    )
    stored_name = default_storage.save(
        f"imports/population/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload
    )
    person_id = getattr(actor, "pk", None)
    transaction.on_commit(
        lambda: import_population_file.enqueue(dataset.pk, stored_name, year, person_id)
    )
    return dataset


def import_population(
    *,
    actor: Any,
    path: Path,
    name: str,
    source: str,
    licence: str,
    year: int | None = None,
    is_demonstration: bool = False,
    progress: Progress | None = None,
) -> PopulationDataset:
    """Import an ONS population file in any of the layouts `population_formats` reads, now."""
    dataset = start_population_import(
        actor=actor,
        file_name=Path(path).name,
        name=name,
        source=source,
        licence=licence,
        year=year,
        is_demonstration=is_demonstration,
    )
    return run_population_import(
        actor=actor, dataset=dataset, path=Path(path), year=year, progress=progress
    )


class PrevalenceImportError(Refusal):
    """The rate set was refused; `phrase` says why, naming the line where there is one."""


def import_prevalence_set(
    *, actor: Any, path: Path, condition: str, slug: str, source: str, condition_cy: str = ""
) -> PrevalenceSet:
    """A rate set from a CSV or XLSX file, checked (bands cover ages without overlap, rates
    between 0 and 1, lower <= rate <= upper) before anything is written. The file is read
    before the transaction opens, so a slow file never holds the database's write lock."""
    require(actor, Action.CHANGE, PrevalenceSet())
    try:
        bands = prevalence_formats.read_rate_bands(path)
        RateSet(slug, tuple(bands))  # refuses bands that overlap across sexes
    except prevalence_formats.PrevalenceFileError as exc:
        raise PrevalenceImportError(exc.phrase, code=exc.code, line=exc.line) from exc
    except ValueError as exc:  # bands of different sexes overlapping, caught by the reader first
        raise PrevalenceImportError(
            Phrase(gettext_noop("The bands overlap: {detail}."), detail=str(exc)), code="overlap"
        ) from exc
    with transaction.atomic():
        prevalence_set = PrevalenceSet(
            condition=condition,
            condition_cy=condition_cy,
            slug=slug,
            source=source,
            file_name=Path(path).name,
            uploaded_by=acting_person(actor),
        )
        prevalence_set.full_clean()
        prevalence_set.save()
        PrevalenceRate.objects.bulk_create(
            PrevalenceRate(
                prevalence_set=prevalence_set,
                age_from=band.age_from,
                age_to=band.age_to,
                sex=band.sex,
                rate=band.rate,
                lower=band.lower,
                upper=band.upper,
            )
            for band in bands
        )
        record_event(
            actor=actor,
            verb="prevalence_set.imported",
            target=prevalence_set,
            after={**snapshot(prevalence_set), "bands": len(bands)},
        )
    return prevalence_set


ASSESSMENT_FIELDS = (
    "title",
    "client_group",
    "population_dataset",
    "base_year",
    "horizon_year",
    "findings",
)


def horizon_refusal(dataset: PopulationDataset, horizon_year: int) -> str:
    """Why a horizon is refused, when it lies past the last year the population data holds (the
    tables and charts would stop there while the assessment claims the later year), or ""."""
    if dataset.status != PopulationDataset.Status.READY or dataset.last_year is None:
        return ""
    if horizon_year <= dataset.last_year:
        return ""
    return _(
        "The population data covers %(first)s to %(last)s: choose a horizon year no later "
        "than %(last)s, or population data that reaches %(horizon)s."
    ) % {"first": dataset.first_year, "last": dataset.last_year, "horizon": horizon_year}


def horizon_beyond_data(assessment: NeedsAssessment) -> str:
    return horizon_refusal(assessment.population_dataset, assessment.horizon_year)


def _check_assessment(
    assessment: NeedsAssessment, areas: list[Any], prevalence_sets: list[PrevalenceSet]
) -> None:
    errors: dict[str, list[str]] = {}
    dataset = assessment.population_dataset
    if dataset.status != PopulationDataset.Status.READY:
        errors.setdefault("population_dataset", []).append(
            _("Choose a population dataset that has finished importing.")
        )
    elif not (dataset.first_year or 0) <= assessment.base_year <= (dataset.last_year or 0):
        errors.setdefault("base_year", []).append(
            _("The dataset holds %(first)s to %(last)s: choose a base year in that range.")
            % {"first": dataset.first_year, "last": dataset.last_year}
        )
    if assessment.horizon_year < assessment.base_year:
        errors.setdefault("horizon_year", []).append(
            _("The horizon must be the base year or later.")
        )
    else:
        beyond = horizon_beyond_data(assessment)
        if beyond:
            errors.setdefault("horizon_year", []).append(beyond)
    if not areas:
        errors.setdefault("areas", []).append(_("Choose at least one area."))
    elif dataset.status == PopulationDataset.Status.READY:
        held = set(
            PopulationSeries.objects.filter(dataset=dataset, area__in=areas)
            .values_list("area__code", flat=True)
            .distinct()
        )
        missing = sorted(area.code for area in areas if area.code not in held)
        if missing:
            errors.setdefault("areas", []).append(
                _("The dataset has no population for %(codes)s.") % {"codes": ", ".join(missing)}
            )
    if errors:
        raise ValidationError(errors)


def _save_assessment(
    assessment: NeedsAssessment, areas: list[Any], prevalence_sets: list[PrevalenceSet]
) -> None:
    _check_assessment(assessment, areas, prevalence_sets)
    assessment.full_clean()
    assessment.save()
    assessment.areas.set(areas)
    assessment.prevalence_sets.set(prevalence_sets)


def _assessment_state(assessment: NeedsAssessment) -> dict[str, Any]:
    return {
        **snapshot(assessment),
        "areas": sorted(assessment.areas.values_list("code", flat=True)),
        "prevalence_sets": sorted(assessment.prevalence_sets.values_list("slug", flat=True)),
    }


@transaction.atomic
def create_assessment(
    *,
    actor: Any,
    organisation: Any,
    partnership: Any = None,
    areas: list[Any],
    prevalence_sets: list[PrevalenceSet],
    is_demonstration: bool = False,
    **fields: Any,
) -> NeedsAssessment:
    assessment = NeedsAssessment(
        organisation=organisation,
        partnership=partnership,
        is_demonstration=is_demonstration,
        created_by=acting_person(actor),
        **{k: v for k, v in fields.items() if k in ASSESSMENT_FIELDS},
    )
    require(actor, Action.CHANGE, assessment)
    _save_assessment(assessment, areas, prevalence_sets)
    record_event(
        actor=actor,
        verb="needs_assessment.created",
        target=assessment,
        organisation=organisation,
        after=_assessment_state(assessment),
    )
    return assessment


@transaction.atomic
def update_assessment(
    *,
    actor: Any,
    assessment: NeedsAssessment,
    areas: list[Any],
    prevalence_sets: list[PrevalenceSet],
    **fields: Any,
) -> NeedsAssessment:
    assessment = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
    require(actor, Action.CHANGE, assessment)
    before = _assessment_state(assessment)
    for key, value in fields.items():
        if key in ASSESSMENT_FIELDS:
            setattr(assessment, key, value)
    _save_assessment(assessment, areas, prevalence_sets)
    record_event(
        actor=actor,
        verb="needs_assessment.updated",
        target=assessment,
        organisation=assessment.organisation,
        before=before,
        after=_assessment_state(assessment),
    )
    return assessment


@transaction.atomic
def publish_assessment(*, actor: Any, assessment: NeedsAssessment) -> NeedsAssessment:
    """Publish a draft: from now on anyone may read it and it never changes."""
    assessment = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
    require(actor, Action.CHANGE, assessment)
    if not assessment.findings.strip():
        raise ValidationError({"findings": _("Write the findings before publishing.")})
    beyond = horizon_beyond_data(assessment)
    if beyond:  # saved before horizons were checked: it would publish years it has no data for
        raise ValidationError({"horizon_year": beyond})
    assessment.status = NeedsAssessment.Status.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.save(update_fields=["status", "published_at"])
    record_event(
        actor=actor,
        verb="needs_assessment.published",
        target=assessment,
        organisation=assessment.organisation,
        after=_assessment_state(assessment),
    )
    return assessment


@transaction.atomic
def start_next_version(*, actor: Any, assessment: NeedsAssessment) -> NeedsAssessment:
    """A draft copy of a published assessment, to revise; the published one stays as it is."""
    assessment = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_published:
        raise ValidationError(_("Only a published assessment has a next version."))
    if hasattr(assessment, "next_version"):
        raise ValidationError(_("This assessment already has a next version."))
    draft = next_version(assessment, created_by=acting_person(actor))
    require(actor, Action.CHANGE, draft)
    draft.full_clean()
    draft.save()
    copy_contents(assessment, draft)
    record_event(
        actor=actor,
        verb="needs_assessment.version_started",
        target=draft,
        organisation=draft.organisation,
        after=_assessment_state(draft),
    )
    return draft
