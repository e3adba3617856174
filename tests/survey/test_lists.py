"""Respondent lists: the XLSX template and import (all or nothing, every problem named with
its row, one person once in the whole survey), the unit's page and the organizer's page, and
who may see them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey.models import Quota, Respondent, RespondentUnit
from parindex.survey.services.invitations import invitations_send
from parindex.survey.services.respondents import (
    respondent_add,
    respondent_remove,
    respondents_import,
)
from parindex.survey.xlsx_lists import ListRow, parse_list

pytestmark = pytest.mark.django_db

HEAD = [
    "STT",
    "Nhóm đối tượng",
    "Họ và tên",
    "Chức vụ/nơi công tác",
    "Thư điện tử",
    "Số điện thoại",
    "Đơn vị được đánh giá",
]


def xlsx_of(rows: list[list[str]], head: list[str] = HEAD) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(head)
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rows_of(rows: list[list[str]]) -> list[ListRow]:
    parsed = parse_list(xlsx_of(rows))
    assert parsed.problems == []
    return parsed.rows


GOOD = [
    ["HDND", "Nguyễn Văn An", "Đại biểu HĐND tỉnh", "an.nv@bacgiang.gov.vn", "0912 345 678", ""],
    ["LDSO", "Trần Thị Bình", "Phó Giám đốc Sở Y tế", "BINH.TT@bacgiang.gov.vn", "", "STP, SYT"],
    ["DAN", "Lê Văn Cường", "", "", "+84 987 654 321", "stp"],
]


def unit_url(ns, unit=None):
    unit = unit or ns.province.stp
    return reverse("survey:lists_unit", kwargs={"survey_pk": ns.survey.pk, "unit_pk": unit.pk})


def org_url(ns):
    return reverse("survey:lists_organizer", kwargs={"survey_pk": ns.survey.pk})


# ---------------------------------------------------------------- services


def test_a_list_is_imported_with_the_units_defaulted_and_only_counts_audited(surveyed):
    p = surveyed.province
    n = respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    assert n == 3
    people = {r.name: r for r in Respondent.objects.filter(survey=surveyed.survey)}
    assert people["Nguyễn Văn An"].email == "an.nv@bacgiang.gov.vn"
    assert people["Trần Thị Bình"].email == "binh.tt@bacgiang.gov.vn"
    assert people["Lê Văn Cường"].phone == "0987654321"
    assert people["Nguyễn Văn An"].phone == "0912345678"
    assert {r.listed_by_id for r in people.values()} == {p.stp.pk}

    def codes(name):
        return sorted(
            RespondentUnit.objects.filter(respondent=people[name]).values_list(
                "unit__code", flat=True
            )
        )

    assert codes("Nguyễn Văn An") == ["STP"]
    assert codes("Trần Thị Bình") == ["STP", "SYT"]
    assert codes("Lê Văn Cường") == ["STP"]
    event = AuditEvent.objects.get(verb="survey.list_import")
    assert event.new == {"unit_id": p.stp.pk, "unit": "STP", "count": 3, "replaced": 0}
    assert "@" not in str(event.new)


def test_every_problem_is_named_with_its_row_and_nothing_is_saved(surveyed):
    p = surveyed.province
    respondents_import(
        actor=p.outsider,
        survey=surveyed.survey,
        unit=p.syt,
        rows=rows_of([["LDSO", "Phạm Văn Dũng", "", "dung@bacgiang.gov.vn", "0900000001", ""]]),
    )
    bad = [
        ["XYZ", "Người nhóm lạ", "", "", "", ""],  # row 2: unknown group
        ["HDND", "Sai thư", "", "khong-phai-email", "", ""],  # row 3: bad e-mail
        ["HDND", "Sai đơn vị", "", "", "", "STP, ABC"],  # row 4: unknown unit code
        ["HDND", "Người A", "", "a@x.vn", "", ""],  # row 5: fine
        ["LDSO", "Người A lần hai", "", "A@X.VN", "", ""],  # row 6: same e-mail, other group
        ["DAN", "Cùng số máy", "", "", "0900 000 001", ""],  # row 7: phone on SYT's list
        ["HDND", "", "", "", "", ""],  # row 8: no name
    ]
    with pytest.raises(DomainError) as exc:
        respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(bad))
    problems = exc.value.problems
    text = "\n".join(problems)
    assert len(problems) == 6, text
    assert any(x.startswith("Dòng 2:") and "XYZ" in x for x in problems)
    assert any(x.startswith("Dòng 3:") and "khong-phai-email" in x for x in problems)
    assert any(x.startswith("Dòng 4:") and "ABC" in x for x in problems)
    assert any(x.startswith("Dòng 6:") and "dòng 5" in x for x in problems)
    assert any(x.startswith("Dòng 7:") and "Phạm Văn Dũng" in x and "SYT" in x for x in problems)
    assert any(x.startswith("Dòng 8:") and "họ và tên" in x for x in problems)
    assert Respondent.objects.filter(listed_by=p.stp).count() == 0


def test_a_new_upload_replaces_the_list_until_invitations_go_out(surveyed):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    # the same people again is not a duplicate of themselves
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD[:2]))
    assert Respondent.objects.filter(listed_by=p.stp).count() == 2
    invitations_send(actor=p.admin, survey=surveyed.survey)
    with pytest.raises(DomainError, match="Đã gửi thư mời"):
        respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))


def test_after_the_deadline_the_unit_cannot_send_but_the_organizer_can(surveyed):
    p = surveyed.province
    survey = surveyed.survey
    survey.lists_due_on = timezone.localdate() - dt.timedelta(days=1)
    survey.save(update_fields=["lists_due_on"])
    with pytest.raises(DomainError, match="quá hạn"):
        respondents_import(actor=p.officer, survey=survey, unit=p.stp, rows=rows_of(GOOD))
    assert respondents_import(actor=p.admin, survey=survey, unit=p.stp, rows=rows_of(GOOD)) == 3


def test_another_units_officer_cannot_import_for_the_unit(surveyed):
    p = surveyed.province
    with pytest.raises(DomainError):
        respondents_import(actor=p.outsider, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))


def test_the_organizer_adds_and_removes_one_person_with_the_same_checks(surveyed):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    with pytest.raises(DomainError, match="trùng"):
        respondent_add(
            actor=p.admin,
            survey=surveyed.survey,
            listed_by=p.syt,
            group="LDSO",
            name="Nguyễn An",
            email="an.nv@bacgiang.gov.vn",
        )
    with pytest.raises(DomainError):
        respondent_add(
            actor=p.officer, survey=surveyed.survey, listed_by=p.stp, group="HDND", name="X"
        )
    person = respondent_add(
        actor=p.admin,
        survey=surveyed.survey,
        listed_by=p.syt,
        group="LDSO",
        name="Hoàng Thị Em",
        email="em@bacgiang.gov.vn",
        units="STP",
    )
    assert list(person.units.values_list("unit__code", flat=True)) == ["STP"]
    respondent_remove(actor=p.admin, respondent=person, reason="Chuyển công tác")
    assert not Respondent.objects.filter(pk=person.pk).exists()


def test_who_answered_cannot_be_removed(surveyed):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    person = Respondent.objects.get(name="Nguyễn Văn An")
    RespondentUnit.objects.filter(respondent=person).update(answered_on=timezone.localdate())
    with pytest.raises(DomainError, match="đã trả lời"):
        respondent_remove(actor=p.admin, respondent=person)


# ---------------------------------------------------------------- the XLSX


def test_the_template_lists_the_codes_and_reads_back_the_current_list(surveyed, login):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    url = reverse(
        "survey:lists_unit_template",
        kwargs={"survey_pk": surveyed.survey.pk, "unit_pk": p.stp.pk},
    )
    r = login(p.officer).get(url)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Hướng dẫn", "Danh sách", "Danh mục"]
    codes = [c.value for c in wb["Danh mục"]["A"][1:] if c.value]
    assert codes == ["HDND", "LDSO", "LDHUYEN", "DAN"]
    units = [c.value for c in wb["Danh mục"]["D"][1:] if c.value]
    assert set(units) == {"STP", "SYT"}
    parsed = parse_list(r.content)
    assert parsed.problems == []
    assert [(x.group, x.name, x.units) for x in parsed.rows] == [
        ("DAN", "Lê Văn Cường", "STP"),
        ("HDND", "Nguyễn Văn An", "STP"),
        ("LDSO", "Trần Thị Bình", "STP, SYT"),
    ]


def test_a_file_that_is_not_xlsx_or_lacks_columns_is_refused_with_the_reason():
    assert "không phải tệp Excel" in parse_list(b"not a zip").problems[0]
    missing = parse_list(xlsx_of([["HDND", "A"]], head=["STT", "Tên"]))
    assert "Nhóm đối tượng" in missing.problems[0] and "Họ và tên" in missing.problems[0]
    assert parse_list(xlsx_of([])).problems == ["Tệp không có dòng dữ liệu nào để nhập."]


# ---------------------------------------------------------------- the unit's page


def test_the_unit_page_shows_the_deadline_counts_against_the_quota_and_the_list(surveyed, login):
    p = surveyed.province
    Quota.objects.create(survey=surveyed.survey, group="HDND", unit=p.stp, target=3)
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    r = login(p.officer).get(unit_url(surveyed))
    assert r.status_code == 200
    html = r.content.decode()
    assert surveyed.survey.lists_due_on.strftime("%d/%m/%Y") in html
    assert "Còn 5 ngày" in html
    assert "còn thiếu 2" in html
    assert "Nguyễn Văn An" in html and "Đã gửi" in html
    assert "Tải lên và gửi danh sách" in html


def test_the_unit_uploads_through_the_page_and_sees_every_problem(surveyed, login):
    p = surveyed.province
    client = login(p.officer)
    url = reverse(
        "survey:lists_unit_import", kwargs={"survey_pk": surveyed.survey.pk, "unit_pk": p.stp.pk}
    )
    bad = io.BytesIO(xlsx_of([["HDND", "A", "", "sai@", "", ""], ["ZZ", "B", "", "", "", ""]]))
    bad.name = "danh-sach.xlsx"
    r = client.post(url, {"file": bad})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Dòng 2:" in html and "Dòng 3:" in html and "chưa lưu gì" in html
    good = io.BytesIO(xlsx_of(GOOD))
    good.name = "danh-sach.xlsx"
    r = client.post(url, {"file": good})
    assert r.status_code == 302
    assert Respondent.objects.filter(listed_by=p.stp).count() == 3
    r = client.get(unit_url(surveyed))
    assert "Đã gửi danh sách 3 người" in r.content.decode()
    assert p.officer.display_name in r.content.decode()


def test_after_the_deadline_the_unit_page_is_read_only_with_a_message(surveyed, login):
    survey = surveyed.survey
    survey.lists_due_on = timezone.localdate() - dt.timedelta(days=2)
    survey.save(update_fields=["lists_due_on"])
    r = login(surveyed.province.officer).get(unit_url(surveyed))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Đã quá hạn gửi danh sách" in html and "Tải lên và gửi danh sách" not in html


def test_another_units_officer_gets_404_on_the_unit_pages(surveyed, login):
    p = surveyed.province
    client = login(p.outsider)
    kw = {"survey_pk": surveyed.survey.pk, "unit_pk": p.stp.pk}
    assert client.get(unit_url(surveyed)).status_code == 404
    assert client.get(reverse("survey:lists_unit_template", kwargs=kw)).status_code == 404
    f = io.BytesIO(xlsx_of(GOOD))
    f.name = "x.xlsx"
    assert (
        client.post(reverse("survey:lists_unit_import", kwargs=kw), {"file": f}).status_code == 404
    )
    assert Respondent.objects.count() == 0


def test_the_organizer_and_other_provinces_admin_get_404_on_the_unit_page(surveyed, login):
    assert login(surveyed.province.district_admin).get(unit_url(surveyed)).status_code == 404


# ---------------------------------------------------------------- the organizer's page


def test_the_organizer_sees_every_units_list_and_the_respondents(surveyed, login):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    r = login(p.admin).get(org_url(surveyed))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Đã gửi" in html and "Chưa gửi" in html  # STP sent, SYT not
    assert p.officer.display_name in html
    assert "Trần Thị Bình" in html and "Gửi thư mời cho người chưa được mời" in html
    r = login(p.admin).get(org_url(surveyed) + f"?don_vi={p.syt.pk}")
    assert "Trần Thị Bình" not in r.content.decode()


def test_the_organizer_imports_adds_and_removes_through_the_page(surveyed, login):
    p = surveyed.province
    client = login(p.admin)
    f = io.BytesIO(xlsx_of(GOOD))
    f.name = "syt.xlsx"
    url = reverse("survey:lists_import", kwargs={"survey_pk": surveyed.survey.pk})
    r = client.post(url, {"unit": p.syt.pk, "file": f})
    assert r.status_code == 302
    assert Respondent.objects.filter(listed_by=p.syt).count() == 3
    add = reverse("survey:lists_add", kwargs={"survey_pk": surveyed.survey.pk})
    r = client.post(
        add, {"listed_by": p.stp.pk, "group": "HDND", "name": "Đinh Văn Giang", "email": "sai"}
    )
    assert r.status_code == 400 and "không đúng định dạng" in r.content.decode()
    r = client.post(
        add,
        {"listed_by": p.stp.pk, "group": "HDND", "name": "Đinh Văn Giang", "email": "g@x.vn"},
    )
    assert r.status_code == 302
    person = Respondent.objects.get(name="Đinh Văn Giang")
    remove = reverse(
        "survey:lists_remove",
        kwargs={"survey_pk": surveyed.survey.pk, "respondent_pk": person.pk},
    )
    assert client.post(remove).status_code == 302
    assert not Respondent.objects.filter(pk=person.pk).exists()


def test_unit_officers_and_other_organizers_get_404_on_the_organizer_pages(surveyed, login):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    person = Respondent.objects.first()
    s = surveyed.survey.pk
    urls_get = [org_url(surveyed), reverse("survey:lists_template", kwargs={"survey_pk": s})]
    urls_post = [
        reverse("survey:lists_import", kwargs={"survey_pk": s}),
        reverse("survey:lists_add", kwargs={"survey_pk": s}),
        reverse("survey:lists_invite", kwargs={"survey_pk": s}),
        reverse("survey:lists_remind", kwargs={"survey_pk": s}),
        reverse("survey:lists_remove", kwargs={"survey_pk": s, "respondent_pk": person.pk}),
        reverse("survey:lists_resend", kwargs={"survey_pk": s, "respondent_pk": person.pk}),
    ]
    for who in (p.officer, p.leader, p.district_admin):
        client = login(who)
        for u in urls_get:
            assert client.get(u).status_code == 404, (who, u)
        for u in urls_post:
            assert client.post(u).status_code == 404, (who, u)
    assert Respondent.objects.filter(pk=person.pk, invited_at__isnull=True).exists()


def test_anonymous_visitors_are_sent_to_log_in(surveyed, client):
    s = surveyed.survey.pk
    for url in (
        unit_url(surveyed),
        org_url(surveyed),
        reverse("survey:lists_template", kwargs={"survey_pk": s}),
    ):
        r = client.get(url)
        assert r.status_code == 302
        assert r["Location"].startswith(reverse("accounts:login") + "?next=")


def test_the_organizer_page_reads_a_fixed_number_of_queries(
    surveyed, login, django_assert_max_num_queries
):
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    client = login(p.admin)
    client.get(org_url(surveyed))
    with django_assert_max_num_queries(20) as few:
        client.get(org_url(surveyed))
    rows = [
        ["HDND", f"Người số {i}", "", f"nguoi{i}@bacgiang.gov.vn", "", "STP, SYT"]
        for i in range(60)
    ]
    respondents_import(actor=p.admin, survey=surveyed.survey, unit=p.syt, rows=rows_of(rows))
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(org_url(surveyed))
    assert r.status_code == 200 and "Người số 59" in r.content.decode()


def test_the_unit_page_reads_a_fixed_number_of_queries(
    surveyed, login, django_assert_max_num_queries
):
    p = surveyed.province
    rows = [["HDND", f"Người số {i}", "", f"n{i}@x.vn", "", "STP, SYT"] for i in range(40)]
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(rows))
    client = login(p.officer)
    with django_assert_max_num_queries(18):
        r = client.get(unit_url(surveyed))
    assert r.status_code == 200
