"""Heartbeats of the background workers, and the sweep that fails tasks whose worker died.

A task a dead worker was running is failed rather than run again: what killed the worker (a
file too big for its memory, say) would most likely kill the next one too. Failing it sends
django-tasks' `task_finished`, so that whoever started the work (an import) can record that it
stopped and say what to do.
"""

import logging
import os
import socket
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from commissioning.worker.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


def beat(*, worker_id: str, hostname: str, pid: int) -> None:
    """Say that this worker is alive, and where it runs: its host and process id."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname[:255], "pid": pid, "beat_at": timezone.now()},
    )


def stop(*, worker_id: str) -> None:
    """A worker stopping cleanly leaves no heartbeat behind."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_STALE_SECONDS)


def this_host() -> str:
    return socket.gethostname()[:255]


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # there, but another user's
        return True
    except OSError:
        return False
    return True


def is_alive(
    heartbeat: WorkerHeartbeat, *, stale_before: datetime, host: str, me: str | None = None
) -> bool:
    """A worker on this host is alive while its process is: its heartbeat may be held up
    behind another connection's long transaction (on SQLite, a whole import), and its tasks
    must not be failed under it. A worker elsewhere is alive while it beats. A heartbeat with
    this very process's id is alive only if it is `me`: a worker restarted in a container
    often gets the id its killed predecessor had."""
    if heartbeat.hostname and heartbeat.hostname == host and heartbeat.pid:
        if heartbeat.pid == os.getpid():
            return heartbeat.worker_id == me
        return process_exists(heartbeat.pid)
    return heartbeat.beat_at >= stale_before


def sweep_stale_tasks(*, now: datetime | None = None, me: str | None = None) -> list[str]:
    """Fail every task still marked running by a worker that has stopped (or never beat):
    on this host, one whose process is gone; on another, one not heard from for
    WORKER_STALE_SECONDS. Return the tasks' ids."""
    now = now or timezone.now()
    stale_before = now - stale_after()
    host = this_host()
    alive = {
        heartbeat.worker_id
        for heartbeat in WorkerHeartbeat.objects.all()
        if is_alive(heartbeat, stale_before=stale_before, host=host, me=me)
    }
    lost = []
    candidates = DBTaskResult.objects.running().filter(started_at__lt=stale_before)
    for task_id, worker_ids in candidates.values_list("id", "worker_ids"):
        worker_id = worker_ids[-1] if worker_ids else ""
        if worker_id not in alive and _fail_lost_task(task_id, worker_ids):
            lost.append(str(task_id))
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).exclude(
        worker_id__in=alive
    ).delete()
    return lost


def _fail_lost_task(task_id: UUID, worker_ids: list[str]) -> bool:
    with transaction.atomic():
        result = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(pk=task_id, status=TaskResultStatus.RUNNING, worker_ids=worker_ids)
            .first()
        )
        if result is None:  # finished, or taken by another sweep, since we looked
            return False
        worker_id = worker_ids[-1] if worker_ids else "unknown"
        started = result.started_at.isoformat(timespec="seconds") if result.started_at else "?"
        result.set_failed(
            WorkerLost(
                f"Worker {worker_id} stopped while running this task (started {started}) and "
                "has not been heard from since."
            )
        )
    logger.error("Task id=%s failed: worker %s stopped while running it.", task_id, worker_id)
    try:
        task_result = result.task_result
        sender = type(result.task.get_backend())
    except (ImportError, SuspiciousOperation):
        logger.exception("Task id=%s can no longer be loaded to report it.", task_id)
        return True
    task_finished.send(sender=sender, task_result=task_result)
    return True
