"""The product's URLs plus the benchmark's baseline: a bare Django view answering "ok"."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_not_required
def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok/", ok, name="bench-ok"),
    path("", include("parindex.urls")),
]
