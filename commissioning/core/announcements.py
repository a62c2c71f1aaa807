"""Telling people that work is waiting for them, once the change that made it has committed."""

from functools import partial

from django.db import transaction

from commissioning.core import tasks, work_items


def announce(queue_key: str, pk: int) -> None:
    """Email the people who must act on record `pk` of the queue `queue_key`, after commit."""
    work_items.queue(queue_key)  # an unknown queue is a mistake in the caller: fail now
    transaction.on_commit(partial(tasks.send_work_notice.enqueue, queue_key, pk))
