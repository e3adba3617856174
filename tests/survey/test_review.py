"""Fraud checks: the thresholds (bounds, audited), the batch re-scan (identical patterns, the
burst rule over stored responses), the review of flagged responses (valid / void with a
reason, audited, points recomputed) and voiding a unit's whole survey and undoing it."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey import fraud
from parindex.survey.forms_review import FraudThresholdsForm, ReviewForm
from parindex.survey.models import DEFAULT_FRAUD, Response, UnitVoid
from parindex.survey.services.intake import response_submit
from parindex.survey.services.review import (
    fraud_rescan,
    fraud_set_thresholds,
    response_review,
    responses_review_bulk,
    unit_unvoid,
    unit_void,
)

pytestmark = pytest.mark.django_db

SAME = {"Q01": "A", "Q02": "B", "Q06": "C"}


def submit(ns, unit=None, answers=None, **kw):
    return response_submit(
        survey=ns.survey,
        unit=unit or ns.province.stp,
        group="HDND",
        answers=answers or SAME,
        channel=Response.Channel.PUBLIC,
        **kw,
    )


def flagged(ns, **kw):
    r = submit(ns, **kw)
    Response.objects.filter(pk=r.pk).update(status=Response.Status.FLAGGED, flags=["fast"])
    r.refresh_from_db()
    return r


# ---------------------------------------------------------------- thresholds


def test_thresholds_are_saved_audited_and_used(surveyed):
    ns = surveyed
    values = {**DEFAULT_FRAUD, "min_seconds": 60, "same_pattern_count": 3}
    fraud_set_thresholds(actor=ns.province.admin, survey=ns.survey, values=values)
    ns.survey.refresh_from_db()
    assert ns.survey.threshold("min_seconds") == 60 and ns.survey.fraud == values
    event = AuditEvent.objects.get(verb="survey.fraud")
    assert event.old == {"min_seconds": 30, "same_pattern_count": 5}
    assert event.new == {"min_seconds": 60, "same_pattern_count": 3}
    r = submit(ns, started_at=timezone.now() - dt.timedelta(seconds=45))
    assert r.status == Response.Status.FLAGGED and r.flags == ["fast"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("burst_count", 0), ("burst_minutes", 1441), ("min_seconds", -1), ("token_addresses", 101)],
)
def test_thresholds_out_of_bounds_are_refused_and_nothing_saved(surveyed, key, value):
    ns = surveyed
    with pytest.raises(DomainError) as exc:
        fraud_set_thresholds(
            actor=ns.province.admin, survey=ns.survey, values={**DEFAULT_FRAUD, key: value}
        )
    label = next(t.label for t in fraud.THRESHOLDS if t.key == key)
    assert any(label in p for p in exc.value.problems)
    ns.survey.refresh_from_db()
    assert ns.survey.fraud == {} and not AuditEvent.objects.filter(verb="survey.fraud").exists()
    form = FraudThresholdsForm({**DEFAULT_FRAUD, key: value})
    assert not form.is_valid() and key in form.errors
    assert "Không" in form.errors[key][0]  # Vietnamese: "Không nhỏ hơn …" / "Không lớn hơn …"


def test_the_thresholds_form_labels_are_vietnamese_and_complete(surveyed):
    form = FraudThresholdsForm()
    assert set(form.fields) == set(DEFAULT_FRAUD)
    assert form.fields["min_seconds"].label == "Thời gian trả lời tối thiểu (giây)"
    assert all(f.help_text for f in form.fields.values())
    assert not FraudThresholdsForm({**DEFAULT_FRAUD, "burst_count": "năm"}).is_valid()


def test_only_the_organizer_admin_changes_thresholds(surveyed):
    ns = surveyed
    with pytest.raises((DomainError, PermissionDenied)):
        fraud_set_thresholds(actor=ns.province.officer, survey=ns.survey, values=DEFAULT_FRAUD)


# ---------------------------------------------------------------- batch scan


def test_the_scan_flags_identical_patterns_of_one_unit(surveyed):
    ns = surveyed
    same = [submit(ns) for _ in range(5)]
    other_unit = [submit(ns, unit=ns.province.syt) for _ in range(4)]  # below the threshold
    varied = submit(ns, answers={"Q01": "B", "Q02": "B"})
    result = fraud_rescan(actor=ns.province.admin, survey=ns.survey)
    assert (result.same_pattern, result.burst) == (5, 0)
    for r in same:
        r.refresh_from_db()
        assert r.status == Response.Status.FLAGGED and r.flags == ["same_pattern"]
    assert {r.status for r in Response.objects.filter(pk__in=[x.pk for x in other_unit])} == {
        "valid"
    }
    varied.refresh_from_db()
    assert varied.status == Response.Status.VALID
    assert AuditEvent.objects.get(verb="survey.fraud_scan").new == {"same_pattern": 5, "burst": 0}
    # a second scan finds nothing new; reviewed-valid ones are not flagged again
    response_review(actor=ns.province.admin, response=same[0], status="valid")
    assert fraud_rescan(actor=ns.province.admin, survey=ns.survey).total == 0
    same[0].refresh_from_db()
    assert same[0].status == Response.Status.VALID


def test_the_scan_reruns_the_burst_rule_with_the_current_thresholds(surveyed):
    ns = surveyed
    start = timezone.now() - dt.timedelta(hours=1)
    rows = [
        submit(ns, answers={"Q01": "ABCD"[i % 4], "Q02": "B"}, address_hash="ip1") for i in range(4)
    ]
    lone = submit(ns, answers={"Q01": "C"}, address_hash="ip2")
    apart = submit(ns, answers={"Q01": "D"}, device_hash="dev9")
    # spread ip1 over 4 minutes; dev9 an hour before
    for i, r in enumerate(rows):
        Response.objects.filter(pk=r.pk).update(submitted_at=start + dt.timedelta(minutes=i))
    Response.objects.filter(pk=apart.pk).update(submitted_at=start - dt.timedelta(hours=1))
    assert fraud_rescan(actor=ns.province.admin, survey=ns.survey).burst == 0  # limit 5
    fraud_set_thresholds(
        actor=ns.province.admin, survey=ns.survey, values={**DEFAULT_FRAUD, "burst_count": 2}
    )
    ns.survey.refresh_from_db()
    result = fraud_rescan(actor=ns.province.admin, survey=ns.survey)
    assert result.burst == 2  # the 3rd and 4th from ip1 (two earlier within 10 minutes)
    statuses = {r.pk: r.status for r in Response.objects.all()}
    assert [statuses[r.pk] for r in rows] == ["valid", "valid", "flagged", "flagged"]
    assert statuses[lone.pk] == statuses[apart.pk] == "valid"


def test_a_void_response_is_not_touched_by_the_scan(surveyed):
    ns = surveyed
    same = [submit(ns) for _ in range(5)]
    Response.objects.filter(pk=same[0].pk).update(status=Response.Status.VOID)
    # only 4 non-void left with the pattern: below 5
    assert fraud_rescan(actor=ns.province.admin, survey=ns.survey).same_pattern == 0


# ---------------------------------------------------------------- review


def test_review_valid_and_void_with_audit_and_points_event(surveyed):
    ns = surveyed
    a, b = flagged(ns), flagged(ns)
    with mock.patch("parindex.survey.services.review.survey_event") as event:
        response_review(actor=ns.province.admin, response=a, status="valid")
        response_review(actor=ns.province.admin, response=b, status="void", reason="Phiếu ảo")
    assert event.call_args_list == [mock.call(ns.survey.pk, "review")] * 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "valid" and a.reviewed_by == ns.province.admin and a.reviewed_at
    assert a.flags == ["fast"]  # the flags stay: why it was looked at
    assert b.status == "void" and b.review_reason == "Phiếu ảo"
    events = AuditEvent.objects.filter(verb="survey.response_review").order_by("id")
    assert [(e.old["status"], e.new["status"], e.reason) for e in events] == [
        ("flagged", "valid", ""),
        ("flagged", "void", "Phiếu ảo"),
    ]


def test_void_needs_a_reason_and_nothing_changes(surveyed):
    ns = surveyed
    r = flagged(ns)
    for reason in ("", "   "):
        with pytest.raises(DomainError, match="Ghi lý do loại phiếu"):
            response_review(actor=ns.province.admin, response=r, status="void", reason=reason)
    r.refresh_from_db()
    assert (
        r.status == "flagged"
        and not AuditEvent.objects.filter(verb="survey.response_review").exists()
    )
    assert not ReviewForm({"status": "void", "reason": ""}).is_valid()
    with pytest.raises(DomainError):
        response_review(actor=ns.province.admin, response=r, status="flagged")


def test_bringing_back_a_void_response_needs_a_reason(surveyed):
    ns = surveyed
    r = flagged(ns)
    response_review(actor=ns.province.admin, response=r, status="void", reason="Trùng")
    with pytest.raises(DomainError, match="khôi phục"):
        response_review(actor=ns.province.admin, response=r, status="valid")
    response_review(actor=ns.province.admin, response=r, status="valid", reason="Nhầm")
    r.refresh_from_db()
    assert r.status == "valid"


def test_bulk_review_one_audit_row_each(surveyed):
    ns = surveyed
    rows = [flagged(ns) for _ in range(3)]
    n = responses_review_bulk(
        actor=ns.province.admin,
        survey=ns.survey,
        response_ids=[r.pk for r in rows],
        status="void",
        reason="Cùng một máy",
    )
    assert n == 3 and set(Response.objects.values_list("status", flat=True)) == {"void"}
    assert (
        AuditEvent.objects.filter(verb="survey.response_review", reason="Cùng một máy").count() == 3
    )
    with pytest.raises(DomainError, match="Ghi lý do"):
        responses_review_bulk(
            actor=ns.province.admin, survey=ns.survey, response_ids=[rows[0].pk], status="void"
        )
    with pytest.raises(DomainError, match="Chọn ít nhất"):
        responses_review_bulk(
            actor=ns.province.admin, survey=ns.survey, response_ids=[], status="valid"
        )


def test_a_frozen_survey_cannot_be_reviewed(surveyed):
    ns = surveyed
    r = flagged(ns)
    type(ns.survey).objects.filter(pk=ns.survey.pk).update(frozen_at=timezone.now())
    with pytest.raises(DomainError, match="chốt"):
        response_review(actor=ns.province.admin, response=r, status="valid")


# ---------------------------------------------------------------- a unit's whole survey


def test_unit_void_and_undo_are_audited_and_need_a_reason(surveyed):
    ns = surveyed
    stp = ns.province.stp
    with pytest.raises(DomainError, match="Ghi lý do hủy"):
        unit_void(actor=ns.province.admin, survey=ns.survey, unit=stp, reason=" ")
    assert not UnitVoid.objects.exists()
    with mock.patch("parindex.survey.services.review.survey_event") as event:
        void = unit_void(
            actor=ns.province.admin, survey=ns.survey, unit=stp, reason="Can thiệp vào phiếu"
        )
    event.assert_called_once_with(ns.survey.pk, "review")
    assert void.actor == ns.province.admin and void.reason == "Can thiệp vào phiếu"
    with pytest.raises(DomainError, match="đã bị hủy"):
        unit_void(actor=ns.province.admin, survey=ns.survey, unit=stp, reason="Lần nữa")
    with pytest.raises(DomainError, match="Ghi lý do khôi phục"):
        unit_unvoid(actor=ns.province.admin, survey=ns.survey, unit=stp, reason="")
    unit_unvoid(actor=ns.province.admin, survey=ns.survey, unit=stp, reason="Đã xác minh lại")
    assert not UnitVoid.objects.exists()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="survey.unit_")
        .order_by("id")
        .values_list("verb", "reason")
    )
    assert verbs == [
        ("survey.unit_void", "Can thiệp vào phiếu"),
        ("survey.unit_unvoid", "Đã xác minh lại"),
    ]
    with pytest.raises(DomainError, match="không bị hủy"):
        unit_unvoid(actor=ns.province.admin, survey=ns.survey, unit=stp, reason="x")


def test_a_unit_outside_the_survey_cannot_be_voided(surveyed):
    ns = surveyed
    with pytest.raises(DomainError, match="không được đánh giá"):
        unit_void(actor=ns.province.admin, survey=ns.survey, unit=ns.province.commune, reason="x")


def test_only_the_organizer_admin_voids(surveyed):
    ns = surveyed
    with pytest.raises((DomainError, PermissionDenied)):
        unit_void(
            actor=ns.province.district_admin, survey=ns.survey, unit=ns.province.stp, reason="x"
        )
