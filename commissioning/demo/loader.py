"""The demonstration authority: a fictional joint partnership of a council and a health board
over three real places, providers of every sector and legal form, and a person in every role.

Everything is created through the same services people use, so it is validated and audited.
Loading twice changes nothing. Later stages of the cycle add their own steps to `STEPS`.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from commissioning.core import selectors as core_selectors
from commissioning.core import services as core_services
from commissioning.core.access import SYSTEM
from commissioning.needs import selectors as needs_selectors
from commissioning.needs import services as needs_services

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
    roles: tuple[tuple[str, str], ...]  # (organisation key, role)
    preferred_language: str = "en"


PEOPLE = [
    DemoPerson(
        "commissioner@northvale.example",
        "Alys Morgan",
        (("council", "commissioner"), ("health_board", "commissioner")),
    ),
    DemoPerson("procurement@northvale.example", "Dev Patel", (("council", "procurement_officer"),)),
    DemoPerson("evaluator@northvale.example", "Grace Okafor", (("council", "evaluator"),)),
    DemoPerson(
        "councillor@northvale.example",
        "Cllr Huw Jenkins",
        (("council", "scrutiny"),),
        preferred_language="cy",
    ),
    DemoPerson("orgadmin@northvale.example", "Sam Reid", (("council", "organisation_admin"),)),
    DemoPerson(
        "health.commissioner@northvale.example",
        "Priya Shah",
        (("health_board", "commissioner"), ("health_board", "organisation_admin")),
    ),
    DemoPerson(
        "provider@carers-centre.example",
        "Beth Lewis",
        (("carers_centre", "provider_user"), ("carers_centre", "organisation_admin")),
    ),
    DemoPerson(
        "provider@brightwater.example",
        "Tom Hughes",
        (("care_homes", "provider_user"), ("care_homes", "organisation_admin")),
    ),
    DemoPerson(
        "commissioner@westmarch.example",
        "Ruth Ellis",
        (("westmarch", "commissioner"), ("westmarch", "organisation_admin")),
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


def _demo_name(base: str) -> str:
    return f"{base} (demonstration)"


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
        fields["name"] = _demo_name(spec["name"])
        existing = core_selectors.organisation_by_name(fields["name"])
        organisations[spec["key"]] = existing or core_services.create_organisation(
            actor=admin, is_demonstration=True, **fields
        )
    log(f"{len(organisations)} organisations")
    for demo_person in PEOPLE:
        person = core_selectors.person_by_email(demo_person.email)
        if person is None:
            person = core_services.create_person(
                actor=admin,
                email=demo_person.email,
                full_name=demo_person.full_name,
                password=DEMO_PASSWORD,
                preferred_language=demo_person.preferred_language,
            )
        held = {(m.organisation_id, m.role) for m in core_selectors.memberships_of(person)}
        for key, role in demo_person.roles:
            organisation = organisations[key]
            if (organisation.pk, role) not in held:
                core_services.add_member(
                    actor=admin,
                    organisation=organisation,
                    email=person.email,
                    full_name=person.full_name,
                    role=role,
                )
    log(f"{len(PEOPLE) + 1} people")
    name = _demo_name("Northvale Joint Commissioning Partnership")
    if not core_selectors.partnerships_visible_to(admin).filter(name=name).exists():
        core_services.create_partnership(
            actor=admin,
            name=name,
            lead=organisations["council"],
            members=[organisations["health_board"]],
            areas=core_selectors.areas().filter(code__in=PARTNERSHIP_AREAS),
            has_pooled_fund=True,
            terms_of_reference=TERMS_OF_REFERENCE,
            is_demonstration=True,
        )
    log("1 partnership")


DATA = Path(__file__).parent / "data"
POPULATION_FILES = [
    # (dataset name, file, year for files that carry none)
    ("ONS mid-2011 population estimates, UK local authorities", "NM_2002_1_mye_all_las.tsv", 2011),
    (
        "ONS 2014-based subnational population projections: County Durham, Darlington and "
        "Hartlepool",
        "snpp_e_2014_three_las.csv",
        None,
    ),
]


DEMENTIA = {
    "condition": "Dementia",
    "condition_cy": "Dementia",
    "slug": "dementia-cfas-ii",
    "source": (
        "Matthews F. E. et al., A two-decade comparison of prevalence of dementia in "
        "individuals aged 65 years and older from three geographical areas of England: results "
        "of the Cognitive Function and Ageing Study I and II. The Lancet, 2013. Rates for people "
        "aged 65 and over, with 95% confidence intervals."
    ),
}


OLDER_PEOPLE_FINDINGS = """\
*Demonstration findings, written for the fictional Northvale partnership over real ONS data.*

The number of people aged 85 and over across the three areas grows faster than any other age
group between 2014 and 2027, and with it the expected number of people living with dementia.

- Plan for more **specialist dementia support** and **carers' support** each year of the plan.
- Review home care and residential capacity against the projected cases below.
"""


def load_population(log: Callable[[str], None]) -> None:
    for name, file_name, year in POPULATION_FILES:
        if needs_selectors.dataset_named(name) is None:
            needs_services.import_population(
                actor=SYSTEM,
                path=DATA / file_name,
                name=name,
                year=year,
                source="Office for National Statistics via Nomis (see demo/data/README.md)",
                licence="Open Government Licence v3.0",
                is_demonstration=True,
            )
    log(f"{len(POPULATION_FILES)} population datasets (real ONS data)")
    if not needs_selectors.prevalence_sets().filter(slug=DEMENTIA["slug"]).exists():
        needs_services.import_prevalence_set(
            actor=SYSTEM, path=DATA / "dementia_cfas2.csv", **DEMENTIA
        )
    log("1 prevalence rate set (CFAS II dementia)")
    partnership = core_selectors.partnerships_visible_to(SYSTEM).get(
        name=_demo_name("Northvale Joint Commissioning Partnership")
    )
    title = "Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"
    if not needs_selectors.assessments_visible_to(SYSTEM).filter(title=title).exists():
        needs_services.create_assessment(
            actor=SYSTEM,
            organisation=partnership.lead,
            partnership=partnership,
            title=title,
            client_group=core_selectors.client_groups().get(slug="older-people"),
            areas=list(partnership.areas.all()),
            population_dataset=needs_selectors.dataset_named(POPULATION_FILES[1][0]),
            prevalence_sets=list(needs_selectors.prevalence_sets().filter(slug=DEMENTIA["slug"])),
            base_year=2014,
            horizon_year=2027,
            findings=OLDER_PEOPLE_FINDINGS,
            is_demonstration=True,
        )
    log("1 draft needs assessment (older people, real population, dementia projected)")


# The market: a demonstration copy of CQC's list for the three areas (fictional providers, the
# real layout), the demo's own third-sector providers and their services, an accreditation
# scheme with one provider accredited, and a published market position statement.
MARKET_AREAS = [
    ("County Durham", "North East", 54.72, -1.75),
    ("Darlington", "North East", 54.53, -1.56),
    ("Hartlepool", "North East", 54.68, -1.22),
]
THIRD_SECTOR_SERVICES: dict[str, list[dict[str, Any]]] = {
    "carers_centre": [
        {
            "name": "Carers' support and breaks",
            "type": "carers_support",
            "capacity": 450,
            "areas": PARTNERSHIP_AREAS,
            "funding": ["grant", "sla"],
            "languages": ["en", "cy"],
            "client_groups": ["carers", "older-people"],
        }
    ],
    "befriending": [
        {
            "name": "Riverside telephone and home befriending",
            "type": "befriending",
            "capacity": 120,
            "areas": ["E06000005"],
            "funding": ["grant"],
            "languages": ["en"],
            "client_groups": ["older-people"],
        }
    ],
    "advocacy": [
        {
            "name": "Independent advocacy",
            "type": "advocacy",
            "capacity": 300,
            "areas": PARTNERSHIP_AREAS,
            "funding": ["contract"],
            "languages": ["en", "bsl"],
            "client_groups": ["learning-disabilities", "mental-health", "older-people"],
        }
    ],
    "memory_cafe": [
        {
            "name": "Tuesday Memory Café, Hartlepool",
            "type": "day_opportunities",
            "capacity": 25,
            "areas": ["E06000001"],
            "funding": ["grant"],
            "languages": ["en"],
            "client_groups": ["older-people", "carers"],
            "address": "Community Hall, Raby Road, Hartlepool",
            "postcode": "TS24 8AT",
            "latitude": 54.6897,
            "longitude": -1.2150,
        }
    ],
    "cic": [
        {
            "name": "Open Door day opportunities",
            "type": "day_opportunities",
            "capacity": 40,
            "areas": ["E06000047"],
            "funding": ["spot", "self_funded"],
            "languages": ["en"],
            "client_groups": ["learning-disabilities"],
            "address": "Open Door Centre, North Road, Durham",
            "postcode": "DH1 4SL",
            "latitude": 54.7780,
            "longitude": -1.5800,
        }
    ],
}
SCHEME_NAME = "Northvale Quality Mark (demonstration)"
ANALYSIS_TITLE = "Older people's care and support market, 2026 (demonstration)"
# A minimal but well-formed PDF, as a provider's evidence would be.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_market(log: Callable[[str], None]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commissioning.demo.market_file import write_hsca_workbook
    from commissioning.market import selectors as market_selectors
    from commissioning.market import services as market_services

    if not market_selectors.imports_visible_to(SYSTEM).filter(is_demonstration=True).exists():
        with tempfile.TemporaryDirectory() as directory:
            path = write_hsca_workbook(
                Path(directory) / "HSCA_Active_Locations_demo.xlsx",
                areas=MARKET_AREAS,
                locations=90,
            )
            market_services.import_market_file_now(
                actor=SYSTEM,
                path=path,
                name="CQC care directory with filters (demonstration copy)",
                source="Fictional providers in the layout of CQC's care directory with filters",
                licence="Open Government Licence v3.0 (layout)",
                is_demonstration=True,
            )
    log("1 import of the regulator's list (demonstration providers, real layout)")

    groups = {group.slug: group for group in core_selectors.client_groups()}
    areas = {area.code: area for area in core_selectors.areas(level="local_authority")}
    for key, services in THIRD_SECTOR_SERVICES.items():
        organisation = core_selectors.organisation_by_name(
            _demo_name(next(o["name"] for o in ORGANISATIONS if o["key"] == key))
        )
        assert organisation is not None
        if market_selectors.provider_named(organisation.name) is not None:
            continue
        provider = market_services.register_provider(
            actor=SYSTEM,
            organisation=organisation,
            description="A demonstration third-sector provider.",
        )
        for spec in services:
            market_services.save_service(
                actor=SYSTEM,
                provider=provider,
                service_type=market_selectors.service_type_by_slug(spec["type"]),
                name=spec["name"],
                capacity=spec["capacity"],
                funding=spec["funding"],
                languages=spec["languages"],
                client_groups=[groups[slug] for slug in spec["client_groups"]],
                areas_served=[areas[code] for code in spec["areas"]],
                location={
                    "name": spec["name"],
                    "address": spec.get("address", ""),
                    "postcode": spec.get("postcode", ""),
                    "latitude": spec.get("latitude"),
                    "longitude": spec.get("longitude"),
                    "area": areas[spec["areas"][0]] if spec.get("address") else None,
                },
            )
    log(f"{len(THIRD_SECTOR_SERVICES)} third-sector providers with their services")

    council = core_selectors.organisation_by_name(_demo_name("Northvale Council"))
    commissioner = core_selectors.person_by_email("commissioner@northvale.example")
    carer_lead = core_selectors.person_by_email("provider@carers-centre.example")
    scheme = market_selectors.scheme_named(SCHEME_NAME)
    if scheme is None:
        scheme = market_services.create_scheme(
            actor=commissioner,
            owner=council,
            name=SCHEME_NAME,
            summary=(
                "Prove your organisation's fitness once; every Northvale procurement accepts it."
            ),
            is_demonstration=True,
        )
        market_services.recognise_scheme(
            actor=commissioner, commissioning_body=council, scheme=scheme
        )
        carers = market_selectors.provider_named(_demo_name("Northvale Carers' Centre"))
        assert carers is not None
        application = market_services.start_application(
            actor=carer_lead, scheme=scheme, provider=carers
        )
        for criterion in scheme.criteria.all():
            market_services.add_evidence(
                actor=carer_lead,
                application=application,
                criterion=criterion,
                upload=SimpleUploadedFile(
                    f"{criterion.topic}.pdf", EVIDENCE_PDF, content_type="application/pdf"
                ),
            )
        market_services.submit_application(actor=carer_lead, application=application)
        for criterion in scheme.criteria.all():
            market_services.record_finding(
                actor=commissioner, application=application, criterion=criterion, is_met=True
            )
        market_services.decide_application(
            actor=commissioner, application=application, approve=True, notes="All criteria met."
        )
    log("1 accreditation scheme, recognised by the council, with 1 provider accredited")

    if market_selectors.analysis_titled(ANALYSIS_TITLE) is None:
        assessment = needs_selectors.assessments_visible_to(SYSTEM).get(
            title="Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"
        )
        analysis = market_services.create_analysis(
            actor=commissioner,
            title=ANALYSIS_TITLE,
            organisation=council,
            needs_assessment=assessment,
            service_types=list(
                market_selectors.service_types().filter(
                    slug__in=[
                        "care_home_nursing",
                        "care_home_residential",
                        "home_care",
                        "carers_support",
                        "day_opportunities",
                    ]
                )
            ),
            year=2026,
            age_from=65,
            age_to=None,
            need_condition=needs_selectors.prevalence_sets().get(slug=DEMENTIA["slug"]),
            basis="benchmark",
            targets={},
            under_below=90,
            over_above=110,
            threshold_explanation=(
                "Within a tenth of the three areas' average per 1,000 people aged 65 and over "
                "is balanced: the partnership plans for the same access in each area."
            ),
            summary=(
                "Demonstration market position statement. The number of people aged 85 and over "
                "grows faster than any other age group to 2027, and with it dementia. We want "
                "to hear from providers of nursing care and of support for carers."
            ),
            intentions=(
                "Increase nursing care for people with dementia where supply is thin; continue "
                "grants for carers' support; develop day opportunities in each area."
            ),
            message_to_providers=(
                "Talk to us before you plan new residential capacity: the areas flagged "
                "over-supplied below will not be commissioned further."
            ),
        )
        market_services.publish_analysis(actor=commissioner, analysis=analysis)
    log("1 published market position statement (older people)")


STEPS: list[Callable[[Callable[[str], None]], None]] = [load_core, load_population, load_market]


def load_demo(log: Callable[[str], None] = lambda message: None) -> None:
    with transaction.atomic():
        for step in STEPS:
            step(log)
