"""Display helpers shared by the Word and PDF renderers (Excel keeps real numbers)."""

from __future__ import annotations

from decimal import Decimal

from parindex.assessments.scoring import PENDING_TEXT
from parindex.common.numbers import round2, vn_number, vn_points
from parindex.reports.selectors import DetailRow, SummaryRow

SUMMARY_HEADERS = ["STT", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Tỷ lệ (%)"]
DETAIL_HEADERS = [
    "Mã",
    "Tiêu chí, tiêu chí thành phần",
    "Điểm tối đa",
    "Số liệu, kết quả đạt được",
    "Điểm tự đánh giá",
    "Tài liệu kiểm chứng, giải trình",
]


def points(value: Decimal | None) -> str:
    """Points as officers write them, rounded to 2 decimals: 1,5 / 0,83 / 12."""
    if value is None:
        return ""
    return vn_points(round2(value)).replace("-", "−")


def score(value: Decimal | None) -> str:
    """Points earned, always with 2 decimals so a column reads evenly: 9,00 / 8,92 / 0,00."""
    if value is None:
        return ""
    return vn_number(value, 2).replace("-", "−")


def pct(value: Decimal | None) -> str:
    return "" if value is None else vn_number(value, 2)


def summary_cells(row: SummaryRow) -> list[str]:
    return [
        row.stt,
        row.title,
        points(row.max),
        row.points_text or score(row.points),
        pct(row.percent),
    ]


def detail_points(row: DetailRow) -> str:
    if row.is_leaf and row.pending:
        return PENDING_TEXT
    if row.is_leaf and (row.survey or row.not_applicable):
        return "—"
    if row.is_leaf and row.points is None:
        return ""
    return score(row.points)


def evidence_lines(row: DetailRow) -> list[tuple[str, str]]:
    """(label, text) lines of the last column: evidence files, then the explanation."""
    if not row.is_leaf or row.survey:
        return []
    out: list[tuple[str, str]] = []
    if row.evidence:
        out.extend(("file", item.text) for item in row.evidence)
    if row.explanation:
        out.append(("explanation", row.explanation))
    if not out and not row.not_applicable:
        out.append(("missing", "Chưa có tài liệu kiểm chứng, giải trình"))
    return out
