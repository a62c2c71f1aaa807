"""The service navigation: which sections a person sees, in order."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavigationItem:
    text: str
    href: str
    current: bool


def items_for(request: Any) -> list[NavigationItem]:
    path = request.path
    entries: list[tuple[str, str]] = []
    if request.user.is_authenticated:
        entries.append((_("Dashboard"), reverse("web:dashboard")))
    entries.append((_("Needs assessments"), reverse("needs:assessment_list")))
    entries.append((_("Data"), reverse("needs:data_list")))
    entries.append((_("Providers"), reverse("market:provider_list")))
    entries.append((_("Market analyses"), reverse("market:analysis_list")))
    entries.append((_("Plans"), reverse("plans:plan_list")))
    entries.append((_("Consultations"), reverse("engagement:consultation_list")))
    entries.append((_("Organisations"), reverse("core:organisation_list")))
    if request.user.is_authenticated:
        entries.append((_("Your account"), reverse("core:account")))
    return [
        NavigationItem(text, href, path == href or (href != "/" and path.startswith(href)))
        for text, href in entries
    ]
