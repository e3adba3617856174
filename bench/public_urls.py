"""bench/public.py's URLconf: the product's URLs, the bare view, and the public ranking page
without its cache (the view the cache wraps), to measure what the cache saves."""

from django.urls import include, path

from bench.web_urls import ok
from parindex.publication import views

urlpatterns = [
    path("bench/ok/", ok, name="bench-ok"),
    path(
        "bench/uncached/<str:organizer>/<int:year>/<str:block>/",
        views.ranking_page,
        name="bench-uncached",
    ),
    path("", include("parindex.urls")),
]
