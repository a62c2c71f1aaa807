"""`{% acting_person person interests %}`: a person's name with any interest they have declared,
wherever they act on a plan. `{% question_chart result %}`: a consultation question's counts as
a chart drawn on the server, with its summary in words."""

import logging
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from commissioning.engagement import charts
from commissioning.needs.charts import to_svg

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("engagement/includes/acting_person.html")
def acting_person(person: Any, interests: dict[int, list[Any]] | None) -> dict[str, Any]:
    declared = (interests or {}).get(person.pk, []) if person else []
    return {"person": person, "declared": declared}


def question_chart_context(result: Any) -> dict[str, Any]:
    """The chart of one question's counts (None for free text), ready for the chart include."""
    table = result.table
    if table is None or not result.answered:
        return {"chart": None}
    top = max(table.rows, key=lambda row: row["responses"])
    description = gettext("Bar chart of the answers to: %(question)s") % {
        "question": result.question.text
    }
    summary = gettext(
        "%(answered)s people answered. The most chosen answer was “%(option)s”, by %(count)s "
        "(%(percent)s%%)."
    ) % {
        "answered": intcomma(result.answered),
        "option": top["option"],
        "count": intcomma(top["responses"]),
        "percent": top["percent"],
    }
    if result.mean is not None:
        summary += " " + gettext("The average rating was %(mean)s out of 5.") % {
            "mean": result.mean
        }
    spec = charts.answer_bars(table, description=description, responses=gettext("Responses"))
    key = table.key
    try:
        svg = to_svg(spec, label=description, id_prefix=f"{key}-")
    except Exception:  # the page still has the summary and the table
        logger.exception("Could not render the %s chart as SVG", key)
        svg = ""
    return {
        "chart": {
            "key": key,
            "title": table.title,
            "summary": summary,
            "svg": mark_safe(svg),  # noqa: S308 - vl-convert escapes every text and attribute
            "spec": spec,
            "spec_id": f"{key}-chart-spec",
        }
    }


@register.inclusion_tag("needs/includes/chart.html")
def question_chart(result: Any) -> dict[str, Any]:
    return question_chart_context(result)
