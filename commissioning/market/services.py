"""Writes for the provider market: imports of the regulator's lists, providers keeping their own
records, commissioners approving sign-ups, and the register of approved providers.

An import is all or nothing: the file is read and checked in full before one transaction
applies it. Re-importing a newer file updates what changed, closes the locations that have
left the regulator's list and never duplicates a provider or location: both are keyed by their
CQC IDs.

Closing is held to what the file can vouch for: only in the local authorities the file covers,
and only in those it is a full load for (it lists at least half of the regulator's open
locations held there), so a file for one area never closes another's and a few rows sent to
update some locations never close the rest. A commissioning body's import is refused if any
row lies outside its partnership's areas; the national list is a platform administrator's. Nor
does a body's file rename or renumber a provider that also works outside the body's areas."""

import calendar
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core import selectors as core_selectors
from commissioning.core import services as core_services
from commissioning.core.access import (
    SYSTEM,
    Action,
    acting_person,
    is_platform_admin,
    require,
    roles_in,
)
from commissioning.core.imports import record_refusal
from commissioning.core.imports import set_progress as _set_progress
from commissioning.core.phrases import Phrase, Refusal, gettext_noop
from commissioning.kit.text import has_markup
from commissioning.market import cqc_formats, evidence_files
from commissioning.market import selectors as market_selectors
from commissioning.market.models import (
    Accreditation,
    AccreditationScheme,
    Application,
    Criterion,
    CriterionFinding,
    EvidenceDocument,
    Location,
    MarketAnalysis,
    MarketImport,
    Provider,
    SchemeRecognition,
    Service,
    ServiceType,
)
from commissioning.market.reference_data import DEFAULT_CRITERIA
from commissioning.market.rules import ASSESSOR_ROLES, curated_area_ids, curates, speaks_for
from commissioning.market.tasks import (
    import_market_file,
    local_copy,
    send_accreditation_decision,
    send_expiry_reminder,
    send_provider_decision,
)
from commissioning.needs import selectors as needs_selectors

Progress = Callable[[int], None]
BATCH = 1000
UPDATE_BATCH = 100


class MarketImportError(Refusal):
    """The file was refused; `phrase` says why, naming the line where there is one."""


# ---------------------------------------------------------------------------------------------
# Imports


def _fail(actor: Any, market_import: MarketImport, problem: Phrase) -> None:
    record_refusal(
        actor=actor,
        record=market_import,
        problem=problem,
        verb="market_import.failed",
        status=MarketImport.Status.FAILED,
        finished_at=timezone.now(),
    )


def _normalised_name(name: str) -> str:
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\b(city of|county of|council|borough|metropolitan|district)\b", " ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _area_finder() -> Callable[[str, str | None], Any]:
    """Finds a local authority from the file's name for it (CQC gives names, not codes) or
    from an ONS code where a file has one."""
    by_name: dict[str, Any] = {}
    by_code: dict[str, Any] = {}
    for area in core_selectors.areas(level="local_authority"):
        by_code[area.code] = area
        by_name.setdefault(_normalised_name(area.name), area)
        if area.name_cy:
            by_name.setdefault(_normalised_name(area.name_cy), area)
    # The regulator's spellings of a few authorities whose names it shortens or reorders.
    for alias, canonical in {
        "durham": "county durham",
        "bristol": "bristol",
        "kingston upon hull": "kingston upon hull",
        "hull": "kingston upon hull",
        "herefordshire": "herefordshire",
        "st helens": "st helens",
    }.items():
        if canonical in by_name:
            by_name.setdefault(alias, by_name[canonical])

    def find(name: str, code: str | None) -> Any:
        if code:
            return by_code.get(code)
        return by_name.get(_normalised_name(name)) if name else None

    return find


def _service_type_finder() -> dict[str, ServiceType]:
    terms: dict[str, ServiceType] = {}
    for service_type in ServiceType.objects.filter(is_active=True):
        terms[service_type.slug.lower()] = service_type
        terms[service_type.name.lower()] = service_type
        for term in service_type.regulator_terms:
            terms[str(term).strip().lower()] = service_type
    return terms


_RATINGS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
}


def _sector(record: cqc_formats.LocationRecord) -> str:
    """The regulator does not say which sector a provider is in; a charity number says third
    sector, an NHS body or council says public, and the rest is the independent sector."""
    if record.charity_number:
        return "third"
    words = (record.provider_sector or "").lower()
    if "nhs" in words or "local authority" in words or "council" in words:
        return "public"
    return "private"


@dataclass
class _Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    providers_created: int = 0
    skipped: int = 0
    unplaced: set[str] = field(default_factory=set)
    closed_ids: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # covered, but too few rows to close any
    # existing providers whose name and numbers were left as they were: they also work outside
    # the importing body's areas, so their other areas' curators (or the platform) keep them
    left_alone: list[str] = field(default_factory=list)


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
            applier = _Applier(market_import, layout, curated_area_ids(actor))
            records = cqc_formats.read_locations(Path(path), layout=layout, mapping=mapping)
            for done, batch in enumerate(_batches(records, BATCH), start=1):
                applier.apply(batch)
                _set_progress(market_import, 50 + int(45 * done * BATCH / count), progress)
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
        _fail(actor, market_import, exc.phrase)
        raise MarketImportError(exc.phrase, code=exc.code, line=exc.line) from exc
    except MarketImportError as exc:
        _fail(actor, market_import, exc.phrase)
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


_LOCATION_FIELDS = (
    "name",
    "also_known_as",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "area_id",
    "local_authority_name",
    "rating",
    "rating_date",
    "user_bands",
    "phone",
    "website",
    "status",
    "closed_on",
    "provider_id",
)


class _Applier:
    """Applies a checked file batch by batch inside the import's transaction. It remembers
    only what spans batches: the providers met so far and the areas the file covers."""

    def __init__(
        self,
        market_import: MarketImport,
        layout: cqc_formats.Layout,
        curated: frozenset[int] | None = None,
    ) -> None:
        self.market_import = market_import
        self.layout = layout
        self.curated = curated  # the importer's areas; None for a platform administrator
        self.outcome = _Outcome()
        self.find_area = _area_finder()
        self.types = _service_type_finder()
        self.by_id: dict[str, int] = {}  # CQC provider ID -> provider's key
        self.by_name: dict[str, int] = {}  # a file without IDs: provider name -> key
        self.areas_covered: set[int] = set()
        self.area_codes: dict[int, str] = {}
        self.names_covered: set[str] = set()

    def _providers(self, records: list[cqc_formats.LocationRecord]) -> None:
        """One provider per CQC provider ID (or, in a file without IDs, per name): the
        regulator's facts updated on the first sight of each, the missing ones created. A
        commissioning body's file updates an existing provider's name and numbers only when the
        provider works wholly within the body's areas; one that also works elsewhere is left to
        the curators of its other areas or a platform administrator."""
        ids = {r.provider_id for r in records if r.provider_id} - set(self.by_id)
        names = {r.provider_name for r in records if not r.provider_id} - set(self.by_name)
        known = {p.cqc_provider_id: p for p in Provider.objects.filter(cqc_provider_id__in=ids)}
        named = {
            p.name: p for p in Provider.objects.filter(name__in=names, cqc_provider_id__isnull=True)
        }
        elsewhere = self._working_elsewhere([*known.values(), *named.values()])
        fresh: dict[str, Provider] = {}
        for record in records:
            key = record.provider_id
            if (key and key in self.by_id) or (not key and record.provider_name in self.by_name):
                continue
            provider = known.get(key) if key else named.get(record.provider_name)
            if provider is not None:
                if provider.pk in elsewhere:
                    self.outcome.left_alone.append(provider.cqc_provider_id or provider.name)
                else:
                    self._refresh(provider, record)
                if key:
                    self.by_id[key] = provider.pk
                else:
                    self.by_name[record.provider_name] = provider.pk
                continue
            token = key or f"name:{record.provider_name}"
            if token not in fresh:
                fresh[token] = Provider(
                    name=record.provider_name,
                    cqc_provider_id=key,
                    source=Provider.Source.REGULATOR if key else Provider.Source.COMMISSIONER,
                    status=Provider.Status.LISTED,
                    sector=_sector(record),
                    charity_number=record.charity_number or "",
                    company_number=record.company_number or "",
                    regulator_sector=record.provider_sector or "",
                    is_demonstration=self.market_import.is_demonstration,
                )
        created = Provider.objects.bulk_create(list(fresh.values()))
        if any(p.pk is None for p in created):  # backends that return no primary keys
            created = list(
                Provider.objects.filter(
                    Q(cqc_provider_id__in=[p.cqc_provider_id for p in created if p.cqc_provider_id])
                    | Q(name__in=[p.name for p in created], cqc_provider_id__isnull=True)
                )
            )
        for provider in created:
            if provider.cqc_provider_id:
                self.by_id[provider.cqc_provider_id] = provider.pk
            else:
                self.by_name[provider.name] = provider.pk
        self.outcome.providers_created += len(created)

    def _working_elsewhere(self, providers: list[Provider]) -> set[int]:
        """The providers, of these, with an open location or a service area outside the
        importer's areas (a location in no area we recognise counts as outside). None for a
        platform administrator's import, which refreshes every provider."""
        if self.curated is None or not providers:
            return set()
        keys = [p.pk for p in providers]
        curated = list(self.curated)
        located = (
            Location.objects.filter(provider_id__in=keys, status=Location.Status.OPEN)
            .filter(Q(area__isnull=True) | ~Q(area_id__in=curated))
            .values_list("provider_id", flat=True)
        )
        served = (
            Service.areas_served.through.objects.filter(service__provider_id__in=keys)
            .exclude(area_id__in=curated)
            .values_list("service__provider_id", flat=True)
        )
        return set(located) | set(served)

    @staticmethod
    def _refresh(provider: Provider, record: cqc_formats.LocationRecord) -> None:
        changed = False
        if provider.organisation_id is None and provider.name != record.provider_name:
            provider.name = record.provider_name  # a provider's own account keeps its name
            changed = True
        for attribute, value in (
            ("charity_number", record.charity_number or ""),
            ("company_number", record.company_number or ""),
            ("regulator_sector", record.provider_sector or ""),
        ):
            if value and getattr(provider, attribute) != value:
                setattr(provider, attribute, value)
                changed = True
        if changed:
            provider.save()

    def _refuse_outside_curated_areas(
        self, records: list[cqc_formats.LocationRecord], existing: dict[str | None, Location]
    ) -> None:
        """A commissioning body imports only within its own areas: a row placed elsewhere (or
        nowhere we recognise), or one that would move a location out of another body's area,
        refuses the whole file. Every row counts, whatever its service types: a row whose
        location is not written still names and updates its provider."""
        if self.curated is None:
            return
        outside: set[str] = set()
        for record in records:
            area = self.find_area(record.local_authority, record.area_code)
            if area is None or area.pk not in self.curated:
                outside.add(
                    (area.name if area is not None else "")
                    or record.local_authority
                    or record.area_code
                    or "?"
                )
            found = existing.get(record.location_id) if record.location_id else None
            if found is not None and found.area_id not in (None, *self.curated):
                outside.add(found.local_authority_name or str(found.area_id))
        if outside:
            raise MarketImportError(
                Phrase(
                    gettext_noop(
                        "This file has locations outside your partnership's areas ({areas}). "
                        "A commissioning body imports only for its own areas, and only a "
                        "platform administrator loads the national list: remove those rows and "
                        "upload the file again."
                    ),
                    areas=", ".join(sorted(outside)[:10]),
                ),
                code="outside_areas",
            )

    def apply(self, records: list[cqc_formats.LocationRecord]) -> None:
        ids = [r.location_id for r in records if r.location_id]
        existing = {
            location.cqc_location_id: location
            for location in Location.objects.filter(cqc_location_id__in=ids)
        }
        self._refuse_outside_curated_areas(records, existing)
        # Every row is now within the importer's areas (all of them for the platform), so each
        # may create its provider, and refresh one that works only within those areas.
        self._providers(records)
        outcome = self.outcome
        to_create: list[tuple[Location, list[tuple[ServiceType, Decimal | None]]]] = []
        to_update: list[Location] = []
        unchanged: list[int] = []
        seen: dict[int, Location] = {}
        services_wanted: dict[int, list[tuple[ServiceType, Decimal | None]]] = {}
        for record in records:
            wanted = _services_of(record, self.types)
            if not wanted:
                outcome.skipped += 1
                continue
            area = self.find_area(record.local_authority, record.area_code)
            if area is None and (record.local_authority or record.area_code):
                outcome.unplaced.add(record.area_code or record.local_authority)
            if area is not None:
                self.areas_covered.add(area.pk)
                self.area_codes[area.pk] = area.code
            elif record.local_authority:
                self.names_covered.add(record.local_authority)
            values = {
                "name": record.name,
                "also_known_as": record.also_known_as,
                "address": record.address,
                "postcode": record.postcode,
                "latitude": record.latitude,
                "longitude": record.longitude,
                "area_id": area.pk if area is not None else None,
                "local_authority_name": record.local_authority[:100],
                "rating": _RATINGS.get((record.rating or "").lower(), ""),
                "rating_date": record.rating_date,
                "user_bands": list(record.user_bands),
                "phone": record.phone[:40],
                "website": record.website[:500],
                "status": Location.Status.OPEN,
                "closed_on": None,
                "provider_id": self.by_id[record.provider_id]
                if record.provider_id
                else self.by_name[record.provider_name],
            }
            found = existing.get(record.location_id) if record.location_id else None
            if found is None:
                fresh = Location(cqc_location_id=record.location_id, last_import=self.market_import)
                for name, new in values.items():
                    setattr(fresh, name, new)
                to_create.append((fresh, wanted))
                outcome.created += 1
                continue
            if any(getattr(found, name) != new for name, new in values.items()):
                for name, new in values.items():
                    setattr(found, name, new)
                found.last_import = self.market_import
                to_update.append(found)
                outcome.updated += 1
            else:
                unchanged.append(found.pk)
                outcome.unchanged += 1
            seen[found.pk] = found
            services_wanted[found.pk] = wanted

        created = Location.objects.bulk_create([location for location, _ in to_create])
        if created and created[0].pk is None:  # backends that return no primary keys
            keys = dict(
                Location.objects.filter(
                    cqc_location_id__in=[c.cqc_location_id for c in created]
                ).values_list("cqc_location_id", "pk")
            )
            for location in created:
                location.pk = keys[location.cqc_location_id]
        for location, wanted in to_create:
            services_wanted[location.pk] = wanted
            seen[location.pk] = location
        # bulk_update writes a CASE per column over its batch: small batches keep it linear.
        Location.objects.bulk_update(
            to_update, [*_LOCATION_FIELDS, "last_import"], batch_size=UPDATE_BATCH
        )
        Location.objects.filter(pk__in=unchanged).update(last_import=self.market_import)
        _apply_services(services_wanted, seen)

    def _fully_listed(self) -> tuple[set[int], set[str]]:
        """The local authorities this file is a full load for: it lists at least half of the
        regulator's open locations held there. A file listing fewer is partial there (a few
        rows sent to update them), so the rest are not taken to have left the list."""
        held = Location.objects.filter(status=Location.Status.OPEN, cqc_location_id__isnull=False)
        listed = Count("pk", filter=Q(last_import=self.market_import))
        areas = {
            area_id
            for area_id, total, in_file in held.filter(area_id__in=self.areas_covered)
            .values("area_id")
            .annotate(total=Count("pk"), in_file=listed)
            .values_list("area_id", "total", "in_file")
            if 2 * in_file >= total
        }
        names = {
            name
            for name, total, in_file in held.filter(
                area__isnull=True, local_authority_name__in=self.names_covered
            )
            .values("local_authority_name")
            .annotate(total=Count("pk"), in_file=listed)
            .values_list("local_authority_name", "total", "in_file")
            if 2 * in_file >= total
        }
        return areas, names

    def close_what_left(self) -> _Outcome:
        """Locations from earlier imports of the regulator's list that this file no longer
        has, in the local authorities it is a full load for (and the importer curates), have
        been deregistered."""
        outcome = self.outcome
        if self.layout.name == "generic":
            return outcome
        areas, names = self._fully_listed()
        if self.curated is not None:
            areas &= self.curated
            names = set()
        outcome.partial = sorted(
            self.area_codes[area_id] for area_id in self.areas_covered - areas
        ) + sorted(self.names_covered - names)
        gone = (
            Location.objects.filter(status=Location.Status.OPEN, cqc_location_id__isnull=False)
            .exclude(last_import=self.market_import)
            .filter(_in_areas(areas, names))
        )
        closed = list(gone.values_list("pk", "cqc_location_id"))
        today = timezone.localdate()
        for start in range(0, len(closed), BATCH):
            ids = [pk for pk, _ in closed[start : start + BATCH]]
            Location.objects.filter(pk__in=ids).update(
                status=Location.Status.CLOSED, closed_on=today
            )
            Service.objects.filter(location_id__in=ids).update(status=Service.Status.CLOSED)
        outcome.closed = len(closed)
        outcome.closed_ids = [cqc_id or "" for _, cqc_id in closed]
        return outcome


def _in_areas(area_ids: set[int], names: set[str]) -> Q:
    condition = Q(area_id__in=area_ids)
    if names:
        condition |= Q(area__isnull=True, local_authority_name__in=names)
    return condition


def _services_of(
    record: cqc_formats.LocationRecord, types: dict[str, ServiceType]
) -> list[tuple[ServiceType, Decimal | None]]:
    """The service types we analyse that a location runs, with the capacity of each. A care
    home registered both with and without nursing has its beds counted once, under nursing."""
    found: list[ServiceType] = []
    for term in record.service_types:
        service_type = types.get(term.strip().lower())
        if service_type is not None and service_type not in found:
            found.append(service_type)
    slugs = {t.slug for t in found}
    wanted: list[tuple[ServiceType, Decimal | None]] = []
    for service_type in found:
        capacity: Decimal | None = None
        if record.capacity is not None and len(found) == 1:
            capacity = Decimal(str(record.capacity))
        elif service_type.capacity_unit == "beds" and record.beds is not None:
            dual = {"care_home_nursing", "care_home_residential"} <= slugs
            if not dual or service_type.slug == "care_home_nursing":
                capacity = Decimal(record.beds)
        wanted.append((service_type, capacity))
    return wanted


def _apply_services(
    wanted: dict[int, list[tuple[ServiceType, Decimal | None]]], locations: dict[int, Location]
) -> None:
    current: dict[int, dict[int, Service]] = {}  # location -> service type -> service
    ids = list(wanted)
    for start in range(0, len(ids), BATCH):
        for service in Service.objects.filter(location_id__in=ids[start : start + BATCH]):
            current.setdefault(service.location_id or 0, {})[service.service_type_id] = service
    to_create: list[Service] = []
    to_update: list[Service] = []
    for location_id, services in wanted.items():
        location = locations[location_id]
        here = current.get(location_id, {})
        keep = set()
        for service_type, capacity in services:
            keep.add(service_type.pk)
            known = here.get(service_type.pk)
            if known is None:
                to_create.append(
                    Service(
                        provider_id=location.provider_id,
                        location_id=location_id,
                        service_type=service_type,
                        name=location.name,
                        capacity=capacity,
                    )
                )
            elif (
                known.capacity != capacity
                or known.status != Service.Status.OPEN
                or known.provider_id != location.provider_id
            ):
                known.capacity = capacity
                known.status = Service.Status.OPEN
                known.provider_id = location.provider_id
                to_update.append(known)
        for type_id, service in here.items():
            if type_id not in keep and service.is_open:  # no longer registered for it
                service.status = Service.Status.CLOSED
                to_update.append(service)
    for start in range(0, len(to_create), BATCH):
        Service.objects.bulk_create(to_create[start : start + BATCH])
    Service.objects.bulk_update(
        to_update, ["capacity", "status", "provider_id"], batch_size=UPDATE_BATCH
    )


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
        _fail(actor, market_import, exc.phrase)
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


# ---------------------------------------------------------------------------------------------
# Providers keeping their own records


def refuse_markup(value: str, field_label: str) -> None:
    if has_markup(value):
        raise ValidationError(
            _("%(field)s is plain text: remove the HTML tags (anything written between < and >)."),
            code="markup",
            params={"field": field_label},
        )


PROVIDER_FIELDS = (
    "name",
    "sector",
    "legal_form",
    "income_band",
    "staff",
    "volunteers",
    "description",
    "website",
    "phone",
    "ciw_provider_id",
    "charity_number",
    "company_number",
)


@transaction.atomic
def sign_up_provider(
    *,
    organisation_name: str,
    identifier: str,
    legal_form: str,
    income_band: str,
    full_name: str,
    email: str,
    password: str,
    description: str = "",
    website: str = "",
    cqc_provider_id: str = "",
    preferred_language: str = "en",
) -> Provider | None:
    """A provider signs itself up: its organisation and first person (an administrator) are
    created at once, and its place on the register waits for a commissioner of the areas it
    serves to approve it. A provider already on the register from the regulator's list claims that
    record instead of making a second one. None if the email address already has an account:
    its holder is emailed, and the signer is answered as everyone is."""
    refuse_markup(description, _("The description"))
    sector = (
        "public"
        if legal_form == "statutory"
        else ("private" if legal_form == "company" else "third")
    )
    signed_up = core_services.sign_up_organisation(
        full_name=full_name,
        email=email,
        password=password,
        preferred_language=preferred_language,
        name=organisation_name,
        identifier=identifier,
        kind="provider",
        sector=sector,
        legal_form=legal_form,
        income_band=income_band,
        website=website,
    )
    if signed_up is None:
        return None
    organisation, person = signed_up
    claim_of = None
    if cqc_provider_id:
        claim_of = Provider.objects.filter(
            cqc_provider_id=cqc_provider_id.strip(), organisation__isnull=True
        ).first()
    provider = Provider(
        name=organisation.name,
        organisation=organisation,
        status=Provider.Status.PENDING,
        source=Provider.Source.SELF,
        sector=sector,
        legal_form=legal_form,
        income_band=income_band,
        description=description,
        website=website,
        claim_of=claim_of,
        charity_number=organisation.identifier.removeprefix("GB-CHC-")
        if organisation.identifier.startswith("GB-CHC-")
        else "",
        company_number=organisation.identifier.removeprefix("GB-COH-")
        if organisation.identifier.startswith("GB-COH-")
        else "",
    )
    provider.full_clean()
    provider.save()
    record_event(
        actor=person,
        verb="provider.signed_up",
        target=provider,
        organisation=organisation,
        after=snapshot(provider),
    )
    return provider


@transaction.atomic
def decide_provider(*, actor: Any, provider: Provider, approve: bool, reason: str = "") -> Provider:
    """Approve a provider's sign-up (it joins the register and the map) or decline it, with the
    reason, which the provider sees."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    require(actor, Action.DECIDE, provider)
    if provider.status != Provider.Status.PENDING:
        raise ValidationError(_("This provider is not waiting for a decision."), code="decided")
    if not approve and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why, so that the provider can put it right.")}, code="reason"
        )
    before = snapshot(provider)
    provider.decided_by = acting_person(actor)
    provider.decided_at = timezone.now()
    provider.decision_reason = reason.strip()
    result = provider
    if approve and provider.claim_of_id:
        # The regulator's record becomes the provider's own; the sign-up record folds into it.
        claimed = Provider.objects.select_for_update().get(pk=provider.claim_of_id)
        organisation = provider.organisation
        provider.organisation = None
        provider.status = Provider.Status.DECLINED
        provider.decision_reason = _("Joined to the existing register entry.")
        provider.save()
        claimed.organisation = organisation
        for attribute in ("description", "website", "legal_form", "income_band", "sector"):
            value = getattr(provider, attribute)
            if value:
                setattr(claimed, attribute, value)
        claimed.decided_by, claimed.decided_at = provider.decided_by, provider.decided_at
        claimed.save()
        Service.objects.filter(provider=provider).update(provider=claimed)
        Location.objects.filter(provider=provider).update(provider=claimed)
        result = claimed
    else:
        provider.status = Provider.Status.LISTED if approve else Provider.Status.DECLINED
        provider.save()
    record_event(
        actor=actor,
        verb="provider.approved" if approve else "provider.declined",
        target=result,
        organisation=result.organisation,
        before=before,
        after=snapshot(result),
        reason=reason,
    )
    organisation_id = result.organisation_id if approve else provider.organisation_id
    transaction.on_commit(
        lambda: send_provider_decision.enqueue(organisation_id, approve, reason.strip())
    )
    return result


@transaction.atomic
def update_provider(*, actor: Any, provider: Provider, **changes: Any) -> Provider:
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    require(actor, Action.CHANGE, provider)
    before = snapshot(provider)
    for name, value in changes.items():
        if name not in PROVIDER_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(provider, name, value)
    refuse_markup(provider.description, _("The description"))
    provider.full_clean()
    provider.save()
    record_event(
        actor=actor,
        verb="provider.updated",
        target=provider,
        organisation=provider.organisation,
        before=before,
        after=snapshot(provider),
    )
    return provider


SERVICE_FIELDS = (
    "service_type",
    "name",
    "description",
    "capacity",
    "unit_cost",
    "funding",
    "self_funder_share",
    "languages",
    "staff",
    "vacancies",
    "status",
)
LOCATION_FIELDS = ("name", "address", "postcode", "latitude", "longitude", "area")


def _may_place(actor: Any, provider: Provider, area_ids: set[int | None]) -> bool:
    """A provider places its own services anywhere; a curator only in their own areas."""
    return is_platform_admin(actor) or speaks_for(actor, provider) or curates(actor, area_ids)


def _outside_your_areas() -> str:
    return _(
        "You curate the register only in your partnership's areas: choose areas that are yours."
    )


def _service_snapshot(service: Service) -> dict[str, Any]:
    return {
        **snapshot(service),
        "client_groups": sorted(service.client_groups.values_list("pk", flat=True)),
        "areas_served": sorted(service.areas_served.values_list("code", flat=True)),
    }


@transaction.atomic
def save_service(
    *,
    actor: Any,
    provider: Provider,
    service: Service | None = None,
    client_groups: Iterable[Any] = (),
    areas_served: Iterable[Any] = (),
    location: dict[str, Any] | None = None,
    **fields: Any,
) -> Service:
    """Add a service to a provider's record or change one, with its place (an address, or
    none for a service that goes to people) and the areas it serves."""
    require(actor, Action.CHANGE, provider)
    creating = service is None
    if service is None:
        service = Service(provider=provider)
        before: dict[str, Any] = {}
    else:
        service = Service.objects.select_for_update().get(pk=service.pk, provider=provider)
        require(actor, Action.CHANGE, service)
        before = _service_snapshot(service)
    areas_served = list(areas_served)
    for name, value in fields.items():
        if name not in SERVICE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(service, name, value)
    refuse_markup(service.description, _("The description"))
    # A place only when something says where it is; a name alone is not a place.
    if location is not None and any(v for k, v in location.items() if k != "name"):
        place = service.location or Location(provider=provider)
        if place.cqc_location_id:
            raise ValidationError(
                _(
                    "The regulator's details of this location come from its list and can't be "
                    "edited."
                )
            )
        for name, value in location.items():
            if name not in LOCATION_FIELDS:
                raise ValueError(f"{name} cannot be changed here")
            setattr(place, name, value)
        if not place.name:
            place.name = service.name
        place.full_clean()
        if not _may_place(actor, provider, {place.area_id}):
            raise ValidationError({"area": _outside_your_areas()}, code="outside_areas")
        place.save()
        service.location = place
    places = {a.pk for a in areas_served}
    if service.location is not None:
        places.add(service.location.area_id)
    if not _may_place(actor, provider, places):
        raise ValidationError({"areas_served": _outside_your_areas()}, code="outside_areas")
    service.full_clean()
    service.save()
    service.client_groups.set(list(client_groups))
    service.areas_served.set(areas_served)
    record_event(
        actor=actor,
        verb="service.created" if creating else "service.updated",
        target=service,
        organisation=provider.organisation,
        before=before,
        after=_service_snapshot(service),
    )
    return service


# ---------------------------------------------------------------------------------------------
# The register of approved providers


@transaction.atomic
def create_scheme(
    *,
    actor: Any,
    owner: Any,
    name: str,
    summary: str = "",
    validity_months: int = 36,
    reminder_days: int = 60,
    criteria: Iterable[tuple[str, str, str]] | None = None,
    is_demonstration: bool = False,
) -> AccreditationScheme:
    """A scheme run by a commissioning body or umbrella body, starting from the usual
    fitness criteria unless others are given."""
    scheme = AccreditationScheme(
        owner=owner,
        name=name,
        summary=summary,
        validity_months=validity_months,
        reminder_days=reminder_days,
        is_demonstration=is_demonstration,
    )
    require(actor, Action.CHANGE, AccreditationScheme())
    if not (is_platform_admin(actor) or roles_in(actor, owner) & ASSESSOR_ROLES):
        raise PermissionDenied
    refuse_markup(summary, _("The summary"))
    scheme.full_clean()
    scheme.save()
    for position, (topic, title, evidence) in enumerate(criteria or DEFAULT_CRITERIA):
        criterion = Criterion(
            scheme=scheme, topic=topic, title=title, evidence_required=evidence, position=position
        )
        criterion.full_clean()
        criterion.save()
    record_event(
        actor=actor,
        verb="accreditation_scheme.created",
        target=scheme,
        organisation=owner,
        after={**snapshot(scheme), "criteria": [c.title for c in scheme.criteria.all()]},
    )
    return scheme


@transaction.atomic
def save_criterion(
    *,
    actor: Any,
    scheme: AccreditationScheme,
    criterion: Criterion | None = None,
    topic: str,
    title: str,
    evidence_required: str,
) -> Criterion:
    require(actor, Action.CHANGE, scheme)
    before = snapshot(criterion) if criterion else {}
    if criterion is None:
        criterion = Criterion(scheme=scheme, position=scheme.criteria.count())
    elif criterion.scheme_id != scheme.pk:
        raise PermissionDenied
    criterion.topic, criterion.title, criterion.evidence_required = topic, title, evidence_required
    refuse_markup(title + evidence_required, _("A criterion"))
    criterion.full_clean()
    criterion.save()
    record_event(
        actor=actor,
        verb="accreditation_criterion.saved",
        target=criterion,
        organisation=scheme.owner,
        before=before,
        after=snapshot(criterion),
    )
    return criterion


@transaction.atomic
def start_application(
    *, actor: Any, scheme: AccreditationScheme, provider: Provider
) -> Application:
    if not speaks_for(actor, provider):
        raise PermissionDenied
    if not scheme.is_open:
        raise ValidationError(_("This scheme is not taking applications."), code="closed")
    if not provider.is_listed:
        raise ValidationError(
            _("Your organisation can apply once its place on the register has been approved."),
            code="not_listed",
        )
    existing = Application.objects.filter(
        scheme=scheme,
        provider=provider,
        status__in=[Application.Status.DRAFT, Application.Status.SUBMITTED],
    ).first()
    if existing is not None:
        return existing
    application = Application(scheme=scheme, provider=provider, created_by=acting_person(actor))
    application.save()
    record_event(
        actor=actor,
        verb="accreditation_application.started",
        target=application,
        organisation=provider.organisation,
        after=snapshot(application),
    )
    return application


def _safe_file_name(name: str) -> str:
    base = get_valid_filename(Path(name).name) or "evidence"
    return base[-150:]


def add_evidence(
    *, actor: Any, application: Application, criterion: Criterion, upload: Any
) -> EvidenceDocument:
    """Keep an evidence file for a criterion: its type checked from its contents, its name made
    safe, stored under a random name outside the web root. The file is checked and stored
    before the transaction opens, so a slow or hostile file never holds the database's write
    lock."""
    require(actor, Action.CHANGE, application)
    if criterion.scheme_id != application.scheme_id:
        raise PermissionDenied
    max_bytes = settings.EVIDENCE_MAX_BYTES
    try:
        kind = evidence_files.identify(
            upload, upload.name, size=upload.size or 0, max_bytes=max_bytes
        )
    except evidence_files.EvidenceFileError as exc:
        raise ValidationError({"file": exc.phrase.render(_)}, code=exc.code) from exc
    upload.seek(0)
    field = EvidenceDocument._meta.get_field("file")
    name = field.generate_filename(EvidenceDocument(), f"{uuid.uuid4().hex}{kind.extensions[0]}")
    stored = field.storage.save(name, upload, max_length=field.max_length)
    try:
        return _keep_evidence(
            actor=actor,
            application=application,
            criterion=criterion,
            stored=stored,
            original=_safe_file_name(upload.name),
            content_type=kind.content_type,
            size=upload.size,
        )
    except BaseException:
        field.storage.delete(stored)
        raise


@transaction.atomic
def _keep_evidence(
    *,
    actor: Any,
    application: Application,
    criterion: Criterion,
    stored: str,
    original: str,
    content_type: str,
    size: int,
) -> EvidenceDocument:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.CHANGE, application)  # again, now that the application is locked
    document = EvidenceDocument(
        application=application,
        criterion=criterion,
        original_name=original,
        content_type=content_type,
        size=size,
        uploaded_by=acting_person(actor),
    )
    document.file.name = stored
    document.save()
    record_event(
        actor=actor,
        verb="accreditation_evidence.added",
        target=application,
        organisation=application.provider.organisation,
        after={"criterion": criterion.title, "file": original, "size": size},
    )
    return document


@transaction.atomic
def remove_evidence(*, actor: Any, document: EvidenceDocument) -> None:
    require(actor, Action.CHANGE, document)
    application = document.application
    name, criterion = document.original_name, document.criterion.title
    stored = document.file.name or ""
    document.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))
    record_event(
        actor=actor,
        verb="accreditation_evidence.removed",
        target=application,
        organisation=application.provider.organisation,
        before={"criterion": criterion, "file": name},
    )


@transaction.atomic
def submit_application(*, actor: Any, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.CHANGE, application)
    covered = set(application.evidence.values_list("criterion_id", flat=True))
    missing = [c.title for c in application.scheme.criteria.all() if c.pk not in covered]
    if missing:
        raise ValidationError(
            _("Add evidence for every criterion before you submit. Still missing: %(missing)s."),
            code="incomplete",
            params={"missing": ", ".join(missing)},
        )
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at"])
    record_event(
        actor=actor,
        verb="accreditation_application.submitted",
        target=application,
        organisation=application.provider.organisation,
        after=snapshot(application),
    )
    return application


@transaction.atomic
def record_finding(
    *, actor: Any, application: Application, criterion: Criterion, is_met: bool, notes: str = ""
) -> CriterionFinding:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.DECIDE, application)
    if criterion.scheme_id != application.scheme_id:
        raise PermissionDenied
    if not is_met and not notes.strip():
        raise ValidationError(
            {"notes": _("Say what is missing, so that the provider can put it right.")}
        )
    finding, _created = CriterionFinding.objects.update_or_create(
        application=application,
        criterion=criterion,
        defaults={
            "is_met": is_met,
            "notes": notes.strip(),
            "assessor": acting_person(actor),
            "recorded_at": timezone.now(),
        },
    )
    record_event(
        actor=actor,
        verb="accreditation_finding.recorded",
        target=application,
        organisation=application.scheme.owner,
        after={"criterion": criterion.title, "met": is_met, "notes": notes.strip()},
    )
    return finding


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def decide_application(
    *, actor: Any, application: Application, approve: bool, notes: str = ""
) -> Application:
    """Approve (every criterion found met; an accreditation is issued for the scheme's
    validity period) or reject (with reasons the provider sees)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Action.DECIDE, application)
    findings = {f.criterion_id: f for f in application.findings.all()}
    criteria = list(application.scheme.criteria.all())
    if approve:
        unmet = [c.title for c in criteria if not (c.pk in findings and findings[c.pk].is_met)]
        if unmet:
            raise ValidationError(
                _("Every criterion must be found met to approve. Not yet met: %(unmet)s."),
                code="unmet",
                params={"unmet": ", ".join(unmet)},
            )
    elif not notes.strip():
        raise ValidationError({"notes": _("Give the reasons, which the provider will see.")})
    application.status = Application.Status.APPROVED if approve else Application.Status.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = acting_person(actor)
    application.decision_notes = notes.strip()
    application.save()
    after = snapshot(application)
    if approve:
        issued = timezone.localdate()
        accreditation = Accreditation.objects.create(
            scheme=application.scheme,
            provider=application.provider,
            application=application,
            issued_on=issued,
            expires_on=_add_months(issued, application.scheme.validity_months),
        )
        after["accreditation"] = snapshot(accreditation)
    record_event(
        actor=actor,
        verb="accreditation_application.approved"
        if approve
        else "accreditation_application.rejected",
        target=application,
        organisation=application.scheme.owner,
        after=after,
        reason=notes,
    )
    provider_id = application.provider_id
    transaction.on_commit(lambda: send_accreditation_decision.enqueue(application.pk, provider_id))
    return application


@transaction.atomic
def revoke_accreditation(*, actor: Any, accreditation: Accreditation, reason: str) -> Accreditation:
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    require(actor, Action.DECIDE, accreditation)
    if accreditation.revoked_at is not None:
        raise ValidationError(_("This accreditation has already been revoked."), code="revoked")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason, which is published on the register.")})
    before = snapshot(accreditation)
    accreditation.revoked_at = timezone.now()
    accreditation.revoked_reason = reason.strip()
    accreditation.revoked_by = acting_person(actor)
    accreditation.save()
    record_event(
        actor=actor,
        verb="accreditation.revoked",
        target=accreditation,
        organisation=accreditation.scheme.owner,
        before=before,
        after=snapshot(accreditation),
        reason=reason,
    )
    return accreditation


def send_expiry_reminders(*, on: date | None = None) -> int:
    """Remind the holders of accreditations that expire within their scheme's reminder period
    (once each). Run daily by `manage.py send_accreditation_reminders`."""
    day = on or timezone.localdate()
    due = [
        accreditation
        for accreditation in Accreditation.objects.filter(
            revoked_at__isnull=True, reminder_sent_on__isnull=True, expires_on__gt=day
        ).select_related("scheme")
        if (accreditation.expires_on - day).days <= accreditation.scheme.reminder_days
    ]
    for accreditation in due:
        with transaction.atomic():
            updated = Accreditation.objects.filter(
                pk=accreditation.pk, reminder_sent_on__isnull=True
            ).update(reminder_sent_on=day)
            if updated:
                record_event(
                    actor=SYSTEM,
                    verb="accreditation.reminder_sent",
                    target=accreditation,
                    organisation=accreditation.scheme.owner,
                    after={"expires_on": accreditation.expires_on.isoformat()},
                )
                accreditation_id = accreditation.pk
                transaction.on_commit(
                    lambda pk=accreditation_id: send_expiry_reminder.enqueue(pk)  # type: ignore[misc]
                )
    return len(due)


@transaction.atomic
def recognise_scheme(
    *, actor: Any, commissioning_body: Any, scheme: AccreditationScheme
) -> SchemeRecognition:
    """The commissioning body accepts the scheme's valid accreditations as evidence met in its
    own procurements, for the questions on the criteria's topics."""
    recognition = SchemeRecognition(
        commissioning_body=commissioning_body, scheme=scheme, recognised_by=acting_person(actor)
    )
    require(actor, Action.CHANGE, recognition)
    if SchemeRecognition.objects.filter(
        commissioning_body=commissioning_body, scheme=scheme, ended_on__isnull=True
    ).exists():
        raise ValidationError(_("This scheme is already recognised."), code="duplicate")
    recognition.full_clean()
    recognition.save()
    record_event(
        actor=actor,
        verb="accreditation_scheme.recognised",
        target=recognition,
        organisation=commissioning_body,
        after=snapshot(recognition),
    )
    return recognition


@transaction.atomic
def end_recognition(*, actor: Any, recognition: SchemeRecognition) -> SchemeRecognition:
    require(actor, Action.CHANGE, recognition)
    before = snapshot(recognition)
    recognition.ended_on = timezone.localdate()
    recognition.save(update_fields=["ended_on"])
    record_event(
        actor=actor,
        verb="accreditation_scheme.recognition_ended",
        target=recognition,
        organisation=recognition.commissioning_body,
        before=before,
        after=snapshot(recognition),
    )
    return recognition


# ---------------------------------------------------------------------------------------------
# Market analyses and position statements


ANALYSIS_FIELDS = (
    "title",
    "organisation",
    "partnership",
    "client_group",
    "needs_assessment",
    "year",
    "age_from",
    "age_to",
    "need_condition",
    "basis",
    "targets",
    "under_below",
    "over_above",
    "threshold_explanation",
    "summary",
    "intentions",
    "message_to_providers",
)


def _analysis_snapshot(analysis: MarketAnalysis) -> dict[str, Any]:
    return {
        **_analysis_fields(analysis),
        "areas": sorted(analysis.areas.values_list("code", flat=True)),
        "service_types": sorted(analysis.service_types.values_list("slug", flat=True)),
    }


def _save_analysis(
    actor: Any,
    analysis: MarketAnalysis,
    *,
    areas: Iterable[Any],
    service_types: Iterable[Any],
    fields: dict[str, Any],
) -> MarketAnalysis:
    for name, value in fields.items():
        if name not in ANALYSIS_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(analysis, name, value)
    assessment = analysis.needs_assessment
    areas = list(areas)
    if assessment is not None:
        # Supply is set against the assessment's own evidence: its areas, group and data.
        analysis.client_group = assessment.client_group
        analysis.partnership = assessment.partnership
        analysis.population_dataset = assessment.population_dataset
        areas = list(assessment.areas.all())
    elif not analysis.population_dataset_id:
        dataset = needs_selectors.dataset_covering(year=analysis.year)
        if dataset is None:
            raise ValidationError(
                {
                    "year": _("There is no population data for %(year)s yet.")
                    % {"year": analysis.year}
                }
            )
        analysis.population_dataset = dataset
    for text, label in (
        (analysis.summary, _("The summary")),
        (analysis.intentions, _("The commissioning intentions")),
        (analysis.message_to_providers, _("What you want from providers")),
        (analysis.threshold_explanation, _("The explanation of the thresholds")),
    ):
        refuse_markup(text, label)
    analysis.full_clean(exclude=["population_dataset"] if analysis.population_dataset_id else None)
    analysis.save()
    analysis.areas.set(areas)
    analysis.service_types.set(list(service_types))
    return analysis


@transaction.atomic
def create_analysis(
    *, actor: Any, areas: Iterable[Any] = (), service_types: Iterable[Any], **fields: Any
) -> MarketAnalysis:
    analysis = MarketAnalysis(created_by=acting_person(actor))
    analysis.organisation = fields.get("organisation")  # type: ignore[assignment]
    require(actor, Action.CHANGE, analysis)
    analysis = _save_analysis(
        actor, analysis, areas=areas, service_types=service_types, fields=fields
    )
    record_event(
        actor=actor,
        verb="market_analysis.created",
        target=analysis,
        organisation=analysis.organisation,
        after=_analysis_snapshot(analysis),
    )
    return analysis


@transaction.atomic
def update_analysis(
    *,
    actor: Any,
    analysis: MarketAnalysis,
    areas: Iterable[Any] = (),
    service_types: Iterable[Any],
    **fields: Any,
) -> MarketAnalysis:
    analysis = MarketAnalysis.objects.select_for_update().get(pk=analysis.pk)
    require(actor, Action.CHANGE, analysis)
    before = _analysis_snapshot(analysis)
    analysis = _save_analysis(
        actor, analysis, areas=areas, service_types=service_types, fields=fields
    )
    require(actor, Action.CHANGE, analysis)  # still the person's own body's
    record_event(
        actor=actor,
        verb="market_analysis.updated",
        target=analysis,
        organisation=analysis.organisation,
        before=before,
        after=_analysis_snapshot(analysis),
    )
    return analysis


@transaction.atomic
def publish_analysis(*, actor: Any, analysis: MarketAnalysis) -> MarketAnalysis:
    """Publish the analysis as the body's market position statement: public, and frozen."""
    analysis = MarketAnalysis.objects.select_for_update().get(pk=analysis.pk)
    require(actor, Action.CHANGE, analysis)
    if not analysis.summary.strip():
        raise ValidationError(
            _("Write the summary for providers before publishing the market position statement."),
            code="summary",
        )
    before = _analysis_fields(analysis)
    analysis.status = MarketAnalysis.Status.PUBLISHED
    analysis.published_at = timezone.now()
    # The statement keeps the figures it is published with: later changes to the register or
    # new population data never move what providers and plans read.
    analysis.figures = market_selectors.analysis_figures(analysis)
    analysis.save(update_fields=["status", "published_at", "figures"])
    record_event(
        actor=actor,
        verb="market_analysis.published",
        target=analysis,
        organisation=analysis.organisation,
        before=before,
        after=_analysis_fields(analysis),
    )
    return analysis


@transaction.atomic
def freeze_published_figures() -> int:
    """Keep the figures of every published analysis that has none kept (one published before
    figures were kept) as the register and population data give them now; how many. Run once
    after migrating (`MarketConfig` connects it to post_migrate): before then such a statement
    was recomputed on every reading, so now is the nearest to its publication still known."""
    frozen = 0
    for analysis in MarketAnalysis.objects.select_for_update().filter(
        status=MarketAnalysis.Status.PUBLISHED, figures__isnull=True
    ):
        analysis.figures = market_selectors.analysis_figures(analysis)
        analysis.save(update_fields=["figures"])
        record_event(
            actor=None,
            verb="market_analysis.figures_kept",
            target=analysis,
            organisation=analysis.organisation,
            after=_analysis_fields(analysis),
        )
        frozen += 1
    return frozen


def _analysis_fields(analysis: MarketAnalysis) -> dict[str, Any]:
    """An analysis for the audit trail: its fields, and its kept figures as a digest (they can
    run to megabytes for a region)."""
    fields = snapshot(analysis)
    figures = fields.pop("figures", None)
    if figures is not None:
        canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"))
        fields["figures_sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    return fields


@transaction.atomic
def register_provider(
    *,
    actor: Any,
    organisation: Any,
    description: str = "",
    staff: int | None = None,
    volunteers: int | None = None,
) -> Provider:
    """Put an organisation already on the platform onto the provider register (a commissioner
    adding a provider it knows, or the demo); it keeps its own entry from then on."""
    require(actor, Action.CHANGE, Provider())
    refuse_markup(description, _("The description"))
    provider = Provider(
        name=organisation.name,
        organisation=organisation,
        status=Provider.Status.LISTED,
        source=Provider.Source.COMMISSIONER,
        sector=organisation.sector,
        legal_form=organisation.legal_form,
        income_band=organisation.income_band,
        website=organisation.website,
        description=description,
        staff=staff,
        volunteers=volunteers,
        is_demonstration=organisation.is_demonstration,
        decided_by=acting_person(actor),
        decided_at=timezone.now(),
    )
    provider.full_clean()
    provider.save()
    record_event(
        actor=actor,
        verb="provider.registered",
        target=provider,
        organisation=organisation,
        after=snapshot(provider),
    )
    return provider
