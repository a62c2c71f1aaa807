"""`{% assessment_chart tables "population_profile" %}`: one of a needs assessment's charts,
as a figure with the chart drawn on the server (SVG), the Vega-Lite spec the page's script
redraws it from, and a summary of it in words (built in `needs.figures`)."""

from collections.abc import Mapping
from typing import Any

from django import template

from commissioning.kit.tables import Table
from commissioning.needs.figures import Chart as Chart
from commissioning.needs.figures import chart_for

register = template.Library()


@register.inclusion_tag("needs/includes/chart.html")
def assessment_chart(tables: Mapping[str, Table], key: str) -> dict[str, Any]:
    return {"chart": chart_for(tables, key)}
