"""The demonstration authority: a fictional joint partnership of a council and a health board
over three real places, providers of every sector and legal form, and a person in every role.

Everything is created through the same services people use, so it is validated and audited.
Loading twice changes nothing. Each step is a module here, run in the order of `STEPS`; later
stages of the cycle add theirs. The worlds the steps build (a plan with content, a consultation
with its questions, a listed or accredited provider, the ONS files) come from
`commissioning.demo.builders`, which the tests and the benchmarks use too.
"""

from collections.abc import Callable

from django.db import transaction

from commissioning.demo.loader.engagement import CONSULTATION_TITLE, load_engagement
from commissioning.demo.loader.market import ANALYSIS_TITLE, SCHEME_NAME, load_market
from commissioning.demo.loader.needs import ASSESSMENT_TITLE, DEMENTIA, load_population
from commissioning.demo.loader.people import (
    DEMO_PASSWORD,
    ORGANISATIONS,
    PARTNERSHIP_AREAS,
    PARTNERSHIP_NAME,
    PEOPLE,
    PLATFORM_ADMIN,
    DemoPerson,
    load_core,
)
from commissioning.demo.loader.plans import PLAN_TITLE, load_plans
from commissioning.demo.loader.waiting import load_work_waiting

__all__ = [
    "ANALYSIS_TITLE",
    "ASSESSMENT_TITLE",
    "CONSULTATION_TITLE",
    "DEMENTIA",
    "DEMO_PASSWORD",
    "ORGANISATIONS",
    "PARTNERSHIP_AREAS",
    "PARTNERSHIP_NAME",
    "PEOPLE",
    "PLAN_TITLE",
    "PLATFORM_ADMIN",
    "SCHEME_NAME",
    "STEPS",
    "DemoPerson",
    "load_demo",
]

STEPS: list[Callable[[Callable[[str], None]], None]] = [
    load_core,
    load_population,
    load_market,
    load_plans,
    load_engagement,
    load_work_waiting,
]


def load_demo(log: Callable[[str], None] = lambda message: None) -> None:
    with transaction.atomic():
        for step in STEPS:
            step(log)
