"""Reading and checking a file of the regulator's locations, then applying it: all of it or none.
Called by the import task in the background and by the services for the command line and the
demo; the file is read and checked in full before one transaction applies it (`applying`)."""

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from commissioning.audit.services import record_event, snapshot
from commissioning.core.imports import record_refusal
from commissioning.core.imports import set_progress as _set_progress
from commissioning.kit.phrases import Phrase, gettext_noop
from commissioning.market import applying, cqc_formats
from commissioning.market.applying import Applier, MarketImportError
from commissioning.market.models import MarketImport
from commissioning.market.rules import curated_area_ids

Progress = Callable[[int], None]


@contextlib.contextmanager
def local_copy(stored_name: str) -> Iterator[Path]:
    """A stored upload (local disk or S3) as a local file, for the readers, which stream."""
    with (
        default_storage.open(stored_name, "rb") as upload,
        tempfile.NamedTemporaryFile(suffix=Path(stored_name).suffix) as local,
    ):
        shutil.copyfileobj(upload, local, length=1024 * 1024)
        local.flush()
        yield Path(local.name)


def record_failure(actor: Any, market_import: MarketImport, problem: Phrase) -> None:
    """Record on the import why its file was refused, for the page to show."""
    record_refusal(
        actor=actor,
        record=market_import,
        problem=problem,
        verb="market_import.failed",
        status=MarketImport.Status.FAILED,
        finished_at=timezone.now(),
    )


def _check(
    path: Path,
    market_import: MarketImport,
    mapping: dict[str, str] | None,
    progress: Progress | None,
) -> tuple[cqc_formats.Layout, int]:
    """The first pass: read the whole file, streaming, and refuse it if anything is wrong;
    nothing is kept but the count."""
    layout = cqc_formats.detect_layout(path)
    if layout.name == "generic" and not mapping:
        raise MarketImportError(
            Phrase(
                gettext_noop(
                    "This file is not in one of the regulator's layouts: match its columns to "
                    "ours first."
                )
            ),
            code="mapping_needed",
        )

    def report(done: int, total: int) -> None:
        _set_progress(market_import, int(50 * done / max(total, 1)), progress)

    count = sum(
        1
        for _ in cqc_formats.read_locations(
            path, layout=layout, mapping=mapping or None, progress=report
        )
    )
    if not count:
        raise MarketImportError(
            Phrase(gettext_noop("The file holds no locations or services.")), code="empty"
        )
    return layout, count


def run_market_import(
    *,
    actor: Any,
    market_import: MarketImport,
    path: Path,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> MarketImport:
    """Read, check and apply a file for a started import: all of it or none. The file is
    read twice, streaming: once to check it (a refused file never opens a transaction), then
    in batches inside one transaction, so memory does not grow with the file."""
    mapping = mapping or market_import.mapping or None
    try:
        layout, count = _check(Path(path), market_import, mapping, progress)
        with transaction.atomic():
            applier = Applier(market_import, layout, curated_area_ids(actor))
            records = cqc_formats.read_locations(Path(path), layout=layout, mapping=mapping)
            for done, batch in enumerate(_batches(records, applying.BATCH), start=1):
                applier.apply(batch)
                _set_progress(market_import, 50 + int(45 * done * applying.BATCH / count), progress)
            outcome = applier.close_what_left()
            market_import.layout = layout.label.render()
            market_import.layout_phrase = layout.label.to_json()
            market_import.locations_created = outcome.created
            market_import.locations_updated = outcome.updated
            market_import.locations_unchanged = outcome.unchanged
            market_import.locations_closed = outcome.closed
            market_import.providers_created = outcome.providers_created
            market_import.skipped = outcome.skipped
            market_import.unplaced = sorted(outcome.unplaced)[:50]
            market_import.status = MarketImport.Status.READY
            market_import.progress = 100
            market_import.finished_at = timezone.now()
            market_import.stored_name = ""
            market_import.save()
            record_event(
                actor=actor,
                verb="market_import.applied",
                target=market_import,
                after={
                    **snapshot(
                        market_import,
                        [
                            "layout",
                            "locations_created",
                            "locations_updated",
                            "locations_unchanged",
                            "locations_closed",
                            "providers_created",
                            "skipped",
                        ],
                    ),
                    "closed_locations": outcome.closed_ids[:1000],
                    "not_closed_partial_file_for": outcome.partial[:100],
                    "providers_left_to_other_curators": outcome.left_alone[:1000],
                },
            )
    except cqc_formats.CqcFileError as exc:
        record_failure(actor, market_import, exc.phrase)
        raise MarketImportError(exc.phrase, code=exc.code, line=exc.line) from exc
    except MarketImportError as exc:
        record_failure(actor, market_import, exc.phrase)
        raise
    if progress is not None:
        progress(100)
    return market_import


def _batches(
    records: Iterable[cqc_formats.LocationRecord], size: int
) -> Iterator[list[cqc_formats.LocationRecord]]:
    batch: list[cqc_formats.LocationRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
