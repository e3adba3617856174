"""The operations of /api/v1/. Each one loads its objects through the apps' access helpers
(404 for outsiders, 403 for read-only), reads through their selectors and the scoring bridge,
and writes through their services: the same rules, numbers, messages and audit as the web."""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Router
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status as Reply

from parindex.api import schemas as s
from parindex.api import selectors as api_selectors
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import access as assessment_access
from parindex.assessments import scoring
from parindex.assessments import selectors as assessment_selectors
from parindex.assessments import services as assessment_services
from parindex.assessments.forms import EntryForm
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.period_selectors import period_list_for_user
from parindex.common.errors import DomainError
from parindex.frameworks.access import get_framework_for_user
from parindex.frameworks.selectors import framework_list_for_user, framework_to_spec_dict
from parindex.periods.access import get_period_for_user
from parindex.periods.calendar import current_phase
from parindex.periods.models import Period, Phase
from parindex.periods.selectors import period_blocks
from parindex.survey.access import get_survey_for_organizer
from parindex.survey.models import Survey
from parindex.survey.selectors.progress import Counts, survey_progress

# Path ids: positive database ids (the OpenAPI document says so; ninja answers 422 otherwise).
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Code = Annotated[str, Path(min_length=1, max_length=50)]

READ_ERRORS: dict[int, Any] = {
    401: s.Error,
    403: s.Error,
    404: s.Error,
    422: s.InvalidInput,
    429: s.Error,
}
PUBLIC_ERRORS: dict[int, Any] = {404: s.Error, 422: s.InvalidInput, 429: s.Error}


class Page(PageNumberPagination):
    """``?page=1&page_size=50`` (at most 200 a page); answers ``{"items": […], "count": N}``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


class EntryPage(PageNumberPagination):
    """The entries of one assessment: 100 a page by default (a framework has ~90 leaves)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=100, max_page_size=200, **kwargs)


def _user(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]  # the token's user (auth.TokenAuth)


def _unit(unit: Any) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


# ---------------------------------------------------------------- frameworks

frameworks = Router(tags=["Bộ tiêu chí"])


def _framework(fw: Any) -> dict[str, Any]:
    return {
        "id": fw.pk,
        "code": fw.code,
        "title": fw.title,
        "year": fw.year,
        "version": fw.version,
        "block": fw.block.code,
        "owner": _unit(fw.owner),
        "locked": bool(getattr(fw, "locked", False)),
    }


@frameworks.get("/", response={200: list[s.FrameworkOut], **READ_ERRORS}, url_name="framework-list")
@paginate(Page)
def framework_list(request: HttpRequest) -> Any:
    """Các bộ tiêu chí người dùng được xem (quản trị của cơ quan tổ chức đánh giá)."""
    return [_framework(fw) for fw in framework_list_for_user(_user(request))]


@frameworks.get(
    "/{int:framework_id}/",
    response={200: s.FrameworkDetail, **READ_ERRORS},
    url_name="framework-detail",
)
def framework_detail(request: HttpRequest, framework_id: Id) -> Any:
    """Một bộ tiêu chí với cây tiêu chí (định dạng parindex.framework/v1)."""
    fw = get_framework_for_user(_user(request), framework_id)
    fw.locked = fw.assessments.exists()  # type: ignore[attr-defined]
    return {**_framework(fw), "document": framework_to_spec_dict(fw)}


# ---------------------------------------------------------------- periods

periods = Router(tags=["Đợt đánh giá"])


def _period(period: Period, *, phase: Any = None, blocks: Any = None) -> dict[str, Any]:
    return {
        "id": period.pk,
        "name": period.name,
        "year": period.year,
        "kind": period.kind,
        "organizer": _unit(period.organizer),
        "closed": period.closed,
        "phase": str(phase) if phase else None,
        "blocks": [
            {
                "block": pb.block.code,
                "block_name": pb.block.name,
                "framework_id": pb.framework_id,
                "framework_code": pb.framework.code,
            }
            for pb in (period.blocks.all() if blocks is None else blocks)
        ],
    }


@periods.get("/", response={200: list[s.PeriodOut], **READ_ERRORS}, url_name="period-list")
@paginate(Page)
def period_list(request: HttpRequest) -> Any:
    """Các đợt đánh giá do người dùng quản trị (và, chỉ xem, của các cơ quan cấp dưới)."""
    return [
        _period(p, phase=getattr(p, "phase", None))
        for p in period_list_for_user(_user(request), supervised=True)
    ]


@periods.get(
    "/{int:period_id}/", response={200: s.PeriodDetail, **READ_ERRORS}, url_name="period-detail"
)
def period_detail(request: HttpRequest, period_id: Id) -> Any:
    """Một đợt đánh giá: khối, bộ tiêu chí, lịch các giai đoạn."""
    period = get_period_for_user(_user(request), period_id)
    phases = sorted(period.phases.all(), key=lambda p: (p.starts_on, p.pk))
    return {
        **_period(period, phase=current_phase(period), blocks=period_blocks(period)),
        "can_change": bool(getattr(period, "can_change", False)),
        "phases": [
            {
                "phase": p.phase,
                "label": Phase(p.phase).label if p.phase in Phase.values else p.phase,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
            }
            for p in phases
        ],
    }


# ---------------------------------------------------------------- assessments and entries

assessments = Router(tags=["Bản đánh giá"])


def _assessment(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "period_id": a.period_id,
        "period": a.period.name,
        "year": a.period.year,
        "unit": _unit(a.unit),
        "framework_id": a.framework_id,
        "status": a.status,
        "status_label": Status(a.status).label,
        "submitted_at": a.submitted_at,
    }


def _stage(scores: scoring.Scores) -> dict[str, Any]:
    return {
        "points": scores.points,
        "max": scores.max,
        "index": scores.index,
        "band": scores.band,
        "pending": sorted(scores.pending),
    }


@assessments.get(
    "/", response={200: list[s.AssessmentOut], **READ_ERRORS}, url_name="assessment-list"
)
@paginate(Page)
def assessment_list(request: HttpRequest) -> Any:
    """Các bản đánh giá trong phạm vi của người dùng (đơn vị mình, đợt mình quản trị, đợt
    mình là thành viên Hội đồng thẩm định sau khi đơn vị đã gửi)."""
    return [_assessment(a) for a in api_selectors.assessment_list_for_user(_user(request))]


@assessments.get(
    "/{int:assessment_id}/",
    response={200: s.AssessmentDetail, **READ_ERRORS},
    url_name="assessment-detail",
)
def assessment_detail(request: HttpRequest, assessment_id: Id) -> Any:
    """Một bản đánh giá với điểm của từng tiêu chí (tự đánh giá, sau thẩm định) và tổng."""
    assessment = assessment_access.get_assessment_for_user(_user(request), assessment_id)
    rows = assessment_selectors.assessment_rows(assessment)
    partial = bool(getattr(assessment, "contributor_unit_ids", set()))
    out = _assessment(assessment)
    if not partial:  # a contributor sees its leaves only, never the unit's totals
        out["self_scores"] = _stage(scoring.assessment_scores(assessment, scoring.SELF))
        out["final_scores"] = _stage(scoring.assessment_scores(assessment, scoring.FINAL))
    out["nodes"] = [
        {
            "code": r.node.code,
            "title": r.node.title,
            "leaf": bool(r.node.rule_type),
            "max": r.max,
            "self_points": r.self_sum,
            "final_points": r.final,
            "pending": r.pending,
        }
        for r in rows
    ]
    return out


def _entry(row: Any, entry: Entry, *, can_declare: bool) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "code": row.node.code,
        "title": row.node.title,
        "rule_type": row.node.rule_type,
        "source": row.node.source,
        "value": entry.value,
        "value2": entry.value2,
        "not_applicable": entry.not_applicable,
        "explanation": entry.explanation,
        "self_points": row.self_sum,
        "final_points": row.final,
        "pending": row.pending,
        "version": entry.version,
        "updated_at": entry.updated_at,
        "can_declare": can_declare,
    }


def _entries(user: Any, assessment: Assessment) -> list[dict[str, Any]]:
    rows = assessment_selectors.assessment_rows(assessment)
    return [
        _entry(r, r.entry, can_declare=assessment_access.can_declare(user, assessment, r.entry))
        for r in rows
        if r.entry is not None
    ]


@assessments.get(
    "/{int:assessment_id}/entries/",
    response={200: list[s.EntryOut], **READ_ERRORS},
    url_name="entry-list",
)
@paginate(EntryPage)
def entry_list(request: HttpRequest, assessment_id: Id) -> Any:
    """Các tiêu chí thành phần của bản đánh giá: số liệu kê khai, điểm, phiên bản."""
    user = _user(request)
    assessment = assessment_access.get_assessment_for_user(user, assessment_id)
    return _entries(user, assessment)


WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: s.Error}


@assessments.put(
    "/{int:assessment_id}/entries/{int:entry_id}/",
    response={200: s.EntrySaved, **WRITE_ERRORS},
    url_name="entry-write",
)
def entry_write(
    request: HttpRequest, assessment_id: Id, entry_id: Id, payload: s.EntryWrite
) -> Any:
    """Kê khai số liệu của một tiêu chí thành phần (chuyên viên đầu mối, lãnh đạo đơn vị):
    cùng kiểm tra, thông báo lỗi và nhật ký như lưu tự động trên màn hình. ``version`` là
    phiên bản đang thấy: khác phiên bản hiện tại thì 409 (người khác vừa cập nhật)."""
    user = _user(request)
    entry = assessment_access.get_entry_for_user(
        user, entry_id, write=True, assessment_pk=assessment_id
    )
    numeric = entry.node.rule_type not in assessment_selectors.WORD_RULES
    data = {
        "value": payload.value,
        "value2": payload.value2,
        "na": "on" if payload.na else "",
        "explanation": payload.explanation or "",
        "version": str(payload.version),
    }
    form = EntryForm(data, numeric=numeric)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return Reply(422, {"detail": message, "errors": []})
    value, value2 = form.values()
    try:
        saved = assessment_services.entry_record(
            actor=user,
            entry=entry,
            value=value,
            value2=value2,
            explanation=None if payload.explanation is None else form.cleaned_data["explanation"],
            expected_version=form.cleaned_data["version"],
        )
    except assessment_services.EntryConflict as exc:
        return Reply(409, {"detail": exc.message})
    except assessment_services.EntryLocked as exc:
        return Reply(403, {"detail": exc.message})
    except DomainError as exc:
        return Reply(422, {"detail": exc.message, "errors": []})
    assessment = assessment_access.get_assessment_for_user(user, assessment_id)
    row = next(
        r
        for r in assessment_selectors.assessment_rows(assessment)
        if r.entry is not None and r.entry.pk == saved.pk
    )
    return Reply(
        200,
        {
            "entry": _entry(row, row.entry, can_declare=True),  # type: ignore[arg-type]
            "self_scores": _stage(scoring.assessment_scores(assessment, scoring.SELF)),
        },
    )


# ---------------------------------------------------------------- surveys

surveys = Router(tags=["Điều tra xã hội học"])


def _survey(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "period_id": survey.period_block.period_id,
        "block": survey.period_block.block.code,
        "title": str((survey.definition or {}).get("title") or ""),
        "status": survey.status,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
    }


def _counts(c: Counts) -> dict[str, Any]:
    return {
        "invited": c.invited,
        "answered": c.answered,
        "flagged": c.flagged,
        "target": c.target,
        "missing": c.missing,
        "percent": c.percent,
    }


@surveys.get("/", response={200: list[s.SurveyOut], **READ_ERRORS}, url_name="survey-list")
@paginate(Page)
def survey_list(request: HttpRequest) -> Any:
    """Các cuộc điều tra của những đợt người dùng quản trị."""
    return [_survey(x) for x in api_selectors.survey_list_for_user(_user(request))]


@surveys.get(
    "/{int:survey_id}/progress/",
    response={200: s.SurveyProgressOut, **READ_ERRORS},
    url_name="survey-progress",
)
def survey_progress_detail(request: HttpRequest, survey_id: Id) -> Any:
    """Tiến độ khảo sát theo đơn vị × nhóm đối tượng (chỉ số lượng, không có câu trả lời)."""
    survey = get_survey_for_organizer(_user(request), survey_id)
    progress = survey_progress(survey)
    return {
        "survey": _survey(survey),
        "total": _counts(progress.total),
        "units": [
            {
                "unit": _unit(u.unit),
                "voided": u.void is not None,
                "total": _counts(u.total),
                "groups": [
                    {
                        **_counts(g),
                        "group": g.group,
                        "group_title": g.group_title,
                        "census": g.census,
                    }
                    for g in u.rows
                ],
            }
            for u in progress.units
        ],
    }


# ---------------------------------------------------------------- public results (no token)

public = Router(tags=["Kết quả công khai"])


def _public_period(state: PeriodAppraisal) -> dict[str, Any]:
    period = state.period
    blocks = (state.snapshot or {}).get("blocks") or {}
    return {
        "id": period.pk,
        "name": period.name,
        "year": period.year,
        "organizer": _unit(period.organizer),
        "approved_at": state.approved_at,
        "blocks": list(blocks),
    }


@public.get("/", response={200: list[s.PublicPeriodOut], **PUBLIC_ERRORS}, url_name="public-list")
@paginate(Page)
def public_list(request: HttpRequest) -> Any:
    """Các đợt đánh giá đã công bố kết quả (không cần mã truy cập)."""
    return [_public_period(state) for state in api_selectors.approved_period_list()]


@public.get(
    "/{int:period_id}/",
    response={200: s.PublicPeriodDetail, **PUBLIC_ERRORS},
    url_name="public-period",
)
def public_period(request: HttpRequest, period_id: Id) -> Any:
    """Một đợt đã công bố: các khối có kết quả, quyết định công bố."""
    _, state, blocks = api_selectors.approved_results(period_id)
    return {
        **_public_period(state),
        "decision_number": state.decision_number,
        "decision_date": state.decision_date,
        "block_list": [
            {"block": code, "block_name": str(b.get("block") or code)} for code, b in blocks.items()
        ],
    }


@public.get(
    "/{int:period_id}/{block_code}/",
    response={200: s.PublicResults, **PUBLIC_ERRORS},
    url_name="public-results",
)
def public_results(request: HttpRequest, period_id: Id, block_code: Code) -> Any:
    """Kết quả đã công bố của một khối (parindex.results/v1: xếp hạng, chỉ số, điểm từng
    tiêu chí), đúng như phiên bản công bố mới nhất (kể cả sửa đổi sau kiến nghị)."""
    period, _, blocks = api_selectors.approved_results(period_id)
    block = blocks.get(block_code)
    if block is None:
        raise Http404("Khối này không có kết quả trong đợt đánh giá.")
    return {
        "period_id": period.pk,
        "block": block_code,
        "block_name": str(block.get("block") or block_code),
        "results": block.get("results") or {},
    }
