"""A consultation's figures: a question's counts as a chart drawn on the server, with the spec
the page's script redraws and a summary in words. The results page's template tag takes them
from here."""

import logging
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from commissioning.engagement import charts
from commissioning.kit.charts import to_svg

logger = logging.getLogger(__name__)


def question_chart(result: Any) -> dict[str, Any] | None:
    """The chart of one question's counts (None for free text), ready for the chart include."""
    table = result.table
    if table is None or not result.answered:
        return None
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
        "key": key,
        "title": table.title,
        "summary": summary,
        "svg": mark_safe(svg),  # noqa: S308 - vl-convert escapes every text and attribute
        "spec": spec,
        "spec_id": f"{key}-chart-spec",
    }
