"""The JSON API at /api/v1/, assembled from each app's router."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from commissioning.audit.api import router as audit_router
from commissioning.core.api import router as core_router
from commissioning.core.api_auth import SIGNED_IN
from commissioning.core.api_docs import ApiReference
from commissioning.core.api_schema import MAX_DECIMALS, TruthfulOpenAPISchema, rounded_values
from commissioning.engagement.api import router as engagement_router
from commissioning.market.api import router as market_router
from commissioning.needs.api import router as needs_router
from commissioning.plans.api import router as plans_router


class RoundingJSONRenderer(JSONRenderer):
    """JSON whose numbers carry no noise of binary arithmetic: each schema rounds its numbers to
    the places it documents, and anything left (free-form values) is rounded here."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return super().render(request, rounded_values(data), response_status=response_status)


class OpenCommissioningAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return TruthfulOpenAPISchema(self, path_prefix)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # Last: whatever path under /api/v1/ names no operation is a JSON 404, not a page.
        return [*super()._get_urls(), re_path(r"^.+$", self.not_found, name="not-found")]

    def not_found(self, request: HttpRequest) -> HttpResponse:
        return self.create_response(
            request,
            {"detail": _("There is no such address in the API: see /api/v1/docs.")},
            status=404,
        )


api = OpenCommissioningAPI(
    title="Open Commissioning API",
    version="1.0.0",
    description=(
        "Open data and the commissioning cycle as JSON. Public endpoints need no sign-in; the "
        "others take a browser session or a personal token from the account page, sent as "
        "`Authorization: Bearer <token>`, and act with your roles. Every list answers in "
        "pages (`page`, `page_size`) with the total it holds (`count`). A number with a "
        "fraction has at most the decimal places its schema gives (`x-decimals`), and at most "
        f"{MAX_DECIMALS} where none is given."
    ),
    auth=SIGNED_IN,
    urls_namespace="api-1.0.0",
    docs=ApiReference(),
    renderer=RoundingJSONRenderer(),
)
api.add_router("/", core_router)
api.add_router("/", audit_router)
api.add_router("/", needs_router)
api.add_router("/", market_router)
api.add_router("/", plans_router)
api.add_router("/", engagement_router)


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
