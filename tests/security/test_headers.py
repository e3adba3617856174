"""The security headers on every response, the Content-Security-Policy (no inline script,
no inline <style> element, no eval) and the templates that keep to it, and the production
defaults of settings.py (HTTPS redirect, HSTS, secure cookies; ``check --deploy`` clean)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# Rendered to PDF by WeasyPrint or sent as e-mail, never served to a browser as a page.
NOT_PAGES = ("emails/", "survey/emails/", "appraisal/documents/", "documents/_extra_style",
             "documents/report.html", "documents/decision.html", "reports/self_assessment",
             "survey/public/poster.html")  # fmt: skip


def _csp(response) -> dict[str, list[str]]:
    out = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("path", ["/tai-khoan/dang-nhap/", "/cong-khai/", "/khong-co-trang/"])
def test_every_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"] and csp["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in csp["style-src"]


def test_the_error_pages_style_is_the_one_the_policy_allows_by_hash():
    text = (TEMPLATES / "errors" / "base.html").read_text(encoding="utf-8")
    (style,) = re.findall(r"<style>(.*?)</style>", text, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert settings.ERROR_PAGE_STYLE_HASH == f"'sha256-{digest}'"  # edited the CSS? update it


def _pages():
    for path in sorted(TEMPLATES.rglob("*.html")):
        rel = path.relative_to(TEMPLATES).as_posix()
        if not rel.startswith(NOT_PAGES):
            yield rel, path.read_text(encoding="utf-8")


def test_no_page_template_has_inline_script_handler_or_style_element():
    problems = []
    for rel, text in _pages():
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{rel}: inline {tag}")
        for attr in re.findall(r"\son[a-z]+\s*=", text):
            problems.append(f"{rel}: event handler attribute{attr}")
        if re.search(r"javascript:", text, re.I):
            problems.append(f"{rel}: javascript: URL")
        if "<style" in text and rel != "errors/base.html":
            problems.append(f"{rel}: <style> element (put it in static/css/)")
    assert problems == []


def _settings_in(env: dict[str, str], *names: str) -> list[str]:
    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        f"print(*[getattr(s, n, None) for n in {list(names)!r}], sep='|')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return out.stdout.strip().split("|")


def _production_env(tmp_path, **extra) -> dict[str, str]:
    # Not the test process's own switches: the database and queue of the suite, nor the
    # browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (which check --deploy rightly refuses).
    skip = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DJANGO_SETTINGS_MODULE="parindex.settings", DEBUG="false", PARINDEX_DATA_DIR=str(tmp_path),
        SECRET_KEY="x" * 60 + "-production-like-key-for-the-deploy-check-only",
        ALLOWED_HOSTS="cchc.bacgiang.gov.vn", **extra,
    )  # fmt: skip
    for name in list(env):
        if name.startswith(("SECURE_", "BEHIND_")):
            env.pop(name)
    env.update(extra)
    return env


def test_production_defaults_are_https_only(tmp_path):
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
             "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER")  # fmt: skip
    assert _settings_in(_production_env(tmp_path), *names) == [
        "True", "31536000", "True", "True", "None"
    ]  # fmt: skip
    behind = _production_env(tmp_path, BEHIND_HTTPS_PROXY="true")
    assert _settings_in(behind, "SECURE_PROXY_SSL_HEADER") == [
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    ]
    # the demo on plain http://127.0.0.1 (SECURE_COOKIES=false): no redirect, no HSTS
    demo = _production_env(tmp_path, SECURE_COOKIES="false")
    assert _settings_in(demo, *names[:3]) == ["False", "0", "False"]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr


def test_signed_in_pages_are_never_stored_by_a_cache(login, province, db):
    """ASVS 8.1.1: the back office (a unit's scores, the council's notes) says no-store; the
    anonymous responses keep their own rules (the public pages: public, no-cache)."""
    officer = login(province.officer)
    assert officer.get("/")["Cache-Control"] == "private, no-store"  # set by the middleware
    for path in ("/", "/tai-khoan/cua-toi/"):  # the account page has its own never_cache
        response = officer.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    anonymous = Client().get("/")  # the redirect to the login page
    assert anonymous.status_code == 302 and "Cache-Control" not in anonymous
