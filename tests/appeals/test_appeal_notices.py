"""The appeals' e-mails and home-page lines: the organizer's admins hear of a new appeal (the
criteria with the unit's reasons) and the unit gets a confirmation; the unit hears the answer
(each criterion, the corrected score as 1,50, the new version). Sent by the worker after
commit — a refused appeal sends nothing; a unit without an address is skipped. The home page
lists the appeals waiting for the organizer and the unit's open or newly answered ones, never
another unit's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from parindex.accounts.models import User
from parindex.appeals.models import Appeal
from parindex.appeals.services import appeal_decide, appeal_file
from parindex.common.errors import DomainError
from tests.periods.helpers import give_emails

pytestmark = pytest.mark.django_db

REASON = "Đơn vị đã ban hành kế hoạch đúng hạn (Kế hoạch số 12/KH-STP)."
UNIT = ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]
ADMIN = ["quantri@bacgiang.gov.vn"]


def _file(ns, capture):
    with capture(execute=True):
        return appeal_file(
            actor=ns.province.leader,
            assessment=ns.stp,
            items=[(ns.leaf.pk, REASON)],
            summary="Đề nghị xem xét lại tiêu chí 1.6.",
        )


def _corrected(ns) -> Decimal:
    """The council agrees: full points (different from the published score)."""
    return Decimal(ns.leaf.node.max)


def test_filing_writes_to_the_organizer_and_confirms_to_the_unit(
    published, django_capture_on_commit_callbacks
):
    ns = published
    give_emails(ns.province)
    mail.outbox.clear()
    appeal = _file(ns, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    to_admin, to_unit = mail.outbox
    assert to_admin.to == ADMIN
    assert to_admin.subject == (
        f"[Chỉ số CCHC] Đơn vị {ns.stp.unit.name} gửi kiến nghị về kết quả Chỉ số CCHC năm "
        f"{ns.period.year}"
    )
    assert "Tiêu chí 1.6" in to_admin.body and REASON in to_admin.body
    assert reverse("appeals:detail", args=[appeal.pk]) in to_admin.body
    html = to_admin.alternatives[0][0]
    assert "Tiêu chí 1.6" in html and "Kế hoạch số 12/KH-STP" in html
    assert sorted(to_unit.to) == UNIT
    assert f"kiến nghị số {appeal.pk}" in to_unit.subject and REASON in to_unit.body
    assert "cv.syt@bacgiang.gov.vn" not in to_admin.to + to_unit.to


def test_the_answer_goes_to_the_unit_with_the_corrected_score_and_the_version(
    published, django_capture_on_commit_callbacks
):
    ns = published
    give_emails(ns.province)
    appeal = _file(ns, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    score = _corrected(ns)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            actor=ns.province.admin,
            appeal=appeal,
            scores={appeal.items.get().pk: score},
            note="Hội đồng chấp nhận kế hoạch của đơn vị.",
        )
    (message,) = mail.outbox
    assert sorted(message.to) == UNIT
    assert f"Trả lời kiến nghị số {appeal.pk}" in message.subject
    assert "Chấp nhận" in message.subject
    item = appeal.items.get()
    shown = f"{score:.2f}".replace(".", ",")  # two decimals with a comma, e.g. 1,00
    before = f"{item.score_before:.2f}".replace(".", ",")  # e.g. 0,50
    assert "," in shown and "," in before and "." not in shown + before
    assert f"(trước: {before})" in message.body
    assert f"Tiêu chí 1.6 {ns.leaf.node.title}: Chấp nhận — điểm sửa: {shown}" in message.body
    assert "Hội đồng chấp nhận kế hoạch của đơn vị." in message.body
    assert "phiên bản 2" in message.body
    assert reverse("results:unit", args=[ns.stp.pk]) in message.body
    assert shown in message.alternatives[0][0]


def test_a_rejection_says_not_accepted_and_no_version(
    published, django_capture_on_commit_callbacks
):
    ns = published
    give_emails(ns.province)
    appeal = _file(ns, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            actor=ns.province.admin,
            appeal=appeal,
            scores={appeal.items.get().pk: None},
            note="Tài liệu kiểm chứng không chứng minh được.",
        )
    (message,) = mail.outbox
    assert "Không chấp nhận" in message.subject and "Không chấp nhận" in message.body
    assert "Tài liệu kiểm chứng không chứng minh được." in message.body
    assert "phiên bản" not in message.body


def test_nothing_is_sent_when_the_appeal_is_refused_or_rolled_back(
    published, django_capture_on_commit_callbacks
):
    ns = published
    give_emails(ns.province)
    _file(ns, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # the same criterion again while the first waits: refused inside the transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(DomainError, match="đang có kiến nghị chờ trả lời"):
            _file(ns, lambda **kw: transaction.atomic())
    assert callbacks == [] and mail.outbox == []
    # a decision rolled back by the caller sends nothing either
    appeal = Appeal.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                appeal_decide(
                    actor=ns.province.admin,
                    appeal=appeal,
                    scores={appeal.items.get().pk: None},
                    note="Không chấp nhận.",
                )
                raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []
    assert Appeal.objects.get().status == Appeal.Status.SUBMITTED


def test_a_unit_without_an_address_is_skipped_without_failing(
    published, django_capture_on_commit_callbacks
):
    ns = published
    give_emails(ns.province)
    User.objects.filter(pk__in=[ns.province.officer.pk, ns.province.leader.pk]).update(email="")
    mail.outbox.clear()
    appeal = _file(ns, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [ADMIN]  # only the organizer's notice
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            actor=ns.province.admin,
            appeal=appeal,
            scores={appeal.items.get().pk: None},
            note="Không chấp nhận.",
        )
    assert mail.outbox == []
    assert Appeal.objects.get().status == Appeal.Status.REJECTED


def _home(login, user) -> str:
    return login(user).get(reverse("home")).content.decode()


def test_the_home_pages_list_the_appeal_for_the_organizer_and_the_unit_only(
    published, login, django_capture_on_commit_callbacks
):
    ns = published
    appeal = _file(ns, django_capture_on_commit_callbacks)
    html = _home(login, ns.province.admin)
    assert "1 kiến nghị của đơn vị về kết quả đã công bố chờ trả lời" in html
    assert reverse("appeals:period", args=[ns.period.pk]) in html
    for user in (ns.province.officer, ns.province.leader):
        html = _home(login, user)
        assert f"Kiến nghị số {appeal.pk}" in html and "đang chờ" in html
        assert reverse("appeals:detail", args=[appeal.pk]) in html
    outsider = _home(login, ns.province.outsider)
    assert f"Kiến nghị số {appeal.pk}" not in outsider
    assert reverse("appeals:detail", args=[appeal.pk]) not in outsider
    district = _home(login, ns.province.district_admin)
    assert "kiến nghị của đơn vị" not in district
    # answered: off the organizer's list, the unit reads the answer
    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(
            actor=ns.province.admin,
            appeal=appeal,
            scores={appeal.items.get().pk: None},
            note="Tài liệu kiểm chứng không chứng minh được.",
        )
    assert "chờ trả lời" not in _home(login, ns.province.admin)
    html = _home(login, ns.province.leader)
    assert f"đã trả lời kiến nghị số {appeal.pk}" in html and "Không chấp nhận" in html
    assert "Tài liệu kiểm chứng không chứng minh được." in html
    assert f"kiến nghị số {appeal.pk}" not in _home(login, ns.province.outsider)
