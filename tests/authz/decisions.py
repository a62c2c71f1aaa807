"""The decision for every URL and API operation: who gets what.

Adding a URL pattern or an API operation without adding its decision here fails
`test_every_url_and_operation_has_a_decision`. Later apps add their cases to CASES.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.core.models import Area
from tests.authz.world import ACTOR_NAMES, COUNCIL_MEMBERS, GROUP_MEMBERS, World

Expectation = Callable[[str], int]

NOMIS_SAMPLE = (
    "GEOGRAPHY_CODE,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE,GENDER\n"
    + "".join(f"E06000005,{age},2020,{100 + age},{sex}\n" for sex in (1, 2) for age in range(91))
).encode()
PREVALENCE_SAMPLE = b"age_band,sex,prevalence\n65-79,male,0.03\n65-79,female,0.04\n"
CARE_DIRECTORY_SAMPLE = (
    b"CQC care directory - active locations\nData as at 01 November 2026\n\n"
    b"Contains public sector information licensed under the Open Government Licence v3.0.\n"
    b"Name,Also known as,Address,Postcode,Phone number,Service's website (if available),"
    b"Service types,Date of latest check,Specialisms/services,Provider name,Local authority,"
    b"Region,Location URL,CQC Location ID (for office use only),"
    b"CQC Provider ID (for office use only)\n"
    b'Hollyhurst Lodge,,"12 Coniscliffe Road, Darlington",DL3 7RG,01325 480123,,'
    b"Nursing homes|Residential homes,01/02/2023,Dementia,Hollyhurst Care Ltd,Darlington,"
    b"North East,https://www.cqc.org.uk/location/1-101641021,1-101641021,1-101641001\n"
)


def everyone(status: int = 200) -> Expectation:
    return lambda actor: status


def signed_in(status: int = 200, anonymous: int = 302) -> Expectation:
    return lambda actor: anonymous if actor == "anonymous" else status


def only(
    allowed: set[str],
    status: int = 200,
    denied: int = 403,
    anonymous: int = 302,
    platform_admin: bool = True,
) -> Expectation:
    """`allowed` (and platform administrators, unless told otherwise) get `status`."""
    permitted = allowed | ({"platform_admin"} if platform_admin else set())

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return anonymous
        return status if actor in permitted else denied

    return expect


@dataclass
class Case:
    key: str  # URL name ("core:account") or API operation ("GET /api/v1/me")
    method: str
    expect: Expectation
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    is_write: bool = False
    query: str = ""
    label: str = ""
    notes: str = field(default="")
    anonymous_may_write: bool = False  # a write anyone may make, signing up for one

    @property
    def id(self) -> str:
        key = self.key if self.key.startswith(self.method) else f"{self.method} {self.key}"
        return key + (f" {self.label}" if self.label else "")


def draft(world: World) -> dict[str, Any]:
    return {"pk": world.objects["draft_assessment"].pk}


def published(world: World) -> dict[str, Any]:
    return {"pk": world.objects["published_assessment"].pk}


def drafts_changed_by_commissioners(status: int) -> Expectation:
    """Council people see the draft (403 without the commissioner role); others never learn
    it exists (404)."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return 302
        if actor in {"commissioner", "platform_admin"}:
            return status
        return 403 if actor in COUNCIL_MEMBERS else 404

    return expect


def council_pk(world: World) -> dict[str, Any]:
    return {"pk": world.organisations["council"].pk}


COUNCIL_ADMINS = {"council_admin"}
PROVIDER_PEOPLE = {"provider_user", "provider_admin"}
SCHEME_ASSESSORS = {"commissioner", "council_admin"}


def pk_of(name: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {"pk": world.objects[name].pk}


def listed(world: World) -> dict[str, Any]:
    return {"pk": world.objects["listed_provider"].pk}


def drafts_of_the_council(status: int) -> Expectation:
    """Council people see the council's draft; others never learn it exists."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return 404
        return status if actor in COUNCIL_MEMBERS | {"platform_admin"} else 404

    return expect


# The provider market: the register is public; a provider keeps its own entry; commissioners
# curate, import and approve sign-ups in their partnership's areas (the council's is Darlington,
# where the world's providers are; Hillshire has none) and analyse the market; a scheme's assessors
# (the owning body's commissioners and administrators) decide applications; evidence is seen by
# the provider and the assessors only.
MARKET_CASES = [
    Case("market:provider_list", "GET", everyone()),
    Case("market:my_provider", "GET", signed_in(302)),
    Case("market:provider_detail", "GET", everyone(), kwargs=listed),
    Case(
        "market:provider_detail",
        "GET",
        only({"commissioner"}, denied=404, anonymous=404),
        kwargs=pk_of("pending_provider"),
        label="waiting for approval",
    ),
    Case("market:provider_edit", "GET", only(PROVIDER_PEOPLE), kwargs=listed),
    Case(
        "market:provider_edit",
        "POST",
        only(PROVIDER_PEOPLE, status=302),
        kwargs=listed,
        data=lambda w: {"name": "Riverside Befriending CIO", "sector": "third", "staff": 4},
        is_write=True,
    ),
    Case(
        "market:provider_edit",
        "GET",
        only({"commissioner"}),
        kwargs=pk_of("regulator_provider"),
        label="the regulator's record",
        notes="commissioners curate the entries no provider keeps",
    ),
    Case(
        "market:provider_decide",
        "GET",
        only({"commissioner"}, denied=404),
        kwargs=pk_of("pending_provider"),
    ),
    Case(
        "market:provider_decide",
        "POST",
        only({"commissioner"}, status=302, denied=404),
        kwargs=pk_of("pending_provider"),
        data=lambda w: {"decision": "approve", "reason": ""},
        is_write=True,
    ),
    Case("market:service_create", "GET", only(PROVIDER_PEOPLE), kwargs=listed),
    Case(
        "market:service_create",
        "POST",
        only(PROVIDER_PEOPLE, status=302),
        kwargs=listed,
        data=lambda w: {
            "service_type": w.objects["service"].service_type.pk,
            "name": "Telephone befriending",
            "areas_served": [w.objects["partnership"].areas.get().pk],
            "capacity": "30",
        },
        is_write=True,
    ),
    Case(
        "market:service_edit",
        "GET",
        only(PROVIDER_PEOPLE),
        kwargs=lambda w: {
            "pk": w.objects["listed_provider"].pk,
            "service_pk": w.objects["service"].pk,
        },
    ),
    Case("market:sign_up", "GET", everyone()),
    Case(
        "market:sign_up",
        "POST",
        everyone(200),
        data=lambda w: {
            "organisation_name": "Hartside Men's Shed",
            "legal_form": "unincorporated",
            "identifier": "",
            "income_band": "micro",
            "full_name": "Gareth Price",
            "email": "gareth@hartside.example",
            "password": "a long enough password 2026",
        },
        is_write=True,
        anonymous_may_write=True,
        notes="anyone may sign an organisation up; it waits for approval, its first person "
        "for their address to be confirmed (the same page whether the address is new or not)",
    ),
    Case("market:approvals", "GET", only({"commissioner"})),
    Case("market:import_upload", "GET", only({"commissioner"})),
    Case(
        "market:import_upload",
        "POST",
        only({"commissioner"}, status=302),
        data=lambda w: {
            "file": SimpleUploadedFile("care_directory.csv", CARE_DIRECTORY_SAMPLE),
            "name": "CQC care directory",
            "source": "CQC",
            "licence": "OGL v3",
        },
        is_write=True,
    ),
    Case(
        "market:import_detail",
        "GET",
        only({"commissioner"}, denied=404),
        kwargs=pk_of("market_import"),
    ),
    Case(
        "market:import_columns",
        "GET",
        only({"commissioner"}, denied=404),
        kwargs=pk_of("mapping_import"),
    ),
    Case("market:analysis_list", "GET", everyone()),
    Case("market:analysis_create", "GET", only({"commissioner"}, platform_admin=False)),
    Case(
        "market:analysis_create",
        "POST",
        only({"commissioner"}, status=302, platform_admin=False),
        data=lambda w: {
            "title": "Befriending market",
            "organisation": w.organisations["council"].pk,
            "needs_assessment": w.objects["draft_assessment"].pk,
            "service_types": [w.objects["service"].service_type.pk],
            "year": 2016,
            "age_from": 65,
            "basis": "benchmark",
            "under_below": "90",
            "over_above": "110",
            "threshold_explanation": "Within a tenth of the average is balanced.",
        },
        is_write=True,
    ),
    Case(
        "market:analysis_detail",
        "GET",
        drafts_of_the_council(200),
        kwargs=pk_of("draft_analysis"),
    ),
    Case(
        "market:analysis_detail",
        "GET",
        everyone(),
        kwargs=pk_of("published_analysis"),
        label="published",
    ),
    Case(
        "market:analysis_edit",
        "GET",
        drafts_changed_by_commissioners(200),
        kwargs=pk_of("draft_analysis"),
    ),
    Case(
        "market:analysis_publish",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=pk_of("draft_analysis"),
        is_write=True,
    ),
    Case(
        "market:analysis_download",
        "GET",
        everyone(),
        kwargs=lambda w: {
            "pk": w.objects["published_analysis"].pk,
            "table": "supply_against_need",
            "extension": "csv",
        },
    ),
    Case(
        "market:statement_document",
        "GET",
        everyone(),
        kwargs=lambda w: {"pk": w.objects["published_analysis"].pk, "extension": "docx"},
    ),
    Case("market:register", "GET", everyone()),
    Case(
        "market:scheme_create",
        "GET",
        only(SCHEME_ASSESSORS | {"outsider"}),
        notes="an assessor of any commissioning or umbrella body may start a scheme",
    ),
    Case("market:scheme_detail", "GET", everyone(), kwargs=pk_of("scheme")),
    Case("market:criterion_create", "GET", only(SCHEME_ASSESSORS), kwargs=pk_of("scheme")),
    Case(
        "market:criterion_edit",
        "GET",
        only(SCHEME_ASSESSORS),
        kwargs=lambda w: {
            "pk": w.objects["scheme"].pk,
            "criterion_pk": w.objects["scheme"].criteria.first().pk,
        },
    ),
    Case(
        "market:scheme_recognise",
        "POST",
        only(SCHEME_ASSESSORS, status=302),
        kwargs=pk_of("scheme"),
        data=lambda w: {"body": w.organisations["council"].pk},
        is_write=True,
    ),
    Case(
        "market:application_start",
        "POST",
        only(PROVIDER_PEOPLE, status=302, platform_admin=False),
        kwargs=pk_of("scheme"),
        notes="the open application is returned, not a second one",
    ),
    Case(
        "market:application_detail",
        "GET",
        only(PROVIDER_PEOPLE | SCHEME_ASSESSORS, denied=404),
        kwargs=pk_of("application"),
    ),
    Case(
        "market:evidence_download",
        "GET",
        only(PROVIDER_PEOPLE | SCHEME_ASSESSORS, denied=404),
        kwargs=pk_of("evidence"),
    ),
    Case(
        "market:accreditation_revoke",
        "GET",
        only(SCHEME_ASSESSORS),
        kwargs=pk_of("accreditation"),
    ),
]

PAGE_CASES = [
    Case("web:home", "GET", everyone()),
    Case("web:dashboard", "GET", signed_in()),
    Case("web:accessibility", "GET", everyone()),
    Case("web:switch_language", "GET", everyone(302), kwargs=lambda w: {"language": "cy"}),
    Case("web:health", "GET", everyone()),
    Case(
        "core:sign_in",
        "GET",
        signed_in(302, anonymous=200),
        notes="signed-in people are sent to their dashboard",
    ),
    Case("core:sign_out", "POST", everyone(302)),
    Case("core:password_reset", "GET", everyone()),
    Case("core:password_reset_sent", "GET", everyone()),
    Case(
        "core:password_reset_confirm",
        "GET",
        everyone(400),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Case("core:password_reset_complete", "GET", everyone()),
    Case(
        "core:sign_up_confirm",
        "GET",
        everyone(),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
        notes="asks to confirm; only the POST checks the link",
    ),
    Case(
        "core:sign_up_confirm",
        "POST",
        everyone(400),
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
        is_write=True,
        anonymous_may_write=True,
        notes="the emailed link is the credential; a wrong one changes nothing",
    ),
    Case("core:account", "GET", signed_in()),
    Case(
        "core:api_token_create",
        "POST",
        signed_in(),
        data=lambda w: {"name": "Board report"},
        is_write=True,
    ),
    Case(
        "core:api_token_revoke",
        "POST",
        only({"commissioner"}, status=302, denied=404, platform_admin=False),
        kwargs=lambda w: {"pk": w.objects["commissioner_token"].pk},
        is_write=True,
        notes="a token belongs to one person; nobody else may learn it exists",
    ),
    Case(
        "core:invitation_accept",
        "POST",
        only({"outsider"}, status=302, denied=404, platform_admin=False),
        kwargs=pk_of("invitation"),
        is_write=True,
        notes="an invitation is answered by the invited person alone; nobody else learns of it",
    ),
    Case(
        "core:invitation_decline",
        "POST",
        only({"outsider"}, status=302, denied=404, platform_admin=False),
        kwargs=pk_of("invitation"),
        is_write=True,
    ),
    Case("core:organisation_list", "GET", everyone()),
    Case(
        "core:organisation_detail",
        "GET",
        everyone(),
        kwargs=council_pk,
        notes="the register entry is public; its people and roles are not",
    ),
    Case("core:member_add", "GET", only(COUNCIL_ADMINS), kwargs=council_pk),
    Case(
        "core:member_add",
        "POST",
        only(COUNCIL_ADMINS, status=302),
        kwargs=council_pk,
        data=lambda w: {
            "full_name": "Ffion Evans",
            "email": "ffion@tenant.example",
            "role": "commissioner",
        },
        is_write=True,
    ),
    Case(
        "core:member_remove",
        "GET",
        only(COUNCIL_ADMINS),
        kwargs=lambda w: {
            "pk": w.organisations["council"].pk,
            "membership_pk": w.objects["evaluator_membership"].pk,
        },
    ),
    Case(
        "core:member_remove",
        "POST",
        only(COUNCIL_ADMINS, status=302),
        kwargs=lambda w: {
            "pk": w.organisations["council"].pk,
            "membership_pk": w.objects["evaluator_membership"].pk,
        },
        data=lambda w: {"reason": "Left the council"},
        is_write=True,
    ),
    Case("core:organisation_audit", "GET", only(COUNCIL_ADMINS), kwargs=council_pk),
    Case(
        "core:partnership_detail",
        "GET",
        only(COUNCIL_MEMBERS, denied=404),
        kwargs=lambda w: {"pk": w.objects["partnership"].pk},
    ),
    # Needs assessments: published ones are public; drafts belong to the body and its partners;
    # only the body's commissioners change them, and nobody changes a published one.
    Case("needs:assessment_list", "GET", everyone()),
    Case("needs:assessment_create", "GET", only({"commissioner"}, platform_admin=False)),
    Case(
        "needs:assessment_create",
        "POST",
        only({"commissioner"}, status=302, platform_admin=False),
        data=lambda w: {
            "title": "Older people 2014 to 2020",
            "organisation": w.organisations["council"].pk,
            "partnership": w.objects["partnership"].pk,
            "client_group": w.objects["client_group"].pk,
            "areas": [a.pk for a in w.objects["partnership"].areas.all()],
            "population_dataset": w.objects["population_dataset"].pk,
            "prevalence_sets": [w.objects["prevalence_set"].pk],
            "base_year": 2014,
            "horizon_year": 2020,
            "findings": "",
        },
        is_write=True,
    ),
    Case(
        "needs:assessment_detail",
        "GET",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=draft,
    ),
    Case("needs:assessment_detail", "GET", everyone(), kwargs=published, label="published"),
    Case(
        "needs:assessment_download",
        "GET",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {**draft(w), "table": "projected_cases", "extension": "csv"},
    ),
    Case("needs:assessment_edit", "GET", drafts_changed_by_commissioners(200), kwargs=draft),
    Case(
        "needs:assessment_edit",
        "GET",
        only(set(), denied=403, platform_admin=False),
        kwargs=published,
        label="published",
    ),
    Case(
        "needs:assessment_publish",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft,
        is_write=True,
    ),
    Case(
        "needs:assessment_next_version",
        "POST",
        only(set(), status=302),
        kwargs=published,
        is_write=True,
    ),
    # Population and prevalence data: open data; commissioners import; an import under way or
    # refused is seen only by whoever started it.
    Case("needs:data_list", "GET", everyone()),
    Case(
        "needs:dataset_detail",
        "GET",
        everyone(),
        kwargs=lambda w: {"pk": w.objects["population_dataset"].pk},
    ),
    Case(
        "needs:dataset_detail",
        "GET",
        only({"commissioner"}, denied=404, anonymous=404),
        label="importing",
        kwargs=lambda w: {"pk": w.objects["import_under_way"].pk},
    ),
    Case("needs:population_upload", "GET", only({"commissioner"})),
    Case(
        "needs:population_upload",
        "POST",
        only({"commissioner"}, status=302),
        data=lambda w: {
            "file": SimpleUploadedFile("darlington.csv", NOMIS_SAMPLE),
            "name": "Darlington sample",
            "source": "ONS",
            "licence": "OGL v3",
        },
        is_write=True,
    ),
    Case("needs:prevalence_upload", "GET", only({"commissioner"})),
    Case(
        "needs:prevalence_upload",
        "POST",
        only({"commissioner"}, status=302),
        data=lambda w: {
            "file": SimpleUploadedFile("rates.csv", PREVALENCE_SAMPLE),
            "condition": "Dementia",
            "slug": "dementia-upload",
            "source": "CFAS II, The Lancet, 2013",
        },
        is_write=True,
    ),
    *MARKET_CASES,
    Case("api-1.0.0:openapi-json", "GET", everyone()),
    Case("api-1.0.0:openapi-view", "GET", everyone()),
    Case(
        "admin:index",
        "GET",
        only(set(), denied=302),
        notes="the administration site is for platform administrators only",
    ),
    Case("admin:core_clientgroup_changelist", "GET", only(set(), denied=302)),
    Case("admin:core_organisation_changelist", "GET", only(set(), denied=302)),
    Case("admin:market_servicetype_changelist", "GET", only(set(), denied=302)),
]


def api(method: str, path: str, expect: Expectation, **kwargs: Any) -> Case:
    return Case(f"{method} /api/v1{path}", method, expect, **kwargs)


API_SIGNED_IN = signed_in(anonymous=401)

API_CASES = [
    api("GET", "/me", API_SIGNED_IN),
    api("GET", "/organisations", everyone()),
    api(
        "GET",
        "/organisations/{organisation_id}",
        everyone(),
        kwargs=lambda w: {"organisation_id": w.organisations["council"].pk},
    ),
    api(
        "GET",
        "/organisations/{organisation_id}/members",
        only(COUNCIL_MEMBERS, anonymous=401),
        kwargs=lambda w: {"organisation_id": w.organisations["council"].pk},
    ),
    api(
        "POST",
        "/organisations/{organisation_id}/members",
        only(COUNCIL_ADMINS, status=202, anonymous=401),
        kwargs=lambda w: {"organisation_id": w.organisations["council"].pk},
        data=lambda w: {
            "email": "ffion@tenant.example",
            "full_name": "Ffion Evans",
            "role": "commissioner",
        },
        is_write=True,
    ),
    api(
        "DELETE",
        "/organisations/{organisation_id}/members/{membership_id}",
        only(COUNCIL_ADMINS, status=204, anonymous=401),
        kwargs=lambda w: {
            "organisation_id": w.organisations["council"].pk,
            "membership_id": w.objects["evaluator_membership"].pk,
        },
        is_write=True,
    ),
    api("GET", "/partnerships", API_SIGNED_IN),
    api(
        "GET",
        "/partnerships/{partnership_id}",
        only(COUNCIL_MEMBERS, denied=404, anonymous=401),
        kwargs=lambda w: {"partnership_id": w.objects["partnership"].pk},
    ),
    api("GET", "/areas", everyone(), query="level=region"),
    api("GET", "/client-groups", everyone()),
    api(
        "POST",
        "/client-groups",
        only(set(), status=201, anonymous=401),
        data=lambda w: {"slug": "homeless-people", "name": "People who are homeless"},
        is_write=True,
    ),
    api(
        "PATCH",
        "/client-groups/{group_id}",
        only(set(), anonymous=401),
        kwargs=lambda w: {"group_id": w.objects["client_group"].pk},
        data=lambda w: {"description": "Edited"},
        is_write=True,
    ),
    api("GET", "/cycle-models", everyone()),
    api("GET", "/audit-events", API_SIGNED_IN),
    # Needs analysis: published statistics and research, open to everyone.
    api("GET", "/population-datasets", everyone()),
    api(
        "GET",
        "/population-datasets/{dataset_id}",
        everyone(),
        kwargs=lambda w: {"dataset_id": w.objects["population_dataset"].pk},
    ),
    api("GET", "/prevalence-sets", everyone()),
    api("GET", "/needs-assessments", everyone()),
    api(
        "GET",
        "/needs-assessments/{assessment_id}",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {"assessment_id": w.objects["draft_assessment"].pk},
    ),
    api(
        "GET",
        "/needs-assessments/{assessment_id}",
        everyone(),
        label="published",
        kwargs=lambda w: {"assessment_id": w.objects["published_assessment"].pk},
    ),
    # The market: the register and published analyses are open; drafts stay with their body.
    api("GET", "/providers", everyone()),
    api(
        "GET",
        "/providers/{provider_id}",
        everyone(),
        kwargs=lambda w: {"provider_id": w.objects["listed_provider"].pk},
    ),
    api("GET", "/market-analyses", everyone()),
    api(
        "GET",
        "/market-analyses/{analysis_id}",
        only(COUNCIL_MEMBERS, denied=404, anonymous=404),
        kwargs=lambda w: {"analysis_id": w.objects["draft_analysis"].pk},
    ),
    api(
        "GET",
        "/market-analyses/{analysis_id}",
        everyone(),
        label="published",
        kwargs=lambda w: {"analysis_id": w.objects["published_analysis"].pk},
    ),
    api("GET", "/approved-providers", everyone()),
    api(
        "GET",
        "/projections",
        everyone(),
        query="dataset={dataset}&areas=E06000005&conditions=dementia-cfas-ii",
        kwargs=lambda w: {"dataset": w.objects["population_dataset"].pk},
    ),
]


# Commissioning plans: published ones are public; drafts are seen by the council (and its
# partner) only, written by commissioners, signed off by councillors; nothing changes once a
# plan awaits approval or is published.
def draft_plan(world: World) -> dict[str, Any]:
    return {"pk": world.objects["draft_plan"].pk}


def published_plan(world: World) -> dict[str, Any]:
    return {"pk": world.objects["published_plan"].pk}


def plan_part(name: str, key: str) -> Callable[[World], dict[str, Any]]:
    def kwargs(world: World) -> dict[str, Any]:
        plan = world.objects["draft_plan"]
        return {"pk": plan.pk, key: world.objects["plan_parts"][plan.pk][name].pk}

    return kwargs


def plan_people(allowed: set[str], status: int = 200) -> Expectation:
    """Signed-in pages of a draft plan for some of the council's people."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return 302
        if actor in allowed | {"platform_admin"}:
            return status
        return 403 if actor in COUNCIL_MEMBERS else 404

    return expect


def commissioner_writes(key: str, kwargs: Callable[[World], dict[str, Any]], **extra: Any) -> Case:
    return Case(key, "GET", drafts_changed_by_commissioners(200), kwargs=kwargs, **extra)


PLAN_CASES = [
    Case("plans:plan_list", "GET", everyone()),
    Case("plans:plan_create", "GET", only({"commissioner"}, platform_admin=False)),
    Case(
        "plans:plan_create",
        "POST",
        only({"commissioner"}, status=302, platform_admin=False),
        data=lambda w: {
            "title": "Learning disability plan",
            "organisation": w.organisations["council"].pk,
            "client_groups": [w.objects["client_group"].pk],
            "areas": [Area.objects.get(code="E06000005").pk],
            "first_year": 2026,
            "last_year": 2029,
        },
        is_write=True,
    ),
    Case("plans:plan_detail", "GET", drafts_of_the_council(200), kwargs=draft_plan),
    Case("plans:plan_detail", "GET", everyone(), kwargs=published_plan, label="published"),
    commissioner_writes("plans:plan_scope", draft_plan),
    commissioner_writes("plans:plan_evidence", draft_plan),
    commissioner_writes("plans:section_edit", lambda w: {**draft_plan(w), "kind": "introduction"}),
    Case(
        "plans:section_edit",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=lambda w: {**draft_plan(w), "kind": "needs"},
        data=lambda w: {"body": "## Needs\n\nRising."},
        is_write=True,
    ),
    Case(
        "plans:section_edit",
        "POST",
        only({"commissioner"}, status=302),
        kwargs=lambda w: {**published_plan(w), "kind": "needs"},
        data=lambda w: {"body": "A change to a published plan"},
        is_write=False,
        label="published, refused",
        notes="a commissioner is sent back to the plan with a message; nothing is written",
    ),
    commissioner_writes("plans:outcome_create", draft_plan),
    commissioner_writes("plans:outcome_edit", plan_part("outcome", "outcome_pk")),
    commissioner_writes("plans:indicator_create", plan_part("outcome", "outcome_pk")),
    commissioner_writes(
        "plans:indicator_edit",
        lambda w: {
            **plan_part("outcome", "outcome_pk")(w),
            "indicator_pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["indicator"].pk,
        },
    ),
    commissioner_writes("plans:intention_create", draft_plan),
    commissioner_writes("plans:intention_edit", plan_part("intention", "intention_pk")),
    Case(
        "plans:intention_detail",
        "GET",
        drafts_of_the_council(200),
        kwargs=lambda w: {
            "pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["intention"].pk
        },
    ),
    commissioner_writes("plans:appraisal_create", draft_plan),
    Case(
        "plans:appraisal_detail",
        "GET",
        drafts_of_the_council(200),
        kwargs=plan_part("appraisal", "appraisal_pk"),
    ),
    Case(
        "plans:appraisal_detail",
        "POST",
        lambda actor: 404 if actor == "anonymous" else drafts_changed_by_commissioners(302)(actor),
        kwargs=plan_part("appraisal", "appraisal_pk"),
        data=lambda w: {"action": "conclusion", "conclusion": "Grant-fund short breaks."},
        is_write=True,
    ),
    commissioner_writes(
        "plans:option_score",
        lambda w: {
            **plan_part("appraisal", "appraisal_pk")(w),
            "option_pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["option"].pk,
        },
    ),
    commissioner_writes("plans:risk_create", draft_plan),
    commissioner_writes("plans:risk_edit", plan_part("risk", "risk_pk")),
    commissioner_writes("plans:resource_create", draft_plan),
    commissioner_writes("plans:resource_edit", plan_part("resource", "resource_pk")),
    Case(
        "plans:part_remove",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=lambda w: {
            **draft_plan(w),
            "part": "risk",
            "part_pk": w.objects["plan_parts"][w.objects["draft_plan"].pk]["risk"].pk,
        },
        is_write=True,
    ),
    Case(
        "plans:plan_governance",
        "GET",
        plan_people({"commissioner", "scrutiny"}),
        kwargs=draft_plan,
    ),
    Case(
        "plans:plan_move",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {"to_status": "analysis", "reason": "Scoping agreed"},
        is_write=True,
    ),
    Case(
        "plans:plan_sign_off",
        "GET",
        plan_people({"commissioner", "scrutiny"}),
        kwargs=pk_of("plan_awaiting_approval"),
    ),
    Case(
        "plans:plan_sign_off",
        "POST",
        lambda actor: {"commissioner": 400, "platform_admin": 400}.get(
            actor, plan_people({"scrutiny"}, 302)(actor)
        ),
        kwargs=pk_of("plan_awaiting_approval"),
        data=lambda w: {"kind": "scrutiny", "decided_on": "2026-10-02", "reference": "Cab 12"},
        is_write=True,
        notes="commissioners and administrators record a board's decision, never a councillor's",
    ),
    Case(
        "plans:plan_next_version",
        "POST",
        only({"commissioner"}, status=302),
        kwargs=published_plan,
        data=lambda w: {"reason": "Yearly refresh"},
        is_write=True,
    ),
    Case("plans:plan_compare", "GET", everyone(), kwargs=published_plan),
    Case(
        "plans:plan_document",
        "GET",
        everyone(),
        kwargs=lambda w: {**published_plan(w), "extension": "docx"},
    ),
]

PAGE_CASES += PLAN_CASES


# Engagement: a plan's planning groups (members, meetings) are seen by the people of its bodies
# and by the group's members, and run by its commissioners; the register of interests is public,
# and a declaration is made or ended by the person or a commissioner of a plan whose group they
# sit on; a consultation is public once published (a draft stays with the plan's bodies), built
# and run by the plan's commissioners, who alone read the individual responses; its counts are
# public once "you said, we did" is published. What a reader may not see is not found (404),
# so that nobody learns which drafts, groups and ended interests exist; what they see but may
# not change is refused (403).
def today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def group(world: World) -> dict[str, Any]:
    return {"pk": world.objects["group"].pk}


def group_part(name: str, key: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {**group(w), key: w.objects[name].pk}


def consultation_part(consultation: str, question: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.objects[consultation].pk, "question_pk": w.objects[question].pk}


def activity(world: World) -> dict[str, Any]:
    return {**draft_plan(world), "activity_pk": world.objects["activity"].pk}


COMMISSIONER = {"commissioner"}
DECLARERS = COMMISSIONER | GROUP_MEMBERS  # a commissioner of the plan, or the person themselves
CONSULTATION_DATA = {
    "title": "Short breaks, second thoughts",
    "summary": "What breaks do carers need?",
    "audiences": ["public", "providers"],
}
ACTIVITY_DATA = {
    "kind": "focus_group",
    "title": "Young carers' focus group",
    "cycle_stage": "",
    "service_users": 0,
    "carers": 8,
    "citizens": 0,
    "providers_third": 0,
    "providers_private": 0,
    "providers_public": 0,
}


GROUP_VIEWERS = COUNCIL_MEMBERS | GROUP_MEMBERS  # who sees the draft plan's planning group


def seen_by(
    viewers: set[str], allowed: set[str], status: int = 200, anonymous: int = 302
) -> Expectation:
    """A private object: `allowed` (and platform administrators) get `status`; those who see it
    but may not do this are refused (403); everyone else never learns it exists (404)."""

    def expect(actor: str) -> int:
        if actor == "anonymous":
            return anonymous
        if actor in allowed | {"platform_admin"}:
            return status
        return 403 if actor in viewers else 404

    return expect


ENGAGEMENT_CASES = [
    Case("engagement:plan_engagement", "GET", plan_people(COUNCIL_MEMBERS), kwargs=draft_plan),
    Case(
        "engagement:plan_engagement",
        "GET",
        only(COUNCIL_MEMBERS),
        kwargs=published_plan,
        label="published",
        notes="the public read the published plan; its engagement page is its bodies' people's",
    ),
    commissioner_writes("engagement:group_create", draft_plan),
    Case(
        "engagement:group_create",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {"kind": "reference_group", "name": "Carers' reference group"},
        is_write=True,
    ),
    Case(
        "engagement:group_detail",
        "GET",
        seen_by(GROUP_VIEWERS, GROUP_VIEWERS),
        kwargs=group,
        notes="the group's own members see it, though the draft plan is not theirs to see",
    ),
    Case("engagement:group_edit", "GET", seen_by(GROUP_VIEWERS, COMMISSIONER), kwargs=group),
    Case(
        "engagement:group_edit",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group,
        data=lambda w: {
            "kind": "programme_board",
            "name": "Carers board",
            "terms_of_reference": "",
        },
        is_write=True,
    ),
    Case("engagement:member_add", "GET", seen_by(GROUP_VIEWERS, COMMISSIONER), kwargs=group),
    Case(
        "engagement:member_add",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group,
        data=lambda w: {"email": w.people["evaluator"].email, "role": "adviser"},
        is_write=True,
    ),
    Case(
        "engagement:member_remove",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group_part("group_other_member", "member_pk"),
        is_write=True,
    ),
    Case(
        "engagement:declaration_create",
        "GET",
        seen_by(GROUP_VIEWERS, DECLARERS),
        kwargs=group_part("group_member", "member_pk"),
    ),
    Case(
        "engagement:declaration_create",
        "POST",
        seen_by(GROUP_VIEWERS, DECLARERS, status=302),
        kwargs=group_part("group_member", "member_pk"),
        data=lambda w: {
            "kind": "personal",
            "description": "Volunteers at a carers' centre.",
            "declared_on": today(),
        },
        is_write=True,
    ),
    Case("engagement:meeting_create", "GET", seen_by(GROUP_VIEWERS, COMMISSIONER), kwargs=group),
    Case(
        "engagement:meeting_create",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group,
        data=lambda w: {"held_on": today(-1), "minutes": "Quorate.", "decisions": "Agree terms"},
        is_write=True,
    ),
    Case(
        "engagement:meeting_edit",
        "GET",
        seen_by(GROUP_VIEWERS, COMMISSIONER),
        kwargs=group_part("meeting", "meeting_pk"),
    ),
    Case(
        "engagement:meeting_edit",
        "POST",
        seen_by(GROUP_VIEWERS, COMMISSIONER, status=302),
        kwargs=group_part("meeting", "meeting_pk"),
        data=lambda w: {
            "held_on": today(-20),
            "attendees": [str(w.objects["group_member"].pk)],
            "minutes": "Corrected minutes.",
            "decisions": "",
        },
        is_write=True,
    ),
    Case("engagement:register_of_interests", "GET", everyone()),
    Case("engagement:declaration_end", "GET", only(DECLARERS), kwargs=pk_of("declaration")),
    Case(
        "engagement:declaration_end",
        "POST",
        only(DECLARERS, status=302),
        kwargs=pk_of("declaration"),
        data=lambda w: {"ended_on": today()},
        is_write=True,
    ),
    Case(
        "engagement:consultation_list",
        "GET",
        everyone(),
        notes="drafts are listed for their plan's people only (the draft title is a marker)",
    ),
    commissioner_writes("engagement:consultation_create", draft_plan),
    Case(
        "engagement:consultation_create",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {**CONSULTATION_DATA, "opens_on": today(1), "closes_on": today(90)},
        is_write=True,
    ),
    Case(
        "engagement:consultation_detail",
        "GET",
        seen_by(COUNCIL_MEMBERS, COUNCIL_MEMBERS, anonymous=404),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:consultation_detail",
        "GET",
        everyone(),
        kwargs=pk_of("open_consultation"),
        label="open",
    ),
    Case(
        "engagement:consultation_detail",
        "GET",
        everyone(),
        kwargs=pk_of("closed_consultation"),
        label="closed",
    ),
    Case(
        "engagement:consultation_edit",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:consultation_edit",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=pk_of("draft_consultation"),
        data=lambda w: {**CONSULTATION_DATA, "opens_on": today(2), "closes_on": today(100)},
        is_write=True,
    ),
    Case(
        "engagement:consultation_edit",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {**CONSULTATION_DATA, "opens_on": today(-1), "closes_on": today(100)},
        label="published, refused",
        notes="a commissioner is sent back with a message: the wording is fixed once published",
    ),
    Case(
        "engagement:consultation_respond",
        "GET",
        everyone(404),
        kwargs=pk_of("draft_consultation"),
        notes="nobody answers a draft, and nobody learns one exists by trying",
    ),
    Case(
        "engagement:consultation_respond",
        "GET",
        everyone(),
        kwargs=pk_of("open_consultation"),
        label="open",
    ),
    Case(
        "engagement:consultation_respond",
        "POST",
        everyone(302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {
            "stakeholder_group": "citizen",
            f"question_{w.objects['open_question'].pk}": "More day centre places.",
        },
        label="open",
        anonymous_may_write=True,
        notes="anyone may answer while it is open; responses are not audited (they are not "
        "anyone's action on the service), so this is not counted as an audited write",
    ),
    Case(
        "engagement:consultation_respond",
        "POST",
        everyone(403),
        kwargs=pk_of("closed_consultation"),
        data=lambda w: {
            "stakeholder_group": "citizen",
            f"question_{w.objects['closed_question'].pk}": "Too late.",
        },
        is_write=True,
        label="closed",
    ),
    Case(
        "engagement:consultation_results",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, anonymous=404),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:consultation_results",
        "GET",
        only(COMMISSIONER, anonymous=403),
        kwargs=pk_of("open_consultation"),
        label="open",
        notes='counts are the commissioners\' until "you said, we did" is published',
    ),
    Case(
        "engagement:consultation_results",
        "GET",
        everyone(),
        kwargs=pk_of("closed_consultation"),
        label="you said, we did published",
        notes="the counts are public; free-text answers (a marker) are not",
    ),
    Case(
        "engagement:consultation_export",
        "GET",
        only(COMMISSIONER),
        kwargs=lambda w: {"pk": w.objects["closed_consultation"].pk, "extension": "csv"},
    ),
    Case(
        "engagement:consultation_export",
        "GET",
        only(COMMISSIONER),
        kwargs=lambda w: {"pk": w.objects["closed_consultation"].pk, "extension": "xlsx"},
        label="xlsx",
    ),
    Case(
        "engagement:text_answers",
        "GET",
        only(COMMISSIONER),
        kwargs=consultation_part("closed_consultation", "closed_question"),
    ),
    Case(
        "engagement:question_create",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=pk_of("draft_consultation"),
    ),
    Case(
        "engagement:question_create",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=pk_of("draft_consultation"),
        data=lambda w: {"kind": "rating", "text": "How are breaks now?", "lowest_label": "Poor"},
        is_write=True,
    ),
    Case(
        "engagement:question_edit",
        "GET",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER),
        kwargs=consultation_part("draft_consultation", "draft_question"),
    ),
    Case(
        "engagement:question_edit",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=consultation_part("draft_consultation", "draft_question"),
        data=lambda w: {"kind": "free_text", "text": "What would help you more?"},
        is_write=True,
    ),
    Case(
        "engagement:question_change",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=lambda w: {
            **consultation_part("draft_consultation", "draft_question")(w),
            "action": "remove",
        },
        is_write=True,
    ),
    Case(
        "engagement:consultation_publish",
        "POST",
        seen_by(COUNCIL_MEMBERS, COMMISSIONER, status=302),
        kwargs=pk_of("draft_consultation"),
        is_write=True,
    ),
    Case(
        "engagement:consultation_closing_date",
        "GET",
        only(COMMISSIONER),
        kwargs=pk_of("open_consultation"),
    ),
    Case(
        "engagement:consultation_closing_date",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("open_consultation"),
        data=lambda w: {"closes_on": today(90), "reason": "More time for carers to answer."},
        is_write=True,
    ),
    Case(
        "engagement:consultation_response",
        "GET",
        only(COMMISSIONER),
        kwargs=pk_of("closed_consultation"),
    ),
    Case(
        "engagement:consultation_response",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("closed_consultation"),
        data=lambda w: {"response": "You said booking was hard; we fund a booking line."},
        is_write=True,
    ),
    Case(
        "engagement:consultation_record",
        "POST",
        only(COMMISSIONER, status=302),
        kwargs=pk_of("closed_consultation"),
        is_write=True,
    ),
    commissioner_writes("engagement:activity_create", draft_plan),
    Case(
        "engagement:activity_create",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=draft_plan,
        data=lambda w: {**ACTIVITY_DATA, "held_on": today(-2)},
        is_write=True,
    ),
    commissioner_writes("engagement:activity_edit", activity),
    Case(
        "engagement:activity_edit",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=activity,
        data=lambda w: {**ACTIVITY_DATA, "held_on": today(-10)},
        is_write=True,
    ),
    Case(
        "engagement:activity_remove",
        "POST",
        drafts_changed_by_commissioners(302),
        kwargs=activity,
        is_write=True,
    ),
    Case(
        "engagement:subscriptions",
        "GET",
        everyone(),
        notes="signed in: your own and your organisations'; otherwise a form for an address",
    ),
    Case(
        "engagement:subscriptions",
        "POST",
        signed_in(302, anonymous=200),
        data=lambda w: {
            "me-client_groups": [w.objects["client_group"].pk],
            "email": "reader@public.example",
            "client_groups": [w.objects["client_group"].pk],
        },
        is_write=True,
        notes="anonymous: nothing is stored until the address follows the emailed link",
    ),
    Case(
        "engagement:subscriptions",
        "POST",
        only(COUNCIL_ADMINS, status=302, anonymous=200, platform_admin=False),
        data=lambda w: {
            "organisation": w.organisations["council"].pk,
            f"org{w.organisations['council'].pk}-client_groups": [w.objects["client_group"].pk],
            "email": "reader@public.example",
            "client_groups": [w.objects["client_group"].pk],
        },
        is_write=True,
        label="for the council",
        notes="only an organisation's administrators subscribe it",
    ),
    Case("engagement:subscription_confirm", "GET", everyone(), kwargs=lambda w: {"token": "bad"}),
    Case(
        "engagement:subscription_confirm",
        "POST",
        everyone(400),
        kwargs=lambda w: {"token": "bad"},
        is_write=True,
    ),
    Case("engagement:unsubscribe", "GET", everyone(), kwargs=lambda w: {"token": "bad"}),
    Case(
        "engagement:unsubscribe",
        "POST",
        everyone(400),
        kwargs=lambda w: {"token": "bad"},
        is_write=True,
    ),
]

PAGE_CASES += ENGAGEMENT_CASES
CASES = PAGE_CASES + API_CASES

assert all(case.expect(actor) for case in CASES for actor in ACTOR_NAMES)
