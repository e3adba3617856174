import copy
from decimal import Decimal

import pytest

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.selectors import framework_to_engine, framework_to_spec_dict
from parindex.frameworks.services import framework_import


def test_it_stores_the_example_as_a_draft_version_1(demo, province):
    assert demo.status == Framework.Status.DRAFT
    assert demo.version == 1
    assert demo.block == province.so
    assert demo.owner == province.snv
    assert demo.max_total == Decimal(100)
    assert demo.nodes.count() == len(list(framework_to_engine(demo).iter_nodes()))
    assert AuditEvent.objects.filter(verb="framework.import", object_id=str(demo.pk)).exists()


def test_it_stores_rule_params_exactly_as_decimal_text(demo):
    node = demo.nodes.get(code="1.1.1")
    assert node.rule_type == "choice"
    assert node.rule_params["options"][1] == {"key": "b", "label": "Ban hành chậm", "points": "0.5"}
    engine_node = framework_to_engine(demo).node("1.1.1")
    assert engine_node.rule.options[1].points == Decimal("0.5")


def test_decimal_input_comes_back_exactly(province, demo_data):
    data = copy.deepcopy(demo_data)
    data["code"] = "EXACT"
    leaf = data["nodes"][0]["children"][0]["children"][0]
    leaf["rule"]["options"][1]["points"] = Decimal("0.1")
    fw = framework_import(actor=province.admin, owner=province.snv, data=data, source="x.yaml")
    assert fw.nodes.get(code="1.1.1").rule_params["options"][1]["points"] == "0.1"
    assert framework_to_engine(fw).node("1.1.1").rule.options[1].points == Decimal("0.1")
    assert (
        framework_to_spec_dict(fw)["nodes"][0]["children"][0]["children"][0]["rule"]["options"][1][
            "points"
        ]
        == 0.1
    )


def test_it_keeps_tree_order_and_depth(demo):
    nodes = list(demo.nodes.order_by("position"))
    assert [n.code for n in nodes[:4]] == ["1", "1.1", "1.1.1", "1.1.2"]
    assert [n.depth for n in nodes[:4]] == [0, 1, 2, 2]
    assert nodes[2].parent == nodes[1]


def test_it_lists_every_problem_and_saves_nothing(province, demo_data):
    data = copy.deepcopy(demo_data)
    data["code"] = "BAD"
    data["nodes"][0]["children"][0]["children"][0]["max"] = -1
    del data["nodes"][1]["children"][0]["rule"]
    data["nodes"][2]["children"][0]["code"] = "1"
    with pytest.raises(DomainError) as exc:
        framework_import(actor=province.admin, owner=province.snv, data=data, source="bad.yaml")
    problems = exc.value.problems
    assert len(problems) >= 3
    assert all(p.startswith("bad.yaml:") for p in problems)
    text = "\n".join(problems)
    assert "max phải lớn hơn 0" in text
    assert "nút lá phải có quy tắc chấm điểm" in text
    assert "bị trùng" in text
    assert not Framework.objects.exists()
    assert not FrameworkNode.objects.exists()


def test_it_rejects_an_unknown_block(province, demo_data):
    data = {**demo_data, "block": "cong-an"}
    with pytest.raises(DomainError) as exc:
        framework_import(actor=province.admin, owner=province.snv, data=data, source="x.yaml")
    assert any("khối 'cong-an' không có trong hệ thống" in p for p in exc.value.problems)
    assert not Framework.objects.exists()


def test_it_rejects_a_code_already_used(demo, province, demo_data):
    with pytest.raises(DomainError) as exc:
        framework_import(actor=province.admin, owner=province.snv, data=demo_data, source="x.yaml")
    assert any("SO-DEMO-2024 đã được dùng" in p for p in exc.value.problems)
    assert Framework.objects.count() == 1


def test_a_second_framework_of_the_same_year_gets_the_next_version(demo, province, demo_data):
    data = {**demo_data, "code": "SO-DEMO-2024-B"}
    fw = framework_import(actor=province.admin, owner=province.snv, data=data, source="x.yaml")
    assert fw.version == 2


def test_it_reports_a_framework_that_is_not_a_mapping(province):
    with pytest.raises(DomainError) as exc:
        framework_import(actor=province.admin, owner=province.snv, data=[1, 2], source="x.json")
    assert exc.value.problems
