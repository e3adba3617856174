"""Appeals after publication (kiến nghị). Atomic, audited, take the acting user.

Decisions where the issue was silent:
- The window opens the day the period's results are first published (version 1) and lasts
  ``AppealSetting.days`` days including that day (10 unless the organizer sets 1–60); the
  organizer may change it while the period is open. Outside the window the unit cannot file.
- Only the assessed unit's leader (lãnh đạo đơn vị) files, for its own approved assessment; a
  request names one or more criteria, each with a reason; a signed PDF may go with it (checked
  and stored as every official document, outside the transaction). A criterion already in a
  request waiting for an answer cannot be asked again; survey criteria are not appealed here
  (their points come from the survey).
- The organizer (for the council) answers every criterion: accepted with the corrected score
  (the leaf's final score, set through ``assessments.services.entry_correct`` — the same range
  and audit as an appraisal score) or not; a note is required (the unit reads it). When at
  least one criterion is accepted, the block's results are recomputed by the bridge, the
  approved snapshot's block is replaced (the correction listed in ``snapshot["corrections"]``)
  and a new published version appears with a change note naming the unit and the criteria
  (``publication_new_version``; the public pages' cache is cleared on commit).
- Filing and answering queue their e-mails (``emails.py``) for the worker after commit; a
  refused or rolled-back request sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from parindex.appeals import tasks
from parindex.appeals.models import DEFAULT_DAYS, Appeal, AppealItem, AppealSetting
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.services import entry_correct
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.common.numbers import vn_points
from parindex.evidence.services import official_pdf_discard, official_pdf_store
from parindex.frameworks.models import FrameworkNode
from parindex.periods.calendar import fmt_date
from parindex.periods.models import Period
from parindex.periods.services import require_period_admin
from parindex.publication.models import Publication
from parindex.publication.services import publication_new_version
from parindex.results.selectors.common import under_appraisal

MAX_DAYS = 60
S = Appeal.Status


def window(period: Period) -> tuple[dt.date | None, dt.date | None]:
    """(first day, last day) of the period's appeal window; (None, None) before publication."""
    first = (
        Publication.objects.filter(period=period, version=1).values_list("published_at", flat=True)
    ).first()
    if first is None:
        return None, None
    setting = AppealSetting.objects.filter(period=period).first()
    days = setting.days if setting is not None else DEFAULT_DAYS
    opens = timezone.localdate(first)
    return opens, opens + dt.timedelta(days=days - 1)


ARCHIVED_TEXT = "Đợt đánh giá “{name}” đã lưu trữ (chỉ đọc): không nhận và không xử lý kiến nghị."


def archive_blocker(period: Period) -> str | None:
    """Why ``period`` cannot be closed (archived) yet — asked by ``period_close``: the
    appeals' window still runs (the units keep their right to appeal), or an appeal waits for
    its answer (an accepted one corrects the results, which archiving freezes)."""
    waiting = Appeal.objects.filter(period=period, status=S.SUBMITTED).count()
    if waiting:
        return (
            f"Còn {waiting} kiến nghị chưa trả lời: trả lời hết kiến nghị rồi mới đóng (lưu "
            "trữ) đợt đánh giá."
        )
    _opens, closes = window(period)
    if closes is not None and timezone.localdate() <= closes:
        return (
            f"Thời hạn kiến nghị về kết quả đến hết ngày {fmt_date(closes)}: đóng (lưu trữ) "
            "đợt đánh giá sau ngày đó."
        )
    return None


def closed_reason(period: Period, today: dt.date | None = None) -> str:
    """Why a unit cannot file now ("" while it can)."""
    opens, closes = window(period)
    if opens is None or closes is None:
        return "Kết quả chưa được công bố: chưa nhận kiến nghị."
    today = today or timezone.localdate()
    if today > closes:
        return f"Đã hết thời hạn kiến nghị (đến hết ngày {fmt_date(closes)})."
    return ""


@transaction.atomic
def appeal_days_set(*, actor: Any, period: Period, days: int) -> AppealSetting:
    require_period_admin(actor, period)
    if period.closed:
        raise DomainError(f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc).")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(f"Thời hạn kiến nghị phải từ 1 đến {MAX_DAYS} ngày.")
    setting, _ = AppealSetting.objects.select_for_update().get_or_create(period=period)
    old = setting.days
    setting.days = days
    setting.save()
    audit_record(actor=actor, verb="appeal.days", obj=period, old={"days": old}, new={"days": days})
    return setting


def _final_score(entry: Entry) -> Decimal | None:
    for score in (entry.round2_score, entry.round1_score, entry.self_score):
        if score is not None:
            return score
    return None


def appeal_file(
    *,
    actor: Any,
    assessment: Assessment,
    items: Sequence[tuple[int, str]],
    summary: str = "",
    upload: UploadedFile | None = None,
) -> Appeal:
    """The unit's leader files a request on ``items`` — (entry id, reason) — of its approved
    assessment. The PDF, if any, is checked and stored before the short transaction."""
    if "leader" not in actor_kinds(actor, assessment):
        raise DomainError("Chỉ lãnh đạo đơn vị gửi kiến nghị về kết quả của đơn vị.")
    if assessment.status != Status.FINALIZED:
        raise DomainError("Chỉ kiến nghị về kết quả đã được phê duyệt và công bố.")
    if assessment.period.closed:
        raise DomainError(ARCHIVED_TEXT.format(name=assessment.period.name))
    why = closed_reason(assessment.period)
    if why:
        raise DomainError(why)
    wanted: dict[int, str] = {}
    for entry_id, reason in items:
        wanted[int(entry_id)] = (reason or "").strip()
    if not wanted:
        raise DomainError("Chọn ít nhất một tiêu chí cần kiến nghị và ghi lý do.")
    entries = {
        e.pk: e
        for e in Entry.objects.filter(assessment=assessment, pk__in=wanted).select_related("node")
    }
    problems = []
    for entry_id, reason in wanted.items():
        entry = entries.get(entry_id)
        if entry is None:
            problems.append("Có tiêu chí không thuộc kết quả của đơn vị.")
            continue
        code = entry.node.code
        if entry.node.source == FrameworkNode.Source.SURVEY:
            problems.append(
                f"Tiêu chí {code} chấm bằng điều tra xã hội học: không kiến nghị điểm ở đây."
            )
        if not reason:
            problems.append(f"Tiêu chí {code}: ghi lý do kiến nghị.")
    if problems:
        raise DomainError("Chưa gửi được kiến nghị: " + " ".join(problems), problems=problems)
    stored = official_pdf_store(upload=upload, folder="appeals") if upload else None
    try:
        with transaction.atomic():
            # one request at a time per assessment: the same criterion is never pending twice
            list(
                Assessment.objects.select_for_update(of=("self",))
                .filter(pk=assessment.pk)
                .order_by()
                .values_list("pk", flat=True)
            )
            pending = set(
                AppealItem.objects.filter(
                    appeal__assessment=assessment,
                    appeal__status=S.SUBMITTED,
                    entry_id__in=wanted,
                ).values_list("entry__node__code", flat=True)
            )
            if pending:
                raise DomainError(
                    "Tiêu chí "
                    + ", ".join(sorted(pending))
                    + " đang có kiến nghị chờ trả lời: chờ Sở Nội vụ trả lời trước."
                )
            appeal = Appeal.objects.create(
                period=assessment.period,
                assessment=assessment,
                filed_by=actor if getattr(actor, "is_authenticated", False) else None,
                filed_at=timezone.now(),
                summary=summary.strip(),
                evidence_file=stored.storage_name if stored else "",
                evidence_name=stored.original_name if stored else "",
                evidence_sha256=stored.sha256 if stored else "",
            )
            AppealItem.objects.bulk_create(
                AppealItem(
                    appeal=appeal,
                    entry=entries[entry_id],
                    reason=reason,
                    score_before=_final_score(entries[entry_id]),
                )
                for entry_id, reason in wanted.items()
            )
            audit_record(
                actor=actor,
                verb="appeal.file",
                obj=appeal,
                new={
                    "unit": assessment.unit.code,
                    "criteria": sorted(entries[e].node.code for e in wanted),
                    "evidence": stored.original_name if stored else "",
                },
                reason=summary.strip(),
            )
            _after_commit(tasks.send_appeal_filed, appeal.pk)
    except Exception:
        if stored is not None:
            official_pdf_discard(stored.storage_name)
        raise
    return appeal


def _corrected_document(period: Period, assessment: Assessment) -> tuple[str, dict[str, Any]]:
    """The block code and the recomputed ``parindex.results/v1`` of the assessment's block."""
    group = [a for a in under_appraisal(period) if a.framework_id == assessment.framework_id]
    pb = period.blocks.select_related("block").get(framework_id=assessment.framework_id)
    return pb.block.code, scoring.results_document(group)


@transaction.atomic
def appeal_decide(
    *,
    actor: Any,
    appeal: Appeal,
    scores: Mapping[int, Decimal | None],
    note: str,
) -> Appeal:
    """The organizer answers every criterion of ``appeal``: ``scores`` maps an item id to the
    corrected score (accepted) or None (not accepted). ``note`` is required."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("period__organizer", "assessment__unit", "assessment__framework")
        .get(pk=appeal.pk)
    )
    period = appeal.period
    require_period_admin(actor, period)
    if period.closed:
        raise DomainError(ARCHIVED_TEXT.format(name=period.name))
    if appeal.status != S.SUBMITTED:
        raise DomainError(f"Kiến nghị số {appeal.pk} đã được trả lời.")
    note = note.strip()
    if not note:
        raise DomainError("Ghi ý kiến trả lời kiến nghị (đơn vị sẽ thấy).")
    items = list(appeal.items.select_related("entry__node").order_by("id"))
    missing = [i.entry.node.code for i in items if i.pk not in scores]
    if missing:
        raise DomainError("Chưa trả lời tiêu chí " + ", ".join(missing) + ".")
    accepted = []
    for item in items:
        score = scores[item.pk]
        if score is not None:
            code = item.entry.node.code
            if score == item.score_before:
                raise DomainError(
                    f"Tiêu chí {code}: điểm sửa ({vn_points(score)}) bằng điểm đã công bố; "
                    "nếu không sửa, chọn không chấp nhận."
                )
            entry_correct(
                actor=actor,
                entry=item.entry,
                score=score,
                note=f"Chấp nhận kiến nghị số {appeal.pk}: {note}",
            )
            accepted.append(f"{code} ({vn_points(item.score_before)} → {vn_points(score)})")
        item.accepted = score is not None
        item.score_after = score
        item.save(update_fields=["accepted", "score_after"])
    appeal.status = (
        S.REJECTED if not accepted else S.ACCEPTED if len(accepted) == len(items) else S.PARTLY
    )
    appeal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    appeal.decided_at = timezone.now()
    appeal.decision_note = note
    if accepted:
        unit = appeal.assessment.unit
        block, document = _corrected_document(period, appeal.assessment)
        state = PeriodAppraisal.objects.select_for_update().get(period=period)
        frozen = dict(state.snapshot or {})
        blocks = dict(frozen.get("blocks") or {})
        old_index = _index_of(blocks.get(block, {}).get("results"), unit.code)
        blocks[block] = {**blocks.get(block, {}), "results": document}
        change = (
            f"Sửa theo kiến nghị số {appeal.pk} của {unit.name}: tiêu chí "
            + "; ".join(accepted)
            + f". {note}"
        )
        frozen["blocks"] = blocks
        frozen["corrections"] = [
            *(frozen.get("corrections") or []),
            {
                "appeal": appeal.pk,
                "block": block,
                "at": appeal.decided_at.isoformat(),
                "note": change,
            },
        ]
        state.snapshot = frozen
        state.save(update_fields=["snapshot", "updated_at"])
        audit_record(
            actor=actor,
            verb="appraisal.snapshot_correct",
            obj=period,
            old={"unit": unit.code, "index": old_index},
            new={"unit": unit.code, "index": _index_of(document, unit.code)},
            reason=change,
        )
        appeal.publication = publication_new_version(
            actor=actor, period=period, results={block: document}, note=change
        )
    appeal.save()
    audit_record(
        actor=actor,
        verb="appeal.decide",
        obj=appeal,
        old={"status": S.SUBMITTED},
        new={"status": appeal.status, "accepted": accepted},
        reason=note,
    )
    _after_commit(tasks.send_appeal_decided, appeal.pk)
    return appeal


def _after_commit(send: Any, appeal_id: int) -> None:
    """Queue the e-mail task for the worker once the transaction has committed (never on
    a rollback: a refused appeal sends nothing)."""
    transaction.on_commit(lambda: send.enqueue(appeal_id))


def _index_of(document: Mapping[str, Any] | None, unit: str) -> Any:
    for u in (document or {}).get("units", []):
        if u.get("unit") == unit:
            return u.get("index")
    return None
