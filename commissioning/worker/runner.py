"""django-tasks-db's worker, made to survive a database it cannot reach for a while, with a
heartbeat so that the tasks of a worker that died are found (see services)."""

import logging
import os
import socket
import threading
import time
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from commissioning.worker import services

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def backoff(failures: int, *, base: float, ceiling: float) -> float:
    """Seconds to wait after so many failures in a row: doubling, up to `ceiling`."""
    return min(ceiling, base * 2 ** max(0, failures - 1))


class ResilientWorker(Worker):
    """A database error (SQLite's "database is locked" at BEGIN, a PostgreSQL connection
    dropped) stopped django-tasks-db's loop for good; here it is logged and the loop starts
    again after a pause that doubles while the errors continue."""

    def __init__(self, *, max_backoff: float = 60.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_backoff = max_backoff
        self.base_backoff = max(0.1, min(self.interval, 1.0))

    def run(self) -> None:
        failures, last_failure = 0, 0.0
        while True:
            try:
                super().run()
                return
            except DatabaseError as error:
                now = time.monotonic()
                quiet_since = now - last_failure > 2 * self.max_backoff
                failures = 1 if quiet_since else failures + 1
                last_failure = now
                delay = backoff(failures, base=self.base_backoff, ceiling=self.max_backoff)
                logger.warning(
                    "Worker %s could not use the database (%s); trying again in %.1f s.",
                    self.worker_id,
                    error,
                    delay,
                )
                connections.close_all()
                self.startup_delay = False
                if not self.running:
                    return
                time.sleep(delay)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError as error:
            # The task ended but its outcome could not be written. Left as it is, it would stay
            # "running" under a worker that is alive, which no sweep would ever fail.
            self.record_failure(db_task_result, error)

    def record_failure(self, db_task_result: DBTaskResult, error: DatabaseError) -> None:
        """Keep trying, for as long as this worker lives, to record that the task failed: a
        worker that is alive keeps its tasks from every sweep, so giving up would leave this
        one running for ever. A second signal to stop ends the worker, and then the sweep."""
        attempt = 0
        while True:
            attempt += 1
            delay = backoff(attempt, base=self.base_backoff, ceiling=self.max_backoff)
            logger.warning(
                "Worker %s could not record the outcome of task id=%s (%s, attempt %d); "
                "trying again in %.1f s.",
                self.worker_id,
                db_task_result.id,
                error,
                attempt,
                delay,
            )
            time.sleep(delay)
            connections.close_all()
            try:
                db_task_result.set_failed(error)
                break
            except DatabaseError as again:
                error = again
        logger.info(
            "Worker %s recorded task id=%s as failed after %d attempt(s).",
            self.worker_id,
            db_task_result.id,
            attempt,
        )
        try:
            task_result = db_task_result.task_result
            sender = type(db_task_result.task.get_backend())
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s can no longer be loaded to report it.", db_task_result.id)
            return
        task_finished.send(sender=sender, task_result=task_result)


class Heartbeat(threading.Thread):
    """Beats for its worker every `every` seconds, even while a long task runs, and sweeps up
    the tasks of workers that stopped beating."""

    def __init__(self, *, worker_id: str, every: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()

    def beat_and_sweep(self) -> None:
        try:
            services.beat(worker_id=self.worker_id, hostname=services.this_host(), pid=os.getpid())
            lost = services.sweep_stale_tasks(me=self.worker_id)
            if lost:
                logger.warning("Failed %d task(s) left running by stopped workers.", len(lost))
        except DatabaseError as error:
            logger.warning("Worker %s could not write its heartbeat (%s).", self.worker_id, error)
        finally:
            close_old_connections()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.beat_and_sweep()
                self.stopping.wait(self.every)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout=self.every + 10)
        try:
            services.stop(worker_id=self.worker_id)
        except DatabaseError:
            logger.warning("Worker %s could not remove its heartbeat.", self.worker_id)
