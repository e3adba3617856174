from decimal import Decimal

import pytest

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.frameworks.services import node_add, node_delete, node_move, node_update


def codes(framework):
    return list(framework.nodes.order_by("position").values_list("code", flat=True))


def fresh(framework):
    framework.refresh_from_db()
    return framework


def test_it_updates_a_leaf_and_its_declared_ancestors(demo, province):
    node = demo.nodes.get(code="1.1.1")
    old_etag = demo.etag
    node_update(
        actor=province.admin,
        node=node,
        reason="Năm 2026 tăng điểm",
        max=Decimal("1.5"),
        rule_params={"options": [{"key": "a", "label": "Đúng thời hạn", "points": "1.5"}]},
    )
    demo = fresh(demo)
    assert demo.etag != old_etag
    assert demo.max_total == Decimal("100.5")
    assert demo.nodes.get(code="1").max == Decimal("13.5")  # declared 13 -> follows the sum
    assert demo.nodes.get(code="1.1").max is None  # 1.1 declares no max: stays undeclared
    fw = framework_to_engine(demo)
    assert fw.node("1.1.1").max == Decimal("1.5")
    event = AuditEvent.objects.get(verb="node.update")
    assert event.old["max"] == "1.0000"
    assert event.new["max"] == "1.5"
    assert event.new["tổng điểm cấp trên"] == {"1": "13 → 13,5"}
    assert event.reason == "Năm 2026 tăng điểm"


def test_it_refuses_an_edit_that_would_make_the_framework_invalid(demo, province):
    node = demo.nodes.get(code="1.1.1")
    etag = demo.etag
    with pytest.raises(DomainError) as exc:
        node_update(actor=province.admin, node=node, max=Decimal("0.5"))
    assert exc.value.problems == ["Tiêu chí 1.1.1: rule: options[0]: điểm 1 lớn hơn max 0.5"]
    node.refresh_from_db()
    assert node.max == Decimal(1)
    assert fresh(demo).etag == etag
    assert not AuditEvent.objects.filter(verb="node.update").exists()


def test_it_refuses_a_rule_on_an_inner_node(demo, province):
    with pytest.raises(DomainError):
        node_update(actor=province.admin, node=demo.nodes.get(code="1.1"), rule_type="boolean")


def test_it_changes_the_rule_type(demo, province):
    node = demo.nodes.get(code="1.2")
    node_update(
        actor=province.admin,
        node=node,
        rule_type="deduction",
        rule_params={"per": Decimal("0.25"), "floor": Decimal("-0.5")},
    )
    node.refresh_from_db()
    assert node.rule_params == {"per": "0.25", "floor": "-0.5"}
    rule = framework_to_engine(fresh(demo)).node("1.2").rule
    assert (rule.per, rule.floor) == (Decimal("0.25"), Decimal("-0.5"))


def test_it_adds_a_leaf_under_a_domain(demo, province):
    node = node_add(
        actor=province.admin,
        framework=demo,
        parent=demo.nodes.get(code="2"),
        code="2.7",
        title="Công khai văn bản",
        max=Decimal(1),
        rule_type="boolean",
    )
    demo = fresh(demo)
    assert demo.max_total == Decimal(101)
    assert demo.nodes.get(code="2").max == Decimal(11)
    order = codes(demo)
    assert order.index("2.7") == order.index("3") - 1
    assert node.depth == 1
    assert AuditEvent.objects.filter(verb="node.add", object_id=str(node.pk)).exists()


def test_adding_a_child_to_a_leaf_makes_it_an_inner_node(demo, province):
    leaf = demo.nodes.get(code="1.2")
    node_add(
        actor=province.admin,
        framework=demo,
        parent=leaf,
        code="1.2.1",
        title="Báo cáo quý",
        max=Decimal("0.5"),
        rule_type="boolean",
    )
    node_add(
        actor=province.admin,
        framework=demo,
        parent=leaf,
        code="1.2.2",
        title="Báo cáo năm",
        max=Decimal("0.5"),
        rule_type="boolean",
    )
    leaf.refresh_from_db()
    assert leaf.rule_type == ""
    assert leaf.max is None
    fw = framework_to_engine(fresh(demo))
    assert fw.node("1.2").total_max == Decimal(1)
    assert [c.code for c in fw.node("1.2").children] == ["1.2.1", "1.2.2"]
    assert fresh(demo).max_total == Decimal(100)


def test_it_refuses_a_duplicate_code(demo, province):
    with pytest.raises(DomainError, match="Mã 1.1.1 đã có"):
        node_add(
            actor=province.admin,
            framework=demo,
            parent=None,
            code="1.1.1",
            title="X",
            max=Decimal(1),
            rule_type="boolean",
        )


def test_it_refuses_a_new_leaf_without_a_rule(demo, province):
    with pytest.raises(DomainError) as exc:
        node_add(actor=province.admin, framework=demo, parent=None, code="10", title="X")
    assert any("Tiêu chí 10" in p for p in exc.value.problems)
    assert not demo.nodes.filter(code="10").exists()


def test_it_deletes_a_subtree_and_updates_totals(demo, province):
    node_delete(actor=province.admin, node=demo.nodes.get(code="1.3"), reason="Bỏ năm nay")
    demo = fresh(demo)
    assert not demo.nodes.filter(code__in=["1.3", "1.3.1", "1.3.2"]).exists()
    assert demo.nodes.get(code="1").max == Decimal(11)
    assert demo.max_total == Decimal(98)
    assert codes(demo) == [n.code for n in framework_to_engine(demo).iter_nodes()]
    event = AuditEvent.objects.get(verb="node.delete")
    assert event.old["subtree"] == ["1.3", "1.3.1", "1.3.2"]


def test_it_refuses_to_delete_the_only_child(demo, province):
    only = demo.nodes.get(code="1.1.1")
    node_delete(actor=province.admin, node=demo.nodes.get(code="1.1.2"))
    with pytest.raises(DomainError, match="duy nhất"):
        node_delete(actor=province.admin, node=only)


def test_it_moves_a_node_with_its_subtree(demo, province):
    node_move(actor=province.admin, node=demo.nodes.get(code="1.3"), direction="up")
    order = codes(fresh(demo))
    assert order[order.index("1.1.2") + 1 : order.index("1.1.2") + 5] == [
        "1.3",
        "1.3.1",
        "1.3.2",
        "1.2",
    ]
    assert [c.code for c in framework_to_engine(fresh(demo)).node("1").children][:3] == [
        "1.1",
        "1.3",
        "1.2",
    ]


def test_it_refuses_to_move_the_first_node_up(demo, province):
    with pytest.raises(DomainError, match="đầu tiên"):
        node_move(actor=province.admin, node=demo.nodes.get(code="1"), direction="up")


def test_node_positions_stay_a_preorder_walk(demo, province):
    node_move(actor=province.admin, node=demo.nodes.get(code="2"), direction="down")
    nodes = list(FrameworkNode.objects.filter(framework=demo).order_by("position"))
    assert [n.position for n in nodes] == list(range(len(nodes)))
    assert [n.code for n in nodes] == [
        n.code for n in framework_to_engine(fresh(demo)).iter_nodes()
    ]
