"""The JSON API at /api/v1/, assembled from each app's router."""

from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from commissioning.audit.api import router as audit_router
from commissioning.core.api import router as core_router
from commissioning.core.api_auth import SIGNED_IN
from commissioning.core.api_schema import TruthfulOpenAPISchema
from commissioning.market.api import router as market_router
from commissioning.needs.api import router as needs_router

# Swagger UI sets inline styles; only its own page may use them.
docs_csp = csp_update({"style-src": [UNSAFE_INLINE]})


class OpenCommissioningAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return TruthfulOpenAPISchema(self, path_prefix)


api = OpenCommissioningAPI(
    title="Open Commissioning API",
    version="1.0.0",
    description=(
        "Open data and the commissioning cycle as JSON. Public endpoints need no sign-in; the "
        "others take a browser session or a personal token from the account page, sent as "
        "`Authorization: Bearer <token>`, and act with your roles."
    ),
    auth=SIGNED_IN,
    urls_namespace="api-1.0.0",
    docs_decorator=docs_csp,
)
api.add_router("/", core_router)
api.add_router("/", audit_router)
api.add_router("/", needs_router)
api.add_router("/", market_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("Your roles do not allow this.")}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "messages": messages} for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"field": "__all__", "messages": exc.messages}]
    return api.create_response(
        request, {"detail": _("The request could not be saved."), "errors": errors}, status=422
    )
