"""Refuse request bodies over the upload limit before Django reads them.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, so without this a client
could stream gigabytes to a web process. Importers that need bigger files raise the limit
with OC_MAX_REQUEST_BYTES.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return render(
                request, "web/too_large.html", {"limit_mb": limit // (1024 * 1024)}, status=413
            )
        return self.get_response(request)


class PrivateResponsesUncachedMiddleware:
    """Keep what a signed-in person sees out of shared and browser caches.

    Any response to a signed-in person (by session or API token) gets `Cache-Control: private,
    no-store` unless the view chose its own caching; public pages for people who are not signed
    in stay cacheable. Private downloads are only ever served to a signed-in person, so they are
    covered too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "private, no-store"
        return response
