from urllib.parse import unquote

import pytest
from django.urls import reverse

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _url(assessment, fmt):
    return reverse("reports:self-assessment", kwargs={"pk": assessment.pk, "fmt": fmt})


@pytest.mark.parametrize("who", ["officer", "leader", "admin"])
@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_the_unit_and_the_organizer_download_the_report(report_case, login, who, fmt):
    client = login(getattr(report_case.province, who))
    response = client.get(_url(report_case.assessment, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="bao-cao-tu-danh-gia-STP-2026.{fmt}"')
    utf8 = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(utf8) == f"Báo cáo tự đánh giá Chỉ số CCHC 2026 - Sở Tư pháp.{fmt}"
    assert response["Cache-Control"] == "private, no-store"
    assert len(response.content) > 1000


def test_another_units_officer_gets_404(report_case, login):
    client = login(report_case.province.outsider)
    assert client.get(_url(report_case.assessment, "pdf")).status_code == 404


def test_a_district_organizer_gets_404_for_a_department(report_case, login):
    client = login(report_case.province.district_admin)
    assert client.get(_url(report_case.assessment, "docx")).status_code == 404


def test_anonymous_is_sent_to_login(report_case, client):
    response = client.get(_url(report_case.assessment, "docx"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_format_is_not_found(report_case, login):
    client = login(report_case.province.officer)
    url = _url(report_case.assessment, "pdf").replace(".pdf", ".odt")
    assert client.get(url).status_code == 404


def test_a_missing_assessment_is_not_found(report_case, login):
    client = login(report_case.province.admin)
    url = reverse("reports:self-assessment", kwargs={"pk": 999999, "fmt": "pdf"})
    assert client.get(url).status_code == 404
