from decimal import Decimal

import pytest

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework
from parindex.frameworks.selectors import framework_is_locked, framework_to_engine
from parindex.frameworks.services import (
    framework_activate,
    framework_archive,
    framework_copy,
    framework_update,
    node_add,
    node_delete,
    node_move,
    node_update,
)
from tests.frameworks.helpers import lock


def test_copy_to_a_new_year_replaces_the_year_and_is_a_draft(demo, province):
    framework_activate(actor=province.admin, framework=demo)
    demo.title = "Bộ tiêu chí khối sở năm 2024"
    demo.save()
    copy = framework_copy(actor=province.admin, framework=demo, year=2025)
    assert copy.code == "SO-DEMO-2025"
    assert copy.title == "Bộ tiêu chí khối sở năm 2025"
    assert copy.year == 2025
    assert copy.version == 1
    assert copy.status == Framework.Status.DRAFT
    assert copy.based_on == demo
    assert copy.max_total == demo.max_total
    assert [n.code for n in framework_to_engine(copy).iter_nodes()] == [
        n.code for n in framework_to_engine(demo).iter_nodes()
    ]
    assert copy.nodes.get(code="1.1.1").rule_params == demo.nodes.get(code="1.1.1").rule_params
    assert AuditEvent.objects.filter(verb="framework.copy", object_id=str(copy.pk)).exists()


def test_copy_in_the_same_year_is_a_new_version(demo, province):
    copy = framework_copy(actor=province.admin, framework=demo, year=2024)
    assert copy.version == 2
    assert copy.code == "SO-DEMO-2024-v2"


def test_copy_refuses_a_code_in_use(demo, province):
    with pytest.raises(DomainError, match="đã được dùng"):
        framework_copy(actor=province.admin, framework=demo, year=2025, code="SO-DEMO-2024")


def test_editing_the_copy_leaves_the_original_alone(demo, province):
    copy = framework_copy(actor=province.admin, framework=demo, year=2025)
    node_update(actor=province.admin, node=copy.nodes.get(code="1.2"), title="Mới")
    assert demo.nodes.get(code="1.2").title == "Báo cáo CCHC đầy đủ, đúng thời hạn"


def test_only_one_framework_is_active_per_owner_block_and_year(demo, province):
    framework_activate(actor=province.admin, framework=demo)
    v2 = framework_copy(actor=province.admin, framework=demo, year=2024)
    framework_activate(actor=province.admin, framework=v2)
    demo.refresh_from_db()
    assert demo.status == Framework.Status.ARCHIVED
    assert v2.status == Framework.Status.ACTIVE
    with pytest.raises(DomainError):
        framework_activate(actor=province.admin, framework=v2)


def test_archive_then_editing_is_refused(demo, province):
    framework_archive(actor=province.admin, framework=demo)
    with pytest.raises(DomainError, match="lưu trữ"):
        node_update(actor=province.admin, node=demo.nodes.get(code="1.2"), title="X")


def test_update_changes_title_and_bands(demo, province):
    framework_update(
        actor=province.admin,
        framework=demo,
        title="Tên mới",
        bands=[{"min": Decimal("85.5"), "label": "Tốt"}, {"min": 0, "label": "Khá"}],
        reason="Theo kế hoạch",
    )
    demo.refresh_from_db()
    assert demo.bands == [{"min": "85.5", "label": "Tốt"}, {"min": "0", "label": "Khá"}]
    assert framework_to_engine(demo).bands[0].min == Decimal("85.5")
    assert AuditEvent.objects.get(verb="framework.update").old["title"] == demo.title.replace(
        "Tên mới", "Bộ tiêu chí xác định Chỉ số CCHC khối sở (mẫu minh họa)"
    )


def test_update_refuses_bands_not_highest_first(demo, province):
    with pytest.raises(DomainError) as exc:
        framework_update(
            actor=province.admin,
            framework=demo,
            title="X",
            bands=[{"min": 0, "label": "Khá"}, {"min": 90, "label": "Tốt"}],
        )
    assert exc.value.problems[0].startswith("Xếp loại: ")
    demo.refresh_from_db()
    assert demo.title != "X"


def test_a_framework_with_assessments_is_locked(demo, province):
    assert not framework_is_locked(demo)
    lock(demo, province.stp)
    assert framework_is_locked(demo)
    node = demo.nodes.get(code="1.2")
    for call in (
        lambda: node_update(actor=province.admin, node=node, title="X"),
        lambda: node_delete(actor=province.admin, node=node),
        lambda: node_move(actor=province.admin, node=node, direction="down"),
        lambda: node_add(
            actor=province.admin, framework=demo, parent=None, code="10", title="X",
            max=Decimal(1), rule_type="boolean",
        ),
        lambda: framework_update(actor=province.admin, framework=demo, title="X", bands=[]),
    ):  # fmt: skip
        with pytest.raises(DomainError, match="sao chép sang phiên bản mới"):
            call()
    # ... but it can be copied to a new version and that one edited
    copy = framework_copy(actor=province.admin, framework=demo, year=2024)
    node_update(actor=province.admin, node=copy.nodes.get(code="1.2"), title="Sửa ở bản mới")


def test_the_engine_cache_follows_every_change(demo, province):
    first = framework_to_engine(demo)
    assert framework_to_engine(demo) is first
    node_update(actor=province.admin, node=demo.nodes.get(code="1.2"), title="Tên mới")
    demo.refresh_from_db()
    assert framework_to_engine(demo).node("1.2").title == "Tên mới"
