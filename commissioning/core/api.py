"""The core JSON API: organisations, people's roles, partnerships and reference data.
Handlers parse, call a selector or service, and return; rules live in `access`."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from commissioning.core import selectors, services
from commissioning.core.access import Action, require
from commissioning.core.api_auth import ANYONE
from commissioning.core.api_schema import FORBIDDEN, BoundedPageNumberPagination, RecordId
from commissioning.core.models import ClientGroup, LegalForm, OrganisationKind, Role, Sector
from commissioning.kit.text import PlainLine, PlainText

router = Router(tags=["Organisations and reference data"])


def actor(request: HttpRequest) -> Any:
    """Who is calling: the person the token or session authenticated, or None for public
    endpoints."""
    return getattr(request, "auth", None)


class OrganisationSummary(Schema):
    id: int
    name: str
    identifier: str = Field(
        description="org-id identifier, e.g. GB-CHC-1087614; empty for unregistered groups"
    )


class OrganisationOut(OrganisationSummary):
    kind: OrganisationKind
    sector: Sector
    legal_form: LegalForm
    income_band: str
    website: str
    is_demonstration: bool


class MembershipOut(Schema):
    id: int
    organisation: OrganisationSummary
    role: Role


class MemberOut(Schema):
    id: int
    person_id: int = Field(alias="person.id")
    full_name: str = Field(alias="person.full_name")
    email: str = Field(alias="person.email")
    role: Role


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    preferred_language: str
    is_platform_admin: bool
    memberships: list[MembershipOut]


class MemberIn(Schema):
    email: str = Field(max_length=254)
    full_name: PlainLine = Field(min_length=1, max_length=200)
    role: Role


class InvitationSentOut(Schema):
    detail: str = Field(description="the same whether or not the address has an account")


class AreaOut(Schema):
    code: str
    name: str
    name_cy: str
    level: str
    parent_code: str | None = Field(None, alias="parent.code")


class ClientGroupOut(Schema):
    id: int
    slug: str
    name: str
    name_cy: str
    description: str
    position: int
    is_active: bool


class ClientGroupIn(Schema):
    slug: str = Field(min_length=1, max_length=64)
    name: PlainLine = Field(min_length=1, max_length=200)
    name_cy: PlainLine = ""
    description: PlainText = ""
    position: int = Field(0, ge=0)
    is_active: bool = True


class ClientGroupPatch(Schema):
    name: PlainLine | None = Field(None, min_length=1, max_length=200)
    name_cy: PlainLine | None = None
    description: PlainText | None = None
    position: int | None = Field(None, ge=0)
    is_active: bool | None = None


class StageOut(Schema):
    position: int
    slug: str
    name: str
    name_cy: str
    description: str


class CycleModelOut(Schema):
    slug: str
    name: str
    name_cy: str
    source: str
    is_default: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj: Any) -> list[Any]:
        return list(obj.stages.all())


class PartnershipOut(Schema):
    id: int
    name: str
    lead: OrganisationSummary
    members: list[OrganisationSummary]
    area_codes: list[str]
    has_pooled_fund: bool
    terms_of_reference: str

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())

    @staticmethod
    def resolve_area_codes(obj: Any) -> list[str]:
        return [area.code for area in obj.areas.all()]


@router.get("/me", response=MeOut, summary="The signed-in person and their roles")
def me(request: HttpRequest) -> dict[str, Any]:
    person = actor(request)
    return {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "preferred_language": person.preferred_language,
        "is_platform_admin": person.is_platform_admin,
        "memberships": list(selectors.memberships_of(person)),
    }


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    auth=ANYONE,
    summary="The public register of organisations",
    description=(
        "An organisation whose sign-up waits for approval is listed only to its own people and "
        "to those who decide on it."
    ),
)
@paginate(BoundedPageNumberPagination)
def list_organisations(request: HttpRequest, q: str = "", kind: str = "") -> Any:
    return selectors.organisations_visible_to(actor(request), query=q, kind=kind)


@router.get("/organisations/{organisation_id}", response=OrganisationOut, auth=ANYONE)
def get_organisation(request: HttpRequest, organisation_id: RecordId) -> Any:
    return selectors.organisation_for(actor(request), organisation_id)


@router.get(
    "/organisations/{organisation_id}/members",
    response={200: list[MemberOut], **FORBIDDEN},
    summary="People and roles in an organisation (its own members only)",
)
@paginate(BoundedPageNumberPagination)
def list_members(request: HttpRequest, organisation_id: RecordId) -> Any:
    organisation = selectors.organisation_for(actor(request), organisation_id)
    require(actor(request), Action.VIEW_MEMBERS, organisation)
    return selectors.members_of(actor(request), organisation)


@router.post(
    "/organisations/{organisation_id}/members",
    response={202: InvitationSentOut, **FORBIDDEN},
    summary="Invite a person to take a role (organisation administrators); they join once "
    "they accept",
)
def add_member(request: HttpRequest, organisation_id: RecordId, payload: MemberIn) -> Any:
    organisation = selectors.organisation_for(actor(request), organisation_id)
    services.invite_member(
        actor=actor(request),
        organisation=organisation,
        base_url=request.build_absolute_uri("/"),
        **payload.dict(),
    )
    # The same answer whether or not the address has an account, and never their name.
    return Status(202, {"detail": str(services.INVITATION_SENT)})


@router.delete(
    "/organisations/{organisation_id}/members/{membership_id}",
    response={204: None, **FORBIDDEN},
    summary="Take a role away (organisation administrators)",
)
def remove_member(request: HttpRequest, organisation_id: RecordId, membership_id: RecordId) -> Any:
    organisation = selectors.organisation_for(actor(request), organisation_id)
    require(actor(request), Action.MANAGE_MEMBERS, organisation)
    membership = selectors.membership_in(
        actor(request),
        organisation,
        membership_id,
    )
    services.remove_member(actor=actor(request), membership=membership)
    return Status(204, None)


@router.get(
    "/partnerships",
    response=list[PartnershipOut],
    summary="Joint commissioning partnerships your organisations belong to",
)
@paginate(BoundedPageNumberPagination)
def list_partnerships(request: HttpRequest) -> Any:
    return selectors.partnerships_visible_to(actor(request)).prefetch_related("areas")


@router.get("/partnerships/{partnership_id}", response=PartnershipOut)
def get_partnership(request: HttpRequest, partnership_id: RecordId) -> Any:
    return selectors.partnership_for(actor(request), partnership_id)


@router.get("/areas", response=list[AreaOut], auth=None, summary="ONS areas")
@paginate(BoundedPageNumberPagination, page_size=100)
def list_areas(request: HttpRequest, level: str = "", parent: str = "", q: str = "") -> Any:
    return selectors.areas(level=level, parent_code=parent, query=q)


@router.get("/client-groups", response=list[ClientGroupOut], auth=None)
@paginate(BoundedPageNumberPagination)
def list_client_groups(request: HttpRequest, include_inactive: bool = False) -> Any:
    return selectors.client_groups(include_inactive=include_inactive)


@router.post(
    "/client-groups",
    response={201: ClientGroupOut, **FORBIDDEN},
    summary="Add a client group (platform administrators)",
)
def create_client_group(request: HttpRequest, payload: ClientGroupIn) -> Any:
    group = services.save_reference_record(
        actor=actor(request),
        record=ClientGroup(**payload.dict()),
    )
    return Status(201, group)


@router.patch(
    "/client-groups/{group_id}",
    response={200: ClientGroupOut, **FORBIDDEN},
    summary="Change a client group (platform administrators)",
)
def update_client_group(request: HttpRequest, group_id: RecordId, payload: ClientGroupPatch) -> Any:
    group = selectors.client_group_by_pk(group_id)
    require(actor(request), Action.CHANGE, group)
    for field, value in payload.dict(exclude_unset=True).items():
        if value is not None:
            setattr(group, field, value)
    return services.save_reference_record(actor=actor(request), record=group)


@router.get(
    "/cycle-models",
    response=list[CycleModelOut],
    auth=None,
    summary="Commissioning cycle models and their stages",
)
@paginate(BoundedPageNumberPagination)
def list_cycle_models(request: HttpRequest) -> Any:
    return selectors.cycle_models()
