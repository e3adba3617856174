import base64
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from parindex.accounts.models import Membership, Unit, User
from parindex.accounts.services import units_accounts_import
from parindex.accounts.xlsx_import import (
    ACCOUNT_COLUMNS,
    UNIT_COLUMNS,
    AccountRow,
    UnitRow,
    parse_workbook,
)
from parindex.audit.models import AuditEvent

R = Membership.Role


def workbook(units=(), accounts=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws.append([c.header for c in UNIT_COLUMNS])
    for row in units:
        ws.append(list(row))
    ws = wb.create_sheet("Tài khoản")
    ws.append([c.header for c in ACCOUNT_COLUMNS])
    for row in accounts:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, data, name="don-vi.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("accounts:import"), {"file": f})


def confirm(client, response):
    payload = re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(
        reverse("accounts:import-confirm"), {"payload": payload, "filename": "x.xlsx"}
    )


GOOD = workbook(
    units=[
        # child first: its parent SXD comes later in the file
        ("SXD-VP", "Văn phòng Sở Xây dựng", "", "Phòng chuyên môn", "SXD", "", "", ""),
        (
            "SXD",
            "Sở Xây dựng",
            "SXD",
            "Sở, ban, ngành",
            "BG",
            "so",
            "sxd@bacgiang.gov.vn",
            "0204 3854 000",
        ),
        ("YDU-NH", "UBND xã Nham Sơn", "", "Xã", "YDU", "xa", "", ""),
    ],
    accounts=[
        (
            "cv.sxd",
            "Nguyễn Văn An",
            "an@bacgiang.gov.vn",
            "0912345678",
            "Chuyên viên",
            "SXD",
            "Chuyên viên đầu mối",
            "",
        ),
        (
            "ld.sxd",
            "Trần Thị Bình",
            "",
            "",
            "Phó Giám đốc",
            "SXD",
            "unit_leader",
            "Xay-dung-Bac-Giang-2026",
        ),
        ("cv.sxd", "", "", "", "", "SXD-VP", "Thẩm định viên", ""),
    ],
)


def test_the_import_page_needs_an_organizer_admin(client, login, province):
    assert client.get(reverse("accounts:import")).status_code == 302
    assert login(province.officer).get(reverse("accounts:import")).status_code == 403
    assert login(province.officer).get(reverse("accounts:import-template")).status_code == 403
    assert (
        login(province.outsider)
        .post(reverse("accounts:import-confirm"), {"payload": "x"})
        .status_code
        == 403
    )


def test_check_shows_the_plan_and_saves_nothing(login, province):
    response = upload(login(province.admin), GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Xác nhận nhập" in page
    assert "3 đơn vị thêm mới; 2 tài khoản thêm mới; 3 vai trò được cấp" in page
    assert not Unit.objects.filter(code="SXD").exists()
    assert not User.objects.filter(username="cv.sxd").exists()


def test_confirm_saves_units_and_accounts_with_parents_in_any_order(login, province):
    client = login(province.admin)
    response = confirm(client, upload(client, GOOD))
    page = response.content.decode()
    assert "Đã nhập xong" in page
    sxd = Unit.objects.get(code="SXD")
    vp = Unit.objects.get(code="SXD-VP")
    assert vp.parent == sxd and vp.path == f"{sxd.path}{vp.pk}/"
    assert sxd.block == province.so and sxd.kind == Unit.Kind.DEPARTMENT
    assert Unit.objects.get(code="YDU-NH").kind == Unit.Kind.COMMUNE
    an = User.objects.get(username="cv.sxd")
    assert {(m.unit.code, m.role) for m in an.memberships.all()} == {
        ("SXD", R.UNIT_OFFICER),
        ("SXD-VP", R.APPRAISER),
    }
    assert User.objects.get(username="ld.sxd").check_password("Xay-dung-Bac-Giang-2026")
    # the generated password is shown once, with a downloadable XLSX, and works
    generated = re.search(r'<td><code class="user-select-all">([^<]+)</code>', page).group(1)
    assert an.check_password(generated)
    data = re.search(r'href="data:[^;]+;base64,([^"]+)"', page).group(1)
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data))).active
    assert [c.value for c in sheet[2]] == ["cv.sxd", "Nguyễn Văn An", "SXD", generated]
    assert "Xay-dung-Bac-Giang-2026" not in page
    for event in AuditEvent.objects.all():
        assert generated not in str(event.new) and "Xay-dung" not in str(event.new)
    assert AuditEvent.objects.filter(verb="unit.create", actor=province.admin).count() == 3
    assert AuditEvent.objects.filter(verb="membership.grant", actor=province.admin).count() == 3


def test_every_problem_is_listed_and_nothing_is_saved(login, province):
    data = workbook(
        units=[
            ("SXD", "Sở Xây dựng", "", "Sở", "BG", "so", "", ""),
            ("SGT", "Sở Giao thông", "", "Bộ", "SXX", "khoi-la", "khong-phai-email", ""),
            ("sxd", "Trùng mã", "", "Sở", "BG", "", "", ""),
            ("SYT", "Sở Y tế (sửa)", "", "Sở", "", "", "", ""),
        ],
        accounts=[
            ("cv.moi", "Người Mới", "", "", "", "SXD", "Giám đốc", ""),
            ("cv moi2", "", "sai@", "", "", "KHONG", "Chuyên viên đầu mối", "123"),
        ],
    )
    response = upload(login(province.district_admin), data)
    page = response.content.decode()
    for expected in [
        "Đơn vị, dòng 2: đơn vị cấp trên “BG” không thuộc phạm vi quản lý của bạn.",
        "Đơn vị, dòng 3: loại đơn vị “Bộ” không hợp lệ",
        "Đơn vị, dòng 3: khối “khoi-la” không tồn tại.",
        "Đơn vị, dòng 3: thư điện tử “khong-phai-email” không hợp lệ.",
        "Đơn vị, dòng 3: mã đơn vị cấp trên “SXX” không tồn tại.",
        "Đơn vị, dòng 4: mã đơn vị “sxd” trùng với dòng 2.",
        "Đơn vị, dòng 5: đơn vị “SYT” đã có và không thuộc phạm vi quản lý của bạn.",
        "Tài khoản, dòng 2: vai trò “Giám đốc” không hợp lệ",
        "Tài khoản, dòng 3: tên đăng nhập “cv moi2” chỉ được gồm chữ, số",
        "Tài khoản, dòng 3: thiếu họ và tên.",
        "Tài khoản, dòng 3: thư điện tử “sai@” không hợp lệ.",
        "Tài khoản, dòng 3: mã đơn vị “KHONG” không tồn tại.",
        "Tài khoản, dòng 3: mật khẩu ban đầu chưa đạt yêu cầu — Mật khẩu quá ngắn.",
    ]:
        assert (
            expected.replace("“", "&ldquo;").replace("”", "&rdquo;") in page or expected in page
        ), expected
    assert "Xác nhận nhập" not in page
    assert not Unit.objects.filter(code__in=["SXD", "SGT"]).exists()
    assert not User.objects.filter(username="cv.moi").exists()


def test_the_service_saves_nothing_when_one_row_is_bad(province):
    report = units_accounts_import(
        actor=province.admin,
        units=[
            UnitRow(row=2, code="A1", name="Đơn vị A1", kind="Sở", parent="BG"),
            UnitRow(row=3, code="A2", name="Đơn vị A2", kind="Sở", parent="NOWHERE"),
        ],
        accounts=[],
        dry_run=False,
    )
    assert not report.applied
    assert report.problems == ["Đơn vị, dòng 3: mã đơn vị cấp trên “NOWHERE” không tồn tại."]
    assert not Unit.objects.filter(code="A1").exists()


def test_a_parent_cycle_inside_the_file_is_refused(province):
    report = units_accounts_import(
        actor=province.admin,
        units=[
            UnitRow(row=2, code="A", name="A", kind="Sở", parent="B"),
            UnitRow(row=3, code="B", name="B", kind="Sở", parent="A"),
        ],
        accounts=[],
        dry_run=True,
    )
    assert any("vòng lặp" in p for p in report.problems)


def test_existing_units_and_accounts_are_updated(login, province):
    data = workbook(
        units=[("STP", "Sở Tư pháp tỉnh Bắc Giang", "", "Sở", "", "", "stp@bacgiang.gov.vn", "")],
        accounts=[
            (
                "cv.stp",
                "Trần Văn Minh",
                "minh@stp.gov.vn",
                "",
                "Chánh Văn phòng",
                "STP",
                "Chuyên viên đầu mối",
                "Mat-khau-moi-khong-dung-2026",
            )
        ],
    )
    client = login(province.admin)
    page = upload(client, data).content.decode()
    assert "1 đơn vị cập nhật; 1 tài khoản cập nhật" in page
    assert "giữ mật khẩu hiện tại" in page
    confirm(client, upload(client, data))
    province.stp.refresh_from_db()
    assert province.stp.name == "Sở Tư pháp tỉnh Bắc Giang"
    assert province.stp.block == province.so  # empty cell keeps the block
    assert province.stp.parent == province.root  # empty cell keeps the parent
    officer = User.objects.get(pk=province.officer.pk)
    assert officer.job_title == "Chánh Văn phòng" and officer.email == "minh@stp.gov.vn"
    assert officer.check_password(province.password)
    assert Membership.objects.filter(user=officer).count() == 1
    event = AuditEvent.objects.get(verb="unit.update", object_id=str(province.stp.pk))
    assert event.new == {"email": "stp@bacgiang.gov.vn", "name": "Sở Tư pháp tỉnh Bắc Giang"}


def test_an_existing_account_outside_the_scope_is_not_taken_over(province):
    report = units_accounts_import(
        actor=province.district_admin,
        units=[],
        accounts=[
            AccountRow(
                row=2, username="quantri", full_name="X", unit="YDU-TD", role="Chuyên viên đầu mối"
            )
        ],
        dry_run=True,
    )
    assert report.problems == [
        "Tài khoản, dòng 2: tài khoản “quantri” đã có và giữ vai trò ở đơn vị ngoài phạm vi quản lý của bạn."
    ]


def test_an_existing_unit_can_move_under_a_new_unit_of_the_same_file(province):
    report = units_accounts_import(
        actor=province.admin,
        units=[
            UnitRow(row=2, code="YDU-TD", name="UBND xã Tiến Dũng", kind="Xã", parent="CUM"),
            UnitRow(row=3, code="CUM", name="Cụm xã phía Bắc", kind="Khác", parent="YDU"),
        ],
        accounts=[],
        dry_run=False,
    )
    assert report.applied, report.problems
    province.commune.refresh_from_db()
    cum = Unit.objects.get(code="CUM")
    assert province.commune.parent == cum
    assert province.commune.path == f"{province.district.path}{cum.pk}/{province.commune.pk}/"


def test_the_downloaded_template_has_instructions_and_imports_its_examples(login, province):
    client = login(province.admin)
    response = client.get(reverse("accounts:import-template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:3] == ["Hướng dẫn", "Đơn vị", "Tài khoản"]
    assert wb["Đơn vị"].max_row == 3 and wb["Tài khoản"].max_row == 3
    parsed = parse_workbook(response.content)
    assert not parsed.problems
    report = units_accounts_import(
        actor=province.admin, units=parsed.units, accounts=parsed.accounts, dry_run=True
    )
    assert report.ok, report.problems
    assert report.summary() == "2 đơn vị thêm mới; 2 tài khoản thêm mới; 2 vai trò được cấp"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a workbook", "không phải tệp Excel .xlsx hợp lệ"),
        (workbook(), "Tệp không có dòng dữ liệu nào để nhập."),
    ],
)
def test_a_bad_file_gets_a_clear_message(login, province, content, message):
    page = upload(login(province.admin), content).content.decode()
    assert message in page


def test_only_xlsx_files_are_accepted(login, province):
    page = upload(login(province.admin), GOOD, name="don-vi.csv").content.decode()
    assert "Chỉ nhận tệp Excel .xlsx" in page
