"""What the market does when other parts of the platform tell it something."""

from typing import Any

from django.core.files.storage import default_storage
from django.dispatch import receiver
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.signals import task_finished

from commissioning.core.imports import record_stop
from commissioning.market.models import MarketImport
from commissioning.market.tasks import import_market_file


@receiver(task_finished, dispatch_uid="market.market_import_stopped")
def market_import_stopped(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """A market import whose task failed without recording why (its worker died, or an
    unforeseen error) would show "importing" for ever: it says it stopped instead."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != import_market_file.module_path:
        return
    arguments = dict(zip(("import_id",), task_result.args, strict=False))
    arguments.update(task_result.kwargs)
    market_import = MarketImport.objects.filter(pk=arguments.get("import_id") or 0).first()
    stored_name = market_import.stored_name if market_import is not None else ""
    stopped = record_stop(
        record=market_import,
        verb="market_import.failed",
        importing=MarketImport.Status.IMPORTING,
        failed=MarketImport.Status.FAILED,
        stored_name="",
    )
    if stopped and stored_name:
        default_storage.delete(stored_name)
