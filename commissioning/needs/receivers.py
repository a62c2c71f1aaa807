"""What the needs analysis does when other parts of the platform tell it something."""

from typing import Any

from django.dispatch import receiver
from django_tasks import TaskResult
from django_tasks.signals import task_finished

from commissioning.core.imports import stop_failed_import
from commissioning.needs.models import PopulationDataset
from commissioning.needs.tasks import import_population_file


@receiver(task_finished, dispatch_uid="needs.population_import_stopped")
def population_import_stopped(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """A population import whose task failed without recording why (its worker died, or an
    unforeseen error) would show "importing" for ever: it says it stopped instead."""
    stop_failed_import(
        task_result,
        import_population_file,
        model=PopulationDataset,
        parameters=("dataset_id", "stored_name"),
        verb="population_dataset.import_failed",
    )
