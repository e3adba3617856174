"""The organizer's design of a block's survey: a definition from an uploaded file (YAML, JSON
or XLSX — read and parsed outside any transaction), last year's survey of the same block and
organizer adapted to this year, or a minimal default (the standard scale, one group, one
question per survey leaf). Every write goes through ``lifecycle.survey_create`` or
``lifecycle.survey_set_definition`` (checked against the block's framework, all or nothing,
audited)."""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any

import yaml

from parindex import engine
from parindex.common.errors import DomainError
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import PeriodBlock
from parindex.survey.models import Survey
from parindex.survey.services.lifecycle import (
    checked_definition,
    survey_create,
    survey_set_definition,
)
from parindex.survey.xlsx_design import XlsxProblems, parse_definition_xlsx

MAX_BYTES = 5 * 1024 * 1024
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx"}

STANDARD_SCALE: list[dict[str, Any]] = [
    {"key": "A", "label": "Rất tốt", "weight": 100, "satisfied": True},
    {"key": "B", "label": "Tốt", "weight": 60, "satisfied": True},
    {"key": "C", "label": "Chưa tốt", "weight": 20},
    {"key": "D", "label": "Kém", "weight": 0},
    {"key": "E", "label": "Không đánh giá được"},
]

# (the engine's place, its Vietnamese words, which groups are list positions counted from 0)
_WHERE: list[tuple[re.Pattern[str], str, tuple[int, ...]]] = [
    (re.compile(r"^question (\S+) options\[(\d+)\]"), "câu hỏi {0}, phương án thứ {1}", (1,)),
    (re.compile(r"^questions\[(\d+)\]"), "câu hỏi thứ {0}", (0,)),
    (re.compile(r"^question (\S+)"), "câu hỏi {0}", ()),
    (re.compile(r"^groups\[(\d+)\]"), "nhóm thứ {0}", (0,)),
    (re.compile(r"^group (\S+)"), "nhóm {0}", ()),
    (re.compile(r"^scale\[(\d+)\]"), "thang đo, phương án thứ {0}", (0,)),
]
_KEYS = {
    "format": "định dạng",
    "code": "mã phiếu",
    "title": "tên phiếu",
    "year": "năm",
    "block": "khối",
    "framework": "bộ tiêu chí",
    "scale": "thang đo",
    "groups": "nhóm đối tượng",
    "questions": "câu hỏi",
}


def vi_problem(text: str) -> str:
    """An engine problem with its place named in Vietnamese (``question Q03`` → ``câu hỏi
    Q03``; list positions counted from 1)."""
    for pattern, words, positions in _WHERE:
        m = pattern.match(text)
        if m:
            parts = [str(int(g) + 1) if i in positions else g for i, g in enumerate(m.groups())]
            return words.format(*parts) + text[m.end() :]
    key, sep, rest = text.partition(":")
    if sep and key in _KEYS:
        return _KEYS[key] + sep + rest
    return text


def _vi(exc: DomainError) -> DomainError:
    return DomainError(exc.message, problems=[vi_problem(p) for p in exc.problems])


def survey_leaves(framework: engine.Framework) -> list[engine.Node]:
    """The framework's leaves scored from the survey (``source: survey``), in its order."""
    return [n for n in framework.leaves() if n.source == "survey"]


# ---------------------------------------------------------------- reading a file


def definition_from_file(name: str, content: bytes) -> dict[str, Any]:
    """The data of an uploaded survey file (not yet checked against a framework); a
    ``DomainError`` when it cannot be read (every problem of an XLSX's shape listed)."""
    suffix = PurePath(name or "").suffix.lower()
    kind = FORMATS.get(suffix)
    if kind is None:
        raise DomainError("Chọn tệp phiếu điều tra .yaml, .yml, .json hoặc .xlsx.")
    if not content:
        raise DomainError(f"Tệp {name} rỗng.")
    if len(content) > MAX_BYTES:
        raise DomainError(f"Tệp {name} quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB).")
    if kind == "xlsx":
        try:
            return parse_definition_xlsx(content)
        except XlsxProblems as exc:
            raise DomainError(
                f"Không đọc được tệp {name}: chưa lưu gì.", problems=exc.problems
            ) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(f"Tệp {name} không phải văn bản UTF-8.") from None
    try:
        data = json.loads(text) if kind == "json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise DomainError(
            f"Tệp {name} không phải JSON hợp lệ (dòng {exc.lineno}): chưa lưu gì."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise DomainError(f"Tệp {name} không phải YAML hợp lệ{line}: chưa lưu gì.") from None
    if not isinstance(data, dict):
        raise DomainError(f"Tệp {name} không phải phiếu điều tra parindex.survey/v1.")
    return data


def survey_create_from_file(
    *, actor: Any, period_block: PeriodBlock, name: str, content: bytes
) -> Survey:
    """Create the block's survey from an uploaded file (read before the transaction)."""
    data = definition_from_file(name, content)
    try:
        return survey_create(
            actor=actor, period_block=period_block, data=data, source=name or "survey"
        )
    except DomainError as exc:
        raise _vi(exc) from None


def survey_replace_from_file(*, actor: Any, survey: Survey, name: str, content: bytes) -> Survey:
    """Replace a draft survey's whole definition by an uploaded file."""
    data = definition_from_file(name, content)
    try:
        return survey_set_definition(
            actor=actor, survey=survey, data=data, source=name or "survey",
            reason=f"Nhập từ tệp {name}",
        )  # fmt: skip
    except DomainError as exc:
        raise _vi(exc) from None


def survey_edit(*, actor: Any, survey: Survey, data: dict[str, Any]) -> Survey:
    """The editor's save: the new definition built from its forms (all or nothing)."""
    try:
        return survey_set_definition(actor=actor, survey=survey, data=data, source="editor")
    except DomainError as exc:
        raise _vi(exc) from None


# ---------------------------------------------------------------- the default


def _question_text(title: str) -> str:
    """A leaf's title as the question's text, without the "(điều tra XHH)" tag."""
    return re.sub(r"\s*\((điều tra )?XHH\)\s*$", "", title, flags=re.IGNORECASE) or title


def default_definition(period_block: PeriodBlock) -> dict[str, Any]:
    """The standard scale (Rất tốt / Tốt / Chưa tốt / Kém / Không đánh giá được), one group
    and one question per survey leaf of the block's framework (its text the leaf's title)."""
    fw = framework_to_engine(period_block.framework)
    leaves = survey_leaves(fw)
    width = max(2, len(str(len(leaves))))
    questions: list[dict[str, Any]] = [
        {"code": f"Q{i:0{width}d}", "text": _question_text(leaf.title), "criterion": leaf.code}
        for i, leaf in enumerate(leaves, start=1)
    ] or [{"code": "Q01", "text": "Câu hỏi 1"}]
    return {
        "format": engine.SURVEY_FORMAT,
        "code": f"XHH-{fw.code}",
        "title": (
            f"Điều tra xã hội học xác định Chỉ số CCHC "
            f"{period_block.block.name[:1].lower()}{period_block.block.name[1:]} năm {fw.year}"
        ),
        "year": fw.year,
        "block": fw.block,
        "framework": fw.code,
        "scale": [dict(o) for o in STANDARD_SCALE],
        "groups": [{"code": "CHUNG", "title": "Người được khảo sát", "weight": 1}],
        "questions": questions,
    }


def survey_create_default(*, actor: Any, period_block: PeriodBlock) -> Survey:
    try:
        return survey_create(
            actor=actor, period_block=period_block, data=default_definition(period_block),
            source="mặc định",
        )  # fmt: skip
    except DomainError as exc:
        raise _vi(exc) from None


# ---------------------------------------------------------------- last year's survey


def last_year_survey(period_block: PeriodBlock) -> Survey | None:
    """The survey of the same block and organizer in the year before, if any."""
    period = period_block.period
    return (
        Survey.objects.select_related("period_block__period")
        .filter(
            period_block__block_id=period_block.block_id,
            period_block__period__organizer_id=period.organizer_id,
            period_block__period__year=period.year - 1,
        )
        .order_by("-period_block__period_id")
        .first()
    )


def adapted_definition(old: dict[str, Any], period_block: PeriodBlock) -> dict[str, Any]:
    """Last year's definition with this year, block and framework code (the year in its code
    and title replaced)."""
    fw = framework_to_engine(period_block.framework)
    data: dict[str, Any] = json.loads(json.dumps(old))
    before, now = str(data.get("year", fw.year - 1)), str(fw.year)
    for key in ("code", "title"):
        if isinstance(data.get(key), str):
            data[key] = data[key].replace(before, now)
    data["year"], data["block"], data["framework"] = fw.year, fw.block, fw.code
    return data


def copy_problems(period_block: PeriodBlock, old: Survey | None = None) -> list[str]:
    """What stops last year's survey (``old``, found when not given) from fitting this
    year's framework (empty: it fits, or there is none)."""
    old = old or last_year_survey(period_block)
    if old is None:
        return []
    try:
        checked_definition(period_block, adapted_definition(old.definition, period_block), "copy")
    except DomainError as exc:
        return [vi_problem(p) for p in exc.problems] or [exc.message]
    return []


def copy_from_last_year(*, actor: Any, period_block: PeriodBlock) -> Survey:
    """Create the block's survey from last year's (same block and organizer), adapted and
    checked against this year's framework; every problem listed, nothing saved."""
    old = last_year_survey(period_block)
    if old is None:
        raise DomainError(
            f"Không có cuộc điều tra {period_block.block.name} năm {period_block.period.year - 1} "
            "của cơ quan tổ chức để sao chép."
        )
    data = adapted_definition(old.definition, period_block)
    try:
        return survey_create(
            actor=actor, period_block=period_block, data=data,
            source=f"năm {period_block.period.year - 1}",
        )  # fmt: skip
    except DomainError as exc:
        problems = [vi_problem(p) for p in exc.problems]
        raise DomainError(
            f"Phiếu điều tra năm {period_block.period.year - 1} không khớp bộ tiêu chí năm "
            f"{period_block.period.year} ({len(problems) or 1} lỗi): chưa tạo gì. Tải phiếu năm "
            "trước về, sửa rồi tải lên.",
            problems=problems or [exc.message],
        ) from None
