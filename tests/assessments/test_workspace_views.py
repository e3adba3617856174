"""The unit's workspace: dashboard, table, autosave, conflicts, deadline, history, sending."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments.models import Entry, Status, StatusChange
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import assessment_extend_deadline, entry_record
from parindex.audit.models import AuditEvent
from parindex.common.numbers import vn_points
from parindex.frameworks.services import framework_activate, framework_import
from parindex.periods.services import period_create
from tests.periods.factories import local

IN_SELF_ASSESSMENT = local(2026, 10, 20, 9, 30)
AFTER_DEADLINE = local(2026, 11, 16, 8, 0)


@pytest.fixture
def at_work():
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        yield


def big_spec(year: int, block: str, leaves: int = 90) -> dict:
    """A framework of 9 domains x 2 criteria with ``leaves`` leaves of mixed rules."""
    rules = [
        {"type": "boolean"},
        {"type": "ratio", "mode": "proportional"},
        {"type": "count", "per": 0.5},
        {"type": "choice", "options": [{"key": "a", "label": "Đạt", "points": 1}]},
    ]
    nodes, n = [], 0
    for d in range(1, 10):
        criteria = []
        for c in range(1, 3):
            children = []
            for _ in range(leaves // 18):
                n += 1
                children.append(
                    {
                        "code": f"{d}.{c}.{len(children) + 1}",
                        "title": f"Tiêu chí thành phần số {n}",
                        "max": 1,
                        "rule": rules[n % len(rules)],
                        "evidence": "Báo cáo" if n % 3 == 0 else None,
                    }
                )
            criteria.append(
                {"code": f"{d}.{c}", "title": f"Tiêu chí {d}.{c}", "children": children}
            )
        nodes.append({"code": str(d), "title": f"Lĩnh vực {d}", "children": criteria})
    for domain in nodes:
        for crit in domain["children"]:
            for leaf in crit["children"]:
                if leaf["evidence"] is None:
                    del leaf["evidence"]
    return {
        "format": "parindex.framework/v1",
        "code": f"BIG-{year}",
        "title": "Bộ tiêu chí 90 tiêu chí thành phần",
        "year": year,
        "block": block,
        "nodes": nodes,
    }


@pytest.fixture
def big_assessment(province):
    fw = framework_import(
        actor=None, owner=province.snv, data=big_spec(2027, "huyen"), source="big.yaml"
    )
    framework_activate(actor=None, framework=fw)
    period = period_create(
        actor=province.admin,
        organizer=province.snv,
        year=2027,
        name="Xác định Chỉ số CCHC năm 2027",
        blocks=[(province.huyen, fw)],
    )
    (assessment,) = period_add_units(actor=province.admin, period=period, units=[province.district])
    return assessment


def _entry(assessment, code):
    return Entry.objects.select_related("node").get(assessment=assessment, node__code=code)


def _url(name, assessment, entry=None):
    if entry is None:
        return reverse(name, args=[assessment.pk])
    return reverse(name, args=[assessment.pk, entry.pk])


def _save(client, assessment, entry, **data):
    entry.refresh_from_db()
    payload = {"value": "", "value2": "", "explanation": "", "version": entry.version}
    payload.update(data)
    return client.post(_url("assessments:autosave", assessment, entry), payload)


def _fill_all(assessment, user):
    """Answer every self-scored leaf (the evidence-named ones with an explanation)."""
    for entry in Entry.objects.filter(assessment=assessment).select_related("node"):
        node = entry.node
        if node.source == "survey":
            continue
        rule = node.rule_type
        value, value2 = {
            "choice": (str(node.rule_params.get("options", [{}])[0].get("key")), ""),
            "boolean": ("yes", ""),
            "ratio": ("9", "10"),
            "count": ("1", ""),
            "deduction": ("0", ""),
            "number": ("0", ""),
            "relative": ("5", ""),
        }[rule]
        entry_record(
            actor=user,
            entry=entry,
            value=value,
            value2=value2,
            explanation="Theo Báo cáo số 12/BC-STP" if node.evidence else None,
        )


# ---------------------------------------------------------------- who may see what

VIEWS = ["assessments:workspace", "assessments:table"]


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_users_are_sent_to_login(client, assessment, name):
    response = client.get(_url(name, assessment))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_autosave_and_history_are_sent_to_login(client, assessment):
    entry = _entry(assessment, "1.2")
    response = client.post(_url("assessments:autosave", assessment, entry), {"value": "yes"})
    assert response.status_code == 302
    response = client.get(_url("assessments:entry-history", assessment, entry))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["outsider", "district_admin", "commune_officer"])
def test_another_units_officer_gets_404_everywhere(login, province, assessment, who, at_work):
    client = login(getattr(province, who))
    entry = _entry(assessment, "1.2")
    for name in VIEWS:
        assert client.get(_url(name, assessment)).status_code == 404
    assert _save(client, assessment, entry, value="yes").status_code == 404
    assert client.get(_url("assessments:entry-history", assessment, entry)).status_code == 404
    response = client.post(_url("assessments:send", assessment), {"to": "pending_approval"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.value == "" and entry.version == 0


def test_an_entry_of_another_assessment_is_404(login, province, assessment, at_work):
    entry = _entry(assessment, "1.2")
    url = reverse("assessments:autosave", args=[assessment.pk + 999, entry.pk])
    assert login(province.officer).post(url, {"value": "yes", "version": 0}).status_code == 404


def test_the_appraiser_reads_but_cannot_save(login, province, assessment, at_work):
    # appraisers read an assessment once the unit has sent it (issue 6, §3)
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    client = login(province.appraiser)
    html = client.get(_url("assessments:table", assessment)).content.decode()
    assert "<fieldset disabled" in html
    assert _save(client, assessment, _entry(assessment, "1.2"), value="yes").status_code == 403
    assert _entry(assessment, "1.2").version == 0


def test_the_workspace_list_sends_a_one_unit_officer_straight_to_the_workspace(
    login, province, assessment
):
    response = login(province.officer).get(reverse("assessments:workspace-list"))
    assert response.status_code == 302
    assert response["Location"] == _url("assessments:workspace", assessment)


def test_the_workspace_list_is_empty_for_someone_without_a_unit(login, province, assessment):
    response = login(province.chair).get(reverse("assessments:workspace-list"))
    assert response.status_code == 200
    assert "chưa có bản tự đánh giá nào" in response.content.decode()


def test_the_nav_and_home_link_officers_to_their_workspace(login, province, assessment):
    html = login(province.officer).get(reverse("home")).content.decode()
    assert reverse("assessments:workspace-list") in html
    assert "Tự đánh giá, chấm điểm" in html


# ---------------------------------------------------------------- dashboard


def test_the_dashboard_shows_deadline_days_left_progress_and_reports(
    login, province, assessment, at_work
):
    entry_record(actor=province.officer, entry=_entry(assessment, "1.2"), value="yes")
    html = login(province.officer).get(_url("assessments:workspace", assessment)).content.decode()
    assert "23:59 ngày 15/11/2026" in html
    assert "còn 26 ngày" in html
    assert "1/43" in html  # one of the 43 self-scored leaves answered
    assert "Trình lãnh đạo" in html
    for fmt in ("docx", "pdf", "xlsx"):
        assert reverse("reports:self-assessment", args=[assessment.pk, fmt]) in html
    # the missing list links to the leaf in the table (tab found by the anchor)
    missing = _entry(assessment, "1.1.1")
    assert f"{_url('assessments:table', assessment)}#leaf-{missing.pk}" in html
    assert "chưa có tài liệu kiểm chứng hoặc giải trình" in html


# ---------------------------------------------------------------- table


def test_the_table_shows_inputs_that_fit_each_rule(login, province, assessment, at_work):
    html = login(province.officer).get(_url("assessments:table", assessment)).content.decode()
    ratio = _entry(assessment, "1.6")
    assert f'id="v2-{ratio.pk}"' in html and "Mẫu số" in html
    boolean = _entry(assessment, "1.2")
    assert f'id="v-{boolean.pk}-yes"' in html and f'id="v-{boolean.pk}-no"' in html
    na = _entry(assessment, "2.4")
    assert f'id="na-{na.pk}"' in html
    assert "Đánh giá qua điều tra XHH — đơn vị không tự chấm" in html
    assert "Điểm tính khi tổng hợp" in html  # relative leaf 7.5
    assert "— 1 điểm" in html  # option points, Vietnamese style
    assert "data-tab-count" in html
    assert "Mọi thay đổi được lưu tự động" in html


def test_the_table_runs_a_fixed_number_of_queries(
    login, province, assessment, big_assessment, django_assert_num_queries, at_work
):
    client = login(province.admin)  # the organizer reads both
    url_small = _url("assessments:table", assessment)
    url_big = _url("assessments:table", big_assessment)
    client.get(url_small)  # warm the engine cache and the session
    client.get(url_big)
    assert Entry.objects.filter(assessment=big_assessment).count() == 90
    with django_assert_num_queries(10) as small:  # +1: the menu asks for a council seat
        assert client.get(url_small).status_code == 200
    with django_assert_num_queries(10):  # +1: the menu asks for a council seat
        assert client.get(url_big).status_code == 200
    assert len(small.captured_queries) == 10


# ---------------------------------------------------------------- autosave


def test_autosave_saves_and_answers_the_score_subtotals_and_version(
    login, province, assessment, at_work
):
    client = login(province.officer)
    entry = _entry(assessment, "1.6")  # proportional ratio, max 1
    response = _save(client, assessment, entry, value="2", value2="3", explanation="Số liệu 2023")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["version"] == 1
    assert data["score"] == "0,67"
    assert data["subtotals"]["1"] == "0,67"
    assert data["total"] == "0,67"
    assert data["saved_at"] == "09:30"
    entry.refresh_from_db()
    assert (entry.value, entry.value2, entry.explanation) == ("2", "3", "Số liệu 2023")
    event = AuditEvent.objects.filter(verb="entry.record", object_id=str(entry.pk)).get()
    assert event.old["value"] == "" and event.new["value"] == "2"
    assert event.new["self_score"] == "0.666667"


def test_autosave_accepts_a_decimal_comma(login, province, assessment, at_work):
    entry = _entry(assessment, "2.5")  # number: the officer types points
    response = _save(login(province.officer), assessment, entry, value="0,5")
    assert response.status_code == 200, response.json()
    assert response.json()["score"] == "0,5"


def test_a_bad_value_is_refused_in_vietnamese_and_nothing_is_saved(
    login, province, assessment, at_work
):
    entry = _entry(assessment, "1.6")
    response = _save(login(province.officer), assessment, entry, value="12", value2="10")
    assert response.status_code == 400
    assert "Tiêu chí 1.6" in response.json()["error"]
    entry.refresh_from_db()
    assert entry.value == "" and entry.version == 0


def test_not_applicable_is_saved_as_na(login, province, assessment, at_work):
    entry = _entry(assessment, "2.4")
    response = _save(login(province.officer), assessment, entry, na="1", value="yes")
    assert response.status_code == 200 and response.json()["na"] is True
    entry.refresh_from_db()
    assert entry.value == "NA" and entry.not_applicable


def test_a_relative_leaf_is_scored_at_consolidation(login, province, assessment, at_work):
    response = _save(login(province.officer), assessment, _entry(assessment, "7.5"), value="40")
    assert response.json()["score_note"] == "tính khi tổng hợp"


def test_a_survey_leaf_cannot_be_saved(login, province, assessment, at_work):
    response = _save(login(province.officer), assessment, _entry(assessment, "1.7"), value="1")
    assert response.status_code == 400
    assert "điều tra xã hội học" in response.json()["error"]


def test_a_second_editor_gets_a_conflict_with_the_saved_value_who_and_when(
    login, province, assessment, at_work, client
):
    entry = _entry(assessment, "1.2")
    seen_version = entry.version
    entry_record(actor=province.leader, entry=entry, value="no", expected_version=seen_version)
    response = login(province.officer).post(
        _url("assessments:autosave", assessment, entry),
        {"value": "yes", "version": seen_version, "explanation": ""},
    )
    assert response.status_code == 409
    data = response.json()
    assert data["conflict"] is True
    assert data["theirs"]["display"] == "Không"
    assert data["theirs"]["by"] == "Lê Quang Huy"
    assert data["theirs"]["at"] == "09:30 ngày 20/10/2026"
    assert data["theirs"]["version"] == 1
    entry.refresh_from_db()
    assert entry.value == "no"  # never silently overwritten
    # "Ghi đè bằng giá trị của tôi": the same value sent again with the version just seen
    response = login(province.officer).post(
        _url("assessments:autosave", assessment, entry),
        {"value": "yes", "version": 1, "explanation": ""},
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.value == "yes" and entry.version == 2


def test_the_same_value_saved_twice_is_not_a_conflict(login, province, assessment, at_work):
    entry = _entry(assessment, "1.2")
    entry_record(actor=province.leader, entry=entry, value="yes", expected_version=0)
    response = login(province.officer).post(
        _url("assessments:autosave", assessment, entry), {"value": "yes", "version": 0}
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_after_the_deadline_a_direct_post_is_refused_until_extended(login, province, assessment):
    client = login(province.officer)
    entry = _entry(assessment, "1.2")
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        response = _save(client, assessment, entry, value="yes")
        assert response.status_code == 403
        assert "Đã hết hạn tự đánh giá" in response.json()["error"]
        entry.refresh_from_db()
        assert entry.value == "" and entry.version == 0
        html = client.get(_url("assessments:table", assessment)).content.decode()
        assert "Đã hết hạn tự đánh giá (15/11/2026). Liên hệ Sở Nội vụ để được gia hạn." in html
        assert "<fieldset disabled" in html
        assessment_extend_deadline(
            actor=province.admin,
            assessment=assessment,
            until=local(2026, 11, 20, 17, 0),
            reason="Đơn vị có văn bản xin gia hạn",
        )
        response = _save(client, assessment, entry, value="yes")
        assert response.status_code == 200
        html = client.get(_url("assessments:workspace", assessment)).content.decode()
        assert "17:00 ngày 20/11/2026" in html and "Được gia hạn" in html


# ---------------------------------------------------------------- history


def test_the_leaf_history_lists_who_when_and_old_to_new(login, province, assessment, at_work):
    entry = _entry(assessment, "1.6")
    entry = entry_record(actor=province.officer, entry=entry, value="1", value2="2")
    entry_record(actor=province.leader, entry=entry, value="2", value2="2", explanation="Đủ")
    client = login(province.officer)
    html = client.get(_url("assessments:entry-history", assessment, entry)).content.decode()
    assert "Lê Quang Huy" in html and "Trần Văn Minh" in html
    assert "09:30 ngày 20/10/2026" in html
    assert "Giải trình" in html and "Đủ" in html
    assert "0,5" in html and "Điểm tự chấm" in html  # 1/2 of 1 point -> 2/2


# ---------------------------------------------------------------- sending


def test_the_officer_cannot_send_while_items_are_missing(login, province, assessment, at_work):
    client = login(province.officer)
    response = client.post(
        _url("assessments:send", assessment), {"to": "pending_approval"}, follow=True
    )
    assert "Chưa thể gửi: còn 43 tiêu chí thành phần chưa hoàn thành" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    # the generic transition endpoint applies the same check
    client.post(_url("assessments:transition", assessment), {"to": "pending_approval"})
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_evidence_named_by_the_framework_needs_a_file_or_an_explanation(
    login, province, assessment, at_work
):
    _fill_all(assessment, province.officer)
    entry = _entry(assessment, "1.1.1")
    entry_record(actor=province.officer, entry=entry, value=entry.value, explanation="")
    client = login(province.officer)
    response = client.post(
        _url("assessments:send", assessment), {"to": "pending_approval"}, follow=True
    )
    assert "còn 1 tiêu chí thành phần chưa hoàn thành (1.1.1)" in response.content.decode()


def test_officer_sends_leader_returns_with_a_comment_then_submits(
    login, province, assessment, at_work, client
):
    _fill_all(assessment, province.officer)
    client.force_login(province.officer)
    client.post(_url("assessments:send", assessment), {"to": "pending_approval"})
    assessment.refresh_from_db()
    assert assessment.status == Status.PENDING_APPROVAL
    # entries are frozen while the leader looks
    assert _save(client, assessment, _entry(assessment, "1.2"), value="no").status_code == 403
    # the officer cannot approve
    client.post(_url("assessments:send", assessment), {"to": "submitted"})
    assessment.refresh_from_db()
    assert assessment.status == Status.PENDING_APPROVAL

    client.force_login(province.leader)
    html = client.get(_url("assessments:table", assessment)).content.decode()
    assert "Phê duyệt và gửi đi" in html and "Trả lại chuyên viên" in html
    assert "<fieldset disabled" in html
    response = client.post(_url("assessments:send", assessment), {"to": "draft"}, follow=True)
    assert "Ghi rõ lý do" in response.content.decode()
    client.post(
        _url("assessments:send", assessment), {"to": "draft", "note": "Bổ sung tài liệu 1.1.1"}
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT

    client.force_login(province.officer)
    html = client.get(_url("assessments:workspace", assessment)).content.decode()
    assert "Bổ sung tài liệu 1.1.1" in html  # the comment is in the status history
    client.post(_url("assessments:send", assessment), {"to": "pending_approval"})
    client.force_login(province.leader)
    client.post(_url("assessments:send", assessment), {"to": "submitted"})
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED and assessment.submitted_at is not None
    notes = list(StatusChange.objects.filter(assessment=assessment).values_list("new_status"))
    assert [n[0] for n in notes] == ["pending_approval", "draft", "pending_approval", "submitted"]

    client.force_login(province.officer)
    response = _save(client, assessment, _entry(assessment, "1.2"), value="no")
    assert response.status_code == 403 and "“Đã gửi”" in response.json()["error"]


def test_the_organizer_workspace_links_to_reopen_and_extend(login, province, assessment):
    html = login(province.admin).get(_url("assessments:workspace", assessment)).content.decode()
    assert _url("assessments:detail", assessment) in html
    assert "Quản lý (gia hạn, mở lại)" in html


def test_submission_emails_the_organizers_admins_after_commit(
    login, province, assessment, at_work, client, mailoutbox, django_capture_on_commit_callbacks
):
    province.admin.email = "cchc@snv.bacgiang.gov.vn"
    province.admin.save(update_fields=["email"])
    _fill_all(assessment, province.officer)
    client.force_login(province.officer)
    client.post(_url("assessments:send", assessment), {"to": "pending_approval"})
    assert mailoutbox == []
    client.force_login(province.leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("assessments:send", assessment), {"to": "submitted"})
    assert [m.to for m in mailoutbox] == [["cchc@snv.bacgiang.gov.vn"]]
    assert "Sở Tư pháp" in mailoutbox[0].subject


# ---------------------------------------------------------------- numbers as typed


def test_autosave_reads_a_dot_before_three_digits_as_thousands(
    login, province, assessment, at_work
):
    entry = _entry(assessment, "1.1.2")  # ratio
    response = _save(login(province.officer), assessment, entry, value="1.000", value2="1.200")
    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert (entry.value, entry.value2) == ("1000", "1200")


@pytest.mark.parametrize("typed", ["١٢٣", "１２"])
def test_autosave_refuses_digits_that_are_not_0_to_9(login, province, assessment, at_work, typed):
    entry = _entry(assessment, "1.5")
    response = _save(login(province.officer), assessment, entry, value=typed)
    assert response.status_code == 400
    assert "Số liệu: “" in response.json()["error"] and "0–9" in response.json()["error"]
    entry.refresh_from_db()
    assert entry.value == "" and entry.version == 0


def test_autosave_refuses_an_absurdly_long_number(login, province, assessment, at_work):
    entry = _entry(assessment, "1.5")
    response = _save(login(province.officer), assessment, entry, value="1" * 40)
    assert response.status_code == 400
    assert "quá dài" in response.json()["error"]


def test_an_english_style_number_is_refused_before_the_engine_sees_it(
    login, province, assessment, at_work
):
    entry = _entry(assessment, "1.5")
    response = _save(login(province.officer), assessment, entry, value="1,234.5")
    assert (
        response.status_code == 400 and "dấu chấm ngăn cách hàng nghìn" in response.json()["error"]
    )


def test_the_table_shows_a_decimal_comma_back_in_the_inputs(login, province, assessment, at_work):
    entry = _entry(assessment, "2.5")  # number
    entry_record(actor=province.officer, entry=entry, value="1.00")
    html = login(province.officer).get(_url("assessments:table", assessment)).content.decode()
    assert f'id="v-{entry.pk}" value="1,00"' in html
    assert f'id="v-{entry.pk}" value="1.00"' not in html


def test_a_denominator_is_refused_on_a_leaf_that_is_not_a_ratio(
    login, province, assessment, at_work
):
    entry = _entry(assessment, "1.5")  # count
    response = _save(login(province.officer), assessment, entry, value="3", value2="4")
    assert response.status_code == 400
    assert "không có mẫu số" in response.json()["error"]
    entry.refresh_from_db()
    assert entry.value == "" and entry.value2 == ""


def test_a_relative_leaf_shows_tinh_khi_tong_hop_and_stays_out_of_the_self_assessed_max(
    login, province, assessment, at_work
):
    """Before: the table printed its stored score (none: 0) and counted its max (2) in the
    framework max. Now: "tính khi tổng hợp", a max without it, and one sentence saying so."""
    from parindex.assessments.scoring import PENDING_NOTE
    from parindex.frameworks.selectors import framework_to_engine

    client = login(province.officer)
    data = _save(client, assessment, _entry(assessment, "7.5"), value="12.5").json()
    assert data["score_note"] == "tính khi tổng hợp"
    fw = framework_to_engine(assessment.framework)
    surveys = sum((n.max for n in fw.leaves() if n.source == "survey"), Decimal(0))
    expected = fw.max_total - surveys - fw.node("7.5").max
    assert data["max"] == vn_points(expected)
    html = client.get(_url("assessments:table", assessment)).content.decode()
    assert html.count("tính khi tổng hợp") >= 2  # the leaf's score and the note
    assert PENDING_NOTE in html
    assert f"<span data-max>{vn_points(expected)}</span>" in html
    dashboard = client.get(_url("assessments:workspace", assessment)).content.decode()
    assert PENDING_NOTE in dashboard and f"trên tối đa {vn_points(expected)} điểm" in dashboard


def test_domain_badges_measure_the_self_assessed_max_and_follow_not_applicable(
    login, province, assessment, at_work
):
    """Each domain's "x / y" is against the part the unit scores itself, the header's measure:
    the domain maxes add up to the header's max; the framework's max (with the survey leaf
    1.7) is shown beside domain 1's; NA on 2.4 lowers domain 2's max in the autosave answer."""
    from parindex.assessments import scoring

    client = login(province.officer)
    html = client.get(_url("assessments:table", assessment)).content.decode()
    scores = scoring.assessment_scores(assessment, scoring.SELF)
    domains = [n for n in assessment.framework.nodes.all() if n.parent_id is None]
    shown = {}
    for d in domains:
        found = re.findall(rf'data-submax="{re.escape(d.code)}">([^<]*)<', html)
        assert found and set(found) == {vn_points(scores.node(d.code).max)}, d.code
        shown[d.code] = scores.node(d.code).max
    assert sum(shown.values()) == scores.max
    survey_leaf = _entry(assessment, "1.7").node
    assert shown["1"] == domains[0].max - survey_leaf.max
    assert f"(bộ tiêu chí: {vn_points(domains[0].max)})" in html
    na_leaf = _entry(assessment, "2.4")
    answer = _save(client, assessment, na_leaf, na="1", value="NA").json()
    assert answer["submax"]["2"] == vn_points(shown["2"] - na_leaf.node.max)
    assert answer["max"] == vn_points(scores.max - na_leaf.node.max)
