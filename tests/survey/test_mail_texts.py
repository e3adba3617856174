"""The organizer writes its own invitation and reminder (issue 8 §3: "the invitation and
reminder e-mails editable by the organizer, Vietnamese defaults"): placeholders filled per
person, the link required, unknown fields and format tricks refused, audited, a reset to
the default, the organizer above reads only, everyone else 404."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey import emails
from parindex.survey.models import Survey
from parindex.survey.services.invitations import (
    invitations_send,
    reminders_send,
    survey_set_mail_text,
)
from parindex.survey.services.lifecycle import survey_transition
from parindex.survey.services.respondents import respondents_import
from tests.survey.test_invitations import links_in
from tests.survey.test_lists import GOOD, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(surveyed):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    return surveyed


BODY = (
    "Kính gửi {ho_ten} ({chuc_vu}),\n\nSở Nội vụ mời Ông/Bà đánh giá {don_vi} trước ngày "
    "{han_tra_loi}.\nBấm vào: {duong_dan}\n\n{co_quan}"
)


def test_the_defaults_are_the_templates_mail_and_need_nothing_stored(listed):
    assert listed.survey.mail_texts == {}
    for kind in emails.KINDS:
        text = emails.mail_text(listed.survey, kind)
        assert text == emails.DEFAULT_TEXTS[kind]
        assert emails.text_problems(text["subject"], text["body"]) == []


def test_the_organizers_text_is_sent_with_each_persons_fields_and_link(
    listed,
    django_capture_on_commit_callbacks,
):
    p = listed.province
    survey_set_mail_text(
        actor=p.admin,
        survey=listed.survey,
        kind="invitation",
        subject="Mời {ho_ten} khảo sát: {tieu_de}",
        body=BODY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        tokens = invitations_send(actor=p.admin, survey=listed.survey)
    msg = {m.to[0]: m for m in mail.outbox}["an.nv@bacgiang.gov.vn"]
    assert msg.subject.startswith("Mời Nguyễn Văn An khảo sát: ")
    assert "Kính gửi Nguyễn Văn An (" in msg.body and "Sở Tư pháp" in msg.body
    assert "{" not in msg.body
    (token,) = links_in(msg)
    assert token in tokens
    html = msg.alternatives[0][0]
    assert '<a href="http' in html and f"/khao-sat/{token}/" in html
    # the reminder keeps its default
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(actor=p.admin, survey=listed.survey)
    assert mail.outbox and all("Nhắc tham gia khảo sát" in m.subject for m in mail.outbox)


def test_the_text_is_escaped_in_the_html_part(listed, django_capture_on_commit_callbacks):
    p = listed.province
    survey_set_mail_text(
        actor=p.admin,
        survey=listed.survey,
        kind="invitation",
        subject="Thư mời",
        body='<script>alert(1)</script> <a href="http://x">bấm</a> {duong_dan}',
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(actor=p.admin, survey=listed.survey)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="http://x"' not in html


@pytest.mark.parametrize(
    ("subject", "body", "says"),
    [
        ("Thư mời", "Không có đường dẫn", "phải có {duong_dan}"),
        ("Thư mời", "{duong_dan} {ten_nguoi}", "{ten_nguoi}"),
        ("Thư mời", "{duong_dan} {0.__class__}", "{0.__class__}"),
        ("Thư {mat_khau}", "{duong_dan}", "Trường không có trong tiêu đề: {mat_khau}"),
        ("", "{duong_dan}", "Chưa có tiêu đề thư"),
        ("Hai\ndòng", "{duong_dan}", "một dòng"),
        ("Thư mời", "{duong_dan}" + "x" * 5001, "dài quá 5000"),
    ],
)
def test_a_bad_text_is_refused_naming_the_problem_and_nothing_changes(listed, subject, body, says):
    p = listed.province
    with pytest.raises(DomainError) as exc:
        survey_set_mail_text(
            actor=p.admin, survey=listed.survey, kind="invitation", subject=subject, body=body
        )
    assert says in exc.value.message
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts == {}
    assert not AuditEvent.objects.filter(verb="survey.mail_text").exists()


def test_saving_is_audited_and_the_default_text_clears_it(listed):
    p = listed.province
    survey_set_mail_text(
        actor=p.admin, survey=listed.survey, kind="reminder", subject="Nhắc", body=BODY
    )
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts == {
        "reminder": {"subject": "Nhắc", "body": BODY}
    }
    d = emails.DEFAULT_TEXTS["reminder"]
    survey_set_mail_text(
        actor=p.admin, survey=listed.survey, kind="reminder", subject=d["subject"], body=d["body"]
    )
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts == {}
    first, second = AuditEvent.objects.filter(verb="survey.mail_text").order_by("id")
    assert first.actor_id == p.admin.pk and first.old == {"reminder": None}
    assert first.new == {"reminder": {"subject": "Nhắc", "body": BODY}}
    assert second.new == {"reminder": None}


def test_only_the_organizer_admin_writes_and_not_after_the_survey_closed(listed):
    p = listed.province
    with pytest.raises(DomainError, match="không phải cán bộ quản trị"):
        survey_set_mail_text(
            actor=p.officer, survey=listed.survey, kind="invitation", subject="x", body=BODY
        )
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts == {}
    survey = survey_transition(actor=p.admin, survey=listed.survey, to="closed")
    with pytest.raises(DomainError, match="đã kết thúc"):
        survey_set_mail_text(
            actor=p.admin, survey=survey, kind="invitation", subject="x", body=BODY
        )


def test_the_page_shows_both_mails_with_a_preview_and_saves(listed, login):
    p = listed.province
    client = login(p.admin)
    url = reverse("survey:lists_mail", kwargs={"survey_pk": listed.survey.pk})
    page = client.get(url).content.decode()
    assert "Thư mời" in page and "Thư nhắc" in page and "{duong_dan}" in page
    assert "Kính gửi Nguyễn Văn An" in page  # the preview fills the first respondent
    save = reverse("survey:lists_mail_save", kwargs={"survey_pk": listed.survey.pk})
    r = client.post(save, {"kind": "invitation", "subject": "Mời {ho_ten}", "body": BODY})
    assert r.status_code == 302
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts["invitation"]["subject"] == (
        "Mời {ho_ten}"
    )
    r = client.post(save, {"kind": "invitation", "subject": "Mời", "body": "không có link"})
    assert r.status_code == 400 and "phải có {duong_dan}" in r.content.decode()
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts["invitation"]["body"] == BODY
    r = client.post(save, {"kind": "invitation", "subject": "x", "body": "y", "reset": "1"})
    assert r.status_code == 302 and Survey.objects.get(pk=listed.survey.pk).mail_texts == {}


def test_outsiders_do_not_open_or_change_the_mails(listed, login):
    p = listed.province
    url = reverse("survey:lists_mail", kwargs={"survey_pk": listed.survey.pk})
    save = reverse("survey:lists_mail_save", kwargs={"survey_pk": listed.survey.pk})
    for who in (p.officer, p.leader, p.outsider, p.district_admin):
        client = login(who)
        assert client.get(url).status_code in (403, 404)
        r = client.post(save, {"kind": "invitation", "subject": "x", "body": BODY})
        assert r.status_code in (403, 404)
    assert Survey.objects.get(pk=listed.survey.pk).mail_texts == {}
