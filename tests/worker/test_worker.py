"""The background worker keeps going through database errors, and the tasks of a worker that
died are failed, with the import they were running saying so."""

import os
import socket
import subprocess
import sys
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from commissioning.market.models import MarketImport
from commissioning.market.tasks import import_market_file
from commissioning.needs.models import PopulationDataset
from commissioning.needs.tasks import import_population_file
from commissioning.worker import runner, services
from commissioning.worker.models import WorkerHeartbeat
from commissioning.worker.runner import Heartbeat
from tests.worker import jobs

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
STOPPED = "The import stopped unexpectedly before it finished"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    jobs.RAN.clear()
    yield
    jobs.RAN.clear()


def run_worker():
    call_command(
        "run_worker",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        verbosity=0,
    )


def fail_once(real, error):
    calls = []

    def flaky(*args, **kwargs):
        if not calls:
            calls.append(error)
            raise error
        return real(*args, **kwargs)

    return flaky, calls


@pytest.mark.django_db(transaction=True)
def test_the_worker_goes_on_after_the_database_refuses_it(transactional_db, database_tasks):
    jobs.note.enqueue("first")
    jobs.note.enqueue("second")
    # What a dropped connection or a lock held past the busy timeout raises while the worker
    # fetches its next task; django-tasks-db's own worker stopped for good on it.
    flaky, calls = fail_once(
        DBTaskResultQuerySet.get_locked, OperationalError("server closed the connection")
    )
    with mock.patch.object(DBTaskResultQuerySet, "get_locked", flaky):
        run_worker()
    assert calls
    assert jobs.RAN == ["first", "second"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_the_worker_goes_on_when_the_database_is_locked_as_it_begins(
    transactional_db, database_tasks
):
    from django_tasks_db.management.commands import db_worker

    jobs.note.enqueue("after the lock")
    flaky, calls = fail_once(
        db_worker.exclusive_transaction, OperationalError("database is locked")
    )
    with mock.patch.object(db_worker, "exclusive_transaction", flaky):
        run_worker()
    assert calls
    assert jobs.RAN == ["after the lock"]


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_outcome_cannot_be_written_for_long_is_failed_once_the_database_answers(
    transactional_db, database_tasks, monkeypatch
):
    jobs.note.enqueue("ran")
    real_set_failed = DBTaskResult.set_failed
    refusals = []

    def unwritable(self, *args, **kwargs):
        raise OperationalError("database is locked")

    def set_failed(self, error):
        # Far longer than any fixed number of attempts: the worker is alive, so no sweep
        # would ever fail the task for it.
        if len(refusals) < 40:
            refusals.append(error)
            raise OperationalError("database is locked")
        return real_set_failed(self, error)

    waits = []
    monkeypatch.setattr(runner.time, "sleep", waits.append)
    monkeypatch.setattr(DBTaskResult, "set_successful", unwritable)
    monkeypatch.setattr(DBTaskResult, "set_failed", set_failed)
    finished = []

    def heard(sender, task_result, **kwargs):
        finished.append(task_result.status)

    task_finished.connect(heard)
    try:
        run_worker()
    finally:
        task_finished.disconnect(heard)
    assert jobs.RAN == ["ran"]
    assert len(refusals) == 40
    assert max(waits) <= 60.0  # the pause between attempts stops growing
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert finished == [TaskResultStatus.FAILED]


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_this_host_is_judged_by_its_process_not_its_heartbeats_age(
    transactional_db, database_tasks, settings
):
    settings.WORKER_STALE_SECONDS = 120
    host = socket.gethostname()
    # Its heartbeat held up behind a long import's transaction, but its process still runs.
    busy = running_task(jobs.note, "busy", worker_id="here-busy", started_minutes_ago=10)
    WorkerHeartbeat.objects.create(
        worker_id="here-busy",
        hostname=host,
        pid=os.getppid(),  # a live process, not this one
        beat_at=timezone.now() - timedelta(minutes=9),
    )
    # Its process is gone: however recent its last beat, its task is lost.
    killed = running_task(jobs.note, "killed", worker_id="here-killed", started_minutes_ago=10)
    WorkerHeartbeat.objects.create(
        worker_id="here-killed",
        hostname=host,
        pid=dead_pid(),
        beat_at=timezone.now() - timedelta(minutes=9),
    )
    # On another host, only the heartbeat tells.
    remote_beating = running_task(jobs.note, "r1", worker_id="there-1", started_minutes_ago=10)
    WorkerHeartbeat.objects.create(
        worker_id="there-1", hostname="elsewhere", pid=os.getpid(), beat_at=timezone.now()
    )
    remote_silent = running_task(jobs.note, "r2", worker_id="there-2", started_minutes_ago=10)
    WorkerHeartbeat.objects.create(
        worker_id="there-2",
        hostname="elsewhere",
        pid=os.getpid(),
        beat_at=timezone.now() - timedelta(minutes=9),
    )

    # A worker restarted in a container often gets its killed predecessor's process id: the
    # predecessor's heartbeat names this very process, yet it is not the worker sweeping.
    predecessor = running_task(jobs.note, "before", worker_id="here-before", started_minutes_ago=10)
    WorkerHeartbeat.objects.create(
        worker_id="here-before",
        hostname=host,
        pid=os.getpid(),
        beat_at=timezone.now() - timedelta(minutes=9),
    )
    WorkerHeartbeat.objects.create(
        worker_id="here-now", hostname=host, pid=os.getpid(), beat_at=timezone.now()
    )

    assert sorted(services.sweep_stale_tasks(me="here-now")) == sorted(
        [str(killed.pk), str(remote_silent.pk), str(predecessor.pk)]
    )

    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[busy.pk] == TaskResultStatus.RUNNING
    assert statuses[remote_beating.pk] == TaskResultStatus.RUNNING
    assert statuses[killed.pk] == TaskResultStatus.FAILED
    assert statuses[remote_silent.pk] == TaskResultStatus.FAILED
    assert statuses[predecessor.pk] == TaskResultStatus.FAILED


def test_every_worker_beats(db, database_tasks):
    # A worker without a heartbeat would have its tasks failed by the others' sweeps.
    with pytest.raises(CommandError, match="unrecognized arguments: --no-heartbeat"):
        call_command("run_worker", "--batch", "--no-heartbeat")


def running_task(task, *args, worker_id, started_minutes_ago):
    result = task.enqueue(*args)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago)
    )
    return row


def importing_dataset(imported_by=None):
    return PopulationDataset.objects.create(
        imported_by=imported_by,
        name="Mid-2023 estimates",
        kind=PopulationDataset.Kind.ESTIMATE,
        base_year=2023,
        source="ONS",
        licence="OGL v3",
        file_name="myeb1.xlsx",
        progress=50,
    )


@pytest.mark.django_db(transaction=True)
def test_a_dead_workers_import_is_failed_with_a_message(
    client, transactional_db, database_tasks, settings, commissioning_body, person_with_role
):
    settings.WORKER_STALE_SECONDS = 120
    importer = person_with_role(commissioning_body, "commissioner")
    client.force_login(importer)
    dataset = importing_dataset(importer)
    killed = running_task(
        import_population_file,
        dataset.pk,
        "imports/population/gone.xlsx",
        2023,
        None,
        worker_id="host-4242-killed",
        started_minutes_ago=10,
    )
    WorkerHeartbeat.objects.create(
        worker_id="host-4242-killed", beat_at=timezone.now() - timedelta(minutes=9)
    )
    # A task of a worker that is alive and beating is left alone, however long it runs.
    busy = running_task(jobs.note, "long", worker_id="host-77-alive", started_minutes_ago=30)
    WorkerHeartbeat.objects.create(worker_id="host-77-alive", beat_at=timezone.now())
    page = client.get(f"/population-data/{dataset.pk}/").content.decode()
    assert "50%" in page and STOPPED not in page

    assert services.sweep_stale_tasks() == [str(killed.pk)]

    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.FAILED
    assert "WorkerLost" in killed.exception_class_path
    assert "host-4242-killed stopped while running this task" in killed.traceback
    busy.refresh_from_db()
    assert busy.status == TaskResultStatus.RUNNING
    dataset.refresh_from_db()
    assert dataset.status == PopulationDataset.Status.FAILED
    page = client.get(f"/population-data/{dataset.pk}/").content.decode()
    assert STOPPED in page and "Upload it again" in page
    assert services.sweep_stale_tasks() == []  # nothing twice


@pytest.mark.django_db(transaction=True)
def test_a_running_workers_heartbeat_sweeps_up_a_market_import_left_by_a_killed_one(
    transactional_db, database_tasks
):
    market_import = MarketImport.objects.create(
        name="CQC care directory", source="CQC", file_name="cqc.csv", progress=50
    )
    # Killed before it ever wrote a heartbeat (or by a worker from before heartbeats).
    killed = running_task(
        import_market_file,
        market_import.pk,
        None,
        worker_id="old-worker",
        started_minutes_ago=5,
    )
    Heartbeat(worker_id="host-1-new", every=10).beat_and_sweep()
    assert WorkerHeartbeat.objects.filter(worker_id="host-1-new").exists()
    killed.refresh_from_db()
    assert killed.status == TaskResultStatus.FAILED
    market_import.refresh_from_db()
    assert market_import.status == MarketImport.Status.FAILED
    assert STOPPED in market_import.problem_text


def test_an_import_task_that_fails_unforeseen_does_not_stay_importing(db, monkeypatch):
    dataset = importing_dataset()

    def out_of_memory(**kwargs):
        raise MemoryError

    monkeypatch.setattr("commissioning.needs.importing.run_population_import", out_of_memory)
    monkeypatch.setattr(
        "commissioning.needs.tasks.default_storage.open", mock.mock_open(read_data=b"x")
    )
    result = import_population_file.enqueue(dataset.pk, "imports/population/x.csv", None, None)
    assert result.status == TaskResultStatus.FAILED
    dataset.refresh_from_db()
    assert dataset.status == PopulationDataset.Status.FAILED
    assert STOPPED in dataset.problem_text
