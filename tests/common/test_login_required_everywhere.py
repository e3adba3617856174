"""Every page needs login, except the few public ones named here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"accounts:login", "healthz", "metrics"}  # /metrics: tests/ops/test_metrics.py
# "Quên mật khẩu": the request form and the e-mailed link's pages (the link is the credential,
# tests/accounts/test_password_reset.py).
PUBLIC |= {
    "accounts:password-forgot",
    "accounts:password-forgot-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-done",
}
# The survey's respondents have no account: the invitation link (a single-use token) and the
# public link/QR per unit (tests/survey/test_respond.py, test_public.py test who gets in).
# The published results (/cong-khai/) are public by design: an unpublished period's pages are
# 404 to everyone (tests/publication/, the access matrix).
PUBLIC_NAMESPACES = ("survey_public:", "public:")
# The API (/api/v1/) does its own authentication: without a token it answers 401 in JSON, not a
# redirect; its document, docs page and the approved results are public (tests/api/).
API_NAMESPACE = "api:"
API_PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            if item.namespace == "admin":
                continue  # Django's admin has its own login
            for name, route in _named_patterns(item, ns):
                yield name, str(item.pattern) + route
        elif isinstance(item, URLPattern) and item.name:
            yield f"{namespace}{item.name}", str(item.pattern)


def _example_path(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<\w+>\[0-9\]\+\)", "1", route)
    route = re.sub(r"\(\?P<\w+>([a-z|]+)\)", lambda m: m.group(1).split("|")[0], route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(str:)?\w+>", "x", route)
    route = route.replace("\\.", ".")
    return "/" + route


ROUTES = sorted(set(_named_patterns()))


def test_the_url_list_is_not_empty():
    assert len(ROUTES) > 40


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[n for n, _ in ROUTES])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db, name, route):
    if name in PUBLIC or name.startswith(PUBLIC_NAMESPACES):
        pytest.skip("public page")
    path = _example_path(route)
    if name.startswith(API_NAMESPACE):
        if name in API_PUBLIC or name.startswith("api:public-"):
            pytest.skip("public API path")
        for method in (client.get, client.post, client.put):
            assert method(path).status_code in (401, 405), (name, path)
        return
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code in (302, 405), (name, path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/tai-khoan/dang-nhap/"), (name, path)
