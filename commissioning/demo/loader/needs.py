"""The needs step: the real ONS population files, the CFAS II dementia rates, and the
partnership's draft needs assessment of older people."""

from collections.abc import Callable

from commissioning.core import selectors as core_selectors
from commissioning.core.access import SYSTEM
from commissioning.demo import builders
from commissioning.demo.loader.people import demo_partnership
from commissioning.needs import selectors as needs_selectors
from commissioning.needs import services as needs_services

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


ASSESSMENT_TITLE = "Older people's needs in County Durham, Darlington and Hartlepool, 2014 to 2027"
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
            builders.population(
                file=file_name,
                name=name,
                year=year,
                source="Office for National Statistics via Nomis (see demo/data/README.md)",
                licence="Open Government Licence v3.0",
                is_demonstration=True,
            )
    log(f"{len(POPULATION_FILES)} population datasets (real ONS data)")
    if not needs_selectors.prevalence_sets().filter(slug=DEMENTIA["slug"]).exists():
        builders.dementia_rates(**DEMENTIA)
    log("1 prevalence rate set (CFAS II dementia)")
    partnership = demo_partnership()
    title = ASSESSMENT_TITLE
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
