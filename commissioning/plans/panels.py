"""The plan page's slots, where apps built on plans add their panels (see `core.panels`).

- `banners`: notices at the top of the plan page, under the plan's own (screen only);
- `actions`: buttons at the start of the plan page's button group (screen only);
- `scope`: in the introduction, after the plan's scope (page, PDF and Word);
- `section:<kind>`: at the end of each section of the outline plan, `kind` one of
  `PlanSection.Kind` (page, PDF and Word).

The plan page, its printed PDF and its Word document show the same panels.

The plan's governance page (its stages, sign-off and versions) and its sign-off page share one
slot, `rests_on`: what the plan rests on that the apps built on it keep (its consultations and
their results, its engagement record, the register of interests), for the councillor who signs
it off to read first."""

from typing import Any

from commissioning.core.panels import ShownPanel, declare_page, panels_for
from commissioning.plans.models import PlanSection

PLAN_PAGE = "plan"
PLAN_SLOTS = (
    "banners",
    "actions",
    "scope",
    *(f"section:{kind}" for kind in PlanSection.Kind.values),
)


GOVERNANCE_PAGE = "plan_governance"
GOVERNANCE_SLOTS = ("rests_on",)


def declare() -> None:
    declare_page(PLAN_PAGE, PLAN_SLOTS)
    declare_page(GOVERNANCE_PAGE, GOVERNANCE_SLOTS)


def governance_panels(plan: Any, person: Any) -> dict[str, list[ShownPanel]]:
    return panels_for(GOVERNANCE_PAGE, plan, person)


def plan_panels(plan: Any, person: Any, *, printing: bool = False) -> dict[str, list[ShownPanel]]:
    return panels_for(PLAN_PAGE, plan, person, printing=printing)
