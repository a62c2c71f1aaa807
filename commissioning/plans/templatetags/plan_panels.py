"""`{% panels "slot" %}`: the panels other apps add to one slot of a plan page (`plans.panels`)."""

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from commissioning.core.panels import render_slot

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: Context, slot: str) -> SafeString:
    # Each panel's template is escaped by the template engine as it renders.
    return mark_safe(render_slot(context, slot))  # noqa: S308
