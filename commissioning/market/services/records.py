"""Providers keeping their own records: their details, and their services with the places they
are run from and the areas they serve. A curator of the register edits a record nobody keeps,
in their own areas only."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commissioning.audit.services import record_event, snapshot
from commissioning.core.access import Action, is_platform_admin, require
from commissioning.market.models import Location, Provider, Service
from commissioning.market.rules import curates, speaks_for
from commissioning.market.services.text import refuse_markup

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
