"""Export jobs: asked on the page, queued after commit, built by the task (run here by the
immediate backend when the commit callbacks run), with progress and a file in the storage;
downloaded by the person who asked only, until it expires; the workbook's sheets, numbers
and text cells; the status view's query count."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parindex.accounts.services import unit_update
from parindex.common.numbers import round2
from parindex.documents import services
from parindex.documents.models import ExportJob
from parindex.results.selectors import period_results
from tests.results.conftest import approve, through_round_two

S = ExportJob.Status


def _ask(client, ns, capture, kind="workbook", fmt="xlsx", execute=True):
    url = reverse("documents:export", args=[ns.period.pk])
    with capture(execute=execute) as callbacks:
        response = client.post(url, {"kind": kind, "fmt": fmt})
    assert response.status_code == 302
    return ExportJob.objects.order_by("-pk").first(), callbacks


def test_a_job_is_queued_then_built_by_the_task_and_downloaded_by_its_requester(
    approved, login, memory_storage, django_capture_on_commit_callbacks
):
    ns = approved
    client = login(ns.province.admin)
    job, callbacks = _ask(client, ns, django_capture_on_commit_callbacks, execute=False)
    assert (job.status, job.progress, job.storage_name) == (S.QUEUED, 0, "")
    assert len(callbacks) == 1
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Đang chờ" in page
    callbacks[0]()  # the commit: the immediate backend runs the task
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (S.DONE, 100, "")
    assert job.storage_name.startswith("exports/") and len(job.storage_name) > 40
    assert job.file_name == "Số liệu Chỉ số CCHC năm 2026.xlsx"
    assert job.expires_at - job.finished_at == dt.timedelta(hours=24)
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page and "Tải về" in page
    response = client.get(reverse("documents:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="So-lieu-Chi-so')
    content = b"".join(response.streaming_content)
    assert len(content) == job.size
    load_workbook(io.BytesIO(content))


def test_nobody_but_the_requester_reaches_the_job(
    approved, login, memory_storage, django_capture_on_commit_callbacks
):
    ns = approved
    job, _ = _ask(login(ns.province.admin), ns, django_capture_on_commit_callbacks)
    for user in (ns.province.chair, ns.province.officer, ns.province.outsider,
                 ns.province.district_admin):  # fmt: skip
        client = login(user)
        assert client.get(reverse("documents:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("documents:job_file", args=[job.pk])).status_code == 404
    # an officer cannot ask for one either
    client = login(ns.province.officer)
    url = reverse("documents:export", args=[ns.period.pk])
    assert client.post(url, {"kind": "report", "fmt": "pdf"}).status_code == 404
    assert ExportJob.objects.count() == 1


def test_an_expired_file_is_gone(
    approved, login, memory_storage, django_capture_on_commit_callbacks
):
    ns = approved
    client = login(ns.province.admin)
    job, _ = _ask(client, ns, django_capture_on_commit_callbacks, kind="report", fmt="pdf")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("documents:job_file", args=[job.pk])).status_code == 404
    assert services.export_purge_expired() == 1
    job.refresh_from_db()
    assert job.storage_name == ""
    assert "Đã hết hạn" in client.get(reverse("documents:job", args=[job.pk])).content.decode()


def test_a_failed_build_says_why_in_vietnamese(
    approved, login, memory_storage, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "build", broken)
    ns = approved
    client = login(ns.province.admin)
    job, _ = _ask(client, ns, django_capture_on_commit_callbacks, kind="decision", fmt="docx")
    job.refresh_from_db()
    assert job.status == S.FAILED and job.storage_name == ""
    assert job.error.startswith("Không tạo được tệp")
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "Không tạo được tệp" in page
    assert client.get(reverse("documents:job_file", args=[job.pk])).status_code == 404


def test_bad_requests_and_too_many_open_jobs_are_refused(
    approved, login, memory_storage, django_capture_on_commit_callbacks
):
    ns = approved
    client = login(ns.province.admin)
    url = reverse("documents:export", args=[ns.period.pk])
    response = client.post(url, {"kind": "workbook", "fmt": "pdf"}, follow=True)
    assert "Văn bản này không có định dạng đã chọn." in response.content.decode()
    for _ in range(services.MAX_OPEN):
        _ask(client, ns, django_capture_on_commit_callbacks, execute=False)
    response = client.post(url, {"kind": "report", "fmt": "pdf"}, follow=True)
    assert "vui lòng chờ" in response.content.decode()
    assert ExportJob.objects.count() == services.MAX_OPEN


def test_the_workbook_has_the_ranking_the_domains_and_the_matrix(
    appraisal, login, memory_storage, django_capture_on_commit_callbacks
):
    ns = appraisal
    through_round_two(ns)
    unit_update(actor=None, unit=ns.province.stp, name='=HYPERLINK("x")')
    ns.state = approve(ns)
    client = login(ns.province.admin)
    job, _ = _ask(client, ns, django_capture_on_commit_callbacks)
    content = b"".join(client.get(reverse("documents:job_file", args=[job.pk])).streaming_content)
    wb = load_workbook(io.BytesIO(content))
    (block,) = period_results(ns.period).blocks
    assert wb.sheetnames[0] == block.name[:31]
    assert "Chỉ số thành phần" in wb.sheetnames
    matrix = wb[f"Ma trận {block.name}"[:31]]
    for sheet in wb.worksheets:  # typed text stays text
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate)
    rows = list(matrix.iter_rows(min_row=5, values_only=True))
    by_unit = {r[1]: r for r in rows}
    assert set(by_unit) == {"STP", "SYT"}
    assert by_unit["STP"][2] == '=HYPERLINK("x")'
    head = [c.value for c in matrix[3]]
    assert any(str(v).startswith("1.6.") and str(v).endswith("(tối đa 1)") for v in head)
    stages = [c.value for c in matrix[4]]
    assert stages[3:8] == ["Tự chấm", "Lần 1", "Lần 2", "Điều tra XHH", "Kết quả"]
    col = next(i for i, v in enumerate(head) if v and str(v).startswith("1.6."))
    # 1.6 of Sở Tư pháp: adjusted in round 1 (max 1); the final points are the snapshot's
    snapshot = ns.state.snapshot["blocks"]["so"]["results"]
    stp = next(u for u in snapshot["units"] if u["unit"] == "STP")
    assert by_unit["STP"][col + 4] == stp["nodes"]["1.6"]["points"]
    assert by_unit["STP"][col + 1] is not None  # round 1 decided it
    col17 = next(i for i, v in enumerate(head) if v and str(v).startswith("1.7."))
    assert by_unit["STP"][col17] == "điều tra XHH"
    assert by_unit["STP"][col17 + 3] == 3  # the survey points
    # the domains sheet: the block's mean component index of domain 1
    domains = wb["Chỉ số thành phần"]
    first = [c.value for c in domains[4]]
    indices = [u.domains[0].index for u in block.units]
    assert first[:2] == [block.name, block.domains[0].code]
    assert first[5] == float(round2(sum(indices) / len(indices)))


@pytest.mark.parametrize("status", [S.QUEUED, S.DONE])
def test_the_status_view_has_a_fixed_number_of_queries(
    approved, login, memory_storage, django_assert_num_queries, status
):
    ns = approved
    job = ExportJob.objects.create(
        requested_by=ns.province.admin, period=ns.period, kind="report", fmt="pdf", status=status,
        storage_name="exports/x.pdf" if status == S.DONE else "",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    client = login(ns.province.admin)
    client.get(reverse("documents:job", args=[job.pk]))
    # session, user, memberships (the roles), the job with its period, the access check's
    # period with its organizer, its phases
    with django_assert_num_queries(6):
        response = client.get(reverse("documents:job", args=[job.pk]))
    assert response.status_code == 200


def test_a_job_the_worker_never_finished_is_given_up(approved, memory_storage):
    ns = approved
    job = ExportJob.objects.create(
        requested_by=ns.province.admin, period=ns.period, kind="report", fmt="pdf",
        status=S.RUNNING,
    )  # fmt: skip
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    services.export_purge_expired()
    job.refresh_from_db()
    assert job.status == S.FAILED and job.error.startswith("Tiến trình nền không tạo xong")
    # and it no longer counts against the person's open jobs
    services.export_request(actor=ns.province.admin, period=ns.period, kind="report", fmt="pdf")
