"""``parindex demo --no-serve`` builds a believable province through the services, once.

One build per module (it takes tens of seconds): the checks below share it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from parindex.accounts.models import Block, Membership, Unit, User
from parindex.assessments.models import Assessment, Entry, Status
from parindex.audit.models import AuditEvent
from parindex.demo import data
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.calendar import current_phase
from parindex.periods.models import Period, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build the demo once for the module, and remove it afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", "--no-serve", verbosity=0)
            yield
            transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "frameworks": Framework.objects.count(),
        "periods": Period.objects.count(),
        "assessments": Assessment.objects.count(),
        "entries": Entry.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_it_builds_a_province_of_departments_districts_and_communes(demo):
    so, huyen, xa = (Block.objects.get(code=c) for c in ("so", "huyen", "xa"))
    assert Unit.objects.filter(block=so, kind=Unit.Kind.DEPARTMENT).count() >= 20
    assert Unit.objects.filter(block=huyen, kind=Unit.Kind.DISTRICT).count() >= 10
    organizer = Unit.objects.get(code=data.ORGANIZER)
    assert organizer.name == "Sở Nội vụ"
    assert organizer.admin_root.kind == Unit.Kind.PROVINCE
    districts_with_communes = 0
    for district in Unit.objects.filter(kind=Unit.Kind.DISTRICT):
        communes = Unit.objects.filter(parent=district, block=xa)
        if not communes.exists():
            continue
        districts_with_communes += 1
        assert communes.count() >= 8
        pnv = Unit.objects.get(parent=district, kind=Unit.Kind.OFFICE)
        assert pnv.admin_root == district
        assert pnv.name.startswith("Phòng Nội vụ")
    assert districts_with_communes >= 2


def test_every_assessed_unit_has_an_officer_and_a_leader(demo):
    for unit in Unit.objects.filter(block__isnull=False):
        roles = set(unit.memberships.values_list("role", flat=True))
        assert {Membership.Role.UNIT_OFFICER, Membership.Role.UNIT_LEADER} <= roles, unit


def test_the_printed_accounts_exist_and_log_in_with_the_demo_password(demo, client):
    for _label, username, full_name, _unit, role in data.PERSONAS:
        user = User.objects.get(username=username)
        assert user.full_name == full_name
        assert user.check_password(data.DEMO_PASSWORD)
        if role == "superuser":
            assert user.is_superuser
        else:
            assert user.memberships.filter(role=role).exists()
    assert client.login(username="quantri", password=data.DEMO_PASSWORD)


def test_its_frameworks_are_valid_and_worth_100_points(demo):
    frameworks = Framework.objects.all()
    assert {f.block.code for f in frameworks} == {"so", "huyen", "xa"}
    rule_types = set()
    for framework in frameworks:
        engine = framework_to_engine(framework)
        assert engine.max_total == Decimal(100), framework.code
        assert 40 <= len(engine.leaves()) <= 90, framework.code
        rule_types |= {leaf.rule.type for leaf in engine.leaves()}
    assert rule_types == {
        "choice", "boolean", "number", "ratio", "count", "deduction", "relative", "survey"
    }  # fmt: skip
    this_year = timezone.localdate().year
    so_now = Framework.objects.get(code=f"BG-SO-{this_year}")
    assert so_now.based_on == Framework.objects.get(code=f"BG-SO-{this_year - 1}")
    node = FrameworkNode.objects.get(framework=so_now, code="7.1")
    assert "kể cả văn bản nội bộ" in node.title
    # Each district's Phòng Nội vụ owns its own commune framework.
    owners = set(Framework.objects.filter(block__code="xa").values_list("owner__code", flat=True))
    assert owners == {f"{d}-PNV" for d in data.COMMUNES}


def test_last_years_period_is_complete_and_published(demo):
    last = timezone.localdate().year - 1
    period = Period.objects.get(organizer__code=data.ORGANIZER, year=last)
    assessments = Assessment.objects.filter(period=period)
    assert assessments.count() == Unit.objects.filter(block__code__in=["so", "huyen"]).count()
    assert set(assessments.values_list("status", flat=True)) == {Status.FINALIZED}
    entries = Entry.objects.filter(assessment__period=period)
    self_leaves = entries.filter(node__source="self", not_applicable=False)
    assert not self_leaves.filter(value="").exists()
    assert not self_leaves.filter(round2_score__isnull=True).exists()
    assert not self_leaves.filter(round1_score__isnull=True).exists()
    assert entries.filter(not_applicable=True).exists()
    assert self_leaves.exclude(round1_note="").exists()  # some scores were adjusted
    survey = entries.filter(node__source="survey")
    assert not survey.filter(survey_score__isnull=True).exists()
    indices = [a.final_points for a in assessments]
    assert all(Decimal(55) < p < Decimal(102) for p in indices), indices
    assert max(indices) - min(indices) > Decimal(8)


def test_this_years_period_is_in_self_assessment_with_some_work_done(demo):
    year = timezone.localdate().year
    period = Period.objects.prefetch_related("phases").get(
        organizer__code=data.ORGANIZER, year=year
    )
    assert current_phase(period) == Phase.SELF_ASSESSMENT
    ends = next(p.ends_on for p in period.phases.all() if p.phase == Phase.SELF_ASSESSMENT)
    assert (ends - timezone.localdate()).days == 10
    statuses = list(Assessment.objects.filter(period=period).values_list("status", flat=True))
    assert statuses.count(Status.SUBMITTED) == 2
    assert statuses.count(Status.PENDING_APPROVAL) == 1
    assert Entry.objects.filter(assessment__period=period).exclude(value="").exists()
    communes = Period.objects.get(organizer__code="YDU-PNV", year=year)
    assert current_phase(communes) == Phase.SELF_ASSESSMENT


def test_running_it_again_changes_nothing(demo):
    before = counts()
    call_command("demo", "--no-serve", verbosity=0)
    assert counts() == before
