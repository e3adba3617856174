"""/khao-sat/<token>/: a respondent's form from the invitation link (see views/respond.py).
The token is 20–100 URL-safe characters, so these never catch the other /khao-sat/ pages."""

from django.urls import re_path

from parindex.survey.views import respond as views

LINK_RE = r"(?P<token>[A-Za-z0-9_-]{20,100})"

urlpatterns = [
    re_path(rf"^{LINK_RE}/$", views.respond_form, name="respond_form"),
    re_path(rf"^{LINK_RE}/cam-on/$", views.respond_thanks, name="respond_thanks"),
]
