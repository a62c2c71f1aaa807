"""What the needs analysis does when other parts of the platform tell it something."""

from typing import Any

from django.core.files.storage import default_storage
from django.dispatch import receiver
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from commissioning.core.imports import record_stop
from commissioning.needs.models import PopulationDataset
from commissioning.needs.tasks import import_population_file


@receiver(task_finished, dispatch_uid="needs.population_import_stopped")
def population_import_stopped(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """A population import whose task failed without recording why (its worker died, or an
    unforeseen error) would show "importing" for ever: it says it stopped instead."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != import_population_file.module_path:
        return
    arguments = dict(zip(("dataset_id", "stored_name"), task_result.args, strict=False))
    arguments.update(task_result.kwargs)
    dataset = PopulationDataset.objects.filter(pk=arguments.get("dataset_id") or 0).first()
    stopped = record_stop(
        record=dataset,
        verb="population_dataset.import_failed",
        importing=PopulationDataset.Status.IMPORTING,
        failed=PopulationDataset.Status.FAILED,
    )
    if stopped and arguments.get("stored_name"):
        default_storage.delete(arguments["stored_name"])
