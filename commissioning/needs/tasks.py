"""Background work for the needs analysis: run by `db_worker`, at once in tests."""

import contextlib
import shutil
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django_tasks import task

from commissioning.core import selectors as core_selectors
from commissioning.needs import importing
from commissioning.needs.models import PopulationDataset


@task()
def import_population_file(
    dataset_id: int, stored_name: str, year: int | None, person_id: int | None
) -> None:
    """Import an uploaded file kept in storage (local disk or S3), then remove the upload.
    The outcome, good or bad, is recorded on the dataset for the page to show."""
    dataset = PopulationDataset.objects.get(pk=dataset_id)
    actor = core_selectors.person_by_pk(person_id) if person_id else None
    suffix = Path(stored_name).suffix
    try:
        with (
            default_storage.open(stored_name, "rb") as upload,
            tempfile.NamedTemporaryFile(suffix=suffix) as local,
        ):
            shutil.copyfileobj(upload, local, length=1024 * 1024)
            local.flush()
            # A refused file is recorded on the dataset by the service, for the page to show.
            with contextlib.suppress(importing.PopulationImportError):
                importing.run_population_import(
                    actor=actor, dataset=dataset, path=Path(local.name), year=year
                )
    finally:
        default_storage.delete(stored_name)
