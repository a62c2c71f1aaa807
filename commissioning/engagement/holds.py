"""What engagement holds a plan back for (see `core.holds`): a plan is not sent for approval
while a consultation on it is still to close, nor published before "you said, we did" is
published for each consultation that closed."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from commissioning.core.holds import Hold, register_hold
from commissioning.engagement.models import Consultation

APPROVAL = "approval"
PUBLISHED = "published"


def _date(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def consultation_holds(plan: Any, to_status: str) -> list[Hold]:
    if to_status not in (APPROVAL, PUBLISHED):
        return []
    now = timezone.now()
    holds = []
    for consultation in Consultation.objects.filter(
        plan_id=plan.pk, status=Consultation.Status.PUBLISHED
    ).order_by("closes_at", "pk"):
        url = reverse("engagement:consultation_detail", args=[consultation.pk])
        if consultation.closes_at > now:
            dates = {
                "title": consultation.title,
                "opens": _date(consultation.opens_at),
                "closes": _date(consultation.closes_at),
            }
            message = (
                _("The consultation “%(title)s” is open until %(closes)s.")
                if consultation.opens_at <= now
                else _("The consultation “%(title)s” opens on %(opens)s and closes on %(closes)s.")
            )
            holds.append(Hold("consultation_open", message % dates, url))
        elif to_status == PUBLISHED and consultation.response_published_at is None:
            holds.append(
                Hold(
                    "no_you_said_we_did",
                    _(
                        "The consultation “%(title)s” has closed, but its “you said, we did” "
                        "is not published."
                    )
                    % {"title": consultation.title},
                    reverse("engagement:consultation_response", args=[consultation.pk]),
                )
            )
    return holds


def register() -> None:
    register_hold("plan", "engagement.consultations", consultation_holds)
