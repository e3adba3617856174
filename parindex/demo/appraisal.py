"""The demo's appraisals, through the appraisal's own services (``parindex.appraisal.services``)
under the demo clock, each step inside its phase of the period's calendar:

- the council (decision number, date, signer; the chair and the appraisers' seats) and the
  assignment by domain, each domain to one appraiser with a substitute from another unit;
- round 1: a few adjustments with reasons (values the evidence supports) and requests, the
  rest by "Đồng ý tất cả tiêu chí còn lại" per domain; round 1 closed;
- the survey (``demo/survey.py``: lists, invitations, answers during the appraisal, its
  points computed and frozen), the units' answers (most units send them), round 2 on the
  leaves asked about, round 2 closed; the consolidation submitted, returned once by the chair with a note,
  settled again and submitted, approved (the frozen snapshot), and the publication decision
  with a signed PDF whose annex is the approved ranking.

The builder (``build.py``) decides how far each period goes; signals are muted by the caller
(last year's and last week's e-mails are not queued now)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from parindex.accounts.models import User
from parindex.appraisal import services as appraisal
from parindex.appraisal.models import Answer, Decision
from parindex.appraisal.selectors.assignment import Plan, plan
from parindex.assessments.models import Assessment, Entry, Status
from parindex.common.errors import DomainError
from parindex.common.numbers import vn_number
from parindex.demo import data
from parindex.demo.clock import at, local
from parindex.demo.documents import Doc
from parindex.demo.render import Issuer, Job, document_html, make_signing_key, run_job
from parindex.engine import RelativeRule
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import CouncilMember, Period, Phase
from parindex.publication.services import period_publish

K = Decision.Kind
P = CouncilMember.Position
Q2 = Decimal("0.01")
Values = dict[tuple[int, str], tuple[str, str]]
# Shares of the units: leaves adjusted (plus the unit's weakness), leaves asked about,
# units answering, units sending their answers.
ADJUST_SHARE = 0.03
REQUEST_SHARE = 0.04
ANSWER_SHARE = 0.85
SEND_SHARE = 0.85
RESTORE_SHARE = 0.4


@dataclass
class Council:
    """A council's spec (``data.province_council`` / ``data.district_council``) and its
    decision."""

    spec: dict[str, Any]
    number: str
    day: dt.date
    signer: str


def calendar(period: Period) -> dict[str, tuple[dt.date, dt.date]]:
    return {p.phase: (p.starts_on, p.ends_on) for p in period.phases.all()}


def spread(start: dt.date, days: int, i: int, n: int, hour: int = 8) -> dt.datetime:
    """The i-th of n moments spread over ``days`` days from ``start`` (working hours)."""
    day = start + dt.timedelta(days=i * max(0, days) // max(1, n))
    return local(day, hour + i % 8, (i * 7) % 60)


class Steps:
    def __init__(self, builder: Any) -> None:  # demo.build.Builder (it imports this module)
        self.b = builder
        self.rng = builder.rng

    # ------------------------------------------------------------------ council

    def seat_council(self, period: Period, admin: User, council: Council) -> None:
        """The council, its members and the assignment by domain (every framework of the
        period has the domains 1–9)."""
        users = self.b.users
        units = self.b.units
        spec = council.spec
        row = appraisal.council_for(period)
        appraisal.council_update(
            actor=admin,
            council=row,
            name=spec["name"],
            decision_number=council.number,
            decision_date=council.day,
            decision_signer=council.signer,
        )
        username, unit, title = spec["chair"]
        appraisal.member_add(
            actor=admin, council=row, user=users[username], unit=units[unit],
            position=P.CHAIR, title=title,
        )  # fmt: skip
        seats: dict[str, CouncilMember] = {}
        for username, unit, position, title in spec["members"]:
            user = users[username]
            seats[username] = appraisal.member_add(
                actor=admin, council=row, user=user, unit=units[unit], position=position,
                title=title or user.job_title,
            )  # fmt: skip
        self.assign(period, admin, spec, seats)

    def assign(
        self, period: Period, admin: User, spec: dict[str, Any], seats: dict[str, CouncilMember]
    ) -> None:
        domains = FrameworkNode.objects.filter(
            framework_id__in=period.blocks.values("framework_id"), parent__isnull=True
        ).order_by("framework_id", "position")
        for domain in domains:
            who, substitute = spec["domains"][domain.code]
            appraisal.assignment_set(
                actor=admin, period=period, node=domain, member=seats[who],
                substitute=seats[substitute],
            )  # fmt: skip

    def copy_council(self, period: Period, source: Period, admin: User, council: Council) -> None:
        """This year's council: last year's members and assignment copied, a new decision."""
        row = appraisal.council_for(period)
        appraisal.council_copy(actor=admin, council=row, source=source)
        appraisal.council_update(
            actor=admin,
            council=row,
            name=council.spec["name"],
            decision_number=council.number,
            decision_date=council.day,
            decision_signer=council.signer,
        )
        appraisal.assignment_copy(actor=admin, period=period, source=source)

    # ------------------------------------------------------------------ round 1

    def decider(self, the_plan: Plan, a: Assessment, node: FrameworkNode) -> User | None:
        seats = the_plan.appraisers(a.unit_id, node)
        return seats[0].user if seats else None

    def round_one(
        self,
        period: Period,
        items: list[Assessment],
        values: Values,
        *,
        start: dt.date,
        days: int,
        finished: int | None = None,
    ) -> None:
        """The appraisers' round-1 decisions on every leaf of the first ``finished`` units
        (all by default); the next unit gets its adjustments and requests and part of its
        domains, the others nothing yet."""
        the_plan = plan(period)
        domains = self.domains(period)
        finished = len(items) if finished is None else finished
        for i, a in enumerate(items):
            if i > finished:
                break
            with at(spread(start, days, i, len(items))):
                self.adjust_and_ask(the_plan, a, values)
                own = domains[a.framework_id]
                for domain in own if i < finished else own[: len(own) // 2]:
                    self.accept_rest(the_plan, a, domain, 1)

    def domains(self, period: Period) -> dict[int, list[FrameworkNode]]:
        out: dict[int, list[FrameworkNode]] = {}
        rows = FrameworkNode.objects.filter(
            framework_id__in=period.blocks.values("framework_id"), parent__isnull=True
        ).order_by("position")
        for node in rows:
            out.setdefault(node.framework_id, []).append(node)
        return out

    def accept_rest(self, the_plan: Plan, a: Assessment, domain: FrameworkNode, round: int) -> None:
        actor = self.decider(the_plan, a, domain)
        if actor is None:
            return
        try:
            appraisal.decisions_accept_rest(actor=actor, assessment=a, domain=domain, round=round)
        except DomainError:
            pass  # nothing left in this domain (survey leaves only, or all decided)

    def adjust_and_ask(self, the_plan: Plan, a: Assessment, values: Values) -> None:
        b, rng = self.b, self.rng
        engine = framework_to_engine(a.framework)
        weak = 1 - b.quality[a.unit.code]
        for entry in b.entries(a):
            if entry.node.source != FrameworkNode.Source.SELF or entry.not_applicable:
                continue
            node = engine.node(entry.node.code)
            if isinstance(node.rule, RelativeRule):
                continue  # scored against the block's best: agreed or asked, never adjusted
            actor = self.decider(the_plan, a, entry.node)
            value, value2 = values.get((a.pk, entry.node.code), (entry.value, entry.value2))
            draw = rng.random()
            if draw < ADJUST_SHARE + weak / 3:
                worse = b.worse(node, value, value2)
                lower = b.points(node, *worse) if worse else None
                if worse is None or lower is None or entry.self_score is None:
                    continue
                if lower >= entry.self_score:
                    continue
                appraisal.decision_record(
                    actor=actor, entry=entry, round=1, kind=K.ADJUST, value=worse[0],
                    value2=worse[1], reason=rng.choice(data.ROUND1_NOTES), the_plan=the_plan,
                )  # fmt: skip
            elif draw < ADJUST_SHARE + weak / 3 + REQUEST_SHARE:
                appraisal.decision_record(
                    actor=actor, entry=entry, round=1, kind=K.REQUEST,
                    request=rng.choice(data.ROUND1_REQUESTS), the_plan=the_plan,
                )  # fmt: skip

    # ------------------------------------------------------------------ the units' answers

    def asked(self, items: Iterable[Assessment]) -> dict[int, list[Decision]]:
        """The current round-1 adjustments and requests, by assessment, in framework order."""
        out: dict[int, list[Decision]] = {}
        rows = (
            Decision.objects.filter(
                entry__assessment__in=list(items),
                round=1,
                current=True,
                kind__in=[K.ADJUST, K.REQUEST],
            )  # fmt: skip
            .select_related("entry__node", "entry__assessment__framework")
            .order_by("entry__node__position")
        )
        for d in rows:
            out.setdefault(d.entry.assessment_id, []).append(d)
        return out

    def answers(
        self,
        items: list[Assessment],
        values: Values,
        *,
        start: dt.date,
        days: int,
        send: float = SEND_SHARE,
        answered: int | None = None,
    ) -> set[int]:
        """The units answer what they were asked (the officer), most leaders send; the first
        ``answered`` units only (all by default). Returns the assessments that sent."""
        b, rng = self.b, self.rng
        asked = self.asked(items)
        sent: set[int] = set()
        todo = [a for a in items if a.pk in asked]
        for i, a in enumerate(todo[:answered] if answered is not None else todo):
            officer, leader = b.officers[a.unit.code], b.leaders[a.unit.code]
            engine = framework_to_engine(a.framework)
            moment = spread(start, days, i, len(todo), hour=8)
            wrote = False
            with at(moment):
                for d in asked[a.pk]:
                    if rng.random() > ANSWER_SHARE:
                        continue
                    entry = d.entry
                    value = value2 = ""
                    if d.kind == K.REQUEST and rng.random() < 0.3:
                        # The unit checks its figures again and corrects them.
                        declared = values.get((a.pk, entry.node.code), (entry.value, entry.value2))
                        worse = b.worse(engine.node(entry.node.code), *declared)
                        if worse is not None:
                            value, value2 = worse
                    text = (
                        data.ANSWERS[2]
                        if value
                        else rng.choice([*data.ANSWERS[:2], *data.ANSWERS[3:]])
                    )
                    appraisal.answer_save(
                        actor=officer, entry=entry, text=text, value=value, value2=value2
                    )
                    wrote = True
            if wrote and rng.random() < send:
                with at(moment + dt.timedelta(days=1, hours=2)):
                    appraisal.answers_send(actor=leader, assessment=a)
                sent.add(a.pk)
        return sent

    # ------------------------------------------------------------------ round 2

    def round_two(
        self,
        period: Period,
        items: list[Assessment],
        values: Values,
        sent: set[int],
        *,
        start: dt.date,
        days: int,
    ) -> None:
        """Each leaf asked about is settled: a request answered is agreed with (or the
        corrected values adopted), one left unanswered lowered when the evidence allows; an
        adjustment is kept, or reversed for some units that explained."""
        b, rng = self.b, self.rng
        the_plan = plan(period)
        asked = self.asked(items)
        answers = {
            ans.entry_id: ans
            for ans in Answer.objects.filter(entry__assessment__in=[a.pk for a in items])
        }
        for i, a in enumerate(items):
            engine = framework_to_engine(a.framework)
            with at(spread(start, days, i, len(items))):
                for d in asked.get(a.pk, []):
                    entry: Entry = d.entry
                    actor = self.decider(the_plan, a, entry.node)
                    ans = answers.get(entry.pk) if a.pk in sent else None
                    declared = values.get((a.pk, entry.node.code), (entry.value, entry.value2))
                    kind, value, value2, reason = K.ACCEPT, "", "", data.ROUND2_KEEP
                    if d.kind == K.REQUEST:
                        reason = data.ROUND2_REQUEST_OK
                        if ans is not None and (ans.value or ans.value2):
                            kind, value, value2 = K.ADJUST, ans.value, ans.value2
                            reason = data.ROUND2_ADOPT
                        elif ans is None:
                            reason = data.ROUND2_REQUEST_SILENT
                            node = engine.node(entry.node.code)
                            worse = None if isinstance(node.rule, RelativeRule) else (
                                b.worse(node, *declared)
                            )  # fmt: skip
                            lower = b.points(node, *worse) if worse else None
                            if worse and lower is not None and lower < (entry.self_score or 0):
                                kind, (value, value2) = K.ADJUST, worse
                                reason = data.ROUND2_REQUEST_NO
                    elif ans is not None and rng.random() < RESTORE_SHARE:
                        kind, (value, value2) = K.ADJUST, declared
                        reason = data.ROUND2_ACCEPT
                    appraisal.decision_record(
                        actor=actor, entry=entry, round=2, kind=kind, value=value,
                        value2=value2, reason=reason, the_plan=the_plan,
                    )  # fmt: skip

    # ------------------------------------------------------------------ the whole appraisal

    def complete(
        self,
        period: Period,
        admin: User,
        chair: User,
        values: Values,
        *,
        chair_returns: bool,
        publication: tuple[str, Issuer],
    ) -> None:
        """Every sent assessment of a past period through the two rounds to the chair's
        approval and the publication decision, each step in its phase."""
        cal = calendar(period)
        items = list(
            Assessment.objects.filter(period=period, status=Status.SUBMITTED)
            .select_related("unit", "framework", "period")
            .order_by("unit__position", "unit__name")
        )
        a1, sup, a2 = cal[Phase.APPRAISAL_1], cal[Phase.SUPPLEMENT], cal[Phase.APPRAISAL_2]
        con, app = cal[Phase.CONSOLIDATION], cal[Phase.APPROVAL]
        # The survey runs during the appraisal and is frozen before round 2 closes.
        self.b.surveys.past(period, admin, opens=a1[0], closes=a2[1] - dt.timedelta(days=1))
        with at(local(a1[0], 8)):
            appraisal.round_open(actor=admin, period=period, round=1)
        self.round_one(period, items, values, start=a1[0], days=(a1[1] - a1[0]).days - 1)
        with at(local(a1[1], 16)):
            appraisal.round_close(actor=admin, period=period, round=1)
        sent = self.answers(items, values, start=sup[0], days=(sup[1] - sup[0]).days - 2)
        with at(local(a2[0], 8)):
            appraisal.round_open(actor=admin, period=period, round=2)
        self.round_two(period, items, values, sent, start=a2[0], days=(a2[1] - a2[0]).days - 1)
        with at(local(a2[1], 16)):
            appraisal.round_close(actor=admin, period=period, round=2)
        with at(local(con[0], 10)):
            appraisal.consolidation_submit(
                actor=admin, period=period,
                note="Kính trình Chủ tịch Hội đồng xem xét, phê duyệt kết quả thẩm định.",
            )  # fmt: skip
        if chair_returns:
            self.chair_returns_once(period, admin, chair, items, con[0])
        with at(local(app[0] + dt.timedelta(days=1), 16)):
            appraisal.chair_approve(
                actor=chair, period=period,
                note=f"Phê duyệt kết quả Chỉ số CCHC năm {period.year}.",
            )  # fmt: skip
        number, issuer = publication
        self.publish(period, admin, issuer, number, app[0] + dt.timedelta(days=3))

    def chair_returns_once(
        self, period: Period, admin: User, chair: User, items: list[Assessment], day: dt.date
    ) -> None:
        """The chair sends the results back once about an adjustment kept in round 2; the
        council restores the declared values, the organizer closes round 2 and submits."""
        kept = (
            Decision.objects.filter(
                entry__assessment__in=[a.pk for a in items],
                round=2,
                current=True,
                kind=K.ACCEPT,
                entry__decisions__round=1,
                entry__decisions__current=True,
                entry__decisions__kind=K.ADJUST,
            )  # fmt: skip
            .select_related("entry__node", "entry__assessment__unit")
            .order_by("entry__assessment__unit__position", "entry__node__position")
            .first()
        )
        with at(local(day + dt.timedelta(days=1), 15)):
            entry = kept.entry if kept else None
            note = (
                data.CHAIR_RETURN.format(code=entry.node.code, unit=entry.assessment.unit.name)
                if entry
                else "Đề nghị Hội đồng rà soát lại các tiêu chí đã điều chỉnh điểm."
            )
            appraisal.chair_return(actor=chair, period=period, note=note)
        with at(local(day + dt.timedelta(days=2), 10)):
            if entry is not None:
                a = entry.assessment
                actor = self.decider(plan(period), a, entry.node)
                appraisal.decision_record(
                    actor=actor, entry=entry, round=2, kind=K.ADJUST, value=entry.value,
                    value2=entry.value2, reason=data.CHAIR_RECHECK,
                )  # fmt: skip
            appraisal.round_close(actor=admin, period=period, round=2)
        with at(local(day + dt.timedelta(days=2), 15)):
            appraisal.consolidation_submit(
                actor=admin, period=period,
                note="Đã thẩm định lại theo ý kiến của Chủ tịch Hội đồng; kính trình phê duyệt.",
            )  # fmt: skip

    # ------------------------------------------------------------------ publication

    def publish(
        self, period: Period, admin: User, issuer: Issuer, number: str, day: dt.date
    ) -> None:
        """The publication decision: its number, date, signer and the signed PDF (the
        approved ranking as its annex); then the publication (version 1)."""
        if day.weekday() >= 5:  # signed on a working day
            day += dt.timedelta(days=7 - day.weekday())
        pdf = self.decision_pdf(period, issuer, number, day)
        # The demo's own file is parsed in this process, as its evidence is (inspect_timeout=0).
        with at(local(day, 15)), override_settings(EVIDENCE_INSPECT_SECONDS=0):
            state = appraisal.publication_decision_record(
                actor=admin, period=period, number=f"{number}/QĐ-{issuer.abbr}", date=day,
                signer=issuer.signer, upload=pdf,
            )  # fmt: skip
        self.b.papers.stored.append(state.decision_file)
        # ... and publishes the results on the public site the same afternoon.
        with at(local(day, 17)):
            period_publish(actor=admin, period=period)

    def decision_pdf(
        self, period: Period, issuer: Issuer, number: str, day: dt.date
    ) -> SimpleUploadedFile:
        year = period.year
        doc = Doc(
            "QD",
            f"Về việc công bố Chỉ số cải cách hành chính năm {year}",
            f"QD-cong-bo-Chi-so-CCHC-{year}.pdf",
            day.month,
            day.day,
            [
                f"Điều 1. Công bố Chỉ số cải cách hành chính năm {year} theo kết quả thẩm "
                "định đã được Chủ tịch Hội đồng thẩm định phê duyệt (chi tiết tại Phụ lục kèm "
                "theo Quyết định này).",
            ],
        )
        signing = self.b.papers.keys.get(issuer.code)
        if signing is None:
            signing = self.b.papers.keys[issuer.code] = make_signing_key(
                issuer.signer, issuer.org, year
            )
        when = local(day, 16, 10)
        stamp = (
            f"Ký bởi: {html.escape(issuer.signer)}<br>Cơ quan: {html.escape(issuer.org)}"
            f"<br>Thời gian ký: {when:%d/%m/%Y %H:%M}"
        )
        body = document_html(
            doc, issuer, subject=doc.subject, day=day, number=int(number), year=year,
            facts={"num": "", "den": "", "pct": ""}, stamp=stamp, seed=self.rng.randrange(1 << 30),
        )  # fmt: skip
        body += ranking_annex(period)
        data_ = run_job(Job(html=body, signing=signing, when=when, location=issuer.place))
        return SimpleUploadedFile(doc.filename, data_, "application/pdf")


def ranking_annex(period: Period) -> str:
    """The approved results, block by block, ranked (from the frozen snapshot)."""
    e = html.escape
    snapshot = period.appraisal.snapshot or {}
    parts = [f"<div class='annex'><p class='mid'>PHỤ LỤC<br>CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM "
             f"{period.year}</p>"]  # fmt: skip
    for block in snapshot.get("blocks", {}).values():
        units = sorted(block["results"]["units"], key=lambda u: (u["rank"] or 0, u["unit"]))
        rows = "".join(
            f"<tr><td>{u['rank']}</td><td>{e(u['name'])}</td>"
            f"<td>{vn_number(Decimal(str(u['points'])), 2)}</td>"
            f"<td>{vn_number(Decimal(str(u['index'])), 2) if u['index'] is not None else ''}"
            f"</td></tr>"
            for u in units
        )
        parts.append(
            f"<p><b>{e(block['block'])}</b></p><table><tr><th>Xếp hạng</th><th>Đơn vị</th>"
            f"<th>Điểm đạt được</th><th>Chỉ số (%)</th></tr>{rows}</table>"
        )
    parts.append("</div>")
    return "".join(parts)
