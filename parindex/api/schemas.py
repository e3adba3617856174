"""The API's documents (ninja schemas, in the OpenAPI document). Scores are exact decimals
from the scoring bridge, written as strings ("12.5"): never a float. Framework and results
documents are the public formats (spec/formats.md §1 and §3) as the open data files carry
them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(..., description="Lỗi, bằng tiếng Việt")


class InvalidInput(Schema):
    detail: str = Field(..., description="Lỗi, bằng tiếng Việt")
    errors: list[dict[str, Any]] = Field(default_factory=list)


class UnitRef(Schema):
    id: int
    code: str
    name: str


class FrameworkOut(Schema):
    id: int
    code: str
    title: str
    year: int
    version: int
    block: str = Field(..., description="mã khối")
    owner: UnitRef
    locked: bool = Field(..., description="đã có bản đánh giá dùng bộ tiêu chí này")


class FrameworkDetail(FrameworkOut):
    document: dict[str, Any] = Field(
        ..., description="bộ tiêu chí theo định dạng parindex.framework/v1 (cây tiêu chí)"
    )


class PhaseOut(Schema):
    phase: str
    label: str
    starts_on: dt.date
    ends_on: dt.date


class PeriodBlockOut(Schema):
    block: str
    block_name: str
    framework_id: int
    framework_code: str


class PeriodOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    organizer: UnitRef
    closed: bool
    phase: str | None = Field(None, description="giai đoạn hiện tại")
    blocks: list[PeriodBlockOut]


class PeriodDetail(PeriodOut):
    phases: list[PhaseOut]
    can_change: bool


class StageScores(Schema):
    points: Decimal
    max: Decimal
    index: Decimal | None
    band: str | None = None
    pending: list[str] = Field(default_factory=list, description="tiêu chí tính khi tổng hợp")


class AssessmentOut(Schema):
    id: int
    period_id: int
    period: str
    year: int
    unit: UnitRef
    framework_id: int
    status: str
    status_label: str
    submitted_at: dt.datetime | None


class NodeRow(Schema):
    code: str
    title: str
    leaf: bool
    max: Decimal | None
    self_points: Decimal | None = Field(None, description="điểm tự đánh giá (cầu nối chấm điểm)")
    final_points: Decimal | None = Field(None, description="điểm sau thẩm định")
    pending: bool = False


class AssessmentDetail(AssessmentOut):
    self_scores: StageScores | None = Field(
        None, description="tổng tự đánh giá (không có với đơn vị được phân công một phần)"
    )
    final_scores: StageScores | None = None
    nodes: list[NodeRow]


class EntryOut(Schema):
    id: int
    code: str
    title: str
    rule_type: str
    source: str
    value: str
    value2: str
    not_applicable: bool
    explanation: str
    self_points: Decimal | None
    final_points: Decimal | None
    pending: bool
    version: int
    updated_at: dt.datetime | None
    can_declare: bool


class EntryWrite(Schema):
    value: str = Field("", max_length=1000, description="số liệu kê khai, như trên màn hình")
    value2: str = Field("", max_length=1000, description="mẫu số (tiêu chí tỷ lệ)")
    na: bool = Field(False, description="Không áp dụng")
    explanation: str | None = Field(None, max_length=40000, description="giải trình")
    version: int = Field(..., ge=0, le=2147483647, description="phiên bản đang thấy")


class EntrySaved(Schema):
    entry: EntryOut
    self_scores: StageScores


class SurveyOut(Schema):
    id: int
    period_id: int
    block: str
    title: str
    status: str
    opens_on: dt.date | None
    closes_on: dt.date | None


class CountsOut(Schema):
    invited: int
    answered: int
    flagged: int
    target: int
    missing: int
    percent: Decimal | None


class GroupProgressOut(CountsOut):
    group: str
    group_title: str
    census: bool


class UnitProgressOut(Schema):
    unit: UnitRef
    voided: bool
    total: CountsOut
    groups: list[GroupProgressOut]


class SurveyProgressOut(Schema):
    survey: SurveyOut
    total: CountsOut
    units: list[UnitProgressOut]


class PublicPeriodOut(Schema):
    id: int
    name: str
    year: int
    organizer: UnitRef
    approved_at: dt.datetime | None
    blocks: list[str]


class PublicBlockOut(Schema):
    block: str
    block_name: str


class PublicPeriodDetail(PublicPeriodOut):
    decision_number: str
    decision_date: dt.date | None
    block_list: list[PublicBlockOut]


class PublicResults(Schema):
    period_id: int
    block: str
    block_name: str
    results: dict[str, Any] = Field(..., description="parindex.results/v1, như đã phê duyệt")
