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
from commissioning.engagement import selectors as engagement_selectors
from commissioning.engagement import services as engagement_services
from commissioning.needs import selectors as needs_selectors
from commissioning.needs import services as needs_services
from commissioning.plans import selectors as plan_selectors
from commissioning.plans import services as plan_services

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
                core_services.give_role(
                    actor=admin, organisation=organisation, person=person, role=role
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


# The partnership's older people's commissioning plan, drafted over the needs assessment and
# the market position statement and now out to consultation.
PLAN_TITLE = "Living well in later life: older people's commissioning plan 2026 to 2030"
PLAN_SECTIONS = {
    "introduction": (
        "## Purpose\n\n"
        "This plan sets out what the Northvale partnership will commission for older people in "
        "County Durham, Darlington and Hartlepool from April 2026 to March 2030, and why. It "
        "is written for the people who use services and their carers, for providers of every "
        "size, and for the council and health board that will carry it out.\n\n"
        "## Our vision\n\n"
        "Older people live well at home for as long as they choose, with care that is there "
        "when it is needed and support that keeps them connected to their communities.\n\n"
        "*Demonstration plan: the organisations and people are fictional, the places and the "
        "population figures real.*"
    ),
    "guidance": (
        "* The Care Act 2014 duties to promote wellbeing and to shape the market.\n"
        "* NICE guideline NG22 on older people with social care needs and multiple long-term "
        "conditions.\n"
        "* The partnership's Better Care Fund plan, which pools part of the budget."
    ),
    "needs": (
        "The number of people aged 85 and over grows faster than any other age group, and with "
        "it dementia. The figures below come from the partnership's needs assessment, as it "
        "stands: they are not copies."
    ),
    "service_review": (
        "Residential care is plentiful in County Durham and thin in Hartlepool; nursing care "
        "for people with dementia is short everywhere. Carers' support is grant-funded and "
        "valued, but reaches fewer than one carer in ten."
    ),
    "gap_analysis": (
        "Three gaps stand out: nursing care for people with dementia, day opportunities close "
        "to home, and breaks for carers. The options appraisal below looks at who should run "
        "day opportunities."
    ),
    "development": (
        "Nursing care will be procured under the Procurement Act 2023's light-touch rules in "
        "2027. Carers' support continues as grants through Northvale Voluntary Action. Day "
        "opportunities are developed with community groups, grant-funded."
    ),
    "monitoring": (
        "The joint commissioning board reviews the indicators below every quarter and the plan "
        "every year, and publishes what it finds."
    ),
    "appendices": "* The needs assessment and the market position statement.\n* A glossary.",
}


def load_plans(log: Callable[[str], None]) -> None:
    if plan_selectors.plan_titled(PLAN_TITLE) is not None:
        log("1 commissioning plan (older people, out to consultation)")
        return
    from datetime import date
    from decimal import Decimal

    from commissioning.market import selectors as market_selectors

    commissioner = core_selectors.person_by_email("commissioner@northvale.example")
    partnership = core_selectors.partnerships_visible_to(SYSTEM).get(
        name=_demo_name("Northvale Joint Commissioning Partnership")
    )
    older_people = core_selectors.client_groups().get(slug="older-people")
    areas = list(partnership.areas.all())
    plan = plan_services.create_plan(
        actor=commissioner,
        title=PLAN_TITLE,
        organisation=partnership.lead,
        partnership=partnership,
        client_groups=[older_people],
        areas=areas,
        first_year=2026,
        last_year=2029,
        cycle_model=core_selectors.default_cycle_model(),
        summary=(
            "What the partnership will commission for older people over four years: more "
            "nursing care for people with dementia, day opportunities close to home, and "
            "breaks for carers."
        ),
        is_demonstration=True,
    )
    plan_services.update_scope(
        actor=commissioner,
        plan=plan,
        first_year=2026,
        last_year=2029,
        client_groups=[older_people],
        areas=areas,
        title=PLAN_TITLE,
        summary=plan.summary,
        scope_documents="The partnership's joint plan, led by Northvale Council: this plan, "
        "an easy-read summary and a market position statement for providers.",
        scope_citizens="People aged 65 and over in the three areas, and their carers.",
        scope_commitments="The Care Act 2014 and the Better Care Fund plan; the council's "
        "corporate plan commitment to independent living.",
        scope_services="Social care, community health, housing with care, and the "
        "voluntary sector's preventive services.",
        scope_timetable="Drafted by December 2026, approved by the joint commissioning board "
        "in March 2027, in effect from April 2027.",
        scope_citizen_involvement="A public consultation, two focus groups with older "
        "people's forums, and carers on the reference group.",
        scope_stakeholder_involvement="Provider forums for care homes and home care, and the "
        "voluntary sector through Northvale Voluntary Action.",
        scope_team="The joint commissioning team: two commissioners for six months, with "
        "an analyst one day a week.",
    )
    assessment = needs_selectors.assessments_visible_to(SYSTEM).get(
        title="Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"
    )
    plan_services.pin_evidence(
        actor=commissioner,
        plan=plan,
        needs_assessment=assessment,
        market_analysis=market_selectors.analysis_titled(ANALYSIS_TITLE),
    )
    for kind, body in PLAN_SECTIONS.items():
        plan_services.save_section(actor=commissioner, plan=plan, kind=kind, body=body)
    at_home = plan_services.save_outcome(
        actor=commissioner,
        plan=plan,
        framework_outcome=plan_selectors.framework_outcome("ascof-2014", "2"),
        description="Fewer older people move into long-term care; more regain independence.",
    )
    plan_services.save_indicator(
        actor=commissioner,
        outcome=at_home,
        name="Older people at home 91 days after leaving hospital into reablement",
        kind="outcome",
        unit="%",
        baseline=Decimal("81.2"),
        baseline_year=2025,
        target=Decimal("86"),
        target_year=2029,
        trajectory={2026: Decimal("82.5"), 2027: Decimal("84"), 2028: Decimal("85")},
        data_source="Short and Long Term Support (SALT) return",
    )
    quality = plan_services.save_outcome(
        actor=commissioner,
        plan=plan,
        framework_outcome=plan_selectors.framework_outcome("ascof-2014", "1"),
    )
    plan_services.save_indicator(
        actor=commissioner,
        outcome=quality,
        name="Carers who had as much social contact as they would like",
        kind="outcome",
        unit="%",
        baseline=Decimal("28"),
        baseline_year=2025,
        target=Decimal("35"),
        target_year=2029,
        data_source="Survey of Adult Carers in England",
    )
    local = plan_services.save_outcome(
        actor=commissioner,
        plan=plan,
        title="Day opportunities within 20 minutes of home",
        description="A local outcome people asked for in the 2025 listening events.",
    )
    nursing = plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Nursing care for people with dementia",
        kind="increase",
        route="procurement",
        service_type=market_selectors.service_type_by_slug("care_home_nursing"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("14200000"),
        planned_budget={
            2026: Decimal("14200000"),
            2027: Decimal("15100000"),
            2028: Decimal("15800000"),
            2029: Decimal("16400000"),
        },
        rationale="Projected dementia cases rise by a quarter by 2027 and nursing beds are "
        "under-supplied against the three areas' average.",
        risks="Workforce: nurses are hard to recruit.",
        timetable="Market engagement spring 2027; contracts from April 2028.",
        in_place_by=date(2028, 4, 1),
        outcomes=[at_home, quality],
    )
    plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Carers' support",
        kind="continue",
        route="grant",
        service_type=market_selectors.service_type_by_slug("carers_support"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("420000"),
        planned_budget={year: Decimal("440000") for year in range(2026, 2030)},
        rationale="Valued by carers and good value; to reach more carers.",
        outcomes=[quality],
    )
    day = plan_services.save_intention(
        actor=commissioner,
        plan=plan,
        title="Day opportunities close to home",
        kind="new",
        route="grant",
        service_type=market_selectors.service_type_by_slug("day_opportunities"),
        client_group=older_people,
        areas=areas,
        current_budget=Decimal("0"),
        planned_budget={2027: Decimal("250000"), 2028: Decimal("300000"), 2029: Decimal("300000")},
        rationale="People asked for somewhere to go near home; the council's two day centres "
        "are far from most of them.",
        outcomes=[local],
    )
    appraisal = plan_services.create_appraisal(
        actor=commissioner,
        plan=plan,
        title="Who should run day opportunities",
        question="Keep the council's day centres, grant-fund community groups, or let a block "
        "contract?",
        options=["Keep the council's day centres", "Grant-fund community groups", "Block contract"],
    )
    plan_services.agree_weights(
        actor=commissioner,
        appraisal=appraisal,
        agreed_by="Northvale Joint Commissioning Board",
        agreed_on=date(2026, 6, 3),
    )
    scores = {
        "Keep the council's day centres": (4, 6, 5, 8, 7, 4),
        "Grant-fund community groups": (8, 7, 9, 6, 6, 8),
        "Block contract": (7, 6, 4, 6, 4, 5),
    }
    criteria = list(appraisal.criteria.all())
    for option in appraisal.options.all():
        plan_services.score_option(
            actor=commissioner,
            option=option,
            scores={
                criterion.pk: (Decimal(value), "Scored at the board's workshop, 3 June 2026.")
                for criterion, value in zip(criteria, scores[option.name], strict=True)
            },
        )
    plan_services.conclude_appraisal(
        actor=commissioner,
        appraisal=appraisal,
        conclusion="Grant-funding community groups is preferred, with the council's centres "
        "kept open for people with the highest needs while groups grow.",
    )
    for description, likelihood, impact, owner, mitigation, intention in (
        (
            "Nursing homes cannot recruit enough nurses to open new beds",
            4,
            4,
            "Head of joint commissioning",
            "A workforce fund with the health board; fees that reflect the cost of care.",
            nursing,
        ),
        (
            "Community groups lack the capacity to run day opportunities",
            3,
            3,
            "Voluntary sector lead",
            "Capacity-building grants through Northvale Voluntary Action.",
            day,
        ),
        (
            "The Better Care Fund is reduced in 2028",
            2,
            5,
            "Director of finance",
            "A reserve held in the pooled fund.",
            None,
        ),
    ):
        plan_services.save_risk(
            actor=commissioner,
            plan=plan,
            description=description,
            likelihood=likelihood,
            impact=impact,
            owner=owner,
            mitigation=mitigation,
            review_on=date(2027, 3, 31),
            intention=intention,
        )
    health_board = core_selectors.organisation_by_name(
        _demo_name("Northvale and Tees Health Board")
    )
    for year in range(2026, 2030):
        plan_services.save_resource(
            actor=commissioner,
            plan=plan,
            funding_stream="Council adult social care budget",
            year=year,
            amount=Decimal("13800000"),
        )
        plan_services.save_resource(
            actor=commissioner,
            plan=plan,
            funding_stream="Better Care Fund",
            year=year,
            amount=Decimal("2100000"),
            partner=health_board,
            is_pooled=True,
        )
    for status, reason in (
        ("analysis", "Scope agreed by the joint commissioning board, 6 May 2026."),
        ("drafting", "Needs assessment and market position statement done."),
        ("consultation", "Draft approved for public consultation by the board."),
    ):
        plan = plan_services.move_plan(
            actor=commissioner, plan=plan, to_status=status, reason=reason
        )
    log("1 commissioning plan (older people, out to consultation)")


def _demo_person(email: str) -> Any:
    person = core_selectors.person_by_email(email)
    assert person is not None, f"load_core adds {email}"
    return person


CONSULTATION_TITLE = "Day opportunities and carers' breaks for older people"


def load_engagement(log: Callable[[str], None]) -> None:
    """The demo plan's programme board, a provider's declared interest, two past engagement
    activities, and a consultation open on the public site with some answers already in."""
    import random
    from datetime import date, timedelta

    from django.utils import timezone

    plan = plan_selectors.plan_titled(PLAN_TITLE)
    if plan is None or plan.consultations.exists():
        log("1 consultation open on the public site")
        return
    commissioner, councillor, provider, carers_lead = (
        _demo_person(email)
        for email in (
            "commissioner@northvale.example",
            "councillor@northvale.example",
            "provider@brightwater.example",
            "provider@carers-centre.example",
        )
    )
    board = engagement_services.save_group(
        actor=commissioner,
        plan=plan,
        kind="programme_board",
        name="Living well in later life programme board",
        terms_of_reference=(
            "## Purpose\nSteers the older people's commissioning plan from scoping to "
            "publication, and reviews it yearly.\n\n## Members\nCommissioners of the council "
            "and the health board, a councillor, two people who use services or care, and "
            "providers from each sector.\n\n## Decisions\nBy consensus; a quorum is four "
            "members including a commissioner of each body. Members declare their interests "
            "at every meeting and leave the room for any item on a provider they are linked to."
        ),
    )
    # The providers sit on the board as organisations, so their people can be added by address.
    for person in (provider, carers_lead):
        membership = core_selectors.provider_memberships([person.pk]).first()
        assert membership is not None, f"load_core places {person.email} in a provider"
        engagement_services.add_member(
            actor=commissioner,
            group=board,
            role="member",
            organisation_id=membership.organisation_id,
        )
    members = [
        engagement_services.add_member(actor=commissioner, group=board, role=role, email=email)
        for role, email in (
            ("chair", commissioner.email),
            ("member", councillor.email),
            ("member", provider.email),
            ("member", carers_lead.email),
        )
    ]
    for person, text in (
        (provider, "Managing director of Brightwater Care Homes, a provider of nursing care."),
        (carers_lead, "Manager of the carers' centre, which the council grant-funds."),
    ):
        membership = core_selectors.provider_memberships([person.pk]).first()
        engagement_services.declare_interest(
            actor=commissioner,
            person_id=person.pk,
            kind="financial" if person == provider else "professional",
            description=text,
            provider_id=membership.organisation_id if membership else None,
            declared_on=date(2026, 5, 6),
        )
    engagement_services.save_meeting(
        actor=commissioner,
        group=board,
        held_on=date(2026, 7, 1),
        attendee_ids=[m.pk for m in members],
        minutes=(
            "The board reviewed the draft options appraisal of day opportunities. Tom Hughes "
            "declared his interest and took no part in the item on nursing care."
        ),
        decisions=(
            "Agree the appraisal's weights as proposed.\n"
            "Consult the public, people who use services, carers and providers for 12 weeks."
        ),
    )
    stages = {s.slug: s.pk for s in plan.cycle_model.stages.all()} if plan.cycle_model else {}
    stage = next(iter(stages.values()), None)
    engagement_services.save_activity(
        actor=commissioner,
        plan=plan,
        kind="focus_group",
        title="Focus groups at three day centres",
        held_on=date(2026, 5, 20),
        cycle_stage_id=stage,
        participants={"service_users": 31, "carers": 12},
        seldom_heard_groups="Older people living with dementia\nGypsy and Traveller elders",
        what_changed=(
            "People asked for activities close to home and transport to them: the plan's "
            "intention for day opportunities now includes community transport."
        ),
    )
    engagement_services.save_activity(
        actor=commissioner,
        plan=plan,
        kind="provider_forum",
        title="Provider forum on the market position statement",
        held_on=date(2026, 6, 10),
        cycle_stage_id=stage,
        participants={"providers_third": 14, "providers_private": 9, "providers_public": 2},
        what_changed="Grant rounds will allow joint bids by small community groups.",
    )
    opens = timezone.now() - timedelta(days=14)
    consultation = engagement_services.save_consultation(
        actor=commissioner,
        plan=plan,
        title=CONSULTATION_TITLE,
        summary=(
            "The partnership proposes to grant-fund community groups to run day opportunities "
            "close to home, and to double the breaks for carers. Tell us what you think before "
            "we decide.\n\nTo have the questions in another format (large print, Easy Read, "
            "Welsh on paper) phone 01325 000 000."
        ),
        audiences=["public", "service_users_and_carers", "providers"],
        opens_at=opens,
        closes_at=opens + timedelta(weeks=12),
    )
    for kind, text, extra in (
        (
            "single_choice",
            "Do you agree that community groups should run day opportunities?",
            {
                "choices": "Agree\nNeither agree nor disagree\nDisagree\nDon't know",
                "required": True,
            },
        ),
        (
            "multiple_choice",
            "Which would help you or the person you care for most?",
            {
                "choices": "Lunch clubs\nExercise and falls prevention\nArts and music\n"
                "Trips out\nTransport to activities",
                "help_text": "Choose all that apply.",
            },
        ),
        (
            "rating",
            "How good are day opportunities where you live now?",
            {"lowest_label": "Very poor", "highest_label": "Very good"},
        ),
        (
            "free_text",
            "Is there anything else we should know?",
            {"help_text": "Please do not include anyone's name or personal details."},
        ),
    ):
        engagement_services.save_question(
            actor=commissioner, consultation=consultation, kind=kind, text=text, **extra
        )
    consultation = engagement_services.publish_consultation(
        actor=commissioner, consultation=consultation
    )
    questions = engagement_selectors.questions_of(consultation)
    chance = random.Random(2026)  # noqa: S311 - made-up answers, the same every time
    comments = [
        "The lunch club is the only time my mother sees anyone all week.",
        "Transport is the problem: the bus stopped running to the centre.",
        "Please keep something for people with dementia.",
        "Small groups know their area; fund them for longer than a year.",
        "",
        "",
    ]
    groups = ["citizen", "service_user", "carer", "carer", "provider_third", "provider_private"]
    for _number in range(120):
        engagement_services.submit_response(
            consultation=consultation,
            person=None,
            client=None,
            stakeholder_group=chance.choice(groups),
            answers={
                questions[0].pk: [str(chance.choices(range(4), weights=(6, 2, 2, 1))[0])],
                questions[1].pk: [str(i) for i in range(5) if chance.random() < 0.4],
                questions[2].pk: [str(chance.choices(range(1, 6), weights=(1, 3, 4, 3, 1))[0])],
                questions[3].pk: [chance.choice(comments)],
            },
        )
    log("1 consultation open on the public site, with 120 responses")


STEPS: list[Callable[[Callable[[str], None]], None]] = [
    load_core,
    load_population,
    load_market,
    load_plans,
    load_engagement,
]


def load_demo(log: Callable[[str], None] = lambda message: None) -> None:
    with transaction.atomic():
        for step in STEPS:
            step(log)
