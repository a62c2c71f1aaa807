"""What every file import shares: progress a page can watch, and a refusal recorded on the
import (in English for the record, as a phrase for each reader's language) with its audit
event. The imports themselves are each app's (population data, the provider market)."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model, QuerySet
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task

from commissioning.audit.services import record_event
from commissioning.kit.phrases import Phrase, gettext_noop

Progress = Callable[[int], None]


def set_progress(record: Model, percent: int, progress: Progress | None) -> None:
    """Move `record.progress` (0 to 100) and tell the command line's bar, if any."""
    percent = max(0, min(100, percent))
    if percent != getattr(record, "progress"):  # noqa: B009 - every import record has one
        setattr(record, "progress", percent)  # noqa: B010
        # Outside the import's transaction, so that a page polling the record sees it move.
        type(record)._default_manager.filter(pk=record.pk).update(progress=percent)
        if progress is not None:
            progress(percent)


def record_refusal(
    *, actor: Any, record: Model, problem: Phrase, verb: str, **changes: Any
) -> None:
    """Record why a file was refused (and `changes`, such as the failed status) on its
    import, with an audit event; nothing else from the file was written."""
    with transaction.atomic():
        for name, value in {
            **changes,
            "problem": problem.render(),
            "problem_phrase": problem.to_json(),
        }.items():
            setattr(record, name, value)
        record.save(update_fields=[*changes, "problem", "problem_phrase"])
        record_event(actor=actor, verb=verb, target=record, after={"problem": problem.render()})


STOPPED = Phrase(
    gettext_noop(
        "The import stopped unexpectedly before it finished, and nothing from the file was "
        "kept. Upload it again; if it stops again, tell the service's administrators."
    )
)


def record_stop(
    *, record: Model | None, verb: str, importing: str, failed: str, **changes: Any
) -> bool:
    """Mark an import whose background task ended without finishing it (its worker died, or it
    failed in an unforeseen way) as failed, saying what to do. An import that had already
    finished or been refused keeps its own outcome."""
    if record is None or getattr(record, "status") != importing:  # noqa: B009
        return False
    record_refusal(actor=None, record=record, problem=STOPPED, verb=verb, status=failed, **changes)
    return True


def stop_failed_import(
    task_result: TaskResult[Any],
    task: Task[Any, Any],
    *,
    model: type[Model],
    parameters: Sequence[str],
    verb: str,
) -> None:
    """When `task_result` is `task` failed without recording why, mark its import (the
    `model` row whose id is the task's first argument) as stopped (`record_stop`, audited as
    `verb`) and delete the uploaded file it was to import. `parameters` names the task's
    positional parameters, the import's id first; the upload is the task's `stored_name`
    argument or, for a task not given one, the import's own `stored_name`, cleared with it."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != task.module_path:
        return
    arguments = dict(zip(parameters, task_result.args, strict=False))
    arguments.update(task_result.kwargs)
    record = model._default_manager.filter(pk=arguments.get(parameters[0]) or 0).first()
    status = getattr(model, "Status")  # noqa: B009 - every import model has one
    changes: dict[str, Any] = {}
    if "stored_name" in parameters:
        stored_name = arguments.get("stored_name")
    else:
        stored_name = getattr(record, "stored_name", "")
        changes["stored_name"] = ""
    stopped = record_stop(
        record=record, verb=verb, importing=status.IMPORTING, failed=status.FAILED, **changes
    )
    if stopped and stored_name:
        default_storage.delete(stored_name)


def failed_since_last_success(imports: QuerySet[Any], *, ready: str, failed: str) -> QuerySet[Any]:
    """Of one person's imports, those that failed after the last that worked: what is still
    theirs to put right (an import that worked since means they did)."""
    last_good = (
        imports.filter(status=ready)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    failures = imports.filter(status=failed)
    if last_good is not None:
        failures = failures.filter(created_at__gt=last_good)
    return failures.order_by("-created_at")
