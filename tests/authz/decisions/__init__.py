"""The decision for every URL and API operation: who gets what.

One module per app, each with its PAGE_CASES (URL names) and, where the app has API operations,
its API_CASES; this package gathers every module in it that has either, so a new app adds its
decisions as one module here. Adding a URL pattern or an API operation without adding its
decision fails `test_every_url_and_operation_has_a_decision`.
"""

import importlib
import pkgutil

from tests.authz.decisions.cases import Case, Expectation
from tests.authz.decisions.market import CARE_DIRECTORY_SAMPLE
from tests.authz.decisions.needs import NOMIS_SAMPLE, PREVALENCE_SAMPLE
from tests.authz.world import ACTOR_NAMES

__all__ = [
    "API_CASES",
    "CARE_DIRECTORY_SAMPLE",
    "CASES",
    "NOMIS_SAMPLE",
    "PAGE_CASES",
    "PREVALENCE_SAMPLE",
    "Case",
    "Expectation",
]

PAGE_CASES: list[Case] = []
API_CASES: list[Case] = []
for _module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
    _decisions = importlib.import_module(f"{__name__}.{_module.name}")
    PAGE_CASES += getattr(_decisions, "PAGE_CASES", [])
    API_CASES += getattr(_decisions, "API_CASES", [])
CASES = PAGE_CASES + API_CASES

assert all(case.expect(actor) for case in CASES for actor in ACTOR_NAMES)
