"""Engagement's panels on the plan page and in the plan's documents (see `core.panels` and
`plans.panels`): the open consultations' banners, the button to the plan's engagement, and the
engagement record, the evidence for standard 4, after the plan's scope."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from commissioning.core.panels import Panel, register_panel
from commissioning.engagement import rules, selectors
from commissioning.kit.word import add_table
from commissioning.plans.panels import GOVERNANCE_PAGE, PLAN_PAGE
from commissioning.plans.rules import is_plan_commissioner


def _add_record_to_word(document: Any, context: Mapping[str, Any]) -> None:
    """The engagement record: the evidence for standard 4."""
    record = context["record"]
    document.add_heading(gettext("How people took part (standard 4)"), level=2)
    if not record["activities"]:
        document.add_paragraph(gettext("No engagement is recorded yet."))
        return
    add_table(document, record["participants"])
    if record["seldom_heard"]:
        document.add_paragraph(
            gettext("Seldom-heard groups who took part:") + " " + ", ".join(record["seldom_heard"])
        )
    for activity in record["activities"]:
        document.add_heading(activity.title, level=3)
        document.add_paragraph(
            f"{activity.get_kind_display()}, {activity.held_on:%d/%m/%Y}"
            + (f"; {activity.cycle_stage.localised_name}" if activity.cycle_stage else "")
        )
        if activity.what_changed:
            document.add_paragraph(gettext("What changed:") + " " + activity.what_changed)


def register() -> None:
    register_panel(
        Panel(
            page=PLAN_PAGE,
            slot="banners",
            key="engagement.open_consultations",
            template="engagement/panels/open_consultations.html",
            context=lambda plan, person: {
                "open_consultations": selectors.open_consultations_of(plan, person)
            },
            in_print=False,
        )
    )
    register_panel(
        Panel(
            page=PLAN_PAGE,
            slot="actions",
            key="engagement.button",
            template="engagement/panels/engagement_button.html",
            shown=lambda plan, person: is_plan_commissioner(person, plan),
            in_print=False,
        )
    )
    register_panel(
        Panel(
            page=PLAN_PAGE,
            slot="scope",
            key="engagement.record",
            template="engagement/panels/record.html",
            context=lambda plan, person: {"record": selectors.engagement_record(plan)},
            word=_add_record_to_word,
        )
    )
    register_panel(
        Panel(
            page=GOVERNANCE_PAGE,
            slot="rests_on",
            key="engagement.rests_on",
            template="engagement/panels/rests_on.html",
            context=lambda plan, person: {
                "rests_on_consultations": [
                    (c, rules.may_see_results(person, c))
                    for c in selectors.consultations_of(plan, person)
                ],
                "may_see_engagement": rules.is_plan_insider(person, plan),
            },
        )
    )
