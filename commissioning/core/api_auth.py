"""How the JSON API knows who is calling. Used by config/api.py for the whole API and by
public endpoints that show more to a signed-in caller."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from commissioning.core import services


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer oc_…` with a token made on the account page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = services.person_for_api_token(token)
        if person is not None:
            request.user = person
        return person


class ActiveSessionAuth(SessionAuth):
    """The browser session, with Django's CSRF check on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class Anonymous:
    """Last in a list of authenticators: lets anyone through, as an anonymous person. The
    OpenAPI document shows such operations' credentials as optional."""

    admits_anyone = True

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()


SIGNED_IN = [ApiTokenAuth(), ActiveSessionAuth()]
ANYONE = [*SIGNED_IN, Anonymous()]
