"""The demonstration authority's organisations, people and partnership: a fictional joint
partnership of a council and a health board over three real places, providers of every sector
and legal form, and a person in every role."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from commissioning.core import selectors as core_selectors
from commissioning.core import services as core_services
from commissioning.core.access import SYSTEM, Role

# Documented in the README. Demonstration only: never load the demo into a live service.
DEMO_PASSWORD = "Northvale-demo-2026"  # noqa: S105

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "key": "council",
        "name": "Northvale Council",
        "identifier": "GB-LAE-ZNVC",
        "kind": "commissioning_body",
        "sector": "public",
        "legal_form": "statutory",
        "income_band": "super_major",
    },
    {
        "key": "health_board",
        "name": "Northvale and Tees Health Board",
        "identifier": "GB-NHS-ZZ9",
        "kind": "commissioning_body",
        "sector": "public",
        "legal_form": "statutory",
        "income_band": "super_major",
    },
    {
        "key": "westmarch",
        "name": "Westmarch County Council",
        "identifier": "GB-LAE-ZWMC",
        "kind": "commissioning_body",
        "sector": "public",
        "legal_form": "statutory",
        "income_band": "super_major",
    },
    {
        "key": "nhs_trust",
        "name": "Northvale Community Health NHS Trust",
        "identifier": "GB-NHS-ZZ8",
        "kind": "provider",
        "sector": "public",
        "legal_form": "statutory",
        "income_band": "major",
    },
    {
        "key": "care_homes",
        "name": "Brightwater Care Homes Ltd",
        "identifier": "GB-COH-99000001",
        "kind": "provider",
        "sector": "private",
        "legal_form": "company",
        "income_band": "large",
    },
    {
        "key": "carers_centre",
        "name": "Northvale Carers' Centre",
        "identifier": "GB-CHC-1999001",
        "kind": "provider",
        "sector": "third",
        "legal_form": "charity",
        "income_band": "medium",
    },
    {
        "key": "befriending",
        "name": "Riverside Befriending CIO",
        "identifier": "GB-CHC-1999002",
        "kind": "provider",
        "sector": "third",
        "legal_form": "cio",
        "income_band": "small",
    },
    {
        "key": "cic",
        "name": "Open Door Support CIC",
        "identifier": "GB-COH-99000003",
        "kind": "provider",
        "sector": "third",
        "legal_form": "cic",
        "income_band": "small",
    },
    {
        "key": "advocacy",
        "name": "Northvale Advocacy",
        "identifier": "GB-COH-99000004",
        "kind": "provider",
        "sector": "third",
        "legal_form": "clg",
        "income_band": "medium",
    },
    {
        "key": "coop",
        "name": "Homeshare Care Co-operative",
        "identifier": "GB-MPR-99999R",
        "kind": "provider",
        "sector": "third",
        "legal_form": "cooperative",
        "income_band": "small",
    },
    {
        "key": "memory_cafe",
        "name": "Tuesday Memory Café",
        "identifier": "",
        "kind": "provider",
        "sector": "third",
        "legal_form": "unincorporated",
        "income_band": "micro",
    },
    {
        "key": "cvs",
        "name": "Northvale Voluntary Action",
        "identifier": "GB-CHC-1999005",
        "kind": "umbrella",
        "sector": "third",
        "legal_form": "charity",
        "income_band": "medium",
    },
    {
        "key": "regulator",
        "name": "Care Standards Inspectorate",
        "identifier": "GB-GOR-ZZ999",
        "kind": "regulator",
        "sector": "public",
        "legal_form": "statutory",
        "income_band": "",
    },
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    roles: tuple[tuple[str, Role], ...]  # (organisation key, role)
    preferred_language: str = "en"


PEOPLE = [
    DemoPerson(
        "commissioner@northvale.example",
        "Alys Morgan",
        (("council", Role.COMMISSIONER), ("health_board", Role.COMMISSIONER)),
    ),
    DemoPerson(
        "procurement@northvale.example", "Dev Patel", (("council", Role.PROCUREMENT_OFFICER),)
    ),
    DemoPerson("evaluator@northvale.example", "Grace Okafor", (("council", Role.EVALUATOR),)),
    DemoPerson(
        "councillor@northvale.example",
        "Cllr Huw Jenkins",
        (("council", Role.SCRUTINY),),
        preferred_language="cy",
    ),
    DemoPerson("orgadmin@northvale.example", "Sam Reid", (("council", Role.ORGANISATION_ADMIN),)),
    DemoPerson(
        "health.commissioner@northvale.example",
        "Priya Shah",
        (("health_board", Role.COMMISSIONER), ("health_board", Role.ORGANISATION_ADMIN)),
    ),
    DemoPerson(
        "provider@carers-centre.example",
        "Beth Lewis",
        (("carers_centre", Role.PROVIDER_USER), ("carers_centre", Role.ORGANISATION_ADMIN)),
    ),
    DemoPerson(
        "provider@brightwater.example",
        "Tom Hughes",
        (("care_homes", Role.PROVIDER_USER), ("care_homes", Role.ORGANISATION_ADMIN)),
    ),
    DemoPerson(
        "commissioner@westmarch.example",
        "Ruth Ellis",
        (("westmarch", Role.COMMISSIONER), ("westmarch", Role.ORGANISATION_ADMIN)),
    ),
]
PLATFORM_ADMIN = DemoPerson("admin@open-commissioning.example", "Platform Administrator", ())

PARTNERSHIP_AREAS = ["E06000047", "E06000005", "E06000001"]  # County Durham, Darlington, Hartlepool
TERMS_OF_REFERENCE = (
    "The partnership commissions adult health and social care jointly for County Durham, "
    "Darlington and Hartlepool. Northvale Council is lead commissioner and hosts the pooled "
    "fund. The joint commissioning board meets monthly; its members are the council's and the "
    "health board's commissioners, two representatives of service users and carers, and a "
    "representative of the voluntary sector chosen by Northvale Voluntary Action.\n\n"
    "This is demonstration data: the organisations and people are fictional, the places real."
)


def demo_name(base: str) -> str:
    return f"{base} (demonstration)"


PARTNERSHIP_NAME = demo_name("Northvale Joint Commissioning Partnership")


def load_core(log: Callable[[str], None]) -> None:
    admin = core_selectors.person_by_email(PLATFORM_ADMIN.email)
    if admin is None:
        admin = core_services.create_person(
            actor=SYSTEM,
            email=PLATFORM_ADMIN.email,
            full_name=PLATFORM_ADMIN.full_name,
            password=DEMO_PASSWORD,
            make_platform_admin=True,
        )
    organisations = {}
    for spec in ORGANISATIONS:
        fields = {k: v for k, v in spec.items() if k != "key"}
        fields["name"] = demo_name(spec["name"])
        existing = core_selectors.organisation_by_name(fields["name"])
        organisations[spec["key"]] = existing or core_services.create_organisation(
            actor=admin, is_demonstration=True, **fields
        )
    log(f"{len(organisations)} organisations")
    for wanted in PEOPLE:
        person = core_selectors.person_by_email(wanted.email)
        if person is None:
            person = core_services.create_person(
                actor=admin,
                email=wanted.email,
                full_name=wanted.full_name,
                password=DEMO_PASSWORD,
                preferred_language=wanted.preferred_language,
            )
        held = {(m.organisation_id, m.role) for m in core_selectors.memberships_of(person)}
        for key, role in wanted.roles:
            organisation = organisations[key]
            if (organisation.pk, role) not in held:
                core_services.give_role(
                    actor=admin, organisation=organisation, person=person, role=role
                )
    log(f"{len(PEOPLE) + 1} people")
    if not core_selectors.partnerships_visible_to(admin).filter(name=PARTNERSHIP_NAME).exists():
        core_services.create_partnership(
            actor=admin,
            name=PARTNERSHIP_NAME,
            lead=organisations["council"],
            members=[organisations["health_board"]],
            areas=core_selectors.areas().filter(code__in=PARTNERSHIP_AREAS),
            has_pooled_fund=True,
            terms_of_reference=TERMS_OF_REFERENCE,
            is_demonstration=True,
        )
    log("1 partnership")


def demo_partnership() -> Any:
    return core_selectors.partnerships_visible_to(SYSTEM).get(name=PARTNERSHIP_NAME)


def demo_person(email: str) -> Any:
    person = core_selectors.person_by_email(email)
    assert person is not None, f"load_core adds {email}"
    return person
