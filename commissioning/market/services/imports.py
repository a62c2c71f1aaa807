"""Imports of the regulator's lists and of commissioners' own files: starting one, keeping an
upload and importing it in the background, matching a generic file's columns, and importing at
once for the command line and the demo. Reading, checking and applying a file is `importing`'s;
the background task calls it too."""

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import Action, acting_person, require
from commissioning.market import cqc_formats
from commissioning.market.importing import Progress, local_copy, record_failure, run_market_import
from commissioning.market.models import MarketImport
from commissioning.market.tasks import import_market_file


def start_market_import(
    *,
    actor: Any,
    file_name: str,
    name: str,
    source: str,
    licence: str = "",
    is_demonstration: bool = False,
) -> MarketImport:
    """Record an import about to run; its progress and outcome are then visible on it."""
    require(actor, Action.CHANGE, MarketImport())
    with transaction.atomic():
        market_import = MarketImport(
            name=name,
            source=source,
            licence=licence,
            file_name=file_name,
            imported_by=acting_person(actor),
            is_demonstration=is_demonstration,
        )
        market_import.full_clean()
        market_import.save()
        record_event(
            actor=actor,
            verb="market_import.started",
            target=market_import,
            after=snapshot(market_import),
        )
    return market_import


def upload_market_file(
    *, actor: Any, upload: Any, name: str, source: str, licence: str = ""
) -> MarketImport:
    """Keep an uploaded file in storage. A regulator's layout is imported in the background
    at once; any other file waits for its columns to be matched (`match_columns`)."""
    market_import = start_market_import(
        actor=actor,
        file_name=Path(upload.name).name,
        name=name,
        source=source,
        licence=licence,
    )
    stored_name = default_storage.save(
        f"imports/market/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload
    )
    market_import.stored_name = stored_name
    try:
        with local_copy(stored_name) as path:
            layout = cqc_formats.detect_layout(path)
    except cqc_formats.CqcFileError as exc:
        default_storage.delete(stored_name)
        market_import.stored_name = ""
        market_import.save(update_fields=["stored_name"])
        record_failure(actor, market_import, exc.phrase)
        return market_import
    market_import.layout = layout.label.render()
    market_import.layout_phrase = layout.label.to_json()
    if layout.name == "generic":
        market_import.status = MarketImport.Status.MAPPING
        market_import.header = list(layout.header)
        market_import.mapping = cqc_formats.suggest_mapping(layout.header)
        market_import.save()
        return market_import
    market_import.save()
    _enqueue(actor, market_import)
    return market_import


def _enqueue(actor: Any, market_import: MarketImport) -> None:
    person_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: import_market_file.enqueue(market_import.pk, person_id))


@transaction.atomic
def match_columns(*, actor: Any, market_import: MarketImport, mapping: dict[str, str]) -> None:
    """Say which column of a generic file holds what, then import it in the background."""
    require(actor, Action.CHANGE, MarketImport())
    if market_import.imported_by_id != getattr(actor, "pk", None):
        require(actor, Action.VIEW, market_import)
    if market_import.status != MarketImport.Status.MAPPING:
        raise ValidationError(_("This import is not waiting for its columns to be matched."))
    header = set(market_import.header)
    mapping = {k: v for k, v in mapping.items() if v}
    errors: dict[str, list[ValidationError]] = {}
    for field_name in cqc_formats.GENERIC_FIELDS:
        required = field_name in cqc_formats.GENERIC_REQUIRED
        column = mapping.get(field_name)
        if required and not column:
            errors.setdefault(field_name, []).append(
                ValidationError(_("Choose the column that holds this."), code="required")
            )
        elif column and column not in header:
            errors.setdefault(field_name, []).append(
                ValidationError(_("The file has no such column."), code="unknown")
            )
    if errors:
        raise ValidationError(errors)
    market_import.mapping = mapping
    market_import.status = MarketImport.Status.IMPORTING
    market_import.save(update_fields=["mapping", "status"])
    record_event(
        actor=actor, verb="market_import.columns_matched", target=market_import, after=mapping
    )
    _enqueue(actor, market_import)


def import_market_file_now(
    *,
    actor: Any,
    path: Path,
    name: str,
    source: str,
    licence: str = "",
    mapping: dict[str, str] | None = None,
    is_demonstration: bool = False,
    progress: Progress | None = None,
) -> MarketImport:
    """Import a regulator's list or a providers file now (the command line, the demo)."""
    market_import = start_market_import(
        actor=actor,
        file_name=Path(path).name,
        name=name,
        source=source,
        licence=licence,
        is_demonstration=is_demonstration,
    )
    return run_market_import(
        actor=actor,
        market_import=market_import,
        path=Path(path),
        mapping=mapping,
        progress=progress,
    )
