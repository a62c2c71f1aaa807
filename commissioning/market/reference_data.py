"""The service types the market is analysed by, loaded by a data migration and re-applied by
`load_demo`; platform administrators may edit them afterwards.

Each names the regulator's own words for it: the one-hot "Service type - …" columns of CQC's
care directory with filters (HSCA Active Locations) and the "Service types" of its care
directory CSV, so that an import can place a location. Capacity is counted in the unit that
commissioners plan in: beds for care homes, hours a week for home care, places for day
opportunities, people for the rest.

Pure: no Django.
"""

from typing import Any

SERVICE_TYPES: list[dict[str, Any]] = [
    {
        "slug": "care_home_nursing",
        "name": "Care home with nursing",
        "name_cy": "Cartref gofal gyda nyrsio",
        "capacity_unit": "beds",
        "is_regulated": True,
        "regulator_terms": ["Care home service with nursing", "Nursing homes", "Nursing home"],
    },
    {
        "slug": "care_home_residential",
        "name": "Care home without nursing",
        "name_cy": "Cartref gofal heb nyrsio",
        "capacity_unit": "beds",
        "is_regulated": True,
        "regulator_terms": [
            "Care home service without nursing",
            "Residential homes",
            "Residential home",
        ],
    },
    {
        "slug": "home_care",
        "name": "Home care",
        "name_cy": "Gofal cartref",
        "capacity_unit": "hours_week",
        "is_regulated": True,
        "regulator_terms": ["Domiciliary care service", "Homecare agencies", "Home care agencies"],
    },
    {
        "slug": "supported_living",
        "name": "Supported living",
        "name_cy": "Byw â chymorth",
        "capacity_unit": "people",
        "is_regulated": True,
        "regulator_terms": ["Supported living service", "Supported living"],
    },
    {
        "slug": "extra_care_housing",
        "name": "Extra care housing",
        "name_cy": "Tai gofal ychwanegol",
        "capacity_unit": "people",
        "is_regulated": True,
        "regulator_terms": ["Extra Care housing services", "Extra care housing"],
    },
    {
        "slug": "shared_lives",
        "name": "Shared Lives",
        "name_cy": "Cysylltu Bywydau",
        "capacity_unit": "people",
        "is_regulated": True,
        "regulator_terms": ["Shared Lives"],
    },
    {
        "slug": "day_opportunities",
        "name": "Day opportunities",
        "name_cy": "Cyfleoedd dydd",
        "capacity_unit": "places",
        "is_regulated": False,
        "regulator_terms": [],
    },
    {
        "slug": "respite",
        "name": "Respite and short breaks",
        "name_cy": "Seibiant a seibiannau byr",
        "capacity_unit": "places",
        "is_regulated": False,
        "regulator_terms": [],
    },
    {
        "slug": "community_mental_health",
        "name": "Community mental health support",
        "name_cy": "Cymorth iechyd meddwl yn y gymuned",
        "capacity_unit": "people",
        "is_regulated": False,
        "regulator_terms": ["Community based services for people with mental health needs"],
    },
    {
        "slug": "substance_misuse_support",
        "name": "Substance misuse support",
        "name_cy": "Cymorth camddefnyddio sylweddau",
        "capacity_unit": "people",
        "is_regulated": False,
        "regulator_terms": ["Community based services for people who misuse substances"],
    },
    {
        "slug": "advocacy",
        "name": "Advocacy",
        "name_cy": "Eiriolaeth",
        "capacity_unit": "people",
        "is_regulated": False,
        "regulator_terms": [],
    },
    {
        "slug": "carers_support",
        "name": "Carers' support",
        "name_cy": "Cymorth i ofalwyr",
        "capacity_unit": "people",
        "is_regulated": False,
        "regulator_terms": [],
    },
    {
        "slug": "befriending",
        "name": "Befriending",
        "name_cy": "Cyfeillio",
        "capacity_unit": "people",
        "is_regulated": False,
        "regulator_terms": [],
    },
    {
        "slug": "information_advice",
        "name": "Information and advice",
        "name_cy": "Gwybodaeth a chyngor",
        "capacity_unit": "people",
        "is_regulated": False,
        "regulator_terms": [],
    },
]


def load(service_type_model: Any) -> None:
    """Create or refresh the service types (idempotent; an administrator's edits to names are
    kept, new regulator terms are added)."""
    for position, values in enumerate(SERVICE_TYPES):
        record, created = service_type_model.objects.get_or_create(
            slug=values["slug"], defaults={**values, "position": position}
        )
        if not created:
            terms = list(record.regulator_terms)
            missing = [t for t in values["regulator_terms"] if t not in terms]
            if missing:
                record.regulator_terms = terms + missing
                record.save(update_fields=["regulator_terms"])


# The criteria a new accreditation scheme starts with (its owner edits them): the fitness
# checks the sources say every tender repeats (000 §32; 001's Register of Approved Providers).
DEFAULT_CRITERIA: list[tuple[str, str, str]] = [
    (
        "governance",
        "Governance",
        "Governing document, list of trustees or directors, and the minutes of the last annual "
        "meeting.",
    ),
    (
        "financial_viability",
        "Financial viability",
        "The last two years' accounts, as filed, and this year's budget.",
    ),
    (
        "safeguarding",
        "Safeguarding",
        "Safeguarding policy for adults and children, the named lead, and DBS checking procedure.",
    ),
    (
        "insurance",
        "Insurance",
        "Current employer's liability, public liability and, where relevant, professional "
        "indemnity certificates.",
    ),
    (
        "health_and_safety",
        "Health and safety",
        "Health and safety policy and the latest risk assessment of the main premises.",
    ),
    (
        "equality",
        "Equality and diversity",
        "Equality and diversity policy and how it is monitored.",
    ),
    (
        "data_protection",
        "Data protection",
        "ICO registration number, data protection policy and breach procedure.",
    ),
    (
        "quality_assurance",
        "Quality assurance",
        "How the quality of services is checked and improved, with a recent example.",
    ),
]
