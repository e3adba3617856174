"""Giải trình, bổ sung: the unit answers the round-1 requests and adjustments (01/12–10/12 by
default: the calendar's phase, with a per-unit extension and a reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from parindex.appraisal.models import Answer, AppraisalState, Decision
from parindex.appraisal.signals import appraisal_event
from parindex.assessments.access import actor_kinds, can_declare
from parindex.assessments.models import Assessment, Entry, Status
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.engine import BadValue, evaluate_leaf
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_upload
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.calendar import end_of_day, fmt_date, period_calendar
from parindex.periods.models import Phase
from parindex.periods.services import require_period_admin

K = Decision.Kind
ANSWERED = (K.REQUEST, K.ADJUST)


def _state(assessment: Assessment) -> AppraisalState:
    state, _ = AppraisalState.objects.get_or_create(assessment=assessment)
    return state


def supplement_deadline(assessment: Assessment) -> dt.datetime | None:
    """The end of the unit's Giải trình, bổ sung: its extension, else the phase's last day."""
    state = AppraisalState.objects.filter(assessment=assessment).first()
    if state is not None and state.supplement_until is not None:
        return state.supplement_until
    dates = period_calendar(assessment.period).get(Phase.SUPPLEMENT)
    return end_of_day(dates[1]) if dates else None


def supplement_lock_reason(assessment: Assessment, now: dt.datetime | None = None) -> str:
    """Why the unit cannot answer now ("" when it can)."""
    if assessment.period.closed:
        return f"Đợt đánh giá “{assessment.period.name}” đã đóng (chỉ đọc)."
    if assessment.status != Status.SUPPLEMENT:
        return (
            "Chỉ giải trình, bổ sung khi bản đánh giá đang ở giai đoạn “Giải trình, bổ sung” "
            f"(hiện: “{Status(assessment.status).label}”)."
        )
    state = AppraisalState.objects.filter(assessment=assessment).first()
    if state is not None and state.answers_sent_at is not None:
        at = timezone.localtime(state.answers_sent_at)
        return f"Đơn vị đã gửi giải trình lúc {at:%H:%M ngày %d/%m/%Y}."
    deadline = supplement_deadline(assessment)
    now = now or timezone.now()
    if deadline is not None and now > deadline:
        at = timezone.localtime(deadline)
        return (
            f"Đã hết hạn giải trình, bổ sung ({at:%H:%M ngày %d/%m/%Y}). "
            "Đơn vị được thẩm định trên số liệu và tài liệu đã có."
        )
    return ""


def _require_unit(actor: Any, assessment: Assessment) -> None:
    if actor is not None and not can_declare(actor, assessment):
        raise DomainError("Chỉ chuyên viên đầu mối hoặc lãnh đạo đơn vị mới được giải trình.")


def _asked(entry: Entry) -> Decision:
    decision = (
        Decision.objects.filter(entry=entry, round=1, current=True, kind__in=ANSWERED)
        .order_by("-at")
        .first()
    )
    if decision is None:
        raise DomainError(
            f"Tiêu chí {entry.node.code} không có yêu cầu giải trình hay điều chỉnh của Hội "
            "đồng: không cần giải trình."
        )
    return decision


def _open_for(actor: Any, entry: Entry) -> Decision:
    assessment = entry.assessment
    _require_unit(actor, assessment)
    why = supplement_lock_reason(assessment)
    if why:
        raise DomainError(why)
    return _asked(entry)


@transaction.atomic
def answer_save(
    *, actor: Any, entry: Entry, text: str, value: str = "", value2: str = ""
) -> Answer:
    """The unit's answer on one leaf: text, and for a request corrected values (kept beside
    the declaration, which never changes; round 2 may adopt them)."""
    entry = Entry.objects.select_related(
        "node", "assessment__period", "assessment__unit", "assessment__framework"
    ).get(pk=entry.pk)
    list(Assessment.objects.select_for_update().filter(pk=entry.assessment_id).values("pk"))
    decision = _open_for(actor, entry)
    text, value, value2 = text.strip(), value.strip(), value2.strip()
    if (value or value2) and decision.kind != K.REQUEST:
        raise DomainError(
            f"Tiêu chí {entry.node.code}: chỉ bổ sung số liệu khi Hội đồng yêu cầu giải trình."
        )
    if value or value2:
        leaf = framework_to_engine(entry.assessment.framework).node(entry.node.code)
        try:
            evaluate_leaf(leaf, value, value2)
        except BadValue as exc:
            raise DomainError(f"Tiêu chí {entry.node.code}: {exc.message_vi}.") from None
    if not text and not (value or value2):
        raise DomainError(f"Tiêu chí {entry.node.code}: ghi nội dung giải trình.")
    answer = Answer.objects.filter(entry=entry).first() or Answer(entry=entry)
    old = snapshot(answer, ["text", "value", "value2"]) if answer.pk else None
    answer.text, answer.value, answer.value2 = text, value, value2
    answer.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    answer.save()
    audit_record(
        actor=actor, verb="appraisal.answer", obj=entry, old=old,
        new=snapshot(answer, ["text", "value", "value2"]),
    )  # fmt: skip
    return answer


def answer_upload(*, actor: Any, entry: Entry, upload: UploadedFile) -> EvidenceFile:
    """New evidence for a leaf the council asked about, during Giải trình, bổ sung (no
    transaction held while the file is checked: see ``evidence_upload``)."""
    entry = (
        Entry.objects.select_related(
            "node", "assessment__period", "assessment__unit", "assessment__framework"
        )
        .prefetch_related("assessment__period__phases")
        .get(pk=entry.pk)
    )
    _open_for(actor, entry)

    def editable(assessment: Assessment) -> None:
        why = supplement_lock_reason(assessment)
        if why:
            raise DomainError(why)

    return evidence_upload(actor=actor, entry=entry, upload=upload, editable=editable)


@transaction.atomic
def answers_send(*, actor: Any, assessment: Assessment) -> AppraisalState:
    """The unit's leader approves and sends the answers ("Gửi giải trình"); after that they
    are read-only."""
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period", "unit")
        .get(pk=assessment.pk)
    )
    if actor is not None and not actor_kinds(actor, locked) & {"leader"}:
        raise DomainError("Chỉ lãnh đạo đơn vị mới được duyệt và gửi giải trình.")
    why = supplement_lock_reason(locked)
    if why:
        raise DomainError(why)
    if not Answer.objects.filter(entry__assessment=locked).exists() and not (
        EvidenceFile.objects.filter(
            assessment=locked,
            entry__decisions__round=1,
            entry__decisions__current=True,
            entry__decisions__kind__in=ANSWERED,
            uploaded_at__gte=_round1_closed(locked),
        ).exists()
    ):
        raise DomainError("Chưa có nội dung giải trình hay tài liệu bổ sung nào để gửi.")
    state = _state(locked)
    state.answers_sent_at = timezone.now()
    state.answers_sent_by = actor if getattr(actor, "is_authenticated", False) else None
    state.save()
    audit_record(actor=actor, verb="appraisal.answers_send", obj=locked)
    appraisal_event(locked.period, "answers_sent", actor, assessment_id=locked.pk)
    return state


def _round1_closed(assessment: Assessment) -> dt.datetime:
    from parindex.appraisal.models import PeriodAppraisal

    state = PeriodAppraisal.objects.filter(period_id=assessment.period_id).first()
    moment = state.round1_closed_at if state else None
    return moment or dt.datetime.min.replace(tzinfo=dt.UTC)


@transaction.atomic
def supplement_extend(
    *, actor: Any, assessment: Assessment, until: dt.datetime, reason: str
) -> AppraisalState:
    """The organizer extends one unit's Giải trình, bổ sung (reason required), at the latest
    to the last day of Thẩm định lần 2."""
    period = assessment.period
    require_period_admin(actor, period)
    reason = reason.strip()
    if not reason:
        raise DomainError("Ghi rõ lý do gia hạn giải trình, bổ sung.")
    dates = period_calendar(period)
    limit_phase = dates.get(Phase.APPRAISAL_2)
    if limit_phase and until > end_of_day(limit_phase[1]):
        raise DomainError(
            f"Chỉ gia hạn giải trình chậm nhất là {fmt_date(limit_phase[1])}, ngày cuối của "
            "giai đoạn “Thẩm định lần 2”."
        )
    if until <= timezone.now():
        raise DomainError("Hạn mới phải sau thời điểm hiện tại.")
    state = _state(assessment)
    old = snapshot(state, ["supplement_until"])
    state.supplement_until = until
    state.supplement_extension_reason = reason
    state.save()
    audit_record(
        actor=actor, verb="appraisal.supplement_extend", obj=assessment, old=old,
        new=snapshot(state, ["supplement_until"]), reason=reason,
    )  # fmt: skip
    return state
