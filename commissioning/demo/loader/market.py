"""The market step: a demonstration copy of CQC's list for the three areas (fictional
providers, the real layout), the demo's own third-sector providers and their services, an
accreditation scheme with one provider accredited, and a published market position statement.
"""

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from commissioning.core import selectors as core_selectors
from commissioning.core.access import SYSTEM
from commissioning.demo import builders
from commissioning.demo.loader.needs import ASSESSMENT_TITLE, DEMENTIA
from commissioning.demo.loader.people import (
    ORGANISATIONS,
    PARTNERSHIP_AREAS,
    demo_name,
    demo_person,
)
from commissioning.demo.market_file import write_hsca_workbook
from commissioning.market import selectors as market_selectors
from commissioning.market import services as market_services
from commissioning.needs import selectors as needs_selectors

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


def load_market(log: Callable[[str], None]) -> None:
    load_regulator_list(log)
    load_third_sector(log)
    load_accreditation(log)
    load_market_position(log)


def load_regulator_list(log: Callable[[str], None]) -> None:
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


def _service_fields(spec: dict[str, Any], groups: dict[str, Any], areas: dict[str, Any]) -> Any:
    return {
        "service_type": market_selectors.service_type_by_slug(spec["type"]),
        "name": spec["name"],
        "capacity": spec["capacity"],
        "funding": spec["funding"],
        "languages": spec["languages"],
        "client_groups": [groups[slug] for slug in spec["client_groups"]],
        "areas_served": [areas[code] for code in spec["areas"]],
        "location": {
            "name": spec["name"],
            "address": spec.get("address", ""),
            "postcode": spec.get("postcode", ""),
            "latitude": spec.get("latitude"),
            "longitude": spec.get("longitude"),
            "area": areas[spec["areas"][0]] if spec.get("address") else None,
        },
    }


def load_third_sector(log: Callable[[str], None]) -> None:
    groups = {group.slug: group for group in core_selectors.client_groups()}
    areas = {area.code: area for area in core_selectors.areas(level="local_authority")}
    for key, services in THIRD_SECTOR_SERVICES.items():
        organisation = core_selectors.organisation_by_name(
            demo_name(next(o["name"] for o in ORGANISATIONS if o["key"] == key))
        )
        assert organisation is not None
        if market_selectors.provider_named(organisation.name) is not None:
            continue
        builders.listed_provider(
            organisation=organisation,
            description="A demonstration third-sector provider.",
            services=[_service_fields(spec, groups, areas) for spec in services],
        )
    log(f"{len(THIRD_SECTOR_SERVICES)} third-sector providers with their services")


def load_accreditation(log: Callable[[str], None]) -> None:
    council = core_selectors.organisation_by_name(demo_name("Northvale Council"))
    commissioner = demo_person("commissioner@northvale.example")
    carer_lead = demo_person("provider@carers-centre.example")
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
        carers = market_selectors.provider_named(demo_name("Northvale Carers' Centre"))
        assert carers is not None
        application = builders.application_with_evidence(
            actor=carer_lead, scheme=scheme, provider=carers
        )
        builders.approved(assessor=commissioner, application=application, notes="All criteria met.")
    log("1 accreditation scheme, recognised by the council, with 1 provider accredited")


def load_market_position(log: Callable[[str], None]) -> None:
    council = core_selectors.organisation_by_name(demo_name("Northvale Council"))
    commissioner = demo_person("commissioner@northvale.example")
    if market_selectors.analysis_titled(ANALYSIS_TITLE) is None:
        # The statement is published, so it is set against the population data and dementia
        # rates directly rather than the partnership's assessment, which is still a draft: a
        # public statement never rests on (or links to) something its readers cannot open.
        assessment = needs_selectors.assessments_visible_to(SYSTEM).get(title=ASSESSMENT_TITLE)
        analysis = market_services.create_analysis(
            actor=commissioner,
            title=ANALYSIS_TITLE,
            organisation=council,
            partnership=assessment.partnership,
            client_group=assessment.client_group,
            areas=list(assessment.areas.all()),
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
