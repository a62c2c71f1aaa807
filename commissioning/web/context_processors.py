from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from commissioning.web.navigation import items_for


def service(request: Any) -> dict[str, Any]:
    phase = settings.SERVICE_PHASE
    return {
        "service_name": settings.SERVICE_NAME,
        "service_owner": settings.SERVICE_OWNER,
        "service_phase_label": _("Alpha") if phase == "alpha" else _("Beta"),
        "service_feedback_email": settings.SERVICE_FEEDBACK_EMAIL,
        "navigation": items_for(request) if hasattr(request, "user") else [],
    }
