import re

import pytest
from django.urls import reverse

from parindex.accounts.models import Membership, User
from parindex.accounts.services import membership_grant, user_create
from parindex.audit.models import AuditEvent

LIST = reverse("accounts:user-list")
R = Membership.Role


@pytest.mark.parametrize("who", ["officer", "outsider", "commune_officer"])
def test_non_admins_get_403(login, province, who):
    client = login(getattr(province, who))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("accounts:user-create")).status_code == 403
    assert client.get(reverse("accounts:user-edit", args=[province.officer.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(LIST).status_code == 302


def test_the_list_shows_people_with_their_role_badges(login, province):
    page = login(province.admin).get(LIST).content.decode()
    assert "Trần Văn Minh" in page and "Chuyên viên đầu mối · STP" in page
    assert "Ngô Thị Lan" in page


def test_the_district_admin_lists_only_district_people(login, province):
    page = login(province.district_admin).get(LIST).content.decode()
    assert "cv.tiendung" in page and "quantri.yd" in page
    assert "cv.stp" not in page and "chutich" not in page


def test_it_filters_by_unit_role_and_text(login, province):
    client = login(province.admin)
    page = client.get(LIST, {"don_vi": province.stp.pk, "vai_tro": R.UNIT_LEADER}).content.decode()
    assert "ld.stp" in page and "cv.stp" not in page
    page = client.get(LIST, {"q": "Trang"}).content.decode()
    assert "cv.syt" in page and "cv.stp" not in page


def test_the_account_list_runs_a_fixed_number_of_queries(
    login, province, django_assert_num_queries
):
    client = login(province.admin)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST)
    for i in range(12):
        u = user_create(actor=None, username=f"u{i}", password=None, full_name=f"Người {i}")
        membership_grant(actor=None, user=u, unit=province.syt, role=R.UNIT_OFFICER)
        membership_grant(actor=None, user=u, unit=province.stp, role=R.APPRAISER)
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(LIST)


def test_an_admin_creates_an_account_with_a_role_and_sees_the_password_once(login, province):
    response = login(province.admin).post(
        reverse("accounts:user-create"),
        {
            "username": "cv.sxd",
            "full_name": "Nguyễn Văn An",
            "email": "an@example.gov.vn",
            "phone": "",
            "job_title": "Chuyên viên",
            "is_active": "on",
            "unit": province.syt.pk,
            "role": R.UNIT_OFFICER,
            "password": "",
        },
    )
    assert response.status_code == 200
    password = re.search(
        r'<code class="fs-5 user-select-all">([^<]+)</code>', response.content.decode()
    ).group(1)
    user = User.objects.get(username="cv.sxd")
    assert user.check_password(password) and not user.is_superuser
    assert Membership.objects.filter(user=user, unit=province.syt, role=R.UNIT_OFFICER).exists()
    assert AuditEvent.objects.filter(verb="user.create", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(verb="membership.grant", new__user="cv.sxd").exists()
    for event in AuditEvent.objects.all():
        assert password not in str(event.new)


def test_an_admin_cannot_create_a_system_admin(login, province):
    login(province.admin).post(
        reverse("accounts:user-create"),
        {
            "username": "hacker",
            "full_name": "X",
            "unit": province.syt.pk,
            "role": R.UNIT_OFFICER,
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
        },
    )
    user = User.objects.get(username="hacker")
    assert not user.is_superuser and not user.is_staff


def test_it_rejects_a_weak_initial_password_in_vietnamese(login, province):
    response = login(province.admin).post(
        reverse("accounts:user-create"),
        {
            "username": "x",
            "full_name": "X",
            "unit": province.syt.pk,
            "role": R.UNIT_OFFICER,
            "password": "12345",
        },
    )
    assert "Mật khẩu quá ngắn" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_the_district_admin_cannot_create_an_account_outside_the_district(login, province):
    response = login(province.district_admin).post(
        reverse("accounts:user-create"),
        {"username": "x", "full_name": "X", "unit": province.stp.pk, "role": R.UNIT_OFFICER},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="x").exists()


def test_an_admin_edits_an_account(login, province):
    client = login(province.admin)
    response = client.post(
        reverse("accounts:user-edit", args=[province.officer.pk]),
        {
            "full_name": "Trần Văn Minh",
            "email": "minh@stp.gov.vn",
            "phone": "0912",
            "job_title": "Phó Chánh Văn phòng",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    province.officer.refresh_from_db()
    assert not province.officer.is_active and province.officer.job_title == "Phó Chánh Văn phòng"
    event = AuditEvent.objects.get(verb="user.update")
    assert event.old["is_active"] is True and event.new["is_active"] is False


def test_granting_a_role_outside_the_scope_is_refused(login, province):
    client = login(province.district_admin)
    url = reverse("accounts:user-grant", args=[province.commune_officer.pk])
    client.post(url, {"unit": province.stp.pk, "role": R.UNIT_OFFICER})
    assert not Membership.objects.filter(user=province.commune_officer, unit=province.stp).exists()
    # the district's own UBND is assessed by the province: not the district admin's area
    client.post(url, {"unit": province.district.pk, "role": R.UNIT_LEADER})
    assert not Membership.objects.filter(
        user=province.commune_officer, unit=province.district, role=R.UNIT_LEADER
    ).exists()
    client.post(url, {"unit": province.commune.pk, "role": R.UNIT_LEADER})
    assert Membership.objects.filter(
        user=province.commune_officer, unit=province.commune, role=R.UNIT_LEADER
    ).exists()


def test_the_admin_role_is_only_granted_in_an_organizer_unit(login, province):
    client = login(province.admin)
    url = reverse("accounts:user-grant", args=[province.officer.pk])
    client.post(url, {"unit": province.stp.pk, "role": R.ORGANIZER_ADMIN})
    assert not Membership.objects.filter(user=province.officer, role=R.ORGANIZER_ADMIN).exists()


def test_a_person_may_hold_roles_in_several_units_and_lose_one(login, province):
    client = login(province.admin)
    client.post(
        reverse("accounts:user-grant", args=[province.officer.pk]),
        {"unit": province.syt.pk, "role": R.APPRAISER},
    )
    m = Membership.objects.get(user=province.officer, unit=province.syt)
    assert Membership.objects.filter(user=province.officer).count() == 2
    response = client.post(
        reverse("accounts:membership-revoke", args=[m.pk]), {"reason": "Chuyển công tác"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=province.officer).count() == 1
    assert AuditEvent.objects.get(verb="membership.revoke").reason == "Chuyển công tác"


def test_revoking_outside_the_scope_is_404(login, province):
    m = Membership.objects.get(user=province.officer)
    assert (
        login(province.district_admin)
        .post(reverse("accounts:membership-revoke", args=[m.pk]))
        .status_code
        == 404
    )
    assert (
        login(province.outsider)
        .post(reverse("accounts:membership-revoke", args=[m.pk]))
        .status_code
        == 403
    )
    assert Membership.objects.filter(pk=m.pk).exists()


def test_an_admin_cannot_revoke_their_own_admin_role(login, province):
    m = Membership.objects.get(user=province.admin, role=R.ORGANIZER_ADMIN)
    login(province.admin).post(reverse("accounts:membership-revoke", args=[m.pk]))
    assert Membership.objects.filter(pk=m.pk).exists()


def test_a_system_admin_account_is_read_only_for_organizer_admins(login, province):
    membership_grant(actor=None, user=province.sysadmin, unit=province.stp, role=R.APPRAISER)
    url = reverse("accounts:user-edit", args=[province.sysadmin.pk])
    client = login(province.admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"full_name": "X"}).status_code == 403
