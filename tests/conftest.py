"""Personas shared by every test: a small province built through the real services.

- ``snv``: Sở Nội vụ, organizer of the province (admin_root = the province); ``admin`` is its
  organizer admin (Quản trị).
- ``stp``: Sở Tư pháp (block sở) with ``officer`` (Chuyên viên đầu mối) and ``leader``.
- ``syt``: Sở Y tế with ``outsider`` — another unit's officer, who must get 403/404.
- ``district``: Huyện Yên Dũng (block huyện); ``pnv``: its Phòng Nội vụ, organizer for its
  communes, with ``district_admin``; ``commune``: Xã Tiến Dũng (block xã).
- ``appraiser`` (Sở Tư pháp member of the council), ``chair`` (council chair), ``sysadmin``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from parindex.accounts.models import Membership, Unit
from parindex.accounts.services import block_create, membership_grant, unit_create, user_create

PASSWORD = "Mat-khau-rat-dai-2026"


@pytest.fixture
def province(db):
    ns = SimpleNamespace()
    ns.so = block_create(actor=None, code="so", name="Khối sở, ban, ngành", position=1)
    ns.huyen = block_create(actor=None, code="huyen", name="Khối huyện, thành phố", position=2)
    ns.xa = block_create(actor=None, code="xa", name="Khối xã, phường, thị trấn", position=3)
    ns.root = unit_create(actor=None, code="BG", name="Tỉnh Bắc Giang", kind=Unit.Kind.PROVINCE)
    ns.snv = unit_create(
        actor=None,
        code="SNV",
        name="Sở Nội vụ",
        kind=Unit.Kind.DEPARTMENT,
        parent=ns.root,
        block=ns.so,
        admin_root=ns.root,
    )
    ns.stp = unit_create(
        actor=None,
        code="STP",
        name="Sở Tư pháp",
        kind=Unit.Kind.DEPARTMENT,
        parent=ns.root,
        block=ns.so,
    )
    ns.syt = unit_create(
        actor=None,
        code="SYT",
        name="Sở Y tế",
        kind=Unit.Kind.DEPARTMENT,
        parent=ns.root,
        block=ns.so,
    )
    ns.district = unit_create(
        actor=None,
        code="YDU",
        name="UBND huyện Yên Dũng",
        kind=Unit.Kind.DISTRICT,
        parent=ns.root,
        block=ns.huyen,
    )
    ns.pnv = unit_create(
        actor=None,
        code="YDU-PNV",
        name="Phòng Nội vụ huyện Yên Dũng",
        kind=Unit.Kind.OFFICE,
        parent=ns.district,
        admin_root=ns.district,
    )
    ns.commune = unit_create(
        actor=None,
        code="YDU-TD",
        name="UBND xã Tiến Dũng",
        kind=Unit.Kind.COMMUNE,
        parent=ns.district,
        block=ns.xa,
    )

    def person(username, full_name, unit=None, role=None, **kw):
        user = user_create(
            actor=None, username=username, password=PASSWORD, full_name=full_name, **kw
        )
        if unit is not None:
            membership_grant(actor=None, user=user, unit=unit, role=role)
        return user

    R = Membership.Role
    ns.admin = person("quantri", "Nguyễn Thị Hoa", ns.snv, R.ORGANIZER_ADMIN)
    ns.officer = person("cv.stp", "Trần Văn Minh", ns.stp, R.UNIT_OFFICER)
    ns.leader = person("ld.stp", "Lê Quang Huy", ns.stp, R.UNIT_LEADER)
    ns.outsider = person("cv.syt", "Phạm Thu Trang", ns.syt, R.UNIT_OFFICER)
    ns.appraiser = person("td.stp", "Đỗ Văn Nam", ns.stp, R.APPRAISER)
    ns.chair = person("chutich", "Vũ Mạnh Hùng", ns.root, R.COUNCIL_CHAIR)
    ns.district_admin = person("quantri.yd", "Hoàng Văn Thái", ns.pnv, R.ORGANIZER_ADMIN)
    ns.commune_officer = person("cv.tiendung", "Ngô Thị Lan", ns.commune, R.UNIT_OFFICER)
    ns.sysadmin = person("hethong", "Quản trị hệ thống", is_superuser=True)
    ns.password = PASSWORD
    return ns


@pytest.fixture(autouse=True)
def _second_factor_given(request):
    """Tests sign in with the password only (``client.force_login``, ``client.login``, the
    login form in a browser) and then test something else, organizer and system admins too:
    every session signed in during a test counts as having given its second factor. Only the
    test process does this (a receiver connected here); tests of the second factor itself opt
    out with ``@pytest.mark.two_factor`` and sign in as production does."""
    if request.node.get_closest_marker("two_factor"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    from parindex.accounts.twofactor_state import STATE, VERIFIED

    def given(sender, request, user, **kwargs):
        if request is not None and getattr(request, "session", None) is not None:
            request.session[STATE] = VERIFIED

    user_logged_in.connect(given, dispatch_uid="tests.second_factor_given", weak=False)
    yield
    user_logged_in.disconnect(dispatch_uid="tests.second_factor_given")


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# ------------------------------------------------------------------ browser (Chromium)
# Without /usr/bin/chromium the browser tests are skipped on a developer's machine and FAIL in
# CI (CI=true): ``./run test`` installs Chromium, so a missing browser there is a broken set-up.

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# Every browser test fails if a page logs a Content-Security-Policy violation (Chromium's
# console: "Refused to execute inline script because it violates … Content Security Policy").
CSP_VIOLATIONS: list[str] = []


def watch_csp(context):
    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            where = getattr(getattr(message, "page", None), "url", "")
            CSP_VIOLATIONS.append(f"{where}: {text}")

    context.on("console", on_console)
    return context


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    CSP_VIOLATIONS.clear()
    yield
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert not found, "CSP violations in the browser:\n" + "\n".join(found)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(f"{CHROMIUM} is missing: ./run test installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that it is safe here (the loop never runs Django code at once).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        new_context = browser.new_context
        browser.new_context = lambda *a, **kw: watch_csp(new_context(*a, **kw))  # type: ignore[method-assign]
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where the screenshots go (a temp dir, printed by the tests that write there)."""
    return Path(tempfile.mkdtemp(prefix="parindex-browser-"))
