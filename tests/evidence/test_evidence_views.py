"""Evidence views: upload (JSON, htmx, plain form), list, download, preview, remove; access."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parindex.assessments.models import Status
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_upload
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, stored_files, upload

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def attached(ev, signed_pdf):
    return evidence_upload(
        actor=ev.officer,
        entry=load_entry(ev.entry),
        upload=upload('Báo cáo CCHC quý 3 "đã ký".pdf', signed_pdf),
    )


def _post_files(client, entry, *files, **extra):
    return client.post(reverse("evidence:upload", args=[entry.pk]), {"files": list(files)}, **extra)


def test_the_officer_uploads_several_files_in_one_request(ev, login, media, signed_pdf):
    client = login(ev.officer)
    response = _post_files(
        client,
        ev.entry,
        upload("scan.pdf", pdfs.make_pdf("scan")),
        upload("ky-so.pdf", signed_pdf),
        upload("bao-cao.pdf", b"<html><body>Bao cao</body></html>", "application/pdf"),
        **JSON,
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["name"], r["ok"]) for r in results] == [
        ("scan.pdf", True),
        ("ky-so.pdf", True),
        ("bao-cao.pdf", False),
    ]
    assert results[0]["message"] == (
        "Đã đính kèm tệp 'scan.pdf' (1 trang, bản quét, không có chữ ký số)."
    )
    assert results[1]["signature_status"] == "signed_intact"
    assert results[2]["message"].startswith(
        "Tệp 'bao-cao.pdf' không phải là tệp PDF hợp lệ (nội dung là HTML)."
    )
    assert EvidenceFile.objects.filter(entry=ev.entry).count() == 2
    assert len(stored_files(media)) == 2


def test_the_upload_tells_where_else_the_same_file_is_attached(ev, login):
    client = login(ev.officer)
    data = pdfs.make_pdf("chung")
    _post_files(client, ev.entry, upload("a.pdf", data), **JSON)
    result = _post_files(client, ev.entry2, upload("b.pdf", data), **JSON).json()["results"][0]
    assert result["ok"] is True
    assert "cũng đã được đính kèm ở tiêu chí 1.1 (tên tệp 'a.pdf')" in result["message"]


def test_an_oversized_file_is_refused_by_the_view(ev, login, media, settings):
    settings.MAX_UPLOAD_MB = 1
    client = login(ev.officer)
    data = pdfs.make_pdf(padding=1_600_000)  # about 1,5 MB
    result = _post_files(client, ev.entry, upload("lon.pdf", data), **JSON).json()["results"][0]
    assert result == {
        "name": "lon.pdf",
        "ok": False,
        "message": "Tệp 'lon.pdf' có dung lượng 1,5 MB, vượt quá giới hạn 1 MB cho mỗi tệp.",
    }
    assert stored_files(media) == []


def test_an_upload_without_files_is_a_bad_request(ev, login):
    response = login(ev.officer).post(reverse("evidence:upload", args=[ev.entry.pk]), {}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Chọn ít nhất một tệp PDF để tải lên."


def test_a_plain_form_upload_redirects_with_messages(ev, login):
    response = _post_files(
        login(ev.officer), ev.entry, upload("a.pdf", pdfs.make_pdf()), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("evidence:entry", args=[ev.entry.pk])
    assert "Đã đính kèm tệp &#x27;a.pdf&#x27;" in response.content.decode()


def test_an_htmx_upload_returns_the_list(ev, login):
    response = _post_files(
        login(ev.officer), ev.entry, upload("a.pdf", pdfs.make_pdf()), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'id="evidence-list-{ev.entry.pk}"' in html
    assert "a.pdf" in html and "Bản quét" in html


def test_upload_is_refused_after_submission(ev, login):
    ev.assessment.status = Status.SUBMITTED
    ev.assessment.save()
    result = _post_files(
        login(ev.officer), ev.entry, upload("a.pdf", pdfs.make_pdf()), **JSON
    ).json()["results"][0]
    assert result["ok"] is False
    assert "Đã gửi" in result["message"]


def test_upload_checks_the_csrf_token(ev):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ev.officer)
    response = _post_files(client, ev.entry, upload("a.pdf", pdfs.make_pdf()), **JSON)
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()


def test_download_is_an_attachment_with_both_filename_forms(ev, login, attached, signed_pdf):
    response = login(ev.officer).get(reverse("evidence:download", args=[attached.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Bao cao CCHC quy 3 _da ky_.pdf"; '
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20CCHC%20qu%C3%BD%203%20%22%C4%91%C3%A3%20k%C3%BD%22.pdf"
    )
    assert response.streaming
    assert b"".join(response.streaming_content) == signed_pdf
    assert int(response["Content-Length"]) == len(signed_pdf)


def test_preview_is_inline_sandboxed_and_frameable_by_the_site(ev, login, attached):
    response = login(ev.officer).get(reverse("evidence:preview", args=[attached.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_missing_stored_file_is_a_404(ev, login, attached, media):
    (media / attached.storage_name).unlink()
    response = login(ev.officer).get(reverse("evidence:download", args=[attached.pk]))
    assert response.status_code == 404


def test_the_officer_removes_a_file(ev, login, attached, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(ev.officer).post(
            reverse("evidence:remove", args=[attached.pk]), {"reason": "Nhầm"}, **JSON
        )
    assert response.json() == {
        "ok": True,
        "message": "Đã xoá tệp 'Báo cáo CCHC quý 3 \"đã ký\".pdf'.",
    }
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []


def test_an_htmx_remove_returns_the_list(ev, login, attached):
    response = login(ev.officer).post(
        reverse("evidence:remove", args=[attached.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Chưa có tài liệu kiểm chứng nào cho tiêu chí này." in html
    assert "Đã xoá tệp" in html


def test_remove_after_submission_is_refused(ev, login, attached):
    ev.assessment.status = Status.SUBMITTED
    ev.assessment.save()
    response = login(ev.officer).post(reverse("evidence:remove", args=[attached.pk]), **JSON)
    assert response.status_code == 409
    assert response.json()["ok"] is False
    assert EvidenceFile.objects.count() == 1


def test_the_entry_page_shows_the_list_and_the_drop_zone(ev, login, attached):
    response = login(ev.officer).get(reverse("evidence:entry", args=[ev.entry.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tài liệu kiểm chứng — tiêu chí 1.1" in html
    assert "Đã ký số — Nguyễn Văn A" in html
    assert "nguyên vẹn" in html
    assert "Kéo thả tệp PDF vào đây" in html
    assert "evidence-upload.js" in html


def test_a_reader_sees_the_list_without_the_drop_zone_or_remove(ev, login, attached):
    html = login(ev.admin).get(reverse("evidence:entry", args=[ev.entry.pk])).content.decode()
    assert "Báo cáo CCHC quý 3" in html
    assert "Kéo thả tệp PDF vào đây" not in html
    assert reverse("evidence:remove", args=[attached.pk]) not in html


def test_the_list_partial_has_a_fixed_number_of_queries(ev, login, django_assert_num_queries):
    client = login(ev.officer)
    for i in range(5):
        evidence_upload(
            actor=ev.officer,
            entry=load_entry(ev.entry),
            upload=upload(f"{i}.pdf", pdfs.make_pdf(str(i))),
        )
    url = reverse("evidence:list", args=[ev.entry.pk])
    client.get(url)
    # session, user, entry with its assessment (+ phases), memberships, the files
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("list-group-item") == 5


# --- access -------------------------------------------------------------------------------


def _urls(ev, evidence):
    return [
        ("get", reverse("evidence:entry", args=[ev.entry.pk])),
        ("get", reverse("evidence:list", args=[ev.entry.pk])),
        ("post", reverse("evidence:upload", args=[ev.entry.pk])),
        ("get", reverse("evidence:download", args=[evidence.pk])),
        ("get", reverse("evidence:preview", args=[evidence.pk])),
        ("post", reverse("evidence:remove", args=[evidence.pk])),
    ]


def test_another_units_officer_gets_404_everywhere(ev, login, attached):
    client = login(ev.outsider)
    for method, url in _urls(ev, attached):
        data = {"files": [upload("a.pdf", pdfs.make_pdf())]} if "tai-len" in url else {}
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    assert EvidenceFile.objects.count() == 1


def test_anonymous_users_are_sent_to_login(ev, client, attached):
    for method, url in _urls(ev, attached):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("who", ["admin", "appraiser", "chair"])
def test_readers_may_download_but_not_change(ev, login, attached, who):
    # appraisers read an assessment once the unit has sent it (issue 6, §3)
    type(attached.assessment).objects.filter(pk=attached.assessment_id).update(
        status=Status.SUBMITTED
    )
    client = login(getattr(ev, who))
    assert client.get(reverse("evidence:download", args=[attached.pk])).status_code == 200
    response = _post_files(client, ev.entry, upload("a.pdf", pdfs.make_pdf()), **JSON)
    assert response.status_code == 403
    response = client.post(reverse("evidence:remove", args=[attached.pk]))
    assert response.status_code == 403
    assert EvidenceFile.objects.count() == 1


def test_the_units_leader_may_upload(ev, login):
    result = _post_files(login(ev.leader), ev.entry, upload("a.pdf", pdfs.make_pdf()), **JSON)
    assert result.json()["results"][0]["ok"] is True


def test_a_refused_upload_names_the_file_the_user_chose(ev, login, media):
    client = login(ev.officer)
    response = _post_files(client, ev.entry, upload("note.txt", b"ghi chu", "text/plain"), **JSON)
    [result] = response.json()["results"]
    assert result["name"] == "note.txt"
    assert result["ok"] is False
    assert result["message"].startswith("Tệp 'note.txt' không phải là tệp PDF hợp lệ")
    assert stored_files(media) == []
