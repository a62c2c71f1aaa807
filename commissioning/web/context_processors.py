from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from commissioning.web.navigation import items_for


def service(request: Any) -> dict[str, Any]:
    # A live service shows no phase banner.
    phase_labels = {"alpha": _("Alpha"), "beta": _("Beta")}
    return {
        "service_name": settings.SERVICE_NAME,
        "service_owner": settings.SERVICE_OWNER,
        "service_phase_label": phase_labels.get(settings.SERVICE_PHASE, ""),
        "service_feedback_email": settings.SERVICE_FEEDBACK_EMAIL,
        "navigation": items_for(request) if hasattr(request, "user") else [],
    }
