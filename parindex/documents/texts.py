"""The sentences of the report and the decision, in formal Vietnamese, from the selectors'
figures (numbers with the decimal comma, rounded only here). Pure functions."""

from __future__ import annotations

from parindex.documents.selectors import BlockDoc, DomainStat, PeriodDocs
from parindex.reports.renderers.common import pct


def names(items: list[str]) -> str:
    """'A', 'A và B', 'A, B và C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def block_label(block: BlockDoc) -> str:
    """'khối sở' from 'Khối sở' (inside a sentence)."""
    name = block.name.strip()
    return name[:1].lower() + name[1:] if name.lower().startswith("khối") else name


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def units_line(data: PeriodDocs) -> str:
    total = sum(b.units for b in data.blocks)
    parts = [f"{b.units:02d} đơn vị {block_label(b)}" for b in data.blocks]
    text = f"Năm {data.year}, có {total:02d} cơ quan, đơn vị được đánh giá, xác định Chỉ số CCHC"
    return text + (f", gồm: {'; '.join(parts)}." if parts else ".")


def status_line(data: PeriodDocs) -> str:
    if data.frozen and data.approved_on is not None:
        base = f"Kết quả đã được Chủ tịch Hội đồng thẩm định phê duyệt ngày {data.approved_on:%d/%m/%Y}"
        return base + "; số liệu trong báo cáo là bản chốt."
    return (
        "Kết quả chưa được Chủ tịch Hội đồng thẩm định phê duyệt; số liệu trong báo cáo là kết "
        "quả tạm tính đến thời điểm lập báo cáo."
    )


def summary_line(block: BlockDoc) -> str:
    s = block.results.summary
    text = (
        f"{cap(block_label(block))}: {block.units:02d} đơn vị; Chỉ số CCHC bình quân đạt "
        f"{pct(s.get('mean_index'))}%"
    )
    if block.best:
        text += f"; cao nhất là {names(block.best)} ({pct(s.get('max_index'))}%)"
    if block.worst and block.units > 1:
        text += f"; thấp nhất là {names(block.worst)} ({pct(s.get('min_index'))}%)"
    return text + "."


def bands_line(block: BlockDoc) -> str:
    counts = [
        f"{b.label}: {b.units:02d} đơn vị" if b.units else f"{b.label}: không có"
        for b in block.results.bands
    ]
    unbanded = sum(1 for u in block.results.units if not u.band)
    if unbanded and block.results.bands:
        counts.append(f"chưa đạt mức xếp loại nào: {unbanded:02d} đơn vị")
    if not counts:
        return ""
    return f"Kết quả xếp loại {block_label(block)}: {'; '.join(counts)}."


def _shares(domains: list[DomainStat]) -> str:
    return "; ".join(f"“{d.title}” ({pct(d.mean_index)}%)" for d in domains)


def strengths(block: BlockDoc) -> list[str]:
    f = block.findings
    out = []
    if f.strong:
        out.append(
            f"Ở {block_label(block)}, các lĩnh vực có tỷ lệ điểm đạt được bình quân so với "
            f"điểm tối đa cao nhất là: {_shares(f.strong)}."
        )
    if block.best:
        out.append(
            f"{names(block.best)} dẫn đầu {block_label(block)} với Chỉ số CCHC "
            f"{pct(block.results.summary.get('max_index'))}%."
        )
    return out


def weaknesses(block: BlockDoc) -> list[str]:
    f = block.findings
    out = []
    if f.weak:
        out.append(
            f"Ở {block_label(block)}, các lĩnh vực có tỷ lệ điểm đạt được bình quân so với "
            f"điểm tối đa thấp nhất là: {_shares(f.weak)}."
        )
    if f.lost:
        items = "; ".join(
            f"{c.code} “{c.title}” ({c.losing:02d}/{c.units:02d} đơn vị không đạt điểm tối đa, "
            f"tỷ lệ điểm bình quân {pct(c.mean_share)}%)"
            for c in f.lost
        )
        out.append(f"Các tiêu chí thành phần có nhiều đơn vị bị mất điểm nhất: {items}.")
    else:
        out.append("Không có tiêu chí thành phần nào có đơn vị bị mất điểm.")
    if f.gaps:
        items = "; ".join(
            f"{g.name} (tự đánh giá {pct(g.self_index)}%, sau thẩm định {pct(g.index)}%, "
            f"chênh lệch {pct(g.gap)} điểm phần trăm)"
            for g in f.gaps
        )
        out.append(
            f"Một số đơn vị tự đánh giá, chấm điểm cao hơn nhiều so với kết quả thẩm định: {items}."
        )
    else:
        out.append("Không có đơn vị nào tự đánh giá cao hơn kết quả thẩm định.")
    return out
