"""Invitations and reminders: a fresh random token per respondent, only its hash stored, the
mail sent through the worker after commit with a working link; a re-send kills the old link;
reminders to those who have not answered all their units; audited without tokens."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey import receivers
from parindex.survey.access import token_hash
from parindex.survey.models import Respondent, RespondentUnit
from parindex.survey.services.invitations import (
    invitations_send,
    reminders_send,
    seal,
    unseal,
)
from parindex.survey.services.lifecycle import survey_transition
from parindex.survey.services.respondents import respondents_import
from parindex.survey.signals import survey_changed
from tests.survey.test_lists import GOOD, rows_of

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+/khao-sat/([A-Za-z0-9_-]+)/")


@pytest.fixture
def listed(surveyed):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    return surveyed


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def test_invitations_mail_each_person_with_a_link_and_store_only_the_hash(
    listed, client, django_capture_on_commit_callbacks
):
    p = listed.province
    with django_capture_on_commit_callbacks(execute=True):
        tokens = invitations_send(actor=p.admin, survey=listed.survey)
    # the two with an e-mail; the citizen with only a phone is skipped
    assert len(tokens) == 2 and len(mail.outbox) == 2
    people = Respondent.objects.filter(survey=listed.survey).exclude(email="")
    for person in people:
        assert person.invited_at is not None
        assert person.token_hash in {token_hash(t) for t in tokens}
        assert person.token_hash not in tokens
    by_to = {m.to[0]: m for m in mail.outbox}
    msg = by_to["an.nv@bacgiang.gov.vn"]
    assert "Thư mời tham gia khảo sát" in msg.subject
    assert "Sở Tư pháp" in msg.body and "Nguyễn Văn An" in msg.body
    (token,) = links_in(msg)
    assert token in tokens
    assert f"/khao-sat/{token}/" in msg.alternatives[0][0]
    r = client.get(reverse("survey_public:respond_form", kwargs={"token": token}))
    assert r.status_code == 200 and "Sở Tư pháp" in r.content.decode()
    audit = AuditEvent.objects.get(verb="survey.invitations")
    assert audit.new == {"count": 2, "resend": False}
    assert not any(t in str(audit.new) for t in tokens)
    # a second "invite everyone" finds nobody new
    with pytest.raises(DomainError, match="Không có ai"):
        invitations_send(actor=p.admin, survey=listed.survey)


def test_a_resend_makes_a_new_link_and_the_old_one_stops_working(
    listed, client, django_capture_on_commit_callbacks
):
    p = listed.province
    person = Respondent.objects.get(name="Nguyễn Văn An")
    with django_capture_on_commit_callbacks(execute=True):
        (old,) = invitations_send(actor=p.admin, survey=listed.survey, respondents=[person])
        (new,) = invitations_send(actor=p.admin, survey=listed.survey, respondents=[person])
    assert old != new
    assert [links_in(m)[0] for m in mail.outbox] == [new]  # the stale queued mail is dropped
    url = "survey_public:respond_form"
    assert client.get(reverse(url, kwargs={"token": old})).status_code == 404
    assert client.get(reverse(url, kwargs={"token": new})).status_code == 200


def test_reminders_go_to_those_who_have_not_answered_all_their_units(
    listed, django_capture_on_commit_callbacks
):
    p = listed.province
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(actor=p.admin, survey=listed.survey)
    an = Respondent.objects.get(name="Nguyễn Văn An")
    binh = Respondent.objects.get(name="Trần Thị Bình")
    RespondentUnit.objects.filter(respondent=an).update(answered_on=timezone.localdate())
    RespondentUnit.objects.filter(respondent=binh, unit=p.stp).update(
        answered_on=timezone.localdate()
    )  # Bình still has SYT to answer
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tokens = reminders_send(actor=p.admin, survey=listed.survey)
    assert len(tokens) == 1
    (msg,) = mail.outbox
    assert msg.to == ["binh.tt@bacgiang.gov.vn"] and "Nhắc" in msg.subject
    assert "không còn dùng được" in msg.body
    binh.refresh_from_db()
    assert binh.reminded_at is not None and binh.token_hash == token_hash(tokens[0])


def test_invitations_need_the_organizer_and_an_open_survey(listed):
    p = listed.province
    with pytest.raises(DomainError):
        invitations_send(actor=p.officer, survey=listed.survey)
    survey_transition(actor=p.admin, survey=listed.survey, to="closed")
    with pytest.raises(DomainError, match="đang mở"):
        invitations_send(actor=p.admin, survey=listed.survey)
    assert not Respondent.objects.filter(invited_at__isnull=False).exists()


def test_a_sealed_token_opens_only_with_the_servers_key():
    token = "abcDEF0123456789_-abcDEF0123456789"
    sealed = seal(token)
    assert token not in sealed and unseal(sealed) == token
    assert unseal("rác") is None
    assert receivers.RECEIVERS[0][0] == "survey.invitations"


def test_the_batch_sent_by_the_signal_has_no_raw_token(listed, django_capture_on_commit_callbacks):
    p = listed.province
    seen: list[dict] = []

    def spy(sender, **kw):
        seen.append(kw)

    survey_changed.connect(spy, dispatch_uid="test.spy2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tokens = invitations_send(actor=p.admin, survey=listed.survey)
    finally:
        survey_changed.disconnect(dispatch_uid="test.spy2")
    (event,) = seen
    assert event["event"] == "invitations" and event["kind"] == "invitation"
    text = str(event["batch"])
    assert all(t not in text for t in tokens)
    assert sorted(unseal(s) for _, s in event["batch"]) == sorted(tokens)


def test_the_organizer_buttons_send_invitations_resend_and_reminders(
    listed, login, django_capture_on_commit_callbacks
):
    p = listed.province
    client = login(p.admin)
    s = listed.survey.pk
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("survey:lists_invite", kwargs={"survey_pk": s}))
    assert r.status_code == 302 and len(mail.outbox) == 2
    person = Respondent.objects.get(name="Trần Thị Bình")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("survey:lists_resend", kwargs={"survey_pk": s, "respondent_pk": person.pk})
        )
    assert r.status_code == 302 and len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("survey:lists_remind", kwargs={"survey_pk": s}), follow=True)
    assert "Đang gửi thư nhắc cho 2 người" in r.content.decode()
    assert len(mail.outbox) == 5
