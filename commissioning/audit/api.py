from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from commissioning.audit import selectors
from commissioning.core.api import actor
from commissioning.core.api_schema import BoundedPageNumberPagination

router = Router(tags=["Audit trail"])


class AuditEventOut(Schema):
    sequence: int
    occurred_at: datetime
    actor_label: str
    organisation_id: int | None
    verb: str
    object_type: str
    object_id: str
    object_label: str
    before: Any
    after: Any
    reason: str
    hash: str


@router.get(
    "/audit-events", response=list[AuditEventOut], summary="Audit events you may see, newest first"
)
@paginate(BoundedPageNumberPagination)
def list_audit_events(request: HttpRequest) -> Any:
    return selectors.events_visible_to(actor(request))
