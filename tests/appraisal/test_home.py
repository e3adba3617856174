"""The home page and the menu for the council: what waits comes from the seat on a period's
council (not from an account role), with the round's remaining leaves and deadline; the chair
sees consolidated results waiting for approval."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import Membership
from parindex.accounts.services import membership_grant, user_create
from parindex.appraisal.services import consolidation_submit, round_open
from tests.appraisal.test_consolidation_views import _through_round_two
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _waiting(html: str) -> str:
    return html.split("Việc đang chờ bạn", 1)[1].split("</section>", 1)[0]


def test_the_appraiser_sees_the_leaves_left_in_the_open_round(appraisal, login):
    appraisal.at("round1")
    round_open(actor=appraisal.province.admin, period=appraisal.period, round=1)
    html = login(appraisal.province.appraiser).get(reverse("home")).content.decode()
    waiting = _waiting(html)
    assert "Thẩm định lần 1 (Xác định Chỉ số CCHC năm 2026): còn" in waiting
    assert "tiêu chí chưa kết luận ở 1 đơn vị" in waiting  # SYT only: not their own STP
    assert reverse("appraisal:queue") in waiting
    assert "hạn " in waiting


def test_before_a_round_opens_nothing_waits_for_the_council(appraisal, login):
    html = login(appraisal.province.appraiser).get(reverse("home")).content.decode()
    assert "Thẩm định lần" not in _waiting(html)


def test_the_chair_sees_the_consolidation_waiting_for_approval(appraisal, login):
    _through_round_two(appraisal)
    appraisal.at("approval")
    consolidation_submit(actor=appraisal.province.admin, period=appraisal.period)
    html = login(appraisal.province.chair).get(reverse("home")).content.decode()
    waiting = _waiting(html)
    assert "chờ Chủ tịch Hội đồng xem xét, phê duyệt" in waiting
    assert reverse("appraisal:consolidation", args=[appraisal.period.pk]) in waiting


def test_the_menu_follows_the_seat_not_the_account_role(appraisal, login):
    # a seat without the role: the menu shows Thẩm định (appraiser2 holds no appraiser role)
    menu = login(appraisal.appraiser2).get(reverse("home")).content.decode()
    assert reverse("appraisal:queue") in menu.split("</nav>", 1)[0]
    # the role without a seat on any council: no menu entry
    lone = user_create(actor=None, username="td.le", password=PASSWORD, full_name="Lê Thị Bình")
    membership_grant(
        actor=None, user=lone, unit=appraisal.province.syt, role=Membership.Role.APPRAISER
    )
    menu = login(lone).get(reverse("home")).content.decode()
    assert reverse("appraisal:queue") not in menu.split("</nav>", 1)[0]
