"""No list page answers 500 to a strange query string: every GET parameter a page knows (read
in the views' source or named by the page's own GET forms) gets huge, negative, non-numeric,
Unicode-digit and overlong values."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.common.test_login_required_everywhere import ROUTES
from tests.periods.factories import make_assessment

SOURCE = Path(__file__).resolve().parents[2] / "parindex"
SKIP = {"accounts:logout", "accounts:login", "healthz", "reports:self-assessment"}
BAD_VALUES = [
    "99999999999999999999999",
    "9223372036854775808",
    "-1",
    "-99999999999999999999",
    "0",
    "abc",
    "1.5",
    "1e9",
    "١٢٣",  # Arabic-Indic digits
    "１２",  # fullwidth digits
    "9" * 5000,
    "x\x00y",
    "",
]
ONE_BY_ONE = ["99999999999999999999999", "-5", "١٢٣"]  # each parameter alone too


def _source_parameters() -> set[str]:
    names: set[str] = set()
    # every view module, one file or a package: request.GET.get("x"), f.get("x"), GET["x"]
    views = [*SOURCE.rglob("views.py"), *SOURCE.rglob("views/*.py")]
    for path in views:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\.get\(\s*[\"'](\w+)[\"']", text))
        names |= set(re.findall(r"GET\[[\"'](\w+)[\"']\]", text))
    return names


class _GetFormNames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_get_form = (a.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get_form and a.get("name"):
            self.names.add(a["name"])
        elif tag == "a" and (a.get("href") or "").find("?") >= 0:
            query = a["href"].split("?", 1)[1]
            self.names |= {part.split("=", 1)[0] for part in query.split("&") if part}

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _pages(objects) -> list[tuple[str, str]]:
    """(name, path) of every GET page without arguments or with one ``pk``."""
    out = []
    for name, route in ROUTES:
        if name in SKIP:
            continue
        args = re.findall(r"<(?:int:)?(\w+)>", route)
        if args and args != ["pk"]:
            continue
        if args:
            prefix = next((p for p in objects if route.startswith(p)), None)
            if prefix is None:
                continue
            route = re.sub(r"<int:pk>", str(objects[prefix]), route)
        out.append((name, "/" + route))
    return out


@pytest.fixture
def world(province):
    assessment = make_assessment(province)
    period = assessment.period
    framework = period.blocks.first().framework
    return {
        "dot-danh-gia/": period.pk,
        "danh-gia/": assessment.pk,
        "bo-tieu-chi/": framework.pk,
        "tai-khoan/khoi/": province.so.pk,
        "tai-khoan/don-vi/": province.stp.pk,
        "tai-khoan/nguoi-dung/": province.officer.pk,
    }


@pytest.mark.parametrize("persona", ["admin", "sysadmin", "district_admin", "officer"])
def test_no_page_answers_500_to_strange_query_parameters(client, province, world, persona):
    client.raise_request_exception = False
    client.force_login(getattr(province, persona))
    known = _source_parameters()
    assert {"don_vi", "khoi", "trang"} <= known
    pages = _pages(world)
    assert len(pages) > 30
    failures = []
    for name, path in pages:
        first = client.get(path)
        if first.status_code >= 500:
            failures.append((name, path, "", first.status_code))
            continue
        if first.status_code in (403, 404, 405):
            continue  # not this persona's page, or not a GET page
        own: set[str] = set()
        if first.get("Content-Type", "").startswith("text/html"):
            parser = _GetFormNames()
            parser.feed(first.content.decode("utf-8", "replace"))
            own = parser.names
        names = known | own
        tries = [dict.fromkeys(names, value) for value in BAD_VALUES]  # all at once
        tries += [{param: value} for param in sorted(own) for value in ONE_BY_ONE]
        for query in tries:
            response = client.get(path, query)
            if response.status_code >= 500:
                shown = {k: v[:30] for k, v in query.items()} if len(query) == 1 else query
                failures.append((name, path, str(shown)[:60], response.status_code))
    assert not failures, "\n".join(f"{n} {p} {q} -> {c}" for n, p, q, c in failures)
