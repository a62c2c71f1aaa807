"""Who may do what to which object: the one place that answers it.

`can(person, action, obj)` is asked by every selector, service and view. Each kind of object
has one rule function, registered with `@rule_for(Model)`; an object without a rule is
refused, so a new model is private until someone decides otherwise. Later apps register their
own objects here the same way.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from commissioning.core.models import (
    ApiToken,
    Area,
    ClientGroup,
    CycleModel,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    Person,
    Role,
)


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    VIEW_MEMBERS = "view_members"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT = "view_audit"
    DECIDE = "decide"  # approve, decline or revoke what someone else asked for
    # A plan's verbs: move it between stages, sign it off, start its next version.
    MOVE = "move"
    SIGN_OFF = "sign_off"
    START_NEXT_VERSION = "start_next_version"


ANY_ROLE = frozenset(Role)

# What each role lets a person do to their own organisation.
ORGANISATION_GRANTS: dict[Action, frozenset[str]] = {
    Action.VIEW_MEMBERS: ANY_ROLE,
    Action.MANAGE_MEMBERS: frozenset({Role.ORGANISATION_ADMIN}),
    Action.CHANGE: frozenset({Role.ORGANISATION_ADMIN}),
    Action.VIEW_AUDIT: frozenset({Role.ORGANISATION_ADMIN}),
}


class SystemActor:
    """The platform itself, acting from the command line (`load_demo`, imports run by an
    operator who already holds the database). Passed explicitly as `actor=SYSTEM`; an
    anonymous caller is never it."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()

Rule = Callable[[Any, Action, Any], bool]
_RULES: dict[type, Rule] = {}


def rule_for(model: type) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        if model in _RULES:
            raise RuntimeError(f"{model.__name__} already has an access rule.")
        _RULES[model] = function
        return function

    return register


def acting_person(actor: Any) -> Any:
    """The person to record as having done something; None for the platform (`SYSTEM`)."""
    return actor if getattr(actor, "pk", None) else None


def is_signed_in(person: Any) -> bool:
    return bool(person is not None and person.is_authenticated and person.is_active)


def is_platform_admin(person: Any) -> bool:
    return is_signed_in(person) and bool(person.is_superuser)


def roles_by_organisation(person: Any) -> dict[int, frozenset[str]]:
    """The person's roles in each organisation, memoised on the person for one request."""
    if not is_signed_in(person) or getattr(person, "pk", None) is None:
        return {}  # anonymous, or the platform itself (`SYSTEM`), which belongs to nothing
    cached = getattr(person, "_roles_by_organisation", None)
    if cached is None:
        collected: dict[int, set[str]] = {}
        for organisation_id, role in Membership.objects.filter(person=person).values_list(
            "organisation_id", "role"
        ):
            collected.setdefault(organisation_id, set()).add(role)
        cached = {key: frozenset(value) for key, value in collected.items()}
        person._roles_by_organisation = cached
    return cached


def forget_roles(person: Any) -> None:
    if hasattr(person, "_roles_by_organisation"):
        del person._roles_by_organisation


def roles_in(person: Any, organisation: Organisation | int) -> frozenset[str]:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return roles_by_organisation(person).get(organisation_id, frozenset())


def bodies_where(person: Any, *roles: str) -> list[int]:
    """The organisations in which the person holds any of `roles`."""
    wanted = set(roles)
    return [org for org, held in roles_by_organisation(person).items() if held & wanted]


def holds_role_in(person: Any, role: str, organisation_ids: Iterable[int | None]) -> bool:
    """Whether the person holds `role` in any of these organisations."""
    mine = roles_by_organisation(person)
    return any(role in mine.get(org, frozenset()) for org in organisation_ids if org is not None)


def is_commissioner_of(person: Any, organisation_ids: Iterable[int | None]) -> bool:
    """The one answer to "is this person a commissioner of this thing": a commissioner of a body
    that owns it (its lead body, or for a joint record a partnership member), or a platform
    administrator. Rules pass the bodies their record belongs to."""
    return is_platform_admin(person) or holds_role_in(person, Role.COMMISSIONER, organisation_ids)


def organisation_ids_where(person: Any, action: Action) -> set[int]:
    granted = ORGANISATION_GRANTS.get(action, frozenset())
    return {org for org, roles in roles_by_organisation(person).items() if roles & granted}


def can(person: Any, action: Action, obj: Any) -> bool:
    for klass in type(obj).__mro__:
        rule = _RULES.get(klass)
        if rule is not None:
            return bool(rule(person, action, obj))
    return False


def require(person: Any, action: Action, obj: Any) -> None:
    if not can(person, action, obj):
        raise PermissionDenied


def _reference_data(person: Any, action: Action, obj: Any) -> bool:
    # Areas, client groups and cycle models are public; only platform administrators edit them.
    if action == Action.VIEW:
        return True
    if action in (Action.CHANGE, Action.VIEW_AUDIT):
        return is_platform_admin(person)
    return False


for _model in (Area, ClientGroup, CycleModel):
    rule_for(_model)(_reference_data)


# Organisations that sign themselves up wait for the approval of whichever app took the sign-up
# (the market approves providers). Until approved they are not on the public register and manage
# no members. Each such app registers, from its `AppConfig.ready`, which organisations it holds
# back and which of those a person decides on.
_SIGN_UPS: list[tuple[Callable[[], Q], Callable[[Any], Q]]] = []


def register_sign_ups(*, waiting: Callable[[], Q], decided_by: Callable[[Any], Q]) -> None:
    """`waiting()`: the organisations not (or not yet) approved, as a condition on Organisation;
    `decided_by(person)`: those of them the person decides on."""
    _SIGN_UPS.append((waiting, decided_by))


def unapproved_organisations() -> Q | None:
    """The organisations held back from the register, or None when no app holds any back."""
    held: Q | None = None
    for waiting, _decided_by in _SIGN_UPS:
        held = waiting() if held is None else held | waiting()
    return held


def organisation_scope(person: Any) -> Q:
    """Which organisations a person may see: every approved one; one whose sign-up waits for
    approval (or was declined) only to its own people, to those who decide on it and to
    platform administrators."""
    held = unapproved_organisations()
    if held is None or is_platform_admin(person):
        return Q()
    scope = ~held
    if is_signed_in(person) and getattr(person, "pk", None) is not None:
        scope |= Q(pk__in=list(roles_by_organisation(person)))
        for _waiting, decided_by in _SIGN_UPS:
            scope |= decided_by(person)
    return scope


def is_approved(organisation: Organisation) -> bool:
    held = unapproved_organisations()
    return held is None or not Organisation.objects.filter(held, pk=organisation.pk).exists()


@rule_for(Organisation)
def _organisation(person: Any, action: Action, organisation: Organisation) -> bool:
    if action == Action.VIEW:
        # Name, identifier, kind and sector form a public register, once approved.
        return Organisation.objects.filter(organisation_scope(person), pk=organisation.pk).exists()
    if is_platform_admin(person):
        return True
    granted = ORGANISATION_GRANTS.get(action)
    if not (granted and roles_in(person, organisation) & granted):
        return False
    # An organisation waiting for approval brings nobody in: it cannot use the platform's
    # standing to reach people before anyone has vouched for it.
    return action != Action.MANAGE_MEMBERS or is_approved(organisation)


@rule_for(Invitation)
def _invitation(person: Any, action: Action, invitation: Invitation) -> bool:
    # The invitation is the invited person's to see and to answer; nobody answers for them.
    return (
        is_signed_in(person)
        and getattr(person, "pk", None) == invitation.person_id
        and action in (Action.VIEW, Action.DECIDE)
    )


@rule_for(Membership)
def _membership(person: Any, action: Action, membership: Membership) -> bool:
    if action == Action.VIEW:
        return person == membership.person or _organisation(
            person, Action.VIEW_MEMBERS, membership.organisation
        )
    return _organisation(person, Action.MANAGE_MEMBERS, membership.organisation)


def partnership_scope(person: Any) -> Q:
    """Which partnerships a person may see: those of which one of their organisations is a
    member. Selectors filter with it; the object rule below asks the same question."""
    if is_platform_admin(person):
        return Q()
    return Q(members__in=list(roles_by_organisation(person)))


@rule_for(Partnership)
def _partnership(person: Any, action: Action, partnership: Partnership) -> bool:
    if is_platform_admin(person):
        return True
    if not is_signed_in(person):
        return False
    if action == Action.VIEW:
        return Partnership.objects.filter(partnership_scope(person), pk=partnership.pk).exists()
    if action in (Action.CHANGE, Action.VIEW_AUDIT):
        return bool(
            roles_in(person, partnership.lead_id) & {Role.ORGANISATION_ADMIN, Role.COMMISSIONER}
        )
    return False


@rule_for(Person)
def _person(person: Any, action: Action, subject: Person) -> bool:
    if is_platform_admin(person):
        return True
    if not is_signed_in(person):
        return False
    if person.pk == subject.pk:
        return action in (Action.VIEW, Action.CHANGE)
    if action == Action.VIEW:
        shared = set(roles_by_organisation(subject)) & organisation_ids_where(
            person, Action.VIEW_MEMBERS
        )
        return bool(shared)
    return False


@rule_for(ApiToken)
def _api_token(person: Any, action: Action, token: ApiToken) -> bool:
    return (
        is_signed_in(person)
        and token.person_id == person.pk
        and action
        in (
            Action.VIEW,
            Action.CHANGE,
        )
    )


__all__ = [
    "SYSTEM",
    "Action",
    "PermissionDenied",
    "Role",
    "acting_person",
    "bodies_where",
    "can",
    "forget_roles",
    "holds_role_in",
    "is_approved",
    "is_commissioner_of",
    "is_platform_admin",
    "is_signed_in",
    "organisation_ids_where",
    "organisation_scope",
    "register_sign_ups",
    "require",
    "roles_by_organisation",
    "roles_in",
    "rule_for",
]
