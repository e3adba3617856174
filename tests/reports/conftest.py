"""An assessment of Sở Tư pháp on the public example framework (spec/examples/so-demo.yaml),
built through the real services (framework_import, period_create, period_add_units,
entry_record), with the example's declared values for STP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
import yaml

from parindex.assessments.models import Entry
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import entry_record
from parindex.engine import evaluate_leaf, parse_framework
from parindex.frameworks.services import framework_import
from parindex.periods.services import period_create

EXAMPLES = Path(__file__).resolve().parents[2] / "parindex" / "frameworks" / "examples"
YEAR = 2026

# Sở Tư pháp's rows of spec/examples/so-demo-values.csv (survey leaves left out: units do not
# declare them): criterion,value,value2.
STP_VALUES = """
1.1.1,a,
1.1.2,12,12
1.2,có,
1.3.1,10,12
1.3.2,1200,1200
1.4,có,
1.5,0,
1.6,10,12
2.1,250,250
2.2,a,
2.3,40,40
2.4,có,
2.5,1,
3.1.1,40,40
3.1.2,có,
3.2,1068,1200
3.3,33,40
3.4,1135,1200
3.5,12,12
3.6,250,250
3.7,0,
4.1,có,
4.2,có,
4.3,250,250
4.4,a,
5.1,10,12
5.2,có,
5.3,249,250
5.4,có,
5.5,0,
6.1,có,
6.2,35,40
6.3,250,250
6.4,có,
7.1,1200,1200
7.2,có,
7.3,1026,1200
7.4,2,
7.5,8,
7.6,b,
7.7,0,
9.1,1,
9.2,a,
"""
# Leaf 7.5 is "relative": the best value among the example's units.
BEST = {"7.5": Decimal(8)}
EXPLANATIONS = {
    "1.5": "Năm 2026 đơn vị chưa có sáng kiến được công nhận.",
    "3.2": "Có 132 hồ sơ trễ hạn do hệ thống một cửa điện tử gián đoạn tháng 7/2026.",
}


def _values() -> dict[str, tuple[str, str]]:
    out = {}
    for line in STP_VALUES.split():
        code, value, value2 = line.split(",")
        out[code] = (value, value2)
    return out


@pytest.fixture
def report_case(province):
    data = yaml.safe_load((EXAMPLES / "so-demo.yaml").read_text(encoding="utf-8"))
    data["year"] = YEAR
    data["code"] = f"SO-{YEAR}"
    data["title"] = f"Bộ tiêu chí xác định Chỉ số CCHC khối sở năm {YEAR}"
    framework = framework_import(actor=None, owner=province.snv, data=data, source="so-demo.yaml")
    period = period_create(
        actor=None,
        organizer=province.snv,
        year=YEAR,
        name=f"Chỉ số CCHC năm {YEAR}",
        plan_reference="Kế hoạch số 215/KH-UBND ngày 02/10/2026 của UBND tỉnh",
        blocks=[(province.so, framework)],
    )
    [assessment] = period_add_units(actor=None, period=period, units=[province.stp])
    entries = {
        e.node.code: e for e in Entry.objects.filter(assessment=assessment).select_related("node")
    }
    values = _values()
    inside_window = dt.datetime(YEAR, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(inside_window, tick=False):
        for code, (value, value2) in values.items():
            entry_record(
                actor=province.officer,
                entry=entries[code],
                value=value,
                value2=value2,
                explanation=EXPLANATIONS.get(code),
            )
    # A "relative" leaf is scored at consolidation (best value among the units): as it would be.
    engine_fw = parse_framework(data, source="so-demo.yaml")
    for code, best in BEST.items():
        points = evaluate_leaf(engine_fw.node(code), values[code][0], best=best)
        Entry.objects.filter(pk=entries[code].pk).update(self_score=points)
    assessment.refresh_from_db()
    # No service writes "Khó khăn, vướng mắc và kiến nghị" yet (assessments app).
    assessment.difficulties = (
        "Hạ tầng công nghệ thông tin chưa đồng bộ.\n"
        "Kiến nghị Sở Nội vụ tổ chức tập huấn về phần mềm chấm điểm."
    )
    assessment.save(update_fields=["difficulties"])
    return SimpleNamespace(
        assessment=assessment, framework=framework, period=period, province=province
    )
