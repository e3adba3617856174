"""The leader hears when the officer asks for approval, the officer when the leader returns it
(with the comment, also in "Việc tiếp theo"); every role's home page says what waits for it."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse

from parindex.assessments.models import Status
from parindex.assessments.services import assessment_transition
from tests.assessments.test_workspace_views import IN_SELF_ASSESSMENT, _fill_all
from tests.periods.factories import local, make_assessment
from tests.periods.helpers import give_emails

COMMENT = "Bổ sung Quyết định ban hành kế hoạch ở tiêu chí 1.1.1"


@pytest.fixture
def assessment(province):
    return make_assessment(province)


@pytest.fixture
def ready(province, assessment):
    give_emails(province)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        _fill_all(assessment, province.officer)
    return assessment


def _step(actor, assessment, to, note="", *, capture):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with capture(execute=True):
            assessment_transition(actor=actor, assessment=assessment, to=to, note=note)


def test_the_leader_gets_an_email_when_the_officer_asks_for_approval(
    province, ready, django_capture_on_commit_callbacks
):
    _step(
        province.officer,
        ready,
        Status.PENDING_APPROVAL,
        "Đã đủ số liệu",
        capture=django_capture_on_commit_callbacks,
    )
    (message,) = mail.outbox
    assert message.to == ["ld.stp@bacgiang.gov.vn"]
    assert message.subject == "[Chỉ số CCHC] Đề nghị phê duyệt bản tự đánh giá — Sở Tư pháp"
    assert "Trần Văn Minh đã trình bản tự đánh giá" in message.body
    assert "Ý kiến của chuyên viên: Đã đủ số liệu" in message.body
    assert reverse("assessments:workspace", args=[ready.pk]) in message.body


def test_the_officer_gets_the_leaders_comment_when_it_is_returned(
    province, ready, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _step(province.officer, ready, Status.PENDING_APPROVAL, capture=capture)
    mail.outbox.clear()
    _step(province.leader, ready, Status.DRAFT, COMMENT, capture=capture)
    (message,) = mail.outbox
    assert message.to == ["cv.stp@bacgiang.gov.vn"]
    assert message.subject == "[Chỉ số CCHC] Lãnh đạo đã trả lại bản tự đánh giá — Sở Tư pháp"
    assert "Lê Quang Huy đã trả lại bản tự đánh giá" in message.body
    assert f"Ý kiến của lãnh đạo: {COMMENT}" in message.body


def test_the_organizer_still_hears_when_the_unit_submits(
    province, ready, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _step(province.officer, ready, Status.PENDING_APPROVAL, capture=capture)
    _step(province.leader, ready, Status.SUBMITTED, capture=capture)
    subjects = [m.subject for m in mail.outbox]
    assert subjects[-1] == "[Chỉ số CCHC] Sở Tư pháp đã gửi kết quả tự đánh giá"
    assert mail.outbox[-1].to == ["quantri@bacgiang.gov.vn"]


def test_a_step_that_is_rolled_back_sends_nothing(
    province, ready, django_capture_on_commit_callbacks
):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    assessment_transition(
                        actor=province.officer, assessment=ready, to=Status.PENDING_APPROVAL
                    )
                    raise RuntimeError("later failure in the same transaction")
            except RuntimeError:
                pass
    assert callbacks == [] and mail.outbox == []


def test_the_returned_comment_is_in_next_steps_and_on_the_officers_home(
    login, province, ready, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _step(province.officer, ready, Status.PENDING_APPROVAL, capture=capture)
    _step(province.leader, ready, Status.DRAFT, COMMENT, capture=capture)
    client = login(province.officer)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        workspace = client.get(reverse("assessments:workspace", args=[ready.pk])).content.decode()
        home = client.get(reverse("home")).content.decode()
    next_steps = workspace.split("Việc tiếp theo", 1)[1].split("</div></div>", 1)[0]
    assert "Lê Quang Huy</strong> đã trả lại lúc 09:30 ngày 20/10/2026" in next_steps
    assert f"với ý kiến: “{COMMENT}”" in next_steps
    waiting = home.split("Việc đang chờ bạn", 1)[1].split("</section>", 1)[0]
    assert "Lê Quang Huy đã trả lại bản tự đánh giá (Sở Tư pháp" in waiting
    assert f"Ý kiến: “{COMMENT}”" in waiting


def test_the_leaders_home_shows_what_waits_for_approval(
    login, province, ready, django_capture_on_commit_callbacks
):
    _step(
        province.officer,
        ready,
        Status.PENDING_APPROVAL,
        "Kính trình",
        capture=django_capture_on_commit_callbacks,
    )
    home = login(province.leader).get(reverse("home")).content.decode()
    waiting = home.split("Việc đang chờ bạn", 1)[1].split("</section>", 1)[0]
    assert "Chờ bạn phê duyệt: Trần Văn Minh đã trình bản tự đánh giá (Sở Tư pháp" in waiting
    assert reverse("assessments:workspace", args=[ready.pk]) in waiting


def test_the_organizers_home_counts_the_submissions_to_review(
    login, province, ready, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _step(province.officer, ready, Status.PENDING_APPROVAL, capture=capture)
    _step(province.leader, ready, Status.SUBMITTED, capture=capture)
    home = login(province.admin).get(reverse("home")).content.decode()
    waiting = home.split("Việc đang chờ bạn", 1)[1].split("</section>", 1)[0]
    assert "1 đơn vị đã gửi kết quả tự đánh giá, chờ xem xét" in waiting
    assert reverse("periods:progress", args=[ready.period_id]) in waiting


def test_an_officers_draft_near_its_deadline_is_on_the_home_page(login, province, assessment):
    client = login(province.officer)
    with time_machine.travel(local(2026, 10, 20), tick=False):  # 26 days left: not yet
        home = client.get(reverse("home")).content.decode()
    assert "Hiện không có việc nào đang chờ bạn." in home
    with time_machine.travel(local(2026, 11, 13), tick=False):
        home = client.get(reverse("home")).content.decode()
    assert "Bản tự đánh giá chưa trình lãnh đạo (Sở Tư pháp" in home
    assert "còn 2 ngày" in home
