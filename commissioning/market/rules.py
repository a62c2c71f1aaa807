"""Access rules for the provider market, registered with core's `access` at start-up.

The register is public where the regulator's list is public: listed providers, their open
locations and services, accreditation schemes and valid accreditations. What a provider tells
commissioners in confidence (unit costs, workforce figures) is seen only by commissioners and
the provider itself. Providers keep their own records; commissioners curate the rest."""

from typing import Any

from django.db.models import Q

from commissioning.core.access import (
    Action,
    is_platform_admin,
    is_signed_in,
    roles_by_organisation,
    roles_in,
    rule_for,
)
from commissioning.core.models import Organisation, Role
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
    kinds = _organisation_kinds(person)
    return any(
        Role.COMMISSIONER in roles and kinds.get(org) == Organisation.Kind.COMMISSIONING_BODY
        for org, roles in roles_by_organisation(person).items()
    )


def may_approve_providers(person: Any) -> bool:
    """Commissioners and the administrators of umbrella bodies approve providers' sign-ups."""
    if is_commissioner(person):
        return True
    kinds = _organisation_kinds(person)
    return any(
        Role.ORGANISATION_ADMIN in roles and kinds.get(org) == Organisation.Kind.UMBRELLA
        for org, roles in roles_by_organisation(person).items()
    )


def speaks_for(person: Any, provider: Provider) -> bool:
    """The person is one of the provider's own people."""
    return bool(
        provider.organisation_id and roles_in(person, provider.organisation_id) & PROVIDER_ROLES
    )


def may_see_commercial(person: Any, provider: Provider) -> bool:
    """Unit costs and workforce figures: commissioners and the provider itself."""
    return is_commissioner(person) or speaks_for(person, provider)


def provider_scope(person: Any) -> Q:
    """Which providers a person may see: every listed or closed one, and the ones waiting for
    approval when the person approves them or is one of their people."""
    public = Q(status__in=[Provider.Status.LISTED, Provider.Status.CLOSED])
    if may_approve_providers(person):
        return Q()
    mine = [org for org, roles in roles_by_organisation(person).items() if roles & PROVIDER_ROLES]
    return public | Q(organisation__in=mine) if mine else public


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
            or may_approve_providers(person)
            or speaks_for(person, provider)
        )
    if action == Action.CHANGE:
        if provider.pk is None:  # adding a provider to the register
            return is_commissioner(person)
        if is_platform_admin(person) or speaks_for(person, provider):
            return True
        # Commissioners curate the records nobody else keeps; a provider's own account is its own.
        return is_commissioner(person) and provider.organisation_id is None
    if action == Action.DECIDE:
        return may_approve_providers(person) and not speaks_for(person, provider)
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
        return _provider(person, Action.CHANGE, provider)
    return False


@rule_for(MarketImport)
def _market_import(person: Any, action: Action, record: MarketImport) -> bool:
    # Imports write the shared register: commissioners run them and see how they went.
    if action == Action.VIEW:
        return is_platform_admin(person) or (
            is_signed_in(person) and record.imported_by_id == person.pk
        )
    return action == Action.CHANGE and is_commissioner(person)


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
    if is_platform_admin(person):
        return Q()
    published = Q(status=MarketAnalysis.Status.PUBLISHED)
    mine = list(roles_by_organisation(person))
    if not mine:
        return published
    return published | Q(organisation__in=mine) | Q(partnership__members__in=mine)


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
            return is_commissioner(person)
        return is_platform_admin(person) or Role.COMMISSIONER in roles_in(
            person, analysis.organisation_id
        )
    return False
