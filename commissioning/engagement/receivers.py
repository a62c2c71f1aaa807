"""What engagement does when other apps announce a change."""

from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from commissioning.engagement import tasks
from commissioning.plans.signals import plan_published


@receiver(plan_published, dispatch_uid="engagement.plan_published")
def _plan_published(sender: Any, plan: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(tasks.notify_plan_published.enqueue, plan.pk))
