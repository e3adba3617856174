"""Strengths and weaknesses on a constructed block: the domains with the highest and lowest
mean component index, the sub-criteria most units lost points on, the largest self vs
appraised gaps — named in the sentences."""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

from parindex.documents import selectors, texts
from parindex.results.selectors.common import Domain
from parindex.results.selectors.period import BandCount, BlockResults, Cell, RankedUnit

DOMAINS = [
    Domain("1", "Chỉ đạo, điều hành", D(10), False),
    Domain("2", "Thể chế", D(10), False),
    Domain("3", "Thủ tục hành chính", D(10), False),
    Domain("4", "Chính quyền số", D(10), False),
    Domain("5", "Điểm thưởng", D(2), True),
]


def _unit(rank, code, name, index, self_index, indices, bonus):
    cells = [Cell(D(i) / 10, D(10), D(i)) for i in indices] + [Cell(D(bonus), D(2), None)]
    return RankedUnit(rank=rank, unit=code, name=name, points=None, max=D(100),
                      index=D(index), band="Tốt", domains=cells, self_index=D(self_index))  # fmt: skip


def _block():
    units = [
        _unit(1, "A", "Sở A", "90", "91", ["95", "60", "80", "40"], "1"),
        _unit(2, "B", "Sở B", "80", "92.5", ["85", "70", "90", "50"], "0.5"),
        _unit(3, "C", "Sở C", "70", "70", ["100", "50", "70", "45"], "0"),
    ]
    return BlockResults(
        code="so", name="Khối sở", framework_code="F", framework_title="F", domains=DOMAINS,
        units=units, summary={"units": 3, "mean_index": D(80), "min_index": D(70),
                              "max_index": D(90)},
        bands=[BandCount("Tốt", D(80), 3)], frozen=True, has_survey=False,
    )  # fmt: skip


def _document():
    """Leaf 1.1 lost by all three units, 2.1 by two, 3.1 by none; the survey's 3.2 and the
    bonus 5.1 by all (left out of the finding)."""

    def node(points, top=1):
        return {"points": points, "max": top, "index": None}

    return {
        "units": [
            {
                "unit": u,
                "nodes": {
                    "1.1": node(a),
                    "2.1": node(b),
                    "3.1": node(1),
                    "3.2": node(0.1),
                    "5.1": node(0),
                },
            }
            for u, a, b in (("A", 0.5, 0.5), ("B", 0.25, 1), ("C", 0, 0.75))
        ]
    }


FW = SimpleNamespace(
    leaves=lambda: [
        SimpleNamespace(code="1.1", title="Ban hành kế hoạch CCHC", bonus=False, source="self"),
        SimpleNamespace(code="2.1", title="Rà soát văn bản", bonus=False, source="self"),
        SimpleNamespace(code="3.1", title="Công khai thủ tục", bonus=False, source="self"),
        SimpleNamespace(code="3.2", title="Hài lòng (điều tra XHH)", bonus=False, source="survey"),
        SimpleNamespace(code="5.1", title="Sáng kiến", bonus=True, source="self"),
    ]
)


def _doc():
    block = _block()
    stats = selectors._domain_stats(block)
    lost = selectors._lost(FW, _document())
    return selectors.BlockDoc(block, _document(), stats, selectors.findings(block, stats, lost), FW)


def test_domain_means_are_the_mean_of_the_units_component_indices():
    stats = {d.code: d for d in _doc().domains}
    assert stats["1"].mean_index == D(280) / 3
    assert stats["4"].mean_index == D(45)
    assert (stats["3"].best, stats["3"].worst) == (D(90), D(70))
    assert stats["5"].mean_index is None and stats["5"].mean_points == D("0.5")


def test_strengths_name_the_highest_domains_and_weaknesses_the_lowest():
    doc = _doc()
    assert [d.code for d in doc.findings.strong] == ["1", "3"]
    assert [d.code for d in doc.findings.weak] == ["4", "2"]
    strong = " ".join(texts.strengths(doc))
    assert "“Chỉ đạo, điều hành” (93,33%); “Thủ tục hành chính” (80,00%)" in strong
    assert "Sở A dẫn đầu khối sở với Chỉ số CCHC 90,00%" in strong
    weak = " ".join(texts.weaknesses(doc))
    assert "“Chính quyền số” (45,00%); “Thể chế” (60,00%)" in weak
    assert "Điểm thưởng" not in weak


def test_weaknesses_name_the_criteria_most_units_lost_points_on():
    doc = _doc()
    assert [(c.code, c.losing) for c in doc.findings.lost] == [("1.1", 3), ("2.1", 2)]
    weak = " ".join(texts.weaknesses(doc))
    assert (
        "1.1 “Ban hành kế hoạch CCHC” (03/03 đơn vị không đạt điểm tối đa, tỷ lệ điểm bình quân 25,00%)"
        in weak
    )  # noqa: E501
    assert "3.1" not in weak and "3.2" not in weak and "5.1" not in weak


def test_weaknesses_name_the_units_that_scored_themselves_highest_above_the_council():
    doc = _doc()
    assert [(g.name, g.gap) for g in doc.findings.gaps] == [("Sở B", D("12.50")), ("Sở A", D(1))]
    weak = " ".join(texts.weaknesses(doc))
    assert (
        "Sở B (tự đánh giá 92,50%, sau thẩm định 80,00%, chênh lệch 12,50 điểm phần trăm)" in weak
    )
    assert "Sở C (" not in weak
