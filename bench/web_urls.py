"""The product's URLs plus the benchmark's baseline: a bare Django view answering "ok"."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from parindex import urls as product


@login_not_required
def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok/", ok, name="bench-ok"),
    path("", include("parindex.urls")),
]

# The product's error views too (a URLconf's handler500 & co. are read from the root one only):
# without them the bench would show Django's plain pages where production answers its own.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(product, _name):
        globals()[_name] = getattr(product, _name)
