"""The product's URLs plus one bare view: the stack's ceiling on the same server.

`/__bench__/bytes/<size>/` returns `size` bytes through the same middleware and no database,
so a page and the bare view of the same length can be compared in the same run.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from commissioning.config import urls as product

MAX_BYTES = 16 * 1024 * 1024


def bare_bytes(request: HttpRequest, size: int) -> HttpResponse:
    return HttpResponse(b"x" * min(size, MAX_BYTES))


urlpatterns = [
    path("__bench__/bytes/<int:size>/", bare_bytes, name="bench_bytes"),
    *product.urlpatterns,
]

handler400 = product.handler400
handler403 = product.handler403
handler404 = product.handler404
handler500 = product.handler500
