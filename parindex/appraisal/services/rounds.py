"""Rounds 1 and 2: opening, the appraisers' decisions, closing (see the package notes)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from parindex.appraisal.models import AppraisalState, Decision, PeriodAppraisal
from parindex.appraisal.selectors.assignment import Plan, plan, unassigned
from parindex.appraisal.signals import appraisal_event
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.services import (
    assessment_transition,
    entry_set_appraisal,
    totals_deferred,
)
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.common.numbers import vn_points
from parindex.engine import BadValue, evaluate_leaf, score_range
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period
from parindex.periods.services import require_period_admin

K = Decision.Kind
RT = FrameworkNode.RuleType
ROUND_STATUS = {1: Status.APPRAISAL_1, 2: Status.APPRAISAL_2}
# Rules whose points the appraiser may choose directly (the others: enter the values).
DIRECT_RULES = frozenset({RT.CHOICE, RT.NUMBER})
MISSING_SHOWN = 12


def state_for(period: Period) -> PeriodAppraisal:
    state, _ = PeriodAppraisal.objects.get_or_create(period=period)
    return state


def _locked_state(period: Period) -> PeriodAppraisal:
    state_for(period)
    return PeriodAppraisal.objects.select_for_update().get(period=period)


def _in_status(period: Period, status: str) -> list[Assessment]:
    return list(
        Assessment.objects.filter(period=period, status=status)
        .select_related("unit", "framework", "period")
        .order_by("unit__position", "unit__name")
    )


def _gaps_text(items: list[str], total: int) -> str:
    more = f" và {total - len(items)} chỗ khác" if total > len(items) else ""
    return "; ".join(items) + more


# ---------------------------------------------------------------- open / close


@transaction.atomic
def round_open(*, actor: Any, period: Period, round: int) -> list[Assessment]:
    """The organizer opens round 1 (every sent assessment → Thẩm định lần 1; refused while a
    (unit, leaf) has no appraiser) or round 2 (Giải trình, bổ sung → Thẩm định lần 2)."""
    require_period_admin(actor, period)
    state = _locked_state(period)
    if round == 1:
        items = _in_status(period, Status.SUBMITTED)
        if not items:
            raise DomainError("Chưa có đơn vị nào gửi kết quả tự đánh giá để thẩm định.")
        gaps = unassigned(plan(period), items)
        if gaps:
            shown = [f"{g.assessment.unit.name}: {g.node.code}" for g in gaps[:MISSING_SHOWN]]
            raise DomainError(
                f"Chưa thể bắt đầu thẩm định lần 1: còn {len(gaps)} tiêu chí thành phần chưa "
                f"có người thẩm định ({_gaps_text(shown, len(gaps))}). Hoàn thành phân công "
                "(kể cả người thẩm định thay cho đơn vị của thẩm định viên) trước.",
                problems=[f"{g.assessment.unit.name}: {g.node.code}" for g in gaps],
            )
        target, field = Status.APPRAISAL_1, "round1_opened_at"
    elif round == 2:
        if state.round1_closed_at is None:
            raise DomainError("Chưa kết thúc thẩm định lần 1.")
        waiting = _in_status(period, Status.SUPPLEMENT)
        if not waiting:
            raise DomainError("Không có đơn vị nào đang ở giai đoạn giải trình, bổ sung.")
        # A unit whose extension still runs and that has not sent its answers waits; opening
        # round 2 again later takes it.
        items = [a for a in waiting if not _extension_running(a)]
        if not items:
            raise DomainError(
                "Các đơn vị còn lại đang trong thời hạn giải trình được gia hạn và chưa gửi "
                "giải trình: mở thẩm định lần 2 cho họ khi hết hạn."
            )
        target, field = Status.APPRAISAL_2, "round2_opened_at"
    else:
        raise DomainError("Vòng thẩm định phải là 1 hoặc 2.")
    for a in items:
        assessment_transition(actor=actor, assessment=a, to=target, by_appraisal=True)
    setattr(state, field, timezone.now())
    state.save()
    audit_record(
        actor=actor, verb=f"appraisal.round{round}_open", obj=period,
        new={"units": [a.unit.code for a in items]},
    )  # fmt: skip
    appraisal_event(period, f"round{round}_opened", actor)
    return items


def _extension_running(assessment: Assessment) -> bool:
    state = AppraisalState.objects.filter(assessment=assessment).first()
    return bool(
        state
        and state.answers_sent_at is None
        and state.supplement_until is not None
        and state.supplement_until > timezone.now()
    )


def undecided(period: Period, round: int, assessments: Iterable[Assessment]) -> list[Entry]:
    """The entries still waiting for a decision in the round: every non-survey leaf in round
    1; in round 2 the leaves whose round-1 decision was an adjustment or a request."""
    ids = [a.pk for a in assessments]
    entries = Entry.objects.filter(assessment_id__in=ids).exclude(
        node__source=FrameworkNode.Source.SURVEY
    )
    # NOT EXISTS, not NOT IN (subquery): PostgreSQL plans the first as an anti-join; the
    # second, once the decisions outgrow work_mem, as a subplan rescanned per entry (seconds).
    decided = Decision.objects.filter(entry_id=OuterRef("pk"), round=round, current=True)
    if round == 2:
        entries = entries.filter(
            decisions__round=1, decisions__current=True, decisions__kind__in=[K.ADJUST, K.REQUEST]
        )
    return list(
        entries.exclude(Exists(decided))
        .select_related("node", "assessment__unit")
        .order_by("assessment__unit__position", "assessment__unit__name", "node__position")
    )


@transaction.atomic
def round_close(*, actor: Any, period: Period, round: int) -> list[Assessment]:
    """The organizer closes the round once every leaf is decided (the refusal lists what is
    not): round 1 → Giải trình, bổ sung (units are e-mailed their round-1 result); round 2 →
    Đã thẩm định (ready for the consolidation)."""
    require_period_admin(actor, period)
    state = _locked_state(period)
    if round not in ROUND_STATUS:
        raise DomainError("Vòng thẩm định phải là 1 hoặc 2.")
    items = _in_status(period, ROUND_STATUS[round])
    if not items:
        raise DomainError(f"Không có đơn vị nào đang thẩm định lần {round}.")
    late = _in_status(period, Status.SUPPLEMENT) if round == 2 else []
    if late:
        names = ", ".join(a.unit.name for a in late)
        raise DomainError(
            f"Chưa thể kết thúc thẩm định lần 2: {names} còn ở giai đoạn giải trình, bổ sung "
            "(gia hạn). Mở thẩm định lần 2 cho các đơn vị này trước."
        )
    waiting = undecided(period, round, items)
    if waiting:
        shown = [f"{e.assessment.unit.name}: {e.node.code}" for e in waiting[:MISSING_SHOWN]]
        raise DomainError(
            f"Chưa thể kết thúc thẩm định lần {round}: còn {len(waiting)} tiêu chí thành phần "
            f"chưa có kết luận ({_gaps_text(shown, len(waiting))}).",
            problems=[f"{e.assessment.unit.name}: {e.node.code}" for e in waiting],
        )
    target = Status.SUPPLEMENT if round == 1 else Status.APPRAISED
    for a in items:
        assessment_transition(actor=actor, assessment=a, to=target, by_appraisal=True)
    setattr(state, f"round{round}_closed_at", timezone.now())
    state.save()
    audit_record(
        actor=actor, verb=f"appraisal.round{round}_close", obj=period,
        new={"units": [a.unit.code for a in items]},
    )  # fmt: skip
    appraisal_event(period, f"round{round}_closed", actor)
    return items


# ---------------------------------------------------------------- decisions


def require_decider(actor: Any, entry: Entry, the_plan: Plan | None = None) -> None:
    """The actor appraises this leaf of this unit (assignment, never their own unit)."""
    if actor is None:
        return
    assessment = entry.assessment
    the_plan = the_plan or plan(assessment.period)
    if not the_plan.may_decide(actor.pk, assessment.unit_id, entry.node):
        own = any(
            m.user_id == actor.pk and m.unit_id == assessment.unit_id for m in the_plan.members
        )
        if own:
            raise DomainError(
                f"Bạn không thẩm định {assessment.unit.name}: đây là cơ quan của bạn "
                "(người thẩm định thay sẽ chấm)."
            )
        raise DomainError(
            f"Tiêu chí {entry.node.code} của {assessment.unit.name} không được phân công cho bạn."
        )


def _round_open_for(entry: Entry, round: int) -> None:
    assessment = entry.assessment
    if assessment.period.closed:
        raise DomainError(f"Đợt đánh giá “{assessment.period.name}” đã đóng (chỉ đọc).")
    if assessment.status != ROUND_STATUS[round]:
        raise DomainError(
            f"Thẩm định lần {round} không mở cho {assessment.unit.name} "
            f"(hiện: “{Status(assessment.status).label}”)."
        )


def _points(entry: Entry, value: str, value2: str, score: Decimal | None) -> Decimal:
    """The points of an adjustment: the engine's for the appraiser's values, or the points
    chosen (choice and number rules), checked against the rule's range."""
    node = entry.node
    code = node.code
    leaf = framework_to_engine(entry.assessment.framework).node(code)
    if node.rule_type == RT.RELATIVE:
        raise DomainError(
            f"Tiêu chí {code} chấm so sánh giữa các đơn vị: điểm chỉ tính khi tổng hợp, nên "
            "không điều chỉnh điểm; hãy đồng ý hoặc yêu cầu đơn vị giải trình số liệu."
        )
    if value or value2:
        if value.strip().upper() == "NA":
            raise DomainError(
                f"Tiêu chí {code}: thẩm định không chuyển tiêu chí sang “Không áp dụng”; nhập "
                "số liệu hoặc điểm thẩm định."
            )
        try:
            points = evaluate_leaf(leaf, value, value2)
        except BadValue as exc:
            raise DomainError(f"Tiêu chí {code}: {exc.message_vi}.") from None
        if points is None:
            raise DomainError(f"Tiêu chí {code}: số liệu này làm tiêu chí không áp dụng.")
        # stored like every score: 6 decimals, half up (6/9 of a point -> 0.666667); the
        # values file then carries exactly these points (spec §2 ``points``)
        return points.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    if score is None:
        raise DomainError(f"Tiêu chí {code}: nhập số liệu thẩm định hoặc điểm thẩm định.")
    if node.rule_type not in DIRECT_RULES:
        raise DomainError(
            f"Tiêu chí {code}: nhập số liệu thẩm định; điểm sẽ được tính theo quy tắc chấm."
        )
    low, high = score_range(leaf)
    if not low <= score <= high:
        raise DomainError(
            f"Tiêu chí {code}: điểm thẩm định phải từ {vn_points(low)} đến {vn_points(high)}."
        )
    return score


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    entry: Entry,
    round: int,
    kind: str,
    value: str = "",
    value2: str = "",
    score: Decimal | None = None,
    reason: str = "",
    request: str = "",
    the_plan: Plan | None = None,
) -> Decision:
    """One appraiser's decision on one leaf in a round (a new row; the previous one of the
    round, if any, stops counting). The round's score goes to the entry through
    ``entry_set_appraisal`` (which locks the assessment, then the entry, and re-totals)."""
    if round not in ROUND_STATUS:
        raise DomainError("Vòng thẩm định phải là 1 hoặc 2.")
    if kind not in K.values:
        raise DomainError(f"Kết luận “{kind}” không hợp lệ.")
    # The assessment row, then the entry (the order of every score writer): two appraisers
    # deciding one leaf at once are serialized, and the later one supersedes the earlier.
    list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk=entry.assessment_id)
        .values_list("pk", flat=True)
    )
    list(Entry.objects.select_for_update(of=("self",)).filter(pk=entry.pk).values_list("pk"))
    entry = (
        Entry.objects.select_related(
            "node", "assessment__period", "assessment__unit", "assessment__framework"
        )
        .prefetch_related("assessment__period__phases")
        .get(pk=entry.pk)
    )
    _round_open_for(entry, round)
    if entry.node.source == FrameworkNode.Source.SURVEY:
        raise DomainError(
            f"Tiêu chí {entry.node.code} chấm bằng điều tra xã hội học, không thẩm định."
        )
    require_decider(actor, entry, the_plan)
    value, value2 = value.strip(), value2.strip()
    reason, request = reason.strip(), request.strip()
    code = entry.node.code
    points: Decimal | None = None
    if kind == K.ACCEPT:
        value = value2 = ""
        request = ""
    elif kind == K.ADJUST:
        if not reason:
            raise DomainError(f"Tiêu chí {code}: ghi lý do điều chỉnh.")
        points = _points(entry, value, value2, score)
        request = ""
    else:
        if round == 2:
            raise DomainError(
                "Thẩm định lần 2 không yêu cầu giải trình thêm: giữ kết quả lần 1 hoặc điều chỉnh."
            )
        if not request:
            raise DomainError(f"Tiêu chí {code}: ghi rõ nội dung cần giải trình, bổ sung.")
        if value or value2 or score is not None:
            points = _points(entry, value, value2, score)
    previous = (
        Decision.objects.select_for_update().filter(entry=entry, round=round, current=True).first()
    )
    if previous is not None:
        previous.current = False
        previous.save(update_fields=["current"])
    decision = Decision.objects.create(
        entry=entry, round=round, kind=kind, score=points, value=value, value2=value2,
        reason=reason, request=request,
        appraiser=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    entry_set_appraisal(actor=actor, entry=entry, round=round, score=points, note=reason or request)
    audit_record(
        actor=actor,
        verb=f"appraisal.decide{round}",
        obj=entry,
        old={"kind": previous.kind, "score": previous.score} if previous else None,
        new={"kind": kind, "score": points, "value": value, "value2": value2, "request": request},
        reason=reason,
    )
    return decision


@transaction.atomic
def decisions_accept_rest(
    *, actor: Any, assessment: Assessment, domain: FrameworkNode, round: int
) -> int:
    """ "Đồng ý tất cả tiêu chí còn lại": Đồng ý on every leaf of the domain the actor
    appraises that has no decision in the round yet (round 2: among those waiting). The
    totals are refreshed once. Returns how many."""
    the_plan = plan(assessment.period)
    waiting = [
        e
        for e in undecided(assessment.period, round, [assessment])
        if _under(the_plan, e.node, domain)
        and (actor is None or the_plan.may_decide(actor.pk, assessment.unit_id, e.node))
    ]
    if not waiting:
        raise DomainError(f"Lĩnh vực {domain.code}: không còn tiêu chí nào chờ bạn kết luận.")
    with totals_deferred():
        for e in waiting:
            decision_record(actor=actor, entry=e, round=round, kind=K.ACCEPT, the_plan=the_plan)
    audit_record(
        actor=actor, verb=f"appraisal.accept_rest{round}", obj=assessment,
        new={"domain": domain.code, "leaves": [e.node.code for e in waiting]},
    )  # fmt: skip
    return len(waiting)


def _under(the_plan: Plan, node: FrameworkNode, domain: FrameworkNode) -> bool:
    current: FrameworkNode | None = node
    while current is not None:
        if current.pk == domain.pk:
            return True
        current = the_plan.nodes.get(current.parent_id) if current.parent_id else None
    return False
