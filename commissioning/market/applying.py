"""Applying a checked file of the regulator's locations to the register, batch by batch inside
the import's transaction (`importing.run_market_import` reads and checks it first). Re-importing
a newer file updates what changed, closes the locations that have left the regulator's list and
never duplicates a provider or location: both are keyed by their CQC IDs.

Closing is held to what the file can vouch for: only in the local authorities the file covers,
and only in those it is a full load for (it lists at least half of the regulator's open
locations held there), so a file for one area never closes another's and a few rows sent to
update some locations never close the rest. A commissioning body's import is refused if any
row lies outside its partnership's areas; the national list is a platform administrator's. Nor
does a body's file rename or renumber a provider that also works outside the body's areas."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from commissioning.core import selectors as core_selectors
from commissioning.kit.phrases import Phrase, Refusal, gettext_noop
from commissioning.market import cqc_formats
from commissioning.market.models import Location, MarketImport, Provider, Service, ServiceType

BATCH = 1000  # rows applied at once, and keys per query
UPDATE_BATCH = 100


class MarketImportError(Refusal):
    """The file was refused; `phrase` says why, naming the line where there is one."""


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
class Outcome:
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


class Applier:
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
        self.outcome = Outcome()
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

    def close_what_left(self) -> Outcome:
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
