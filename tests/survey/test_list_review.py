"""The organizer reviews and locks the units' respondent lists: a locked list cannot be
replaced by its unit (the organizer still adds or removes one person); reopened, the unit
changes it until the day the organizer set — after the list deadline too. Audited; only the
organizer of the survey may lock or reopen."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey.models import ListReview, Respondent
from parindex.survey.services.respondents import (
    list_lock,
    list_lock_all,
    list_unlock,
    respondent_add,
    respondents_import,
)
from tests.survey.test_lists import GOOD, org_url, rows_of, unit_url, xlsx_of

pytestmark = pytest.mark.django_db


def _sent(ns, unit=None, rows=GOOD):
    p = ns.province
    respondents_import(actor=p.admin, survey=ns.survey, unit=unit or p.stp, rows=rows_of(rows))


def test_a_locked_list_cannot_be_replaced_by_its_unit_but_the_organizer_still_adds(surveyed):
    p = surveyed.province
    _sent(surveyed)
    list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)
    with pytest.raises(DomainError, match="đã rà soát và khóa danh sách của Sở Tư pháp"):
        respondents_import(
            actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD[:1])
        )
    assert Respondent.objects.filter(listed_by=p.stp).count() == 3
    respondent_add(
        actor=p.admin,
        survey=surveyed.survey,
        listed_by=p.stp,
        group="HDND",
        name="Phan Văn Đức",
        email="duc.pv@bacgiang.gov.vn",
    )
    assert Respondent.objects.filter(listed_by=p.stp).count() == 4
    event = AuditEvent.objects.get(verb="survey.list_lock")
    assert event.actor == p.admin
    assert event.object_repr == "Danh sách người được khảo sát của Sở Tư pháp"
    assert (event.old, event.new) == ({"locked": False}, {"locked": True})


def test_locking_twice_says_so(surveyed):
    p = surveyed.province
    _sent(surveyed)
    list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)
    with pytest.raises(DomainError, match="đã được khóa"):
        list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)


def test_a_reopened_list_is_open_to_the_unit_after_the_deadline_until_the_day_set(
    surveyed, time_machine
):
    p = surveyed.province
    survey = surveyed.survey
    _sent(surveyed)
    list_lock(actor=p.admin, survey=survey, unit=p.stp)
    survey.lists_due_on = timezone.localdate() - dt.timedelta(days=1)
    survey.save(update_fields=["lists_due_on"])
    until = timezone.localdate() + dt.timedelta(days=2)
    list_unlock(actor=p.admin, survey=survey, unit=p.stp, until=until, reason="Bổ sung 2 người")
    assert respondents_import(actor=p.officer, survey=survey, unit=p.stp, rows=rows_of(GOOD[:2]))
    event = AuditEvent.objects.get(verb="survey.list_unlock")
    assert event.reason == "Bổ sung 2 người"
    assert event.old["locked"] is True and event.new["reopened_until"] == until.isoformat()
    # the day after the day set, the deadline applies again
    time_machine.move_to(until + dt.timedelta(days=1, hours=12))
    with pytest.raises(DomainError, match="quá hạn"):
        respondents_import(actor=p.officer, survey=survey, unit=p.stp, rows=rows_of(GOOD))


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        (-1, "Bổ sung", "đã qua"),
        (31, "Bổ sung", "ngày kết thúc khảo sát"),
        (2, "  ", "Ghi lý do"),
    ],
)
def test_reopening_needs_a_day_in_the_window_and_a_reason(surveyed, days, reason, message):
    p = surveyed.province
    _sent(surveyed)
    list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)
    until = timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(DomainError, match=message):
        list_unlock(actor=p.admin, survey=surveyed.survey, unit=p.stp, until=until, reason=reason)
    assert ListReview.objects.get(unit=p.stp).locked_at is not None


def test_lock_all_locks_only_the_lists_sent_and_not_locked(surveyed):
    p = surveyed.province
    _sent(surveyed)
    assert list_lock_all(actor=p.admin, survey=surveyed.survey) == 1
    assert set(
        ListReview.objects.filter(locked_at__isnull=False).values_list("unit", flat=True)
    ) == {p.stp.pk}
    with pytest.raises(DomainError, match="Không còn danh sách"):
        list_lock_all(actor=p.admin, survey=surveyed.survey)
    assert AuditEvent.objects.get(verb="survey.list_lock_all").new == {"units": ["STP"]}


@pytest.mark.parametrize("who", ["officer", "leader", "district_admin", "outsider"])
def test_only_the_surveys_organizer_locks_or_reopens(surveyed, who):
    p = surveyed.province
    _sent(surveyed)
    actor = getattr(p, who)
    with pytest.raises(DomainError, match="Chỉ Sở Nội vụ"):
        list_lock(actor=actor, survey=surveyed.survey, unit=p.stp)
    with pytest.raises(DomainError, match="Chỉ Sở Nội vụ"):
        list_lock_all(actor=actor, survey=surveyed.survey)
    with pytest.raises(DomainError, match="Chỉ Sở Nội vụ"):
        list_unlock(
            actor=actor,
            survey=surveyed.survey,
            unit=p.stp,
            until=timezone.localdate(),
            reason="x",
        )
    assert not ListReview.objects.exists()


def test_a_closed_survey_cannot_be_locked_or_reopened(surveyed):
    p = surveyed.province
    _sent(surveyed)
    surveyed.survey.frozen_at = timezone.now()
    surveyed.survey.save(update_fields=["frozen_at"])
    with pytest.raises(DomainError, match="đã kết thúc"):
        list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)


# ---------------------------------------------------------------- pages


def _lock_url(ns, name, unit=None):
    kw = {"survey_pk": ns.survey.pk}
    if name != "survey:lists_lock_all":
        kw["unit_pk"] = (unit or ns.province.stp).pk
    return reverse(name, kwargs=kw)


def test_the_organizer_locks_from_the_page_and_the_unit_sees_it(surveyed, login):
    p = surveyed.province
    _sent(surveyed)
    client = login(p.admin)
    html = client.get(org_url(surveyed)).content.decode()
    assert "Khóa mọi danh sách đã gửi" in html and _lock_url(surveyed, "survey:lists_lock") in html
    r = client.post(_lock_url(surveyed, "survey:lists_lock"), follow=True)
    html = r.content.decode()
    assert "Đã khóa danh sách của Sở Tư pháp" in html
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Đã khóa {today}" in html and "Mở lại cho đơn vị sửa" in html

    html = login(p.officer).get(unit_url(surveyed)).content.decode()
    assert "đã rà soát và khóa danh sách của Sở Tư pháp" in html
    assert "Tải lên và gửi danh sách" not in html
    f = io.BytesIO(xlsx_of(GOOD[:1]))
    f.name = "ds.xlsx"
    kw = {"survey_pk": surveyed.survey.pk, "unit_pk": p.stp.pk}
    r = login(p.officer).post(reverse("survey:lists_unit_import", kwargs=kw), {"file": f})
    assert r.status_code == 400 and "khóa danh sách" in r.content.decode()
    assert Respondent.objects.filter(listed_by=p.stp).count() == 3


def test_the_organizer_reopens_with_a_date_typed_dd_mm_yyyy_and_the_unit_sees_until_when(
    surveyed, login
):
    p = surveyed.province
    _sent(surveyed)
    list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)
    until = timezone.localdate() + dt.timedelta(days=3)
    client = login(p.admin)
    r = client.post(
        _lock_url(surveyed, "survey:lists_unlock"),
        {"until": until.strftime("%d/%m/%Y"), "reason": "Thiếu nhóm LDSO"},
        follow=True,
    )
    html = r.content.decode()
    assert f"Đã mở lại danh sách của Sở Tư pháp đến hết ngày {until:%d/%m/%Y}" in html
    assert f"Mở lại đến {until:%d/%m/%Y}" in html
    html = login(p.officer).get(unit_url(surveyed)).content.decode()
    assert f"đến hết ngày <strong>{until:%d/%m/%Y}</strong>: Thiếu nhóm LDSO" in html
    assert "Tải lên và gửi danh sách" in html


def test_a_bad_reopening_form_names_the_problem_and_changes_nothing(surveyed, login):
    p = surveyed.province
    _sent(surveyed)
    list_lock(actor=p.admin, survey=surveyed.survey, unit=p.stp)
    r = login(p.admin).post(
        _lock_url(surveyed, "survey:lists_unlock"),
        {"until": "31/02/2026", "reason": ""},
        follow=True,
    )
    html = r.content.decode()
    assert "Chưa mở lại danh sách của Sở Tư pháp" in html
    assert "Ngày không hợp lệ" in html and "Ghi lý do" in html
    assert ListReview.objects.get(unit=p.stp).locked_at is not None
    assert not AuditEvent.objects.filter(verb="survey.list_unlock").exists()


@pytest.mark.parametrize("who", ["officer", "outsider", "district_admin"])
def test_outsiders_cannot_lock_or_reopen_by_url(surveyed, login, who):
    p = surveyed.province
    _sent(surveyed)
    client = login(getattr(p, who))
    for name in ("survey:lists_lock", "survey:lists_lock_all", "survey:lists_unlock"):
        r = client.post(_lock_url(surveyed, name), {"until": "01/01/2030", "reason": "x"})
        assert r.status_code in (403, 404), name
    assert not ListReview.objects.exists()


def test_a_unit_outside_the_survey_is_404(surveyed, login):
    p = surveyed.province
    r = login(p.admin).post(_lock_url(surveyed, "survey:lists_lock", unit=p.commune))
    assert r.status_code == 404
