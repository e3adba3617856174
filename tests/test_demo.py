"""``parindex demo --no-serve`` builds a believable province through the services, once.

One build per module (it takes tens of seconds): the checks below share it.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from parindex.accounts.models import Block, Membership, Unit, User
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.selectors import assessment_missing
from parindex.audit.models import AuditEvent
from parindex.common.management.commands import demo as demo_command
from parindex.demo import data
from parindex.evidence.models import EvidenceFile
from parindex.evidence.pdf import inspect_pdf
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.calendar import current_phase, self_assessment_deadline
from parindex.periods.models import Period, Phase

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo once for the module (evidence files in a temporary folder), and remove
    it afterwards."""
    media = tmp_path_factory.mktemp("demo-media")
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": media, "base_url": "/_unused_/"},
    }
    from django.conf import settings

    with (
        override_settings(STORAGES={**settings.STORAGES, "default": storage}),
        django_db_blocker.unblock(),
    ):
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", "--no-serve", verbosity=0)
            yield media
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


def test_its_evidence_files_are_real_pdfs_some_of_them_signed(demo):
    files = EvidenceFile.objects.all()
    assert files.count() > 500
    statuses = list(files.values_list("signature_status", flat=True))
    signed = statuses.count(EvidenceFile.SignatureStatus.SIGNED_INTACT)
    assert 0.2 < signed / len(statuses) < 0.5
    assert set(statuses) == {
        EvidenceFile.SignatureStatus.UNSIGNED,
        EvidenceFile.SignatureStatus.SIGNED_INTACT,
    }
    sample = files.filter(signature_status=EvidenceFile.SignatureStatus.SIGNED_INTACT).first()
    with default_storage.open(sample.storage_name) as stored:
        report = inspect_pdf(stored)
    assert report.status == EvidenceFile.SignatureStatus.SIGNED_INTACT
    signer = report.signatures[0]
    assert signer.organization.endswith("Bắc Giang")
    assert User.objects.filter(full_name=signer.signer).exists()
    names = set(files.values_list("original_name", flat=True))
    year = timezone.localdate().year
    assert f"QD-ban-hanh-KH-CCHC-{year}.pdf" in names
    assert f"KH CCHC nam {year - 1}.pdf" in names


def test_every_unit_that_worked_has_evidence_uploaded_within_its_window(demo):
    year = timezone.localdate().year
    for a in Assessment.objects.filter(period__year=year - 1):
        assert a.evidence_files.exists(), a.unit.code
    for a in Assessment.objects.filter(period__year=year).prefetch_related("period__phases"):
        files = list(a.evidence_files.all())
        declared = Entry.objects.filter(assessment=a).exclude(value="").exists()
        assert bool(files) == declared, a.unit.code
        deadline = self_assessment_deadline(a.period, a)
        assert all(f.uploaded_at <= deadline for f in files)


def test_units_shown_as_sent_are_complete_and_partly_filled_ones_are_not(demo):
    year = timezone.localdate().year
    sent = Assessment.objects.filter(
        period__year=year, status__in=[Status.SUBMITTED, Status.PENDING_APPROVAL]
    )
    assert sent.count() == 3
    for a in sent:
        assert assessment_missing(a) == [], a.unit.code
        assert a.evidence_files.exists()
    for a in Assessment.objects.filter(period__year=year - 1)[:6]:
        assert assessment_missing(a) == [], a.unit.code
    drafts = Assessment.objects.filter(period__year=year, status=Status.DRAFT)
    partly = [a for a in drafts if Entry.objects.filter(assessment=a).exclude(value="").exists()]
    assert len(partly) >= 6
    assert all(assessment_missing(a) for a in partly)


def test_every_account_has_an_address_under_the_provinces_domain(demo):
    emails = dict(User.objects.values_list("username", "email"))
    assert all(e.endswith("bacgiang.gov.vn") for e in emails.values()), emails
    assert emails["cv.stp"] == "cv.stp@stp.bacgiang.gov.vn"
    assert emails["quantri"] == "quantri@snv.bacgiang.gov.vn"
    assert emails["cv.tanlieu"] == "cv.tanlieu@tanlieu.yendung.bacgiang.gov.vn"


def test_the_serve_loop_queues_reminders_and_survives_a_failure(demo, monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    command = demo_command.Command(stdout=out, stderr=err)
    command.send_reminders()
    assert "Đã xếp hàng gửi thư nhắc" in out.getvalue()

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(demo_command, "call_command", broken)
    command.send_reminders()
    assert "Không xếp hàng được thư nhắc: database is locked" in err.getvalue()
