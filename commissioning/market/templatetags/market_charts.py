"""`{% market_chart results "map" %}` and `{% market_chart results "supply" %}`: a market
analysis's charts as figures with the SVG drawn on the server, the spec the page's script
redraws, and a summary in words (built in `market.figures`)."""

from typing import Any

from django import template

from commissioning.market import figures

register = template.Library()


@register.inclusion_tag("needs/includes/chart.html")
def market_chart(results: Any, key: str) -> dict[str, Any]:
    return {"chart": figures.chart_for(results, key)}
