"""The decision for every URL and API operation: who gets what.

Adding a URL pattern or an API operation without adding its decision here fails
`test_every_url_and_operation_has_a_decision`. Later apps add their cases to CASES.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.authz.world import ACTOR_NAMES, COUNCIL_MEMBERS, World

Expectation = Callable[[str], int]

NOMIS_SAMPLE = (
    "GEOGRAPHY_CODE,C_AGE,PROJECTED_YEAR_NAME,OBS_VALUE,GENDER\n"
    + "".join(f"E06000005,{age},2020,{100 + age},{sex}\n" for sex in (1, 2) for age in range(91))
).encode()
PREVALENCE_SAMPLE = b"age_band,sex,prevalence\n65-79,male,0.03\n65-79,female,0.04\n"


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
        only(COUNCIL_ADMINS, status=201, anonymous=401),
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
    api(
        "GET",
        "/projections",
        everyone(),
        query="dataset={dataset}&areas=E06000005&conditions=dementia-cfas-ii",
        kwargs=lambda w: {"dataset": w.objects["population_dataset"].pk},
    ),
]

CASES = PAGE_CASES + API_CASES

assert all(case.expect(actor) for case in CASES for actor in ACTOR_NAMES)
