"""`{% acting_person person interests %}`: a person's name with any interest they have declared,
wherever they act on a plan. `{% question_chart result %}`: a consultation question's counts as
a chart drawn on the server, with its summary in words (built in `engagement.figures`)."""

from typing import Any

from django import template

from commissioning.engagement import figures

register = template.Library()


@register.inclusion_tag("engagement/includes/acting_person.html")
def acting_person(person: Any, interests: dict[int, list[Any]] | None) -> dict[str, Any]:
    declared = (interests or {}).get(person.pk, []) if person else []
    return {"person": person, "declared": declared}


def question_chart_context(result: Any) -> dict[str, Any]:
    """The chart of one question's counts (None for free text), ready for the chart include."""
    return {"chart": figures.question_chart(result)}


@register.inclusion_tag("needs/includes/chart.html")
def question_chart(result: Any) -> dict[str, Any]:
    return question_chart_context(result)
