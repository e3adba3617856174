"""The province's own self-assessment: leaves assigned to contributing departments."""

import pytest

from parindex.accounts.services import unit_create
from parindex.assessments.contributors import contributor_summary, entries_assign_contributor
from parindex.assessments.models import Entry, Status
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from tests.periods.helpers import declare, period_with_units, province_self_period, set_status

DOMAIN_1_SELF_LEAVES = ["1.1.1", "1.1.2", "1.2", "1.3.1", "1.3.2", "1.4", "1.5", "1.6"]


@pytest.fixture
def own(province):
    period, assessment = province_self_period(province)
    return assessment


def contributors(assessment):
    return dict(
        Entry.objects.filter(assessment=assessment)
        .exclude(contributor=None)
        .values_list("node__code", "contributor__code")
    )


def test_a_domain_is_assigned_leaf_by_leaf_without_the_survey_leaf(province, own):
    changed = entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1"], unit=province.stp, reason="KH 45"
    )
    assert [e.node.code for e in changed] == DOMAIN_1_SELF_LEAVES
    assert contributors(own) == dict.fromkeys(DOMAIN_1_SELF_LEAVES, "STP")  # 1.7: survey
    events = AuditEvent.objects.filter(verb="entry.assign_contributor")
    assert events.count() == 8
    event = events.first()
    assert event.old == {"contributor": None}
    assert event.new == {"contributor": "STP"}
    assert event.reason == "KH 45"
    assert event.actor == province.admin


def test_reassigning_one_leaf_audits_old_and_new_and_skips_unchanged(province, own):
    entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1.1"], unit=province.stp
    )
    changed = entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1.1", "1.1.2"], unit=province.syt
    )
    assert [e.node.code for e in changed] == ["1.1.1", "1.1.2"]
    changed = entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1.1.2"], unit=province.syt
    )
    assert changed == []
    last = AuditEvent.objects.filter(verb="entry.assign_contributor").order_by("-id").first()
    assert (last.old, last.new) == ({"contributor": "STP"}, {"contributor": "SYT"})
    entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1.1.1"], unit=None
    )
    assert contributors(own) == {"1.1.2": "SYT"}


def test_assigning_leaves_the_entry_s_version_and_activity_alone(province, own):
    before = Entry.objects.get(assessment=own, node__code="1.2")
    entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1.2"], unit=province.stp
    )
    after = Entry.objects.get(assessment=own, node__code="1.2")
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


@pytest.mark.parametrize("who", ["officer", "leader", "outsider", "district_admin", "appraiser"])
def test_only_the_organizer_s_admins_assign(province, own, who):
    with pytest.raises(DomainError, match="quản trị"):
        entries_assign_contributor(
            actor=getattr(province, who), assessment=own, node_codes=["1"], unit=province.stp
        )
    assert contributors(own) == {}


def test_the_contributor_must_be_in_the_organizer_s_area(province, own):
    elsewhere = unit_create(actor=None, code="HN", name="Thành phố Hà Nội", kind="province")
    with pytest.raises(DomainError, match="không thuộc địa bàn"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["1"], unit=elsewhere
        )
    with pytest.raises(DomainError, match="đơn vị được đánh giá"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["1"], unit=province.root
        )
    from parindex.accounts.services import unit_deactivate

    unit_deactivate(actor=None, unit=province.syt)
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["1"], unit=province.syt
        )


def test_it_is_only_for_the_province_s_own_self_assessment(province):
    period, by_code = period_with_units(province)
    with pytest.raises(DomainError, match="tỉnh tự đánh giá"):
        entries_assign_contributor(
            actor=province.admin, assessment=by_code["STP"], node_codes=["1"], unit=province.syt
        )


def test_bad_codes_survey_leaves_and_submitted_assessments_are_refused(province, own):
    with pytest.raises(DomainError, match="Không có tiêu chí mã: 99, 1.9"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["99", "1.9"], unit=province.stp
        )
    with pytest.raises(DomainError, match="điều tra xã hội học"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["1.7"], unit=province.stp
        )
    with pytest.raises(DomainError, match="Không có tiêu chí thành phần nào"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["8"], unit=province.stp
        )  # domain 8 of so-demo: survey only
    with pytest.raises(DomainError, match="Chọn ít nhất"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=[" "], unit=province.stp
        )
    set_status(own, Status.SUBMITTED)
    with pytest.raises(DomainError, match="không phân công lại"):
        entries_assign_contributor(
            actor=province.admin, assessment=own, node_codes=["1"], unit=province.stp
        )
    assert contributors(own) == {}


def test_the_summary_counts_leaves_and_answers_per_contributor(province, own):
    entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["1"], unit=province.stp
    )
    entries_assign_contributor(
        actor=province.admin, assessment=own, node_codes=["2.1", "2.2"], unit=province.syt
    )
    declare(own, "1.2", "yes")
    declare(own, "1.4", "NA", na=True)
    declare(own, "2.1", "3", explanation="chỉ giải trình")  # a value: answered
    declare(own, "3.1.2", "no")
    lines = [
        (line.unit.code if line.unit else None, line.leaves, line.answered)
        for line in contributor_summary(own)
    ]
    assert lines == [("STP", 8, 2), ("SYT", 2, 1), (None, 33, 1)]
