"""Every read of core data, scoped to what the person may see."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.core.access import (
    Action,
    can,
    is_platform_admin,
    is_signed_in,
    organisation_ids_where,
    organisation_scope,
    partnership_scope,
    roles_by_organisation,
    unapproved_organisations,
)
from commissioning.core.models import (
    ApiToken,
    Area,
    ClientGroup,
    CycleModel,
    CycleStage,
    DeclarationOfInterest,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    Person,
)


def organisations_where(person: Any, action: Action) -> QuerySet[Organisation]:
    if is_platform_admin(person):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisation_ids_where(person, action))


def public_organisations(*, query: str = "", kind: str = "") -> QuerySet[Organisation]:
    """The public register: every organisation but those whose sign-up waits for approval."""
    organisations = Organisation.objects.all()
    held = unapproved_organisations()
    if held is not None:
        organisations = organisations.exclude(held)
    return _searched(organisations, query=query, kind=kind)


def organisations_visible_to(
    person: Any, *, query: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    """The register as this person sees it: with the sign-ups waiting for approval that are
    their own or theirs to decide."""
    return _searched(
        Organisation.objects.filter(organisation_scope(person)), query=query, kind=kind
    )


def _searched(
    organisations: QuerySet[Organisation], *, query: str, kind: str
) -> QuerySet[Organisation]:
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(identifier__iexact=query))
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name")


def organisation_by_pk(pk: int) -> Organisation:
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def public_organisation_by_pk(pk: int | None) -> Organisation | None:
    """An organisation on the public register (approved), or None: a sign-up waiting for
    approval, or declined, is nobody's to choose."""
    if pk is None:
        return None
    return public_organisations().filter(pk=pk).first()


def colleague_by_email(email: str, organisation_ids: Iterable[int]) -> Person | None:
    """The active person with this sign-in address who belongs to one of these organisations,
    if they are on the public register; else None, which says nothing about whether the address
    has an account anywhere else."""
    organisations = public_organisations().filter(pk__in=list(organisation_ids))
    return (
        Person.objects.filter(
            email__iexact=email.strip(),
            is_active=True,
            memberships__organisation__in=organisations.values("pk"),
        )
        .distinct()
        .first()
    )


def organisation_for(person: Any, pk: int) -> Organisation:
    """An organisation the person may see, or 404: one waiting for approval is not confirmed to
    exist to anyone outside it and its approvers."""
    try:
        return Organisation.objects.filter(organisation_scope(person)).get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def open_invitations_for(person: Any) -> QuerySet[Invitation]:
    """The invitations waiting for this person's answer, for their account page."""
    if not is_signed_in(person) or getattr(person, "pk", None) is None:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            person=person, status=Invitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("organisation", "invited_by")
        .order_by("-created_at")
    )


def invitation_for(person: Any, pk: int) -> Invitation:
    """One of the person's own invitations, or 404 (another's is not confirmed to exist)."""
    try:
        invitation = Invitation.objects.select_related("organisation").get(pk=pk)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc
    if not can(person, Action.VIEW, invitation):
        raise Http404
    return invitation


def memberships_of(person: Any) -> QuerySet[Membership]:
    """A person's own memberships, for the dashboard and /me."""
    if not person.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(person=person)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def members_of(person: Any, organisation: Organisation) -> QuerySet[Membership]:
    """The people of an organisation and their roles; only for its own members."""
    if not can(person, Action.VIEW_MEMBERS, organisation):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("person__full_name", "role")
    )


def membership_in(person: Any, organisation: Organisation, membership_pk: int) -> Membership:
    """One membership of an organisation the person may manage, or 404."""
    try:
        membership = Membership.objects.select_related("person", "organisation").get(
            pk=membership_pk, organisation=organisation
        )
    except Membership.DoesNotExist as exc:
        raise Http404 from exc
    if not can(person, Action.VIEW, membership):
        raise Http404
    return membership


def partnerships_visible_to(person: Any, *, with_members: bool = True) -> QuerySet[Partnership]:
    partnerships = Partnership.objects.select_related("lead")
    if with_members:
        partnerships = partnerships.prefetch_related(
            Prefetch("members", queryset=Organisation.objects.order_by("name"))
        )
    if not is_signed_in(person):
        return partnerships.none()
    return partnerships.filter(partnership_scope(person)).distinct().order_by("name")


def partnership_for(person: Any, pk: int) -> Partnership:
    """A partnership the person may see, or 404 (never 403: that would confirm it exists)."""
    try:
        partnership = partnerships_visible_to(person).prefetch_related("areas").get(pk=pk)
    except Partnership.DoesNotExist as exc:
        raise Http404 from exc
    return partnership


def areas(*, level: str = "", parent_code: str = "", query: str = "") -> QuerySet[Area]:
    found = Area.objects.select_related("parent")
    if level:
        found = found.filter(level=level)
    if parent_code:
        found = found.filter(parent__code=parent_code)
    if query:
        found = found.filter(Q(name__icontains=query) | Q(name_cy__icontains=query) | Q(code=query))
    return found.order_by("code")


def client_groups(*, include_inactive: bool = False) -> QuerySet[ClientGroup]:
    groups = ClientGroup.objects.all()
    if not include_inactive:
        groups = groups.filter(is_active=True)
    return groups.order_by("position", "name")


def cycle_models() -> QuerySet[CycleModel]:
    return CycleModel.objects.prefetch_related(
        Prefetch("stages", queryset=CycleStage.objects.order_by("position"))
    ).order_by("-is_default", "name")


def default_cycle_model() -> CycleModel | None:
    return cycle_models().filter(is_default=True).first()


def api_tokens_of(person: Any) -> QuerySet[ApiToken]:
    if not person.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person=person).order_by("-created_at")


def api_token_of(person: Any, pk: int) -> ApiToken:
    try:
        return api_tokens_of(person).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc


def client_group_by_pk(pk: int) -> ClientGroup:
    try:
        return ClientGroup.objects.get(pk=pk)
    except ClientGroup.DoesNotExist as exc:
        raise Http404 from exc


def person_by_email(email: str) -> Person | None:
    """For the command line and the demo loader only; pages never look people up by email."""
    return Person.objects.filter(email__iexact=email.strip()).first()


def organisation_by_name(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def areas_by_code(codes: set[str]) -> dict[str, Area]:
    return {area.code: area for area in Area.objects.filter(code__in=codes)}


def organisations_with_role(person: Any, role: str) -> QuerySet[Organisation]:
    ids = [org for org, roles in roles_by_organisation(person).items() if role in roles]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def organisations_with_pks(pks: list[int]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=pks).order_by("name")


def areas_of_partnerships(person: Any) -> QuerySet[Area]:
    """The areas of every partnership the person's organisations belong to."""
    return (
        Area.objects.filter(partnerships__in=partnerships_visible_to(person, with_members=False))
        .distinct()
        .order_by("name")
    )


def person_by_pk(pk: int) -> Person | None:
    """For background tasks acting for the person who started them."""
    return Person.objects.filter(pk=pk, is_active=True).first()


def people_to_notify(organisation_id: int, roles: set[str]) -> QuerySet[Person]:
    """For background tasks that email an organisation's people with these roles."""
    return (
        Person.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )


def provider_memberships(person_ids: Iterable[int]) -> QuerySet[Membership]:
    """Which of these people belong to a provider: members of planning groups who must declare
    their interests."""
    return Membership.objects.filter(
        person_id__in=list(person_ids), organisation__kind=Organisation.Kind.PROVIDER
    ).select_related("organisation")


# --- declarations of interest -------------------------------------------------------------------


def current_declarations(
    *,
    person_ids: Iterable[int] | None = None,
    provider_id: int | None = None,
    on: date | None = None,
) -> QuerySet[DeclarationOfInterest]:
    """Declarations in force on a day (today by default), for some people or in one provider.

    For procurement: `current_declarations(provider_id=bidder.pk)` names everyone with a
    declared interest in a bidding provider, to keep them off its evaluation."""
    day = on or timezone.localdate()
    declarations = DeclarationOfInterest.objects.filter(declared_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    if person_ids is not None:
        declarations = declarations.filter(person_id__in=list(person_ids))
    if provider_id is not None:
        declarations = declarations.filter(provider_id=provider_id)
    return declarations.select_related("person", "provider")


def interests_by_person(person_ids: Iterable[int | None]) -> dict[int, list[DeclarationOfInterest]]:
    """Each person's current declarations, to show beside their name wherever they act."""
    found: dict[int, list[DeclarationOfInterest]] = {}
    for declaration in current_declarations(person_ids=[p for p in person_ids if p]):
        found.setdefault(declaration.person_id, []).append(declaration)
    return found


def new_declaration_for(person_id: int) -> DeclarationOfInterest:
    """An unsaved declaration, to ask whether someone may declare for this person."""
    return DeclarationOfInterest(person_id=person_id)


def declaration_for(person: Any, pk: int) -> DeclarationOfInterest:
    """A declaration the person may see: one in force (the register is public), or one they
    keep. An ended one is not found for anyone else (404), so its existence is not revealed."""
    declaration = DeclarationOfInterest.objects.select_related("person").filter(pk=pk).first()
    if declaration is None or not can(person, Action.VIEW, declaration):
        raise Http404
    return declaration
