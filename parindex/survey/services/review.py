"""The organizer's fraud checks (000 Tuyên Quang §2: interference voids the survey result):
the thresholds of the rules, the batch re-scan, the review of flagged responses (valid or
void, with a reason) and voiding a unit's whole survey (000 §2.d) — each atomic, audited,
and followed by ``survey_event(…, "review")`` so the survey points are recomputed.

Counting rule (the points helper applies it): only VALID responses count; a FLAGGED one
counts only once the organizer marks it valid; VOID ones and every response about a unit
with a ``UnitVoid`` count nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.services import require_period_admin
from parindex.survey import fraud
from parindex.survey.models import DEFAULT_FRAUD, Response, Survey, UnitVoid
from parindex.survey.signals import survey_event

REVIEW_STATUSES = (Response.Status.VALID, Response.Status.VOID)
MAX_REASON = 1000
MAX_BULK = 500


def _locked_survey(survey: Survey) -> Survey:
    locked = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey.pk)
    )
    return locked


def _require_not_frozen(survey: Survey) -> None:
    if survey.frozen_at is not None:
        raise DomainError(
            "Điểm điều tra đã được chốt (khóa tổng hợp kết quả): không thay đổi được phiếu."
        )


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON:
        raise DomainError(f"Lý do dài quá {MAX_REASON} ký tự.")
    return text


# ---------------------------------------------------------------- thresholds and re-scan


def current_thresholds(survey: Survey) -> dict[str, int]:
    return {key: survey.threshold(key) for key in DEFAULT_FRAUD}


@transaction.atomic
def fraud_set_thresholds(*, actor: Any, survey: Survey, values: Mapping[str, int]) -> Survey:
    """Replace every threshold (``values``: each key of ``DEFAULT_FRAUD`` within the bounds of
    ``fraud.THRESHOLDS``). New thresholds apply to the responses that arrive from now on and
    to the next re-scan; responses already flagged stay in the queue."""
    survey = _locked_survey(survey)
    require_period_admin(actor, survey.period_block.period)
    problems = fraud.thresholds_problems(values)
    if problems:
        raise DomainError("Ngưỡng chưa hợp lệ: chưa lưu gì.", problems=problems)
    old = current_thresholds(survey)
    new = {key: int(values[key]) for key in DEFAULT_FRAUD}
    if old == new:
        return survey
    survey.fraud = new
    survey.save(update_fields=["fraud", "updated_at"])
    audit_record(actor=actor, verb="survey.fraud", obj=survey, old=old, new=new)
    return survey


@dataclass(frozen=True)
class ScanResult:
    same_pattern: int
    burst: int

    @property
    def total(self) -> int:
        return self.same_pattern + self.burst


@transaction.atomic
def fraud_rescan(*, actor: Any, survey: Survey) -> ScanResult:
    """ "Quét lại": the batch checks over the stored responses — identical answer patterns
    across many responses of one unit, and the burst rule with the current thresholds. The
    newly flagged responses go to the review queue (they stop counting until marked valid)."""
    survey = _locked_survey(survey)
    require_period_admin(actor, survey.period_block.period)
    _require_not_frozen(survey)
    result = ScanResult(same_pattern=fraud.pattern_flags(survey), burst=fraud.burst_flags(survey))
    audit_record(
        actor=actor,
        verb="survey.fraud_scan",
        obj=survey,
        new={"same_pattern": result.same_pattern, "burst": result.burst},
    )
    if result.total:
        survey_event(survey.pk, "review")
    return result


# ---------------------------------------------------------------- reviewing responses


def _review_one(
    actor: Any, response: Response, status: str, reason: str, now: Any
) -> dict[str, Any] | None:
    """Apply one decision to a locked response; the audit's old/new (None: no change)."""
    if status not in REVIEW_STATUSES:
        raise DomainError("Chọn “Hợp lệ” hoặc “Loại phiếu”.")
    if status == Response.Status.VOID and not reason:
        raise DomainError("Ghi lý do loại phiếu.")
    if response.status == Response.Status.VOID and status == Response.Status.VALID and not reason:
        raise DomainError("Ghi lý do khôi phục phiếu đã bị loại.")
    if response.status == status:
        return None
    old = {"status": response.status, "review_reason": response.review_reason}
    response.status = status
    response.review_reason = reason
    response.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    response.reviewed_at = now
    return old


@transaction.atomic
def response_review(*, actor: Any, response: Response, status: str, reason: str = "") -> Response:
    """Mark a response valid or void (a reason is required to void it, and to bring a void one
    back). Audited old → new with the reason; the points are recomputed after commit."""
    survey = _locked_survey(response.survey)
    require_period_admin(actor, survey.period_block.period)
    _require_not_frozen(survey)
    locked = Response.objects.select_for_update().get(pk=response.pk, survey=survey)
    reason = _reason(reason)
    old = _review_one(actor, locked, status, reason, timezone.now())
    if old is None:
        return locked
    locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        verb="survey.response_review",
        obj=locked,
        old=old,
        new={"status": locked.status, "review_reason": reason},
        reason=reason,
    )
    survey_event(survey.pk, "review")
    return locked


@transaction.atomic
def responses_review_bulk(
    *, actor: Any, survey: Survey, response_ids: Iterable[int], status: str, reason: str = ""
) -> int:
    """The same decision for a selection of the survey's responses (at most ``MAX_BULK``);
    one audit row per response changed. Returns how many changed."""
    survey = _locked_survey(survey)
    require_period_admin(actor, survey.period_block.period)
    _require_not_frozen(survey)
    ids = sorted(set(response_ids))
    if not ids:
        raise DomainError("Chọn ít nhất một phiếu.")
    if len(ids) > MAX_BULK:
        raise DomainError(f"Mỗi lần xử lý tối đa {MAX_BULK} phiếu.")
    reason = _reason(reason)
    rows = list(Response.objects.select_for_update().filter(survey=survey, pk__in=ids))
    if len(rows) != len(ids):
        raise DomainError("Có phiếu không thuộc cuộc điều tra này: chưa xử lý phiếu nào.")
    now = timezone.now()
    changed: list[tuple[Response, dict[str, Any]]] = []
    for r in rows:
        old = _review_one(actor, r, status, reason, now)
        if old is not None:
            changed.append((r, old))
    Response.objects.bulk_update(
        [r for r, _ in changed], ["status", "review_reason", "reviewed_by", "reviewed_at"]
    )
    for r, old in changed:
        audit_record(
            actor=actor,
            verb="survey.response_review",
            obj=r,
            old=old,
            new={"status": r.status, "review_reason": reason},
            reason=reason,
        )
    if changed:
        survey_event(survey.pk, "review")
    return len(changed)


# ---------------------------------------------------------------- voiding a unit's survey


def _require_rated(survey: Survey, unit: Unit) -> None:
    if not Assessment.objects.filter(
        period_id=survey.period_block.period_id,
        unit=unit,
        unit__block_id=survey.period_block.block_id,
    ).exists():
        raise DomainError(f"{unit.name} không được đánh giá trong cuộc điều tra này.")


@transaction.atomic
def unit_void(*, actor: Any, survey: Survey, unit: Unit, reason: str) -> UnitVoid:
    """Void the whole survey result of ``unit`` (000 §2.d, e.g. interference detected): its
    responses then count nowhere, whatever their status, until ``unit_unvoid``."""
    survey = _locked_survey(survey)
    require_period_admin(actor, survey.period_block.period)
    _require_not_frozen(survey)
    reason = _reason(reason)
    if not reason:
        raise DomainError("Ghi lý do hủy kết quả khảo sát của đơn vị.")
    _require_rated(survey, unit)
    if UnitVoid.objects.filter(survey=survey, unit=unit).exists():
        raise DomainError(f"Kết quả khảo sát của {unit.name} đã bị hủy trước đó.")
    void = UnitVoid.objects.create(
        survey=survey,
        unit=unit,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        verb="survey.unit_void",
        obj=survey,
        old={"unit_void": None},
        new={"unit_void": unit.code},
        reason=reason,
    )
    survey_event(survey.pk, "review")
    return void


@transaction.atomic
def unit_unvoid(*, actor: Any, survey: Survey, unit: Unit, reason: str) -> None:
    """Undo ``unit_void`` (with a reason): the unit's valid responses count again."""
    survey = _locked_survey(survey)
    require_period_admin(actor, survey.period_block.period)
    _require_not_frozen(survey)
    reason = _reason(reason)
    if not reason:
        raise DomainError("Ghi lý do khôi phục kết quả khảo sát của đơn vị.")
    void = UnitVoid.objects.select_for_update().filter(survey=survey, unit=unit).first()
    if void is None:
        raise DomainError(f"Kết quả khảo sát của {unit.name} không bị hủy.")
    old = {"unit_void": unit.code, "void_reason": void.reason, "voided_at": void.at}
    void.delete()
    audit_record(
        actor=actor,
        verb="survey.unit_unvoid",
        obj=survey,
        old=old,
        new={"unit_void": None, "void_reason": None, "voided_at": None},
        reason=reason,
    )
    survey_event(survey.pk, "review")
