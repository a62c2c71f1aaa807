"""`{% acting_person person interests %}`: a person's name with any interest they have declared
(`core.selectors.interests_by_person`), wherever they act: on a plan, in a group, in an
evaluation."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("core/includes/acting_person.html")
def acting_person(person: Any, interests: dict[int, list[Any]] | None) -> dict[str, Any]:
    declared = (interests or {}).get(person.pk, []) if person else []
    return {"person": person, "declared": declared}
