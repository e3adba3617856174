"""Consolidation (Tổng hợp), the chair's review and approval, the publication decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from parindex.appraisal.models import PeriodAppraisal
from parindex.appraisal.selectors.assignment import UNDER_APPRAISAL
from parindex.appraisal.services.rounds import _in_status, _locked_state
from parindex.appraisal.signals import appraisal_event
from parindex.assessments import scoring
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Status
from parindex.assessments.services import assessment_transition
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.evidence.services import official_pdf_discard, official_pdf_store
from parindex.periods.access import council_seats
from parindex.periods.models import Period
from parindex.periods.services import require_period_admin

R = PeriodAppraisal.Review
DECISION_FIELDS = ["decision_number", "decision_date", "decision_signer", "decision_file_name"]


def _require_chair(actor: Any, period: Period) -> None:
    if actor is None:
        return
    if "chair" not in council_seats(actor).get(period.pk, set()):
        raise DomainError("Chỉ Chủ tịch Hội đồng thẩm định của đợt này mới được phê duyệt.")


def _under_appraisal(period: Period) -> list[Assessment]:
    return list(
        Assessment.objects.filter(period=period, status__in=UNDER_APPRAISAL)
        .select_related("unit", "framework", "period")
        .order_by("unit__position", "unit__name")
    )


@transaction.atomic
def consolidation_submit(*, actor: Any, period: Period, note: str = "") -> PeriodAppraisal:
    """The organizer sends the consolidated results to the chair: every assessment under
    appraisal has finished round 2."""
    require_period_admin(actor, period)
    state = _locked_state(period)
    if state.review == R.SUBMITTED:
        raise DomainError("Kết quả đã trình Chủ tịch Hội đồng, đang chờ phê duyệt.")
    if state.review == R.APPROVED:
        raise DomainError("Kết quả đã được phê duyệt.")
    items = _under_appraisal(period)
    if not items:
        raise DomainError("Chưa có đơn vị nào được thẩm định.")
    pending = [a for a in items if a.status != Status.APPRAISED]
    if pending:
        names = ", ".join(f"{a.unit.name} ({Status(a.status).label})" for a in pending[:10])
        raise DomainError(
            f"Chưa thể trình: còn {len(pending)} đơn vị chưa thẩm định xong: {names}."
        )
    old = snapshot(state, ["review"])
    state.review = R.SUBMITTED
    state.submitted_at = timezone.now()
    state.save()
    audit_record(
        actor=actor, verb="appraisal.submit", obj=period, old=old,
        new=snapshot(state, ["review"]), reason=note,
    )  # fmt: skip
    appraisal_event(period, "submitted", actor, note=note)
    return state


@transaction.atomic
def chair_return(*, actor: Any, period: Period, note: str) -> PeriodAppraisal:
    """The chair returns the results to round 2 with a note (every assessment → Thẩm định
    lần 2; the organizer closes round 2 and submits again)."""
    _require_chair(actor, period)
    note = note.strip()
    if not note:
        raise DomainError("Ghi rõ ý kiến khi trả lại kết quả để thẩm định lại.")
    state = _locked_state(period)
    if state.review != R.SUBMITTED:
        raise DomainError("Kết quả chưa được trình Chủ tịch Hội đồng.")
    for a in _in_status(period, Status.APPRAISED):
        assessment_transition(
            actor=actor, assessment=a, to=Status.APPRAISAL_2, note=note, by_appraisal=True
        )
    old = snapshot(state, ["review", "chair_note"])
    state.review = R.RETURNED
    state.chair_note = note
    state.round2_closed_at = None
    state.save()
    audit_record(
        actor=actor, verb="appraisal.chair_return", obj=period, old=old,
        new=snapshot(state, ["review", "chair_note"]), reason=note,
    )  # fmt: skip
    appraisal_event(period, "returned", actor, note=note)
    return state


def results_snapshot(period: Period) -> dict[str, Any]:
    """The approved results per block, each exactly ``parindex.results/v1`` (what
    ``parindex score`` gives on the period's framework and final values)."""
    items = _under_appraisal(period)
    blocks: dict[str, Any] = {}
    for pb in period.blocks.select_related("block", "framework"):
        group = [a for a in items if a.framework_id == pb.framework_id]
        if group:
            blocks[pb.block.code] = {
                "block": pb.block.name,
                "results": scoring.results_document(group),
            }
    return {
        "format": "parindex.approved/v1",
        "period": {"id": period.pk, "name": period.name, "year": period.year},
        "approved_at": timezone.now().isoformat(),
        "blocks": blocks,
    }


@transaction.atomic
def chair_approve(*, actor: Any, period: Period, note: str = "") -> PeriodAppraisal:
    """The chair approves: every assessment → Đã phê duyệt and the results are frozen as a
    snapshot that later edits cannot change."""
    _require_chair(actor, period)
    state = _locked_state(period)
    if state.review != R.SUBMITTED:
        raise DomainError("Kết quả chưa được trình Chủ tịch Hội đồng.")
    items = _in_status(period, Status.APPRAISED)
    frozen = results_snapshot(period)
    for a in items:
        assessment_transition(
            actor=actor, assessment=a, to=Status.FINALIZED, note=note, by_appraisal=True
        )
    old = snapshot(state, ["review"])
    state.review = R.APPROVED
    state.approved_at = timezone.now()
    state.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    state.snapshot = frozen
    state.save()
    audit_record(
        actor=actor, verb="appraisal.approve", obj=period, old=old,
        new=snapshot(state, ["review"]), reason=note,
    )  # fmt: skip
    appraisal_event(period, "approved", actor, note=note)
    return state


def publication_decision_record(
    *,
    actor: Any,
    period: Period,
    number: str,
    date: dt.date | None,
    signer: str,
    upload: UploadedFile | None = None,
) -> PeriodAppraisal:
    """The organizer records the publication decision (Quyết định công bố: number, date,
    signer, the signed PDF) of approved results. The PDF is checked and stored before the
    short transaction that saves the row."""
    require_period_admin(actor, period)
    number, signer = number.strip(), signer.strip()
    if not number or date is None or not signer:
        raise DomainError("Nhập đủ số quyết định, ngày ký và người ký.")
    state = PeriodAppraisal.objects.filter(period=period).first()
    if state is None or state.review != R.APPROVED:
        raise DomainError("Chỉ ghi quyết định công bố sau khi Chủ tịch Hội đồng phê duyệt.")
    stored = official_pdf_store(upload=upload, folder="decisions") if upload else None
    try:
        with transaction.atomic():
            locked = PeriodAppraisal.objects.select_for_update().get(pk=state.pk)
            old = snapshot(locked, DECISION_FIELDS)
            previous_file = locked.decision_file
            locked.decision_number, locked.decision_date = number, date
            locked.decision_signer = signer
            if stored is not None:
                locked.decision_file = stored.storage_name
                locked.decision_file_name = stored.original_name
                locked.decision_file_sha256 = stored.sha256
                locked.decision_file_signature = stored.signature_status
            locked.save()
            audit_record(
                actor=actor, verb="appraisal.publication_decision", obj=period, old=old,
                new=snapshot(locked, DECISION_FIELDS),
            )  # fmt: skip
            if stored is not None and previous_file:
                transaction.on_commit(lambda: official_pdf_discard(previous_file))
    except BaseException:
        if stored is not None:
            official_pdf_discard(stored.storage_name)
        raise
    return locked


def may_approve(user: Any, assessment: Assessment) -> bool:
    return "chair" in actor_kinds(user, assessment)
