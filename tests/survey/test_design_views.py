"""The organizer's survey design pages: the period's surveys, the overview (status, window,
framework check, exports), the editor, the quota matrix. The organizer admin acts; an
organizer above reads (403 on every POST); another province's admin, a unit officer and the
district's admin get 404; anonymous users are sent to the login page."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex import engine
from parindex.accounts.models import Membership, Unit
from parindex.accounts.services import membership_grant, unit_create, user_create
from parindex.assessments.participation import period_add_units
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.services import period_create
from parindex.survey.models import Quota, Survey
from parindex.survey.services.lifecycle import survey_create
from parindex.survey.xlsx_design import build_definition_xlsx, parse_definition_xlsx
from tests.conftest import PASSWORD
from tests.periods.factories import make_framework, make_period
from tests.survey.conftest import survey_data


@pytest.fixture
def ns(province):
    ns = SimpleNamespace(province=province)
    ns.period = make_period(province)
    ns.pb = ns.period.blocks.select_related("framework", "block", "period").get()
    period_add_units(actor=province.admin, period=ns.period, units=[province.stp, province.syt])
    ns.survey = survey_create(
        actor=province.admin, period_block=ns.pb, data=survey_data(ns.pb.framework)
    )
    return ns


def html(response):
    return response.content.decode()


def pages(survey, period_pk):
    return [
        reverse("survey:design_period", args=[period_pk]),
        reverse("survey:design_overview", args=[survey.pk]),
        reverse("survey:design_editor", args=[survey.pk]),
        reverse("survey:design_quota", args=[survey.pk]),
        reverse("survey:design_export", args=[survey.pk, "yaml"]),
        reverse("survey:design_export", args=[survey.pk, "json"]),
        reverse("survey:design_export", args=[survey.pk, "xlsx"]),
    ]


def posts(survey, period_pk, block_pk, unit_pk):
    return [
        (reverse("survey:design_create", args=[period_pk, block_pk]), {"how": "default"}),
        (reverse("survey:design_window", args=[survey.pk]), {"opens_on": "18/03/2026"}),
        (reverse("survey:design_transition", args=[survey.pk]), {"to": "open"}),
        (reverse("survey:design_editor", args=[survey.pk]), {"op": "save"}),
        (reverse("survey:design_replace", args=[survey.pk]), {}),
        (reverse("survey:design_quota", args=[survey.pk]), {f"t-DAN-{unit_pk}": "3"}),
        (reverse("survey:design_quota_fill", args=[survey.pk]), {"group": "DAN", "target": "3"}),
    ]


# ---------------------------------------------------------------- the organizer


def test_the_organizer_sees_every_page(ns, login):
    client = login(ns.province.admin)
    for target in pages(ns.survey, ns.period.pk):
        assert client.get(target).status_code == 200, target
    period = html(client.get(reverse("survey:design_period", args=[ns.period.pk])))
    assert "Khối sở, ban, ngành" in period and "Đang thiết kế" in period
    assert "4 nhóm đối tượng · 14 câu hỏi" in period
    detail = html(client.get(reverse("periods:detail", args=[ns.period.pk])))
    assert reverse("survey:design_period", args=[ns.period.pk]) in detail


def test_the_overview_shows_the_framework_check(ns, login):
    client = login(ns.province.admin)
    page = html(client.get(reverse("survey:design_overview", args=[ns.survey.pk])))
    assert "Mọi tiêu chí lấy điểm từ điều tra đều có ít nhất một câu hỏi" in page
    assert "Bắt đầu khảo sát" in page
    assert "Q08, Q11" in page  # SIPAS only
    definition = json.loads(json.dumps(ns.survey.definition))
    definition["questions"] = [q for q in definition["questions"] if q.get("criterion") != "4.5"]
    Survey.objects.filter(pk=ns.survey.pk).update(definition=definition)
    page = html(client.get(reverse("survey:design_overview", args=[ns.survey.pk])))
    assert "1 tiêu chí lấy điểm từ điều tra chưa có câu hỏi nào:</strong> 4.5" in page


def test_creating_from_the_period_page(province, login):
    period = make_period(province)
    pb = period.blocks.get()
    client = login(province.admin)
    target = reverse("survey:design_create", args=[period.pk, pb.block_id])
    page = html(client.get(reverse("survey:design_period", args=[period.pk])))
    assert "Tạo phiếu mặc định" in page and "không có cuộc điều tra" in page
    bad = SimpleUploadedFile("p.yaml", b"format: parindex.survey/v1\ncode: X\n")
    response = client.post(target, {"how": "upload", "file": bad})
    assert response.status_code == 200
    assert "lỗi: chưa lưu gì" in html(response)
    assert not Survey.objects.exists()
    data = survey_data(pb.framework)
    good = SimpleUploadedFile("p.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    response = client.post(target, {"how": "upload", "file": good})
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("survey:design_overview", args=[survey.pk])
    response = client.post(target, {"how": "default"})
    assert "đã có cuộc điều tra" in html(response)
    assert client.post(target, {"how": "magic"}).status_code == 404


def test_window_and_transitions(ns, login):
    client = login(ns.province.admin)
    window = reverse("survey:design_window", args=[ns.survey.pk])
    transition = reverse("survey:design_transition", args=[ns.survey.pk])
    response = client.post(transition, {"to": "open"})
    assert "Đặt ngày bắt đầu và ngày kết thúc" in html(response)
    response = client.post(window, {"opens_on": "31/03/2026", "closes_on": "18/03/2026"})
    assert "Ngày kết thúc khảo sát phải sau" in html(response)
    response = client.post(window, {"opens_on": "32/03/2026"})
    assert "Ngày không hợp lệ" in html(response)
    response = client.post(
        window,
        {"opens_on": "18/03/2026", "closes_on": "31/03/2026", "lists_due_on": "10/03/2026",
         "public_enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    ns.survey.refresh_from_db()
    assert ns.survey.closes_on.isoformat() == "2026-03-31"
    assert client.post(transition, {"to": "open"}).status_code == 302
    assert client.post(transition, {"to": "closed"}).status_code == 302
    page = html(client.get(reverse("survey:design_overview", args=[ns.survey.pk])))
    assert "Mở lại khảo sát" in page and "Lý do mở lại" in page
    response = client.post(transition, {"to": "open", "reason": " "})
    assert "Ghi lý do mở lại khảo sát" in html(response)
    assert client.post(transition, {"to": "open", "reason": "Thiếu phiếu"}).status_code == 302
    ns.survey.refresh_from_db()
    assert ns.survey.status == "open"
    editor = html(client.get(reverse("survey:design_editor", args=[ns.survey.pk])))
    assert "chỉ sửa được khi đang thiết kế" in editor
    response = client.post(reverse("survey:design_editor", args=[ns.survey.pk]), {"op": "save"})
    assert response.status_code == 409


def _editor_post(survey):
    """The editor's form as a browser posts it (rows of the stored definition)."""
    from parindex.survey.forms_design import state_from_definition

    s = state_from_definition(survey.definition)
    data = {"code": s.code, "title": s.title, "g-count": len(s.groups),
            "s-count": len(s.scale), "q-count": len(s.questions)}  # fmt: skip
    for i, g in enumerate(s.groups):
        data |= {f"g-{i}-code": g["code"], f"g-{i}-title": g["title"], f"g-{i}-weight": g["weight"]}
    for i, o in enumerate(s.scale):
        data |= {f"s-{i}-key": o["key"], f"s-{i}-label": o["label"], f"s-{i}-weight": o["weight"]}
        if o["satisfied"]:
            data[f"s-{i}-satisfied"] = "on"
    for i, q in enumerate(s.questions):
        data |= {f"q-{i}-code": q["code"], f"q-{i}-text": q["text"],
                 f"q-{i}-criterion": q["criterion"], f"q-{i}-groups": q["groups"],
                 f"q-{i}-factor": q["factor"], f"q-{i}-options": q["options"]}  # fmt: skip
    return data


def test_the_editor_saves_adds_and_removes_rows(ns, login):
    client = login(ns.province.admin)
    target = reverse("survey:design_editor", args=[ns.survey.pk])
    before = ns.survey.definition
    data = _editor_post(ns.survey)
    assert client.post(target, {**data, "op": "save"}).status_code == 302
    ns.survey.refresh_from_db()
    assert ns.survey.definition == before  # the form gives the same definition back
    # add a question row (plain POST: the whole page; htmx: the form only); nothing saved
    page = html(client.post(target, {**data, "op": "add-q"}))
    assert 'name="q-14-code"' in page and "<html" in page
    part = html(client.post(target, {**data, "op": "add-q"}, HTTP_HX_REQUEST="true"))
    assert 'name="q-14-code"' in part and "<html" not in part
    page = html(client.post(target, {**data, "op": "del-q-0"}))
    assert 'value="Q01"' not in page and 'name="q-13-code"' not in page
    # a bad save: every problem, nothing saved
    bad = {**data, "op": "save", "s-0-weight": "150", "q-1-criterion": "1.2", "g-0-weight": "abc"}
    page = html(client.post(target, bad))
    assert "Phiếu điều tra có 3 lỗi: chưa lưu gì." in page
    assert "trọng số 150 phải từ 0 đến 100" in page
    assert "câu hỏi Q02: tiêu chí 1.2 không lấy điểm từ điều tra" in page
    ns.survey.refresh_from_db()
    assert ns.survey.definition == before
    # a good edit
    good = {**data, "op": "save", "q-0-text": "Chất lượng chỉ đạo, điều hành (sửa)",
            "q-0-options": "1 | Tốt | 100 | x\n2 | Chưa tốt | 0\n3 | Không biết"}  # fmt: skip
    assert client.post(target, good).status_code == 302
    ns.survey.refresh_from_db()
    q = ns.survey.definition["questions"][0]
    assert q["text"].endswith("(sửa)")
    assert q["options"] == [
        {"key": "1", "label": "Tốt", "weight": 100, "satisfied": True},
        {"key": "2", "label": "Chưa tốt", "weight": 0},
        {"key": "3", "label": "Không biết"},
    ]


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_export_then_import_gives_the_same_definition(ns, login, fmt):
    client = login(ns.province.admin)
    response = client.get(reverse("survey:design_export", args=[ns.survey.pk, fmt]))
    assert response.status_code == 200
    assert f'.{fmt}"' in response["Content-Disposition"]
    body = response.content
    if fmt == "yaml":
        data = yaml.safe_load(body)
    elif fmt == "json":
        data = json.loads(body)
    else:
        data = parse_definition_xlsx(body)
    if fmt != "xlsx":
        assert data == ns.survey.definition  # exactly the stored parindex.survey/v1
    fw = framework_to_engine(ns.pb.framework)
    parsed = engine.parse_survey(data, source="x", framework=fw)
    assert engine.survey_to_dict(parsed) == ns.survey.definition
    # and through the page: replace the definition by the exported file
    before = ns.survey.definition
    upload = SimpleUploadedFile(f"phieu.{fmt}", body)
    response = client.post(reverse("survey:design_replace", args=[ns.survey.pk]), {"file": upload})
    assert response.status_code == 302
    ns.survey.refresh_from_db()
    assert ns.survey.definition == before


def test_replacing_with_a_bad_file_keeps_the_definition(ns, login):
    client = login(ns.province.admin)
    before = ns.survey.definition
    wb_bytes = build_definition_xlsx({**before, "year": 2030})
    upload = SimpleUploadedFile("phieu.xlsx", wb_bytes)
    response = client.post(reverse("survey:design_replace", args=[ns.survey.pk]), {"file": upload})
    assert "năm 2030 không khớp" in html(response)
    ns.survey.refresh_from_db()
    assert ns.survey.definition == before


def test_the_quota_matrix_saves_and_fills(ns, login):
    client = login(ns.province.admin)
    stp, syt = ns.province.stp, ns.province.syt
    target = reverse("survey:design_quota", args=[ns.survey.pk])
    page = html(client.get(target))
    assert "Sở Tư pháp" in page and f'name="t-DAN-{stp.pk}"' in page
    response = client.post(target, {f"t-DAN-{stp.pk}": "30", f"t-DAN-{syt.pk}": "x"})
    assert "“x” không phải số phiếu" in html(response)
    assert not Quota.objects.exists()
    response = client.post(target, {f"t-DAN-{stp.pk}": "30", f"t-DAN-{syt.pk}": "25",
                                    f"c-LDSO-{stp.pk}": "on"})  # fmt: skip
    assert response.status_code == 302
    assert Quota.objects.get(group="DAN", unit=stp).target == 30
    assert Quota.objects.get(group="LDSO", unit=stp).census
    fill = reverse("survey:design_quota_fill", args=[ns.survey.pk])
    assert client.post(fill, {"group": "HDND", "target": "3"}).status_code == 302
    assert client.post(fill, {"group": "LDSO", "census": "on"}).status_code == 302
    page = html(client.get(target))
    assert '<th class="num" id="quota-total">61</th>' in page
    response = client.post(fill, {"group": "HDND", "target": "-1"})
    assert "Số phiếu không được âm." in html(response)


def test_the_quota_matrix_and_period_page_run_a_fixed_number_of_queries(
    ns, login, django_assert_max_num_queries, province
):
    """Session, user, survey, period (+ phases), memberships, the page's own reads (quota:
    units and cells; period: blocks, surveys, last year's), the council seats."""
    client = login(province.admin)
    quota = reverse("survey:design_quota", args=[ns.survey.pk])
    period = reverse("survey:design_period", args=[ns.period.pk])
    overview = reverse("survey:design_overview", args=[ns.survey.pk])
    for target in (quota, period, overview):
        client.get(target)  # the framework's engine tree cached, as in a running server
    more = [
        unit_create(actor=None, code=f"S{i:02d}", name=f"Sở số {i}", kind=Unit.Kind.DEPARTMENT,
                    parent=province.root, block=province.so)
        for i in range(6)
    ]  # fmt: skip
    for n_units in (2, 8):
        with django_assert_max_num_queries(9):
            page = html(client.get(quota))
        assert page.count('name="t-DAN-') == n_units
        with django_assert_max_num_queries(9):
            assert client.get(period).status_code == 200
        with django_assert_max_num_queries(7):
            assert client.get(overview).status_code == 200
        if n_units == 2:
            period_add_units(actor=province.admin, period=ns.period, units=more)
            from parindex.survey.services.quota import quota_bulk_fill

            quota_bulk_fill(actor=province.admin, survey=ns.survey, group="DAN", target=3)


# ---------------------------------------------------------------- who reaches the pages


@pytest.fixture
def commune_survey(province):
    """A survey of the district Phòng Nội vụ's commune period: the province only reads it."""
    fw = make_framework(province.pnv, province.xa, year=2026)
    period = period_create(
        actor=province.district_admin, organizer=province.pnv, year=2026,
        name="Chỉ số CCHC cấp xã huyện Yên Dũng năm 2026", blocks=[(province.xa, fw)],
    )  # fmt: skip
    period_add_units(actor=province.district_admin, period=period, units=[province.commune])
    pb = period.blocks.select_related("framework", "block", "period").get()
    survey = survey_create(actor=province.district_admin, period_block=pb, data=survey_data(fw))
    return survey, period, pb


def test_a_supervising_organizer_reads_but_cannot_change(province, login, commune_survey):
    survey, period, pb = commune_survey
    client = login(province.admin)
    for target in pages(survey, period.pk):
        assert client.get(target).status_code == 200, target
    overview = html(client.get(reverse("survey:design_overview", args=[survey.pk])))
    assert "Chỉ xem: đợt đánh giá do" in overview and "Bắt đầu khảo sát" not in overview
    editor = html(client.get(reverse("survey:design_editor", args=[survey.pk])))
    assert "<fieldset disabled>" in editor and "Lưu phiếu điều tra" not in editor
    before = survey.definition
    for target, data in posts(survey, period.pk, pb.block_id, province.commune.pk):
        assert client.post(target, data).status_code == 403, target
    survey.refresh_from_db()
    assert survey.definition == before and survey.status == "draft"
    assert not Quota.objects.exists()


@pytest.fixture
def other_province_admin(db):
    root = unit_create(actor=None, code="TQ", name="Tỉnh Tuyên Quang", kind=Unit.Kind.PROVINCE)
    snv = unit_create(actor=None, code="TQ-SNV", name="Sở Nội vụ Tuyên Quang",
                      kind=Unit.Kind.DEPARTMENT, parent=root, admin_root=root)  # fmt: skip
    user = user_create(actor=None, username="quantri.tq", password=PASSWORD, full_name="Lý Thị Mai")
    membership_grant(actor=None, user=user, unit=snv, role=Membership.Role.ORGANIZER_ADMIN)
    return user


@pytest.mark.parametrize("persona", ["other_province", "officer", "outsider", "district_admin"])
def test_others_get_404_on_every_page(ns, login, persona, other_province_admin):
    user = other_province_admin if persona == "other_province" else getattr(ns.province, persona)
    client = login(user)
    for target in pages(ns.survey, ns.period.pk):
        assert client.get(target).status_code == 404, target
    for target, data in posts(ns.survey, ns.period.pk, ns.pb.block_id, ns.province.stp.pk):
        assert client.post(target, data).status_code == 404, target
    assert Survey.objects.get().status == "draft" and not Quota.objects.exists()


def test_anonymous_users_are_sent_to_the_login_page(ns, client):
    login_url = reverse("accounts:login")
    for target in pages(ns.survey, ns.period.pk):
        response = client.get(target)
        assert response.status_code == 302, target
        assert response["Location"].startswith(login_url), target
    for target, data in posts(ns.survey, ns.period.pk, ns.pb.block_id, ns.province.stp.pk):
        response = client.post(target, data)
        assert response.status_code == 302 and response["Location"].startswith(login_url)
    assert Survey.objects.get().status == "draft"


def test_export_guards_formulas_in_the_xlsx(ns, login):
    definition = json.loads(json.dumps(ns.survey.definition))
    definition["title"] = "=1+1"
    Survey.objects.filter(pk=ns.survey.pk).update(definition=definition)
    client = login(ns.province.admin)
    body = client.get(reverse("survey:design_export", args=[ns.survey.pk, "xlsx"])).content
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(body))
    values = [r[1] for r in wb["Thông tin"].iter_rows(values_only=True)]
    assert "'=1+1" in values
    assert parse_definition_xlsx(body)["title"] == "=1+1"
