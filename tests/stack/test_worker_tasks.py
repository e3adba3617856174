"""Tasks through the real queue: queued by the app in Redis (django-tasks-rq) after commit and
run by the ``rqworker`` process (another process, on the same database, with the same
``SECRET_KEY``): the organizer's reminder e-mail, an export job whose file goes to the bucket
and is downloaded by its requester only, and survey invitations whose personal links (sealed
in the queue) work."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from parindex.documents.models import ExportJob
from parindex.notify.models import ReminderLog
from parindex.survey.access import token_hash
from parindex.survey.models import Respondent
from parindex.survey.services.respondents import respondents_import
from tests.periods.helpers import give_emails, period_with_units
from tests.stack.conftest import body_of, read_mails, wait_for
from tests.survey.test_lists import GOOD, rows_of

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://[^\s\"<]+/khao-sat/([A-Za-z0-9_-]+)/")


def _names(results) -> list[str]:
    return [r.task.module_path for r in results]


def test_the_reminder_button_queues_the_mail_that_the_worker_sends(
    province, login, enqueued, worker, mail_dir
):
    give_emails(province)
    period, by_code = period_with_units(province)
    stp = by_code["STP"]
    response = login(province.admin).post(
        reverse("periods:progress-remind", args=[period.pk]), {"assessments": [stp.pk]}
    )
    assert response.status_code == 302
    assert _names(enqueued) == ["parindex.notify.tasks.send_reminder"]
    (result,) = wait_for(enqueued, worker)
    assert result.return_value is True
    assert result.worker_ids  # run by the RQ worker, not in this process
    (message,) = read_mails(mail_dir)
    assert str(message["To"]).strip() == "cv.stp@bacgiang.gov.vn, ld.stp@bacgiang.gov.vn"
    subject = str(message["Subject"]).strip()
    assert subject.startswith("[Chỉ số CCHC] ") and subject.endswith("— Sở Tư pháp")
    assert "Sở Nội vụ đề nghị đơn vị hoàn thành việc tự đánh giá" in body_of(message)
    # the worker wrote its log row in the shared database
    log = ReminderLog.objects.get(assessment=stp, kind="manual")
    assert log.recipients == ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]
    assert log.requested_by == province.admin


def test_an_export_job_is_built_by_the_worker_into_the_bucket_and_downloaded_by_its_requester(
    approved, real_clock, login, enqueued, worker, bucket_keys
):
    ns = approved  # (built on the fixture's days; from here on the real clock)
    client = login(ns.province.admin)
    response = client.post(
        reverse("documents:export", args=[ns.period.pk]), {"kind": "workbook", "fmt": "xlsx"}
    )
    assert response.status_code == 302
    assert _names(enqueued) == ["parindex.documents.tasks.export_build"]
    (result,) = wait_for(enqueued, worker)
    assert result.return_value == "done"
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.error == ""
    assert re.fullmatch(r"exports/[0-9a-f]{32}\.xlsx", job.storage_name)
    assert job.storage_name in bucket_keys("exports/")
    assert job.expires_at - job.finished_at == dt.timedelta(hours=24)
    response = client.get(reverse("documents:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    content = b"".join(response.streaming_content)
    assert len(content) == job.size
    assert load_workbook(io.BytesIO(content)).sheetnames
    for user in (ns.province.outsider, ns.province.chair):  # only the one who asked
        other = Client()
        other.force_login(user)
        assert other.get(reverse("documents:job_file", args=[job.pk])).status_code == 404


def test_survey_invitations_are_sent_by_the_worker_with_links_that_work(
    surveyed, login, enqueued, worker, mail_dir, queue_client
):
    ns = surveyed
    p = ns.province
    respondents_import(actor=p.officer, survey=ns.survey, unit=p.stp, rows=rows_of(GOOD))
    response = login(p.admin).post(
        reverse("survey:lists_invite", kwargs={"survey_pk": ns.survey.pk})
    )
    assert response.status_code == 302
    assert _names(enqueued) == ["parindex.survey.tasks.send_invitations"]
    # the queued job carries the tokens sealed, never a usable link
    (job_data,) = [v for k, v in queue_client.hgetall(f"rq:job:{enqueued[0].id}").items()
                   if k == b"data"]  # fmt: skip
    payload = zlib.decompress(job_data)
    (result,) = wait_for(enqueued, worker)
    assert result.return_value == 2  # the two with an e-mail; the citizen has only a phone
    mails = {str(m["To"]).strip(): m for m in read_mails(mail_dir)}
    assert set(mails) == {"an.nv@bacgiang.gov.vn", "binh.tt@bacgiang.gov.vn"}
    anonymous = Client()
    for to, message in mails.items():
        assert "Thư mời tham gia khảo sát" in str(message["Subject"])
        (token,) = LINK.findall(body_of(message))
        assert token.encode() not in payload
        person = Respondent.objects.get(survey=ns.survey, email=to)
        assert person.token_hash == token_hash(token)  # opened by the worker's SECRET_KEY
        page = anonymous.get(reverse("survey_public:respond_form", kwargs={"token": token}))
        assert page.status_code == 200 and "Sở Tư pháp" in page.content.decode()
