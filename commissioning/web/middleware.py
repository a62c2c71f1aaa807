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
