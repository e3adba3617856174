"""In Chromium: the unit's leader files an appeal on one criterion from its results; the Sở Nội
vụ accepts it with a score typed "1,5"-style; the unit reads the answer and the new version.
Screenshots go to /tmp/shots/appeals/."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.appeals.models import Appeal
from parindex.assessments.models import Entry
from parindex.common.numbers import vn_points
from parindex.publication.services import period_publish
from tests.conftest import PASSWORD
from tests.results.conftest import approve, through_round_two

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/appeals")  # noqa: S108 - the screenshots of this test


def _login(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_leader_appeals_and_the_organizer_accepts(appraisal, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ns = appraisal
    through_round_two(ns)
    approve(ns)
    period_publish(actor=ns.province.admin, period=ns.period)
    leaf = Entry.objects.select_related("node").get(assessment=ns.stp, node__code="1.6")

    _login(page, live_server, ns.province.leader)
    page.goto(f"{live_server.url}/ket-qua/don-vi/{ns.stp.pk}/")
    page.click("#appeals-link")
    page.wait_for_load_state("networkidle")
    page.check(f"#chon-{leaf.pk}")
    page.fill(f"#ly-do-{leaf.pk}", "Đơn vị đã ban hành kế hoạch đúng hạn (Kế hoạch số 12/KH-STP).")
    page.screenshot(path=str(SHOTS / "unit-form.png"), full_page=True)
    page.click("#appeal-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã gửi kiến nghị số" in page.content()
    appeal = Appeal.objects.get()

    _login(page, live_server, ns.province.admin)
    page.goto(f"{live_server.url}/kien-nghi/{appeal.pk}/")
    item = appeal.items.get()
    page.check(f"input[name=ket_luan_{item.pk}][value=chap_nhan]")
    page.fill(f"input[name=diem_{item.pk}]", vn_points(leaf.node.max))
    page.fill("#y_kien", "Hội đồng chấp nhận kế hoạch của đơn vị.")
    page.screenshot(path=str(SHOTS / "organizer-answer.png"), full_page=True)
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "phiên bản 2" in page.locator("#answer").inner_text()

    _login(page, live_server, ns.province.leader)
    page.goto(f"{live_server.url}/kien-nghi/{appeal.pk}/")
    text = page.locator("#items").inner_text()
    assert "Chấp nhận" in text and vn_points(leaf.node.max) in text
    page.screenshot(path=str(SHOTS / "unit-answer.png"), full_page=True)
