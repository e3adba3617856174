"""Scopes that cannot be widened (issue 6, §3): cross-unit roles are granted and act only for
their own organizer; a district admin's area leaves out the district's UBND; appraisers and the
chair do not read a unit's unsent draft; role checks use the roles loaded on the user object."""

from __future__ import annotations

import inspect

import pytest
from django.urls import reverse

from parindex.accounts.access import roles_for
from parindex.accounts.models import Membership, User
from parindex.accounts.services import (
    membership_grant,
    membership_revoke,
    units_accounts_import,
    user_create,
    user_create_with_role,
)
from parindex.assessments import access as assessment_access
from parindex.assessments.access import actor_kinds, get_assessment_for_user
from parindex.assessments.models import Assessment, Status
from parindex.assessments.participation import period_add_units
from parindex.common.errors import DomainError
from parindex.evidence import access as evidence_access
from parindex.periods import access as period_access
from parindex.periods.services import period_create
from tests.periods.factories import make_assessment, make_framework

R = Membership.Role


@pytest.fixture
def provincial(province):
    """The province's assessment of the Sở Tư pháp, sent."""
    assessment = make_assessment(province)
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def commune_assessment(province):
    fw = make_framework(province.pnv, province.xa, year=2026)
    period = period_create(
        actor=province.district_admin,
        organizer=province.pnv,
        year=2026,
        name="Chỉ số CCHC cấp xã huyện Yên Dũng năm 2026",
        blocks=[(province.xa, fw)],
    )
    (assessment,) = period_add_units(
        actor=province.district_admin, period=period, units=[province.commune]
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    assessment.refresh_from_db()
    return assessment


def _fresh_user(pk):
    return User.objects.get(pk=pk)


# --- 1. cross-unit roles ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [R.APPRAISER, R.COUNCIL_CHAIR])
def test_a_district_admins_commune_appraiser_never_reads_the_province(
    login, province, provincial, commune_assessment, role
):
    user, _ = user_create_with_role(
        actor=province.district_admin,
        username="td.tiendung",
        unit=province.commune,
        role=role,
        full_name="Thẩm định viên xã",
    )
    # the district admin seats it on its commune period's council: its rights come from there
    from parindex.appraisal.services import council_for, member_add
    from parindex.periods.models import CouncilMember

    P = CouncilMember.Position
    member_add(
        actor=province.district_admin,
        council=council_for(commune_assessment.period),
        user=user,
        unit=province.commune,
        position=P.MEMBER if role == R.APPRAISER else P.CHAIR,
    )
    with pytest.raises(DomainError):  # …and may not seat it on the province's
        member_add(
            actor=province.district_admin,
            council=council_for(provincial.period),
            user=user,
            unit=province.commune,
            position=P.MEMBER,
        )
    user = _fresh_user(user.pk)
    # it acts in the district's commune periods…
    assert actor_kinds(user, commune_assessment) == (
        {"appraiser"} if role == R.APPRAISER else {"appraiser", "chair"}
    )
    # …and nowhere in the province's
    assert actor_kinds(user, provincial) == set()
    client = login(user)
    assert client.get(reverse("assessments:detail", args=[provincial.pk])).status_code == 404
    url = reverse("reports:self-assessment", kwargs={"pk": provincial.pk, "fmt": "xlsx"})
    assert client.get(url).status_code == 404
    entry = provincial.entries.first()
    assert client.get(reverse("evidence:list", args=[entry.pk])).status_code == 404


def test_the_province_admin_cannot_grant_an_appraiser_role_acting_for_a_district(province):
    with pytest.raises(DomainError, match="Phòng Nội vụ huyện Yên Dũng"):
        membership_grant(
            actor=province.admin,
            user=province.commune_officer,
            unit=province.commune,
            role=R.APPRAISER,
        )
    assert not Membership.objects.filter(unit=province.commune, role=R.APPRAISER).exists()


def test_the_service_refuses_a_grant_outside_the_actors_scope(province):
    for unit, role in [
        (province.stp, R.APPRAISER),
        (province.root, R.COUNCIL_CHAIR),
        (province.snv, R.ORGANIZER_ADMIN),
        (province.stp, R.UNIT_OFFICER),
    ]:
        with pytest.raises(DomainError, match="không thuộc phạm vi quản lý"):
            membership_grant(
                actor=province.district_admin, user=province.commune_officer, unit=unit, role=role
            )
    assert Membership.objects.filter(user=province.commune_officer).count() == 1


def test_the_province_admin_still_grants_province_appraisers_and_district_admins(province):
    membership_grant(
        actor=province.admin, user=province.outsider, unit=province.syt, role=R.APPRAISER
    )
    membership_grant(
        actor=province.admin, user=province.outsider, unit=province.pnv, role=R.ORGANIZER_ADMIN
    )
    assert Membership.objects.filter(user=province.outsider).count() == 3


def test_the_account_form_reports_the_refused_role_in_vietnamese(login, province):
    response = login(province.admin).post(
        reverse("accounts:user-create"),
        {
            "username": "td.xa",
            "full_name": "Thẩm định viên",
            "unit": province.commune.pk,
            "role": R.COUNCIL_CHAIR,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "chỉ quản trị của Phòng Nội vụ huyện Yên Dũng cấp được" in response.content.decode()
    assert not User.objects.filter(username="td.xa").exists()


def test_the_excel_import_refuses_an_appraiser_acting_for_another_organizer(province):
    from parindex.accounts.xlsx_import import AccountRow, UnitRow

    report = units_accounts_import(
        actor=province.admin,
        units=[UnitRow(row=2, code="YDU-XM", name="UBND xã Mới", kind="Xã", parent="YDU")],
        accounts=[
            AccountRow(row=2, username="td.a", full_name="A", unit="YDU-TD", role="Thẩm định viên"),
            AccountRow(
                row=3, username="td.b", full_name="B", unit="YDU-XM", role="Chủ tịch Hội đồng"
            ),
            AccountRow(row=4, username="td.c", full_name="C", unit="STP", role="Thẩm định viên"),
        ],
        dry_run=True,
    )
    assert [p.split(":")[0] for p in report.problems] == ["Tài khoản, dòng 2", "Tài khoản, dòng 3"]
    assert "Phòng Nội vụ huyện Yên Dũng" in report.problems[0]


# --- 2. the district admin's area ------------------------------------------------------------


def test_the_district_admin_cannot_reset_the_password_of_the_district_ubnds_officer(
    login, province
):
    officer = user_create(actor=None, username="cv.ydu", password=province.password, full_name="X")
    membership_grant(actor=None, user=officer, unit=province.district, role=R.UNIT_OFFICER)
    client = login(province.district_admin)
    url = reverse("accounts:user-password-reset", args=[officer.pk])
    assert client.post(url, {"password": ""}).status_code == 404
    assert client.get(reverse("accounts:user-edit", args=[officer.pk])).status_code == 404
    assert "cv.ydu" not in client.get(reverse("accounts:user-list")).content.decode()
    officer.refresh_from_db()
    assert officer.check_password(province.password)


def test_the_district_admin_cannot_take_a_role_in_the_district_ubnd(province):
    with pytest.raises(DomainError):
        membership_grant(
            actor=province.district_admin,
            user=province.district_admin,
            unit=province.district,
            role=R.UNIT_OFFICER,
        )


def test_the_district_admin_cannot_change_the_district_ubnd_but_files_communes_under_it(
    login, province
):
    client = login(province.district_admin)
    assert client.get(reverse("accounts:unit-edit", args=[province.district.pk])).status_code == 404
    response = client.post(
        reverse("accounts:unit-create"),
        {
            "code": "YDU-XM",
            "name": "UBND xã Mới",
            "kind": "commune",
            "parent": province.district.pk,
        },
    )
    assert response.status_code == 302
    with pytest.raises(DomainError, match="không thuộc phạm vi quản lý"):
        from parindex.accounts.services import unit_update

        unit_update(unit=province.pnv, actor=province.district_admin, admin_root=province.root)


def test_the_district_admin_does_not_act_in_the_district_ubnds_provincial_assessment(province):
    fw = make_framework(province.snv, province.huyen, year=2026)
    period = period_create(
        actor=province.admin,
        organizer=province.snv,
        year=2026,
        name="Chỉ số CCHC khối huyện 2026",
        blocks=[(province.huyen, fw)],
    )
    (assessment,) = period_add_units(actor=province.admin, period=period, units=[province.district])
    from django.http import Http404

    with pytest.raises(Http404):
        get_assessment_for_user(_fresh_user(province.district_admin.pk), assessment.pk)


# --- 4. unsent drafts ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING_APPROVAL])
@pytest.mark.parametrize("who", ["appraiser", "chair"])
def test_appraisers_and_the_chair_do_not_open_an_unsent_assessment(login, province, status, who):
    assessment = make_assessment(province)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    entry = assessment.entries.first()
    client = login(getattr(province, who))
    urls = [
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("reports:self-assessment", kwargs={"pk": assessment.pk, "fmt": "docx"}),
        reverse("evidence:list", args=[entry.pk]),
        reverse("evidence:entry", args=[entry.pk]),
        reverse("assessments:entry-history", args=[assessment.pk, entry.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # the unit and the organizer still do
    assert login(province.officer).get(urls[0]).status_code == 200
    assert login(province.admin).get(urls[0]).status_code == 200


def test_appraisers_read_an_assessment_once_the_unit_has_sent(login, province):
    assessment = make_assessment(province)
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    for who in (province.appraiser, province.chair):
        assert (
            login(who).get(reverse("assessments:detail", args=[assessment.pk])).status_code == 200
        )


# --- 7. no "fresh" flag that does nothing ----------------------------------------------------


def test_the_role_checks_have_no_fresh_flag():
    for fn in (
        assessment_access.actor_kinds,
        assessment_access.can_declare,
        evidence_access.can_write,
        period_access.is_organizer_admin_of,
    ):
        assert "fresh" not in inspect.signature(fn).parameters, fn.__qualname__


def test_a_role_changed_through_the_services_counts_at_once_on_the_same_user_object(province):
    assessment = make_assessment(province)
    user = _fresh_user(province.outsider.pk)
    assert actor_kinds(user, assessment) == set()
    m = membership_grant(actor=province.admin, user=user, unit=province.stp, role=R.UNIT_LEADER)
    assert actor_kinds(user, assessment) == {"leader"}
    membership_revoke(actor=province.admin, membership=m)
    assert actor_kinds(user, assessment) == set()
    assert roles_for(user).memberships and all(
        x.unit_id != province.stp.pk for x in roles_for(user).memberships
    )
