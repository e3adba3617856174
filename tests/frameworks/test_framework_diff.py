from decimal import Decimal

from parindex.frameworks.selectors import framework_diff
from parindex.frameworks.services import framework_copy, node_add, node_delete, node_update


def test_it_lists_added_removed_and_changed_nodes_field_by_field(demo, province):
    new = framework_copy(actor=province.admin, framework=demo, year=2025)
    node_update(
        actor=province.admin,
        node=new.nodes.get(code="1.1.1"),
        title="Ban hành kế hoạch đúng thời hạn",
        max=Decimal("1.5"),
        rule_params={"options": [{"key": "a", "label": "Đúng hạn", "points": "1.5"}]},
    )
    node_delete(actor=province.admin, node=new.nodes.get(code="1.4"))
    node_add(
        actor=province.admin,
        framework=new,
        parent=new.nodes.get(code="2"),
        code="2.7",
        title="Công khai văn bản",
        max=Decimal(1),
        rule_type="boolean",
    )
    new.refresh_from_db()
    diff = framework_diff(demo, new)
    assert [d.code for d in diff.added] == ["2.7"]
    assert [d.code for d in diff.removed] == ["1.4"]
    changed = {d.code: {c.label: (c.old, c.new) for c in d.changes} for d in diff.changed}
    assert changed["1.1.1"]["Nội dung"] == (
        "Ban hành kế hoạch CCHC năm kịp thời",
        "Ban hành kế hoạch đúng thời hạn",
    )
    assert changed["1.1.1"]["Điểm tối đa"] == ("1", "1,5")
    assert "Đúng hạn: 1,5 điểm" in changed["1.1.1"]["Cách tính điểm"][1]
    assert changed["1"]["Điểm tối đa"] == ("13", "12,5")  # declared max follows the sum
    assert changed["2"]["Điểm tối đa"] == ("10", "11")
    assert set(changed) == {"1", "1.1.1", "2"}
    header = {c.label: (c.old, c.new) for c in diff.header}
    assert header == {"Tổng điểm tối đa": ("100", "100,5")}  # the title has no year


def test_identical_versions_have_no_differences(demo, province):
    new = framework_copy(actor=province.admin, framework=demo, year=2024)
    diff = framework_diff(demo, new)
    assert diff.nodes == []
