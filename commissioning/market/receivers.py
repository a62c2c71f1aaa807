"""What the market does when other parts of the platform tell it something."""

from typing import Any

from django.dispatch import receiver
from django_tasks import TaskResult
from django_tasks.signals import task_finished

from commissioning.core.imports import stop_failed_import
from commissioning.market.models import MarketImport
from commissioning.market.tasks import import_market_file


@receiver(task_finished, dispatch_uid="market.market_import_stopped")
def market_import_stopped(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """A market import whose task failed without recording why (its worker died, or an
    unforeseen error) would show "importing" for ever: it says it stopped instead."""
    stop_failed_import(
        task_result,
        import_market_file,
        model=MarketImport,
        parameters=("import_id",),
        verb="market_import.failed",
    )
