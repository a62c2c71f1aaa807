"""`manage.py run_worker`: run background tasks. django-tasks-db's `db_worker`, with the same
options, made to survive database errors and to write a heartbeat (see commissioning.worker)."""

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from commissioning.worker.runner import Heartbeat, ResilientWorker, new_worker_id


class Command(db_worker.Command):
    help = (
        "Run background tasks (imports, emails). Survives a database it cannot reach for a "
        "while; fails the tasks of workers that stopped without finishing them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-backoff",
            type=db_worker.valid_interval,
            default=60.0,
            help="The longest pause, in seconds, between attempts to reach the database.",
        )
        # A process that must keep running is restarted by its supervisor, not by a reloader
        # that would sit idle after an error; developers can still ask for --reload.
        parser.set_defaults(reload=False, worker_id=new_worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            max_backoff=options["max_backoff"],
        )

        def run() -> None:
            # Always: a worker that does not beat has its tasks failed by the others' sweeps.
            heartbeat = Heartbeat(
                worker_id=worker.worker_id, every=settings.WORKER_HEARTBEAT_SECONDS
            )
            heartbeat.start()
            try:
                worker.run()
            finally:
                heartbeat.stop()

        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(run)
        else:
            worker.configure_signals()
            run()
