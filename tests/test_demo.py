"""``parindex demo --no-serve`` builds a believable province through the services, once.

One build per module (it takes tens of seconds): the checks below share it.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from parindex.accounts.models import Block, Membership, TwoFactorDevice, Unit, User
from parindex.appraisal.models import Answer, AppraisalState, Decision, PeriodAppraisal
from parindex.appraisal.services.rounds import undecided
from parindex.assessments.completeness import assessment_missing
from parindex.assessments.models import Assessment, Entry, Status
from parindex.audit.models import AuditEvent
from parindex.demo import data
from parindex.demo.management.commands import demo as demo_command
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
    # every appraised leaf has its round-1 decision (Đồng ý leaves the round's score empty)
    decided = Decision.objects.filter(entry__assessment__period=period, round=1, current=True)
    assert decided.count() == entries.exclude(node__source="survey").count()
    assert entries.filter(not_applicable=True).exists()
    assert self_leaves.exclude(round1_note="").exists()  # some scores were adjusted
    assert self_leaves.filter(round1_score__isnull=False).exists()
    survey = entries.filter(node__source="survey")
    assert not survey.filter(survey_score__isnull=True).exists()
    indices = [a.final_points for a in assessments]
    assert all(Decimal(55) < p < Decimal(102) for p in indices), indices
    assert max(indices) - min(indices) > Decimal(8)


def test_every_finished_period_is_appraised_finalized_and_archived(demo):
    """Before: Yên Dũng's communes of last year were "Lưu trữ" but still "Đã gửi", with no
    round scores and no final score."""
    from parindex.assessments.models import StatusChange

    last = timezone.localdate().year - 1
    finished = Period.objects.prefetch_related("phases").filter(year=last)
    assert {p.organizer.code for p in finished} == {data.ORGANIZER, "YDU-PNV"}
    for period in finished:
        assert period.closed, period.name
        assert current_phase(period) == Phase.ARCHIVE
        assessments = Assessment.objects.filter(period=period)
        assert assessments.exists()
        assert set(assessments.values_list("status", flat=True)) == {Status.FINALIZED}
        assert not assessments.filter(final_points__isnull=True).exists()
        # round 1 decided every leaf, round 2 every leaf adjusted or asked about in round 1
        assert not undecided(period, 1, assessments), period.name
        assert not undecided(period, 2, assessments), period.name
        assert Decision.objects.filter(entry__assessment__period=period, round=2).exists()
        state = PeriodAppraisal.objects.get(period=period)
        assert state.review == PeriodAppraisal.Review.APPROVED, period.name
        assert state.decision_number and state.decision_date and state.decision_file
        steps = set(
            StatusChange.objects.filter(assessment__period=period).values_list(
                "new_status", flat=True
            )
        )
        assert {Status.APPRAISAL_1, Status.APPRAISAL_2, Status.APPRAISED} <= steps
    communes = Assessment.objects.filter(period__organizer__code="YDU-PNV", period__year=last)
    assert communes.count() >= 8
    chairs = set(
        StatusChange.objects.filter(
            assessment__in=communes, new_status=Status.FINALIZED
        ).values_list("actor__username", flat=True)
    )
    assert chairs == {"chutich.ydu"}  # the district's own council, not the province's


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
    # The loop closes its connections after each run (no lock held while idle); here that
    # would close the test's own connection inside the demo's transaction on PostgreSQL.
    monkeypatch.setattr(demo_command.connections, "close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()
    command = demo_command.Command(stdout=out, stderr=err)
    mail.outbox.clear()
    command.send_reminders()
    assert "Đã xếp hàng gửi thư nhắc" in out.getvalue()
    # the appraisal's reminders run with them: Yên Dũng's round 1 ends in three days (its
    # appraisers with leaves left), Tân Yên's Giải trình, bổ sung in two (units not sent)
    assert "Đã xếp hàng thư nhắc thẩm định cho" in out.getvalue()
    subjects = [m.subject for m in mail.outbox]
    assert any("Còn 3 ngày đến hạn thẩm định lần 1" in s for s in subjects), subjects
    assert any("Còn 2 ngày đến hạn gửi giải trình, bổ sung" in s for s in subjects), subjects

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(demo_command, "call_command", broken)
    command.send_reminders()
    assert "Không xếp hàng được thư nhắc: database is locked" in err.getvalue()


# ---------------------------------------------------------------- one scoring path (issue 6 §1


def _cli(tmp_path, name: str, framework, values: str) -> dict:
    """``parindex score`` on the framework exported as YAML and a values CSV (JSON results)."""
    import json

    from parindex.engine.cli import main
    from parindex.frameworks.files import dump_yaml
    from parindex.frameworks.selectors import framework_to_spec_dict

    fw_file, values_file, out = (tmp_path / f"{name}.{x}" for x in ("yaml", "csv", "json"))
    fw_file.write_text(dump_yaml(framework_to_spec_dict(framework)), encoding="utf-8")
    values_file.write_text(values, encoding="utf-8")
    assert main([str(fw_file), str(values_file), "--format", "json", "-o", str(out)]) == 0
    return {u["unit"]: u for u in json.loads(out.read_text(encoding="utf-8"))["units"]}


def _r(value):
    from parindex.engine.results import round2

    return None if value is None else round2(value)


def test_the_web_scores_every_assessment_as_parindex_score_does(demo, tmp_path):
    """For every assessment of the demo: the period table's final points, max, index and
    every node (domain) equal ``parindex score`` on the exported framework and the period's
    values file with appraised points; the report's self-assessed points per domain equal it
    on the self-assessment values, its max less only the survey and pending relative leaves."""
    from parindex.assessments import scoring
    from parindex.assessments.period_selectors import period_detail
    from parindex.reports.selectors import self_assessment_report_data

    checked = 0
    for period in Period.objects.all():
        detail = period_detail(period)
        groups: dict[int, list[Assessment]] = {}
        for row in detail["blocks"]:
            for a in row.assessments:
                groups.setdefault(a.framework_id, []).append(a)
        for fw_id, items in groups.items():
            framework = items[0].framework
            engine_fw = framework_to_engine(framework)
            final = _cli(tmp_path, f"p{period.pk}-{fw_id}", framework, scoring.values_csv(items))
            for a in items:
                cli = final[a.unit.code]
                web = a.scores[scoring.FINAL]
                assert (_r(a.final_points), _r(web.max), _r(web.index)) == (
                    cli["points"],
                    cli["max"],
                    cli["index"],
                ), a
                for code, node in web.nodes.items():
                    assert [_r(node.points), _r(node.max), _r(node.index)] == [
                        cli["nodes"][code][k] for k in ("points", "max", "index")
                    ], (a, code)
                if a.status in {Status.FINALIZED}:
                    assert _r(a.index) == cli["index"]
                # the self stage: the report
                own = _cli(tmp_path, f"a{a.pk}", framework, scoring.values_csv([a], scoring.SELF))[
                    a.unit.code
                ]
                report = self_assessment_report_data(a)
                assert _r(report.self_points) == own["points"], a
                entries = {e.node.code: e for e in a.entries.select_related("node")}
                left_out = Decimal(0)
                for leaf in engine_fw.leaves():
                    relative = leaf.rule is not None and leaf.rule.type == "relative"
                    na = entries[leaf.code].value.upper() == "NA"
                    if not leaf.bonus and (leaf.source == "survey" or relative and not na):
                        left_out += leaf.max
                assert _r(report.self_max) == _r(Decimal(str(own["max"])) - left_out), a
                for row in report.summary:
                    if row.kind == "domain" and row.points is not None:
                        assert _r(row.points) == own["nodes"][row.stt]["points"], (a, row.stt)
                checked += 1
    assert checked == Assessment.objects.count() > 50


# ---------------------------------------------------------------- the appraisal (issue 7 §7)


def test_last_years_provincial_appraisal_went_through_every_step(demo):
    """Council and assignment, round 1 with reasons and requests, the units' answers, round
    2, the chair's return and approval, the publication decision with its signed PDF."""
    import json
    from collections import Counter

    from parindex.assessments import scoring
    from parindex.periods.models import Assignment, CouncilMember

    last = timezone.localdate().year - 1
    period = Period.objects.get(organizer__code=data.ORGANIZER, year=last)
    council = period.council
    assert council.decision_number and council.decision_date and council.decision_signer
    seats = {m.user.username: m for m in council.members.select_related("user")}
    assert seats["chutich"].position == CouncilMember.Position.CHAIR
    assert {u for u, _n, _unit in data.APPRAISERS} | {"td.stp"} <= set(seats)
    for a in Assignment.objects.filter(period=period).select_related("member", "substitute"):
        assert a.node.parent_id is None  # by domain
        assert a.substitute is not None and a.substitute.unit_id != a.member.unit_id
    assert Assignment.objects.filter(period=period).count() == 18  # 9 domains × 2 blocks

    decisions = Decision.objects.filter(entry__assessment__period=period, current=True)
    adjusted = decisions.filter(round=1, kind=Decision.Kind.ADJUST)
    assert adjusted.count() >= 10
    assert not adjusted.filter(reason="").exists()
    assert not adjusted.filter(score__isnull=True).exists()
    requests = decisions.filter(round=1, kind=Decision.Kind.REQUEST)
    assert requests.exists() and not requests.filter(request="").exists()
    assert decisions.filter(round=1, kind=Decision.Kind.ACCEPT).count() > 1000
    assert Answer.objects.filter(entry__assessment__period=period).exists()
    assert AppraisalState.objects.filter(
        assessment__period=period, answers_sent_at__isnull=False
    ).exists()

    verbs = Counter(
        AuditEvent.objects.filter(
            object_type="periods.period", object_id=str(period.pk), verb__startswith="appraisal."
        ).values_list("verb", flat=True)
    )
    assert verbs["appraisal.round1_open"] == verbs["appraisal.round1_close"] == 1
    assert verbs["appraisal.round2_open"] == 1 and verbs["appraisal.round2_close"] == 2
    assert verbs["appraisal.submit"] == 2 and verbs["appraisal.chair_return"] == 1
    assert verbs["appraisal.approve"] == verbs["appraisal.publication_decision"] == 1

    state = PeriodAppraisal.objects.get(period=period)
    assert state.review == PeriodAppraisal.Review.APPROVED
    assert state.approved_by.username == "chutich"
    assert state.chair_note.startswith("Đề nghị Hội đồng xem xét lại tiêu chí")
    assert state.decision_number == "345/QĐ-UBND" and state.decision_signer == "Vũ Mạnh Hùng"
    assert state.decision_date.year == last
    with default_storage.open(state.decision_file) as stored:
        assert inspect_pdf(stored).status == EvidenceFile.SignatureStatus.SIGNED_INTACT
    items = list(Assessment.objects.filter(period=period).select_related("unit", "framework"))
    blocks = state.snapshot["blocks"]
    assert set(blocks) == {"so", "huyen"}
    for pb in period.blocks.select_related("block"):
        group = [a for a in items if a.framework_id == pb.framework_id]
        expected = json.loads(json.dumps(scoring.results_document(group)))
        assert blocks[pb.block.code]["results"] == expected, pb.block.code


def test_yen_dung_is_in_round_one_and_tan_yen_in_its_supplement_window(demo):
    year = timezone.localdate().year
    ydu = Period.objects.prefetch_related("phases").get(organizer__code="YDU-PNV", year=year)
    assert current_phase(ydu) == Phase.APPRAISAL_1
    items = list(Assessment.objects.filter(period=ydu, status=Status.APPRAISAL_1))
    assert len(items) >= 10
    assert Assessment.objects.get(period=ydu, unit__code="YDU-TIENDUNG").status == Status.DRAFT
    decided = Decision.objects.filter(entry__assessment__period=ydu, round=1, current=True)
    assert decided.exists() and undecided(ydu, 1, items)  # part of the decisions made
    assert ydu.council.members.get(position="chair").user.username == "chutich.ydu"

    tye = Period.objects.prefetch_related("phases").get(organizer__code="TYE-PNV", year=year)
    assert current_phase(tye) == Phase.SUPPLEMENT
    statuses = set(Assessment.objects.filter(period=tye).values_list("status", flat=True))
    assert statuses == {Status.SUPPLEMENT}
    assert Decision.objects.filter(
        entry__assessment__period=tye, round=1, current=True, kind=Decision.Kind.REQUEST
    ).exists()
    asked = Assessment.objects.filter(
        period=tye, entries__decisions__round=1,
        entries__decisions__kind__in=[Decision.Kind.ADJUST, Decision.Kind.REQUEST],
    ).distinct()  # fmt: skip
    sent = AppraisalState.objects.filter(assessment__period=tye, answers_sent_at__isnull=False)
    assert 0 < sent.count() < asked.count()
    assert Answer.objects.filter(entry__assessment__period=tye).exists()
    assert tye.council.members.get(position="chair").user.username == "chutich.tye"


def test_this_years_survey_lists_are_locked_after_their_deadline_but_one_reopened(demo):
    from parindex.survey.models import ListReview, Respondent, Survey

    survey = Survey.objects.get(status=Survey.Status.OPEN)
    sent = set(
        Respondent.objects.filter(survey=survey, listed_by__block__isnull=False).values_list(
            "listed_by_id", flat=True
        )
    )
    reviews = {r.unit_id: r for r in ListReview.objects.filter(survey=survey)}
    assert set(reviews) == sent and len(sent) > 5
    reopened = [r for r in reviews.values() if r.locked_at is None]
    assert len(reopened) == 1 and reopened[0].reopened_until and reopened[0].note
    assert AuditEvent.objects.filter(verb="survey.list_unlock").count() == 1


# ---------------------------------------------------------------- open data (issue 9 §3)


def test_the_open_data_of_every_finished_block_recomputes_its_published_results(
    demo, tmp_path, capsys, monkeypatch
):
    """For every block of the demo's approved periods: ``parindex publish-data`` writes the
    files, and ``parindex score framework.yaml values.csv --units units.csv`` (the real entry
    point) gives ``results.json`` byte for byte — the approved snapshot's document; the
    survey's definition and anonymous responses give, through ``parindex survey``, the survey
    leaves' values whose points are in values.csv; the manifest holds every file's hash."""
    import csv
    import hashlib
    import json

    from django.db import connections

    from parindex.cli import main

    # a command run from argv closes the connections when it ends: not the demo's, here
    monkeypatch.setattr(connections, "close_all", lambda: None)
    approved = PeriodAppraisal.objects.filter(review=PeriodAppraisal.Review.APPROVED)
    checked = []
    for state in approved.select_related("period__organizer"):
        period = state.period
        for code, block in state.snapshot["blocks"].items():
            out = tmp_path / f"{period.organizer.code}-{code}"
            args = ["--year", str(period.year), "--block", code]
            args += ["--organizer", period.organizer.code, "--out", str(out)]
            assert main(["publish-data", *args]) == 0
            recomputed = tmp_path / f"{period.organizer.code}-{code}.json"
            status = main(
                ["score", str(out / "framework.yaml"), str(out / "values.csv"),
                 "--units", str(out / "units.csv"), "-o", str(recomputed)]
            )  # fmt: skip
            assert status == 0, capsys.readouterr().err
            assert recomputed.read_bytes() == (out / "results.json").read_bytes(), code
            assert json.loads(recomputed.read_text(encoding="utf-8")) == block["results"]
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            for name, meta in manifest["files"].items():
                content = (out / name).read_bytes()
                assert meta["sha256"] == hashlib.sha256(content).hexdigest()
                assert meta["size"] == len(content)
            # the survey ran for every finished block: its values × max are values.csv's points
            assert {"survey.yaml", "responses.csv"} <= set(manifest["files"])
            survey_values = tmp_path / f"{period.organizer.code}-{code}-survey.csv"
            status = main(
                ["survey", str(out / "survey.yaml"), str(out / "responses.csv"),
                 "--framework", str(out / "framework.yaml"), "--format", "values",
                 "-o", str(survey_values)]
            )  # fmt: skip
            assert status == 0
            capsys.readouterr()
            maxima = {n.code: n.max for n in framework_to_engine(
                Framework.objects.get(code=manifest["framework"])
            ).leaves()}  # fmt: skip
            with (out / "values.csv").open(encoding="utf-8", newline="") as handle:
                points = {
                    (r["unit"], r["criterion"]): Decimal(r["points"])
                    for r in csv.DictReader(handle)
                    if r["points"]
                }
            with survey_values.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
            assert rows
            for r in rows:
                key = (r["unit"], r["criterion"])
                assert points[key] == (maxima[r["criterion"]] * Decimal(r["value"])).quantize(
                    Decimal("0.000001")
                ), key
            checked.append((period.organizer.code, code))
    assert sorted(checked) == [("SNV", "huyen"), ("SNV", "so"), ("YDU-PNV", "xa")]


def test_last_years_province_and_communes_are_on_the_public_site(demo, client):
    """The 2025 periods (province, Yên Dũng's communes) are published: the public
    list names them, the ranking shows the snapshot, the province's page links the communes."""
    from parindex.publication.models import Publication

    last = timezone.localdate().year - 1
    finished = [
        p
        for p in Period.objects.filter(year=last).select_related("organizer")
        if PeriodAppraisal.objects.filter(period=p, review="approved").exists()
    ]
    assert len(finished) >= 2
    for period in finished:
        # version 1, and the province's version 2 after its accepted appeal: the latest
        # version publishes the (corrected) snapshot
        pub = Publication.objects.filter(period=period).order_by("-version").first()
        assert pub is not None and Publication.objects.filter(period=period, version=1).exists()
        snapshot = PeriodAppraisal.objects.get(period=period).snapshot["blocks"]
        assert [b["results"] for b in pub.content["blocks"]] == [
            snapshot[b["code"]]["results"] for b in pub.content["blocks"]
        ]
    index = client.get("/cong-khai/").content.decode()
    province = next(p for p in finished if p.organizer.code == data.ORGANIZER)
    page = client.get(f"/cong-khai/{data.ORGANIZER}/{last}/so/")
    assert page.status_code == 200
    html = page.content.decode()
    for other in finished:
        if other is not province:
            assert f"/cong-khai/{other.organizer.code}/{last}/" in html
            assert f"/cong-khai/{other.organizer.code}/{last}/" in index
    assert client.get(f"/cong-khai/{data.ORGANIZER}/{last}/so/du-lieu-mo.zip").status_code == 200


def test_last_years_provincial_results_have_an_accepted_appeal_and_a_second_version(demo):
    from parindex.appeals.models import Appeal
    from parindex.publication.models import Publication

    appeal = Appeal.objects.select_related("period", "publication").get()
    assert appeal.status == Appeal.Status.ACCEPTED and appeal.period.year == 2025
    item = appeal.items.select_related("entry").get()
    assert item.accepted and item.score_after == item.entry.round2_score
    v2 = Publication.objects.get(period=appeal.period, version=2)
    assert appeal.publication == v2 and f"kiến nghị số {appeal.pk}" in v2.note
    assert appeal.period.closed  # archived after the appeal window


def test_a_backup_of_the_demo_restores_into_an_empty_database(demo, tmp_path):
    """``parindex backup`` of the whole demo, ``parindex restore`` into an empty SQLite
    database and data folder in a child process (on PostgreSQL CI: PostgreSQL → SQLite):
    the same rows in every table and the same files, byte for byte."""
    import hashlib
    import sqlite3

    from django.apps import apps
    from django.db import transaction

    from parindex.backup.dump import dumped_models
    from tests.backup.helpers import manifest, run

    folder = tmp_path / "backup"
    with transaction.atomic():  # the backup's audit row stays out of the other tests
        call_command("backup", str(folder), verbosity=0)
        transaction.set_rollback(True)
    m = manifest(folder)
    stored = {
        p.relative_to(demo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in demo.rglob("*")
        if p.is_file()
    }
    assert len(stored) > 500
    assert {f["name"]: f["sha256"] for f in m["files"]["items"]} == stored

    target = tmp_path / "target"
    done = run(target, "restore", str(folder))
    assert done.returncode == 0, done.stderr
    restored = {
        p.relative_to(target / "media").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (target / "media").rglob("*")
        if p.is_file()
    }
    assert restored == stored
    db = sqlite3.connect(target / "parindex.sqlite3")
    for model in dumped_models(apps):
        (n,) = db.execute(f'select count(*) from "{model._meta.db_table}"').fetchone()  # noqa: S608
        expected = model._base_manager.count() + (model is AuditEvent)  # + the restore's row
        assert n == expected, model._meta.label
    db.close()
    assert counts()["entries"] > 1000


def test_the_demo_admins_have_the_published_second_factor(demo):
    secrets = dict(TwoFactorDevice.objects.values_list("user__username", "secret"))
    for username in ("hethong", "quantri", "quantri.ydu"):
        assert secrets[username] == data.DEMO_TOTP_SECRET
    assert "cv.stp" not in secrets
