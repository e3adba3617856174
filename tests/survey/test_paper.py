"""The enumerators' paper-form entry: the serial unique in the survey, bad keys named, the
double entry compared with the first and resolved by the organizer (audited), the counts per
enumerator, who reaches the pages, and the Điều tra viên role granted on the accounts pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import Membership, Unit
from parindex.accounts.services import membership_grant, unit_create, user_create
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey.models import PaperEntry, Response, Survey
from parindex.survey.selectors.paper import enumerator_counts, mismatches, my_entries
from parindex.survey.services.paper import paper_resolve, paper_second_entry, paper_submit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HDND = {"Q01": "A", "Q02": "B", "Q06": "C", "Q07": "A"}


@pytest.fixture
def second_enumerator(surveyed):
    user = user_create(actor=None, username="dtv.hai", password=PASSWORD, full_name="Lý Thị Hai")
    membership_grant(
        actor=None, user=user, unit=surveyed.province.snv, role=Membership.Role.ENUMERATOR
    )
    return user


@pytest.fixture
def foreign_enumerator(surveyed):
    """An enumerator of another province's Sở Nội vụ."""
    root = unit_create(actor=None, code="TQ", name="Tỉnh Tuyên Quang", kind=Unit.Kind.PROVINCE)
    snv = unit_create(
        actor=None,
        code="TQ-SNV",
        name="Sở Nội vụ Tuyên Quang",
        kind=Unit.Kind.DEPARTMENT,
        parent=root,
        admin_root=root,
    )
    user = user_create(actor=None, username="dtv.tq", password=PASSWORD, full_name="Ma Văn Tú")
    membership_grant(actor=None, user=user, unit=snv, role=Membership.Role.ENUMERATOR)
    return user


def entry_url(survey, name="enum_entry"):
    return reverse(f"survey:{name}", kwargs={"survey_pk": survey.pk})


def first(surveyed, serial="000123", answers=None, unit=None, group="HDND"):
    return paper_submit(
        actor=surveyed.enumerator,
        survey=surveyed.survey,
        serial=serial,
        group=group,
        unit=unit or surveyed.province.stp,
        answers=answers or HDND,
    )


# --- services -------------------------------------------------------------------------------


def test_a_paper_form_is_stored_with_its_serial_and_enumerator(surveyed):
    r = first(surveyed, serial=" ab 12 ")
    assert (r.channel, r.serial, r.enumerator) == ("paper", "AB12", surveyed.enumerator)
    assert dict(r.answers.values_list("question", "option")) == HDND


def test_a_serial_is_unique_in_the_survey(surveyed):
    first(surveyed)
    with pytest.raises(DomainError, match="000123.*đã được nhập"):
        first(surveyed, unit=surveyed.province.syt)
    assert Response.objects.count() == 1


def test_double_entry_that_matches_is_resolved_at_once(surveyed, second_enumerator):
    first(surveyed)
    e = paper_second_entry(
        actor=second_enumerator,
        survey=surveyed.survey,
        serial="000123",
        group="HDND",
        unit=surveyed.province.stp,
        answers=HDND,
    )
    assert e.mismatches == [] and e.resolved


def test_double_entry_refusals(surveyed, second_enumerator):
    kw = dict(survey=surveyed.survey, group="HDND", unit=surveyed.province.stp, answers=HDND)
    with pytest.raises(DomainError, match="chưa được nhập lần 1"):
        paper_second_entry(actor=second_enumerator, serial="999", **kw)
    first(surveyed)
    with pytest.raises(DomainError, match="điều tra viên khác"):
        paper_second_entry(actor=surveyed.enumerator, serial="000123", **kw)
    paper_second_entry(actor=second_enumerator, serial="000123", **kw)
    with pytest.raises(DomainError, match="đã được nhập lần 2"):
        paper_second_entry(actor=second_enumerator, serial="000123", **kw)


def test_a_mismatch_is_listed_and_taking_the_second_updates_the_response(
    surveyed, second_enumerator
):
    resp = first(surveyed)
    entry = paper_second_entry(
        actor=second_enumerator,
        survey=surveyed.survey,
        serial="000123",
        group="HDND",
        unit=surveyed.province.syt,
        answers={**HDND, "Q02": "D", "Q09": "A"},
    )
    assert entry.mismatches == ["unit", "Q02", "Q09"] and not entry.resolved
    rows = mismatches(surveyed.survey)
    assert [r.entry.serial for r in rows] == ["000123"]
    diffs = {d.code: (d.first, d.second) for d in rows[0].differences}
    assert diffs["unit"] == ("Sở Tư pháp", "Sở Y tế")
    assert diffs["Q02"] == ("B — Tốt", "D — Kém")
    assert diffs["Q09"] == ("(bỏ trống)", "A — Rất tốt")
    with pytest.raises(DomainError):  # a unit officer cannot resolve
        paper_resolve(actor=surveyed.province.officer, entry=entry, take="second")
    paper_resolve(actor=surveyed.province.admin, entry=entry, take="second")
    resp.refresh_from_db()
    assert resp.unit == surveyed.province.syt
    assert dict(resp.answers.values_list("question", "option"))["Q02"] == "D"
    assert mismatches(surveyed.survey) == []
    ev = AuditEvent.objects.get(verb="survey.paper_resolve")
    assert "lấy lần nhập 2" in ev.reason and ev.old["unit"] == surveyed.province.stp.pk
    with pytest.raises(DomainError, match="đã được đối chiếu"):
        paper_resolve(actor=surveyed.province.admin, entry=entry, take="first")


def test_keeping_the_first_changes_nothing(surveyed, second_enumerator):
    resp = first(surveyed)
    entry = paper_second_entry(
        actor=second_enumerator,
        survey=surveyed.survey,
        serial="000123",
        group="HDND",
        unit=surveyed.province.stp,
        answers={**HDND, "Q01": "D"},
    )
    paper_resolve(actor=surveyed.province.admin, entry=entry, take="first")
    assert dict(resp.answers.values_list("question", "option")) == HDND
    assert PaperEntry.objects.get().resolved


def test_counts_per_enumerator(surveyed, second_enumerator):
    first(surveyed, "1")
    first(surveyed, "2")
    paper_submit(
        actor=second_enumerator,
        survey=surveyed.survey,
        serial="3",
        group="HDND",
        unit=surveyed.province.syt,
        answers=HDND,
    )
    paper_second_entry(
        actor=second_enumerator,
        survey=surveyed.survey,
        serial="1",
        group="HDND",
        unit=surveyed.province.stp,
        answers={**HDND, "Q01": "B"},
    )
    c = enumerator_counts(surveyed.survey)
    got = {r.user.username: (r.today, r.total, r.second, r.mismatched) for r in c.rows}
    assert got == {"dtv.buudien": (2, 2, 0, 0), "dtv.hai": (1, 1, 1, 1)}
    assert (c.total, c.today, c.second, c.open_mismatches) == (3, 3, 1, 1)
    mine = my_entries(surveyed.survey, surveyed.enumerator)
    assert (mine.today, mine.total, [r.serial for r in mine.last]) == (2, 2, ["2", "1"])


# --- the entry pages ------------------------------------------------------------------------


def test_the_entry_page_stores_a_form_typed_with_lower_case_keys(surveyed, login):
    client = login(surveyed.enumerator)
    page = client.get(entry_url(surveyed.survey) + "?nhom=HDND")
    assert page.status_code == 200
    text = page.content.decode()
    assert "autofocus" in text and "survey-paper.js" in text and "pi-units" in text
    data = {"group": "HDND", "serial": "0042", "unit": "stp", "Q01": "a", "Q02": "b", "Q06": ""}
    r = client.post(entry_url(surveyed.survey), data)
    assert r.status_code == 302 and "nhom=HDND" in r["Location"] and "dv=STP" in r["Location"]
    resp = Response.objects.get()
    assert (resp.serial, resp.unit, resp.channel) == ("0042", surveyed.province.stp, "paper")
    assert dict(resp.answers.values_list("question", "option")) == {"Q01": "A", "Q02": "B"}
    after = client.get(r["Location"]).content.decode()
    assert "Đã lưu phiếu số 0042" in after and "0042" in after


def test_bad_keys_are_named_and_nothing_is_stored(surveyed, login):
    client = login(surveyed.enumerator)
    data = {"group": "HDND", "serial": "7", "unit": "STP", "Q01": "Z", "Q02": "9", "Q06": "A"}
    r = client.post(entry_url(surveyed.survey), data)
    assert r.status_code == 400
    text = r.content.decode()
    assert "Q01, Q02" in text
    assert "Câu Q01: “Z” không phải phương án" in text
    assert Response.objects.count() == 0


def test_a_duplicate_serial_on_the_page_is_refused_with_a_clear_message(surveyed, login):
    first(surveyed, "0042")
    client = login(surveyed.enumerator)
    data = {"group": "HDND", "serial": "0042", "unit": "SYT", "Q01": "A"}
    r = client.post(entry_url(surveyed.survey), data)
    assert r.status_code == 400
    assert "Số phiếu “0042” đã được nhập" in r.content.decode()
    assert Response.objects.count() == 1


def test_an_unknown_unit_code_or_an_empty_form_is_refused(surveyed, login):
    client = login(surveyed.enumerator)
    r = client.post(
        entry_url(surveyed.survey), {"group": "HDND", "serial": "1", "unit": "YDU", "Q01": "A"}
    )
    assert r.status_code == 400 and "Mã đơn vị “YDU”" in r.content.decode()
    r = client.post(entry_url(surveyed.survey), {"group": "HDND", "serial": "1", "unit": "STP"})
    assert r.status_code == 400 and "chưa có câu trả lời" in r.content.decode()
    assert Response.objects.count() == 0


def test_the_second_entry_page_and_the_organizer_resolves(surveyed, second_enumerator, login):
    first(surveyed, "0042")
    client = login(second_enumerator)
    data = {"group": "HDND", "serial": "0042", "unit": "STP", **HDND, "Q07": "B"}
    r = client.post(entry_url(surveyed.survey, "enum_second"), data)
    assert r.status_code == 302
    entry = PaperEntry.objects.get()
    assert entry.mismatches == ["Q07"]
    admin = login(surveyed.province.admin)
    page = admin.get(entry_url(surveyed.survey, "enum_compare"))
    assert page.status_code == 200
    assert "Phiếu số 0042" in page.content.decode() and "Q07." in page.content.decode()
    url = reverse(
        "survey:enum_resolve", kwargs={"survey_pk": surveyed.survey.pk, "entry_pk": entry.pk}
    )
    assert admin.post(url, {"take": "second"}).status_code == 302
    assert Response.objects.get().answers.get(question="Q07").option == "B"


def test_the_counts_page_pins_its_queries(
    surveyed, second_enumerator, login, django_assert_max_num_queries
):
    for i in range(5):
        first(surveyed, f"A{i}")
        paper_submit(
            actor=second_enumerator,
            survey=surveyed.survey,
            serial=f"B{i}",
            group="HDND",
            unit=surveyed.province.syt,
            answers=HDND,
        )
    client = login(surveyed.province.admin)
    with django_assert_max_num_queries(12):
        r = client.get(entry_url(surveyed.survey, "enum_counts"))
    assert r.status_code == 200
    assert "Bùi Văn Điền" in r.content.decode() and "Lý Thị Hai" in r.content.decode()


def test_the_entry_page_pins_its_queries(surveyed, login, django_assert_max_num_queries):
    for i in range(8):
        first(surveyed, f"S{i}")
    client = login(surveyed.enumerator)
    with django_assert_max_num_queries(12):
        r = client.get(entry_url(surveyed.survey))
    assert r.status_code == 200
    assert r.context["group"].code == "DAN"  # by default the citizens' group


# --- who reaches the pages ------------------------------------------------------------------

ENUM_PAGES = ("enum_entry", "enum_second")
ORGANIZER_PAGES = ("enum_compare", "enum_counts")


@pytest.mark.parametrize("who", ["officer", "admin", "district_enumerator", "foreign"])
def test_outsiders_get_404_on_the_enumerator_pages(surveyed, login, foreign_enumerator, who):
    if who == "foreign":
        user = foreign_enumerator
    elif who == "district_enumerator":  # an enumerator of the district's Phòng Nội vụ
        user = user_create(actor=None, username="dtv.yd", password=PASSWORD, full_name="Đào Văn")
        membership_grant(
            actor=None, user=user, unit=surveyed.province.pnv, role=Membership.Role.ENUMERATOR
        )
    else:
        user = getattr(surveyed.province, who)
    client = login(user)
    for name in ENUM_PAGES:
        assert client.get(entry_url(surveyed.survey, name)).status_code == 404
        data = {"group": "HDND", "serial": "1", "unit": "STP", "Q01": "A"}
        assert client.post(entry_url(surveyed.survey, name), data).status_code == 404
    assert Response.objects.count() == 0


@pytest.mark.parametrize("who", ["officer", "enumerator", "district_admin"])
def test_outsiders_get_404_on_the_organizer_pages(surveyed, login, who):
    user = surveyed.enumerator if who == "enumerator" else getattr(surveyed.province, who)
    client = login(user)
    for name in ORGANIZER_PAGES:
        assert client.get(entry_url(surveyed.survey, name)).status_code == 404
    url = reverse("survey:enum_resolve", kwargs={"survey_pk": surveyed.survey.pk, "entry_pk": 1})
    assert client.post(url, {"take": "first"}).status_code == 404


def test_anonymous_is_sent_to_login(surveyed, client):
    for name in ENUM_PAGES + ORGANIZER_PAGES:
        r = client.get(entry_url(surveyed.survey, name))
        assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_the_entry_is_closed_when_the_survey_is_not_open(surveyed, login):
    Survey.objects.filter(pk=surveyed.survey.pk).update(status=Survey.Status.CLOSED)
    client = login(surveyed.enumerator)
    assert client.get(entry_url(surveyed.survey)).status_code == 403


# --- the role on the accounts pages ---------------------------------------------------------


def test_the_accounts_pages_offer_the_enumerator_role(province, login):
    client = login(province.admin)
    page = client.get(reverse("accounts:user-create"))
    assert 'value="enumerator"' in page.content.decode()
    assert "Điều tra viên" in page.content.decode()


def test_an_organizer_admin_grants_the_enumerator_role_a_district_admin_cannot(province, login):
    target = user_create(actor=None, username="dtv.moi", password=PASSWORD, full_name="Mai Văn")
    membership_grant(actor=None, user=target, unit=province.stp, role=Membership.Role.UNIT_OFFICER)
    url = reverse("accounts:user-grant", args=[target.pk])
    district = login(province.district_admin)
    district.post(url, {"unit": province.snv.pk, "role": "enumerator"})
    assert not Membership.objects.filter(user=target, role="enumerator").exists()
    admin = login(province.admin)
    r = admin.post(url, {"unit": province.snv.pk, "role": "enumerator"})
    assert r.status_code == 302
    assert Membership.objects.filter(user=target, unit=province.snv, role="enumerator").exists()


def test_role_grant_problem_for_the_enumerator_role(province, login):
    from parindex.accounts.access import role_grant_problem, roles_for

    district = roles_for(province.district_admin)
    assert role_grant_problem(district, province.snv, "enumerator") is not None
    assert role_grant_problem(district, province.pnv, "enumerator") is None
    assert role_grant_problem(roles_for(province.admin), province.snv, "enumerator") is None
    # the district admin grants it for the district's own surveys, on the accounts page
    client = login(province.district_admin)
    url = reverse("accounts:user-grant", args=[province.commune_officer.pk])
    assert client.post(url, {"unit": province.pnv.pk, "role": "enumerator"}).status_code == 302
    assert Membership.objects.filter(
        user=province.commune_officer, unit=province.pnv, role="enumerator"
    ).exists()
    # but not at the province's Sở Nội vụ
    client.post(url, {"unit": province.snv.pk, "role": "enumerator"})
    assert not Membership.objects.filter(
        user=province.commune_officer, unit=province.snv, role="enumerator"
    ).exists()
