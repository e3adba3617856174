"""Seating the council from the XLSX template: the template itself (columns, lists, text
cells kept as text), a good file seats everyone in the file's order, a bad file lists every
problem with its row number and seats nobody."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from parindex.accounts.models import Membership, Unit, User
from parindex.accounts.services import membership_grant, unit_create, user_create
from parindex.appraisal.services import council_for
from parindex.appraisal.services.council_import import council_import
from parindex.appraisal.xlsx import COLUMNS, parse_council
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.periods.models import CouncilMember
from tests.conftest import PASSWORD
from tests.periods.factories import make_period

HEADER = ["STT", "Họ và tên", "Tên đăng nhập", "Mã đơn vị", "Chức vụ", "Vai trò"]


def xlsx(rows, header=HEADER, sheet="Thành viên"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data, name="hoi-dong.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def people(province):
    """Three accounts of the area who are not on any council yet."""
    out = {}
    for username, name, unit, title in (
        ("td.stc", "Phan Văn Khánh", province.stp, "Trưởng phòng"),
        ("td.syt2", "Hà Thị Liên", province.syt, "Phó Giám đốc Sở Y tế"),
        ("tgv.snv", "Lò Thị Hằng", province.snv, "Chuyên viên"),
    ):
        user = user_create(
            actor=None, username=username, password=PASSWORD, full_name=name, job_title=title
        )
        membership_grant(actor=None, user=user, unit=unit, role=Membership.Role.APPRAISER)
        out[username] = user
    return out


@pytest.fixture
def period(province):
    """The 2026 period with its usual council (the chair and td.stp)."""
    return make_period(province)


def _members(period):
    return list(
        council_for(period)
        .members.order_by("order", "id")
        .values_list("user__username", "unit__code", "position", "title")
    )


# ---------------------------------------------------------------- the template


def test_the_template_has_the_columns_the_roles_and_the_units(province, period, login):
    unit_create(actor=None, code="XLS", name="=HYPERLINK(\"http://x\")", parent=province.root,
                kind=Unit.Kind.OTHER)  # fmt: skip
    response = login(province.admin).get(reverse("appraisal:council_template", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "mau-hoi-dong-tham-dinh-2026.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.active.title == "Thành viên"
    assert [c.value for c in wb["Thành viên"][1]] == [c.header for c in COLUMNS] == HEADER
    lists = wb["Danh mục"]
    roles = [r[0].value for r in lists.iter_rows(min_row=2) if r[0].value]
    assert roles == [label for _, label in CouncilMember.Position.choices]
    codes = {r[1].value: r[2] for r in lists.iter_rows(min_row=2) if r[1].value}
    assert {"STP", "SYT", "SNV", "YDU-TD"} <= set(codes)
    assert codes["XLS"].value == '=HYPERLINK("http://x")' and codes["XLS"].data_type == "s"
    # the template, filled in, reads back
    ws = wb["Thành viên"]
    for col, value in enumerate([1, "Phan Văn Khánh", "td.stc", "STP", "", "Ủy viên"], start=1):
        ws.cell(row=2, column=col, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_council(buf.getvalue())
    assert parsed.problems == []
    assert [(r.row, r.username, r.unit, r.position) for r in parsed.rows] == [
        (2, "td.stc", "STP", "Ủy viên")
    ]


def test_a_file_that_is_not_the_template_is_explained():
    assert parse_council(b"not a zip").problems == [
        "Không đọc được tệp: đây không phải tệp Excel .xlsx hợp lệ. Hãy dùng mẫu tải từ trang này."
    ]
    missing = parse_council(xlsx([["x"]], header=["STT", "Họ và tên"]))
    assert missing.problems == [
        "Trang “Thành viên”: thiếu cột “Tên đăng nhập”, “Mã đơn vị”, “Vai trò” ở dòng tiêu đề "
        "(hãy dùng mẫu tải từ trang này)."
    ]
    assert parse_council(xlsx([])).problems == ["Tệp không có dòng dữ liệu nào để nhập."]


# ---------------------------------------------------------------- importing


def test_a_good_file_seats_everyone_in_the_files_order(province, period, people, login):
    data = xlsx(
        [
            [1, "Phan Văn Khánh", "td.stc", "STP", "Phó Chánh Văn phòng", "Ủy viên"],
            [2, "Hà Thị Liên", "TD.SYT2", "syt", None, "Phó Chủ tịch Hội đồng"],
            [None, None, None, None, None, None],  # an empty row is skipped
            [3, "Lò Thị Hằng", "tgv.snv", "SNV", "Chuyên viên", "Thành viên Tổ giúp việc"],
        ]
    )
    response = login(province.admin).post(
        reverse("appraisal:council_import", args=[period.pk]), {"file": upload(data)}, follow=True
    )
    assert "Đã thêm 3 thành viên từ tệp hoi-dong.xlsx." in response.content.decode()
    assert _members(period)[2:] == [
        ("td.stc", "STP", "member", "Phó Chánh Văn phòng"),
        ("td.syt2", "SYT", "vice_chair", "Phó Giám đốc Sở Y tế"),  # the account's job title
        ("tgv.snv", "SNV", "support", "Chuyên viên"),
    ]
    assert AuditEvent.objects.filter(verb="council.import").count() == 1
    assert AuditEvent.objects.filter(verb="council.member_add").count() == 2 + 3


def test_a_bad_file_lists_every_problem_with_its_row_and_seats_nobody(
    province, period, people, login
):
    user_create(actor=None, username="da.khoa", password=PASSWORD, full_name="Khóa Rồi")
    User.objects.filter(username="da.khoa").update(is_active=False)
    elsewhere = unit_create(actor=None, code="HNI", name="Thành phố Hà Nội",
                            kind=Unit.Kind.PROVINCE)  # fmt: skip
    assert elsewhere.pk
    data = xlsx(
        [
            [1, "Phan Văn Khánh", "td.stc", "STP", "", "Ủy viên"],  # fine
            [2, "Người Lạ", "khong.co", "STP", "", "Ủy viên"],
            [3, "Hà Thị Liên", "td.syt2", "XYZ", "", "Ủy viên"],
            [4, "Lò Thị Hằng", "tgv.snv", "SNV", "", "Trưởng đoàn"],
            [5, "Phan Văn Khánh", "td.stc", "STP", "", "Thư ký"],
            [6, "Đỗ Văn Nam", "td.stp", "STP", "", "Ủy viên"],
            [7, "Trần Văn Minh", "cv.stp", "STP", "", "Chủ tịch Hội đồng"],
            [8, "Nguyễn Văn Khác", "ld.stp", "STP", "", "Ủy viên"],
            [9, "Khóa Rồi", "da.khoa", "HNI", "", "Ủy viên"],
            [10, "", "", "", "", ""  ],
            [11, "Hà Thị Liên", "td.syt2", "", "", ""],
        ]
    )  # fmt: skip
    before = _members(period)
    response = login(province.admin).post(
        reverse("appraisal:council_import", args=[period.pk]), {"file": upload(data)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    expected = [
        "Tệp có 12 lỗi: chưa thêm thành viên nào.",
        "Dòng 3: không có tài khoản với tên đăng nhập “khong.co”.",
        "Dòng 4: không có đơn vị mã “XYZ”.",
        "Dòng 5: vai trò “Trưởng đoàn” không hợp lệ",
        "Dòng 6: tài khoản “td.stc” đã có ở dòng 2 (mỗi người chỉ ghi một dòng).",
        "Dòng 7: Đỗ Văn Nam (td.stp) đã là thành viên của hội đồng.",
        "Dòng 8: hội đồng đã có Chủ tịch (Vũ Mạnh Hùng)",
        "Dòng 9: tài khoản “ld.stp” là của Lê Quang Huy, không phải “Nguyễn Văn Khác”",
        "Dòng 10: tài khoản “da.khoa” đã bị khóa.",
        "Dòng 10: Thành phố Hà Nội (HNI) không thuộc địa bàn của Sở Nội vụ.",
        "Dòng 12: tài khoản “td.syt2” đã có ở dòng 4",
        "Dòng 12: thiếu mã đơn vị.",
        "Dòng 12: thiếu vai trò",
    ]
    for text in expected:
        assert text in page, text
    assert "Dòng 2:" not in page and "Dòng 11:" not in page  # a good row; an empty one
    assert _members(period) == before
    assert not AuditEvent.objects.filter(verb="council.import").exists()


def test_two_chairs_in_the_file_are_refused(province, people):
    period = make_period(province, council=False)
    council = council_for(period)
    council.period = period
    rows = parse_council(
        xlsx(
            [
                [1, "", "td.stc", "STP", "", "Chủ tịch Hội đồng"],
                [2, "", "td.syt2", "SYT", "", "chủ tịch hội đồng"],
            ]
        )
    ).rows
    with pytest.raises(DomainError) as exc:
        council_import(actor=province.admin, council=council, rows=rows)
    assert exc.value.problems == [
        "Dòng 3: đã có Chủ tịch Hội đồng ở dòng 2 — hội đồng chỉ có một Chủ tịch."
    ]
    assert not council.members.exists()


def test_the_upload_must_be_an_xlsx(province, period, login):
    response = login(province.admin).post(
        reverse("appraisal:council_import", args=[period.pk]),
        {"file": upload(b"STT;Ho ten", name="hoi-dong.csv")},
    )
    assert "Chỉ nhận tệp Excel .xlsx" in response.content.decode()
    broken = login(province.admin).post(
        reverse("appraisal:council_import", args=[period.pk]), {"file": upload(b"not a zip")}
    )
    assert "Không đọc được tệp" in broken.content.decode()


def test_only_the_organizer_imports(province, period, people, login):
    data = xlsx([[1, "Phan Văn Khánh", "td.stc", "STP", "", "Ủy viên"]])
    target = reverse("appraisal:council_import", args=[period.pk])
    for user in (province.outsider, province.appraiser, province.chair, province.district_admin):
        assert login(user).post(target, {"file": upload(data)}).status_code == 404
        assert (
            login(user).get(reverse("appraisal:council_template", args=[period.pk])).status_code
            == 404
        )
    assert len(_members(period)) == 2
