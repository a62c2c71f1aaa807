"""Access rules for the provider market, registered with core's `access` at start-up.

The register is public where the regulator's list is public: listed providers, their open
locations and services, accreditation schemes and valid accreditations.

Who curates the shared register is decided by place. A commissioning body's areas are the areas
of the partnerships it belongs to (a body commissioning alone has none until a platform
administrator puts it in a partnership with its areas); its commissioners curate, import and
decide sign-ups only there:

- a provider keeps its own record (its details, services, capacity and costs), and nobody else
  edits a record a provider keeps, except a platform administrator;
- a record nobody keeps (from the regulator's list) is curated by the commissioners of the areas
  it is in or serves, and a service of it only when every area of the service is theirs;
- a sign-up waiting for approval is seen and decided by the commissioners of the areas the
  provider serves (its services' areas, or those of the regulator's record it claims);
- what a provider tells commissioners in confidence (unit costs, workforce figures) is seen by
  the commissioners of the areas it serves and the provider itself;
- an import touches only the importer's areas; loading the national list (every area) is for
  a platform administrator.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from commissioning.core.access import (
    Action,
    is_commissioner_of,
    is_platform_admin,
    is_signed_in,
    register_sign_ups,
    roles_by_organisation,
    roles_in,
    rule_for,
)
from commissioning.core.models import Area, Organisation, Role
from commissioning.core.published import visible_to
from commissioning.market.models import (
    Accreditation,
    AccreditationScheme,
    Application,
    EvidenceDocument,
    Location,
    MarketAnalysis,
    MarketImport,
    Provider,
    SchemeRecognition,
    Service,
    ServiceType,
)

PROVIDER_ROLES = frozenset({Role.PROVIDER_USER, Role.ORGANISATION_ADMIN})
ASSESSOR_ROLES = frozenset({Role.COMMISSIONER, Role.ORGANISATION_ADMIN})


def _organisation_kinds(person: Any) -> dict[int, str]:
    cached = getattr(person, "_organisation_kinds", None)
    if cached is None:
        ids = list(roles_by_organisation(person))
        cached = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "kind"))
        person._organisation_kinds = cached
    return cached


def is_commissioner(person: Any) -> bool:
    """A commissioner in any commissioning body (or a platform administrator)."""
    if is_platform_admin(person):
        return True
    return bool(_commissioning_bodies(person))


def _commissioning_bodies(person: Any) -> list[int]:
    kinds = _organisation_kinds(person)
    return [
        org
        for org, roles in roles_by_organisation(person).items()
        if Role.COMMISSIONER in roles and kinds.get(org) == Organisation.Kind.COMMISSIONING_BODY
    ]


def curated_area_ids(person: Any) -> frozenset[int] | None:
    """The areas whose part of the register the person curates: the areas of the partnerships
    of the commissioning bodies they are a commissioner of. None for a platform administrator,
    who curates every area."""
    if is_platform_admin(person):
        return None
    bodies = _commissioning_bodies(person)
    if not bodies:
        return frozenset()
    return frozenset(
        Area.objects.filter(partnerships__members__in=bodies).values_list("pk", flat=True)
    )


def curates(person: Any, area_ids: Iterable[int | None]) -> bool:
    """Every one of these areas is the person's to curate (and there is at least one)."""
    wanted = set(area_ids)
    mine = curated_area_ids(person)
    if mine is None:
        return True
    return bool(wanted) and None not in wanted and wanted <= mine


def _serving(area_ids: Iterable[int]) -> Q:
    """Providers that are in or serve one of these areas, and sign-ups claiming one that is."""
    ids = list(area_ids)
    placed = Location.objects.filter(area_id__in=ids).values("provider_id")
    served = Service.objects.filter(areas_served__in=ids).values("provider_id")
    return Q(pk__in=placed) | Q(pk__in=served) | Q(claim_of__in=placed) | Q(claim_of__in=served)


def serves_curated_area(person: Any, provider: Provider) -> bool:
    """The provider is in or serves one of the areas the person curates."""
    mine = curated_area_ids(person)
    if mine is None:
        return True
    if not mine or provider.pk is None:
        return False
    return Provider.objects.filter(_serving(mine), pk=provider.pk).exists()


def curates_somewhere(person: Any) -> bool:
    """A commissioner of a body with areas (or a platform administrator): they import, add
    providers and decide the sign-ups of providers serving their areas."""
    mine = curated_area_ids(person)
    return mine is None or bool(mine)


def speaks_for(person: Any, provider: Provider) -> bool:
    """The person is one of the provider's own people."""
    return bool(
        provider.organisation_id and roles_in(person, provider.organisation_id) & PROVIDER_ROLES
    )


def may_see_commercial(person: Any, provider: Provider) -> bool:
    """Unit costs and workforce figures: the commissioners of the areas the provider serves,
    and the provider itself."""
    return speaks_for(person, provider) or serves_curated_area(person, provider)


def provider_scope(person: Any) -> Q:
    """Which providers a person may see: every listed or closed one, and the ones waiting for
    approval when they serve an area the person curates or the person is one of their people."""
    public = Q(status__in=[Provider.Status.LISTED, Provider.Status.CLOSED])
    areas = curated_area_ids(person)
    if areas is None:
        return Q()
    if areas:
        public |= _serving(areas)
    mine = [org for org, roles in roles_by_organisation(person).items() if roles & PROVIDER_ROLES]
    return public | Q(organisation__in=mine) if mine else public


def service_area_ids(service: Service) -> set[int | None]:
    """Where a service is: its location's area and the areas it serves."""
    areas: set[int | None] = set()
    if service.location_id is not None and service.location is not None:
        areas.add(service.location.area_id)
    if service.pk is not None:
        areas.update(service.areas_served.values_list("pk", flat=True))
    return areas


@rule_for(ServiceType)
def _service_type(person: Any, action: Action, record: ServiceType) -> bool:
    if action == Action.VIEW:
        return True
    return action == Action.CHANGE and is_platform_admin(person)


@rule_for(Provider)
def _provider(person: Any, action: Action, provider: Provider) -> bool:
    if action == Action.VIEW:
        return (
            provider.status in (Provider.Status.LISTED, Provider.Status.CLOSED)
            or speaks_for(person, provider)
            or serves_curated_area(person, provider)
        )
    if action == Action.CHANGE:
        if provider.pk is None:  # adding a provider to the register
            return curates_somewhere(person)
        if is_platform_admin(person) or speaks_for(person, provider):
            return True
        # Commissioners curate the records nobody else keeps, in their own areas; a provider's
        # own account is its own.
        return provider.organisation_id is None and serves_curated_area(person, provider)
    if action == Action.DECIDE:
        return not speaks_for(person, provider) and serves_curated_area(person, provider)
    if action == Action.VIEW_AUDIT:
        return is_platform_admin(person) or speaks_for(person, provider)
    return False


@rule_for(Location)
@rule_for(Service)
def _provider_record(person: Any, action: Action, record: Location | Service) -> bool:
    provider = record.provider
    if action == Action.VIEW:
        return _provider(person, Action.VIEW, provider)
    if action == Action.CHANGE:
        if not _provider(person, Action.CHANGE, provider):
            return False
        if is_platform_admin(person) or speaks_for(person, provider) or record.pk is None:
            return True
        # A curator changes a place or service only where all of it lies in their areas.
        if isinstance(record, Location):
            return curates(person, {record.area_id})
        return curates(person, service_area_ids(record))
    return False


@rule_for(MarketImport)
def _market_import(person: Any, action: Action, record: MarketImport) -> bool:
    # Imports write the shared register: commissioners of bodies with areas run them (each
    # import is then held to the importer's areas) and see how they went.
    if action == Action.VIEW:
        return is_platform_admin(person) or (
            is_signed_in(person) and record.imported_by_id == person.pk
        )
    return action == Action.CHANGE and curates_somewhere(person)


def _runs_scheme(person: Any, scheme: AccreditationScheme) -> bool:
    return is_platform_admin(person) or bool(roles_in(person, scheme.owner_id) & ASSESSOR_ROLES)


@rule_for(AccreditationScheme)
def _scheme(person: Any, action: Action, scheme: AccreditationScheme) -> bool:
    if action == Action.VIEW:
        return True
    if action == Action.CHANGE:
        if scheme.pk is None:  # starting a scheme: an assessor of a body that may run one
            kinds = _organisation_kinds(person)
            return is_platform_admin(person) or any(
                roles & ASSESSOR_ROLES
                and kinds.get(org)
                in (Organisation.Kind.COMMISSIONING_BODY, Organisation.Kind.UMBRELLA)
                for org, roles in roles_by_organisation(person).items()
            )
        return _runs_scheme(person, scheme)
    return False


@rule_for(Application)
def _application(person: Any, action: Action, application: Application) -> bool:
    own = speaks_for(person, application.provider)
    assesses = _runs_scheme(person, application.scheme) and not own
    if action == Action.VIEW:
        return own or (assesses and application.status != Application.Status.DRAFT)
    if action == Action.CHANGE:  # evidence and submission: the provider, while a draft
        return own and application.status == Application.Status.DRAFT
    if action == Action.DECIDE:  # findings and the decision: the scheme's assessors
        return assesses and application.status == Application.Status.SUBMITTED
    return False


@rule_for(EvidenceDocument)
def _evidence(person: Any, action: Action, document: EvidenceDocument) -> bool:
    if action == Action.VIEW:
        return _application(person, Action.VIEW, document.application)
    return action == Action.CHANGE and _application(person, Action.CHANGE, document.application)


@rule_for(Accreditation)
def _accreditation(person: Any, action: Action, accreditation: Accreditation) -> bool:
    if action == Action.VIEW:
        return True  # the register of approved providers is public, revocations included
    if action == Action.DECIDE:
        return _runs_scheme(person, accreditation.scheme) and not speaks_for(
            person, accreditation.provider
        )
    return False


@rule_for(SchemeRecognition)
def _recognition(person: Any, action: Action, recognition: SchemeRecognition) -> bool:
    if action == Action.VIEW:
        return True
    return action == Action.CHANGE and (
        is_platform_admin(person)
        or bool(roles_in(person, recognition.commissioning_body_id) & ASSESSOR_ROLES)
    )


def analysis_scope(person: Any) -> Q:
    """Published analyses (market position statements) are public; drafts are seen by the
    owning body's people and its partnership's member bodies."""
    return visible_to(person, MarketAnalysis)


@rule_for(MarketAnalysis)
def _analysis(person: Any, action: Action, analysis: MarketAnalysis) -> bool:
    if action == Action.VIEW:
        if analysis.pk is None:
            return False
        return MarketAnalysis.objects.filter(analysis_scope(person), pk=analysis.pk).exists()
    if action == Action.CHANGE:
        if analysis.is_published:
            return False
        if analysis.organisation_id is None:
            # Starting one: a commissioner of a body, who then chooses it (a platform
            # administrator has no body to choose).
            return bool(_commissioning_bodies(person))
        return is_commissioner_of(person, [analysis.organisation_id])
    return False


def _sign_ups_waiting() -> Q:
    """Organisations whose provider sign-up waits for approval or was declined."""
    return Q(
        pk__in=Provider.objects.filter(
            status__in=[Provider.Status.PENDING, Provider.Status.DECLINED],
            organisation__isnull=False,
        ).values("organisation_id")
    )


def _sign_ups_decided_by(person: Any) -> Q:
    """The sign-ups the person sees on the register: those of providers serving their areas."""
    return Q(
        pk__in=Provider.objects.filter(provider_scope(person), organisation__isnull=False).values(
            "organisation_id"
        )
    )


register_sign_ups(waiting=_sign_ups_waiting, decided_by=_sign_ups_decided_by)
