"""The demo's sociological surveys (điều tra xã hội học), through the survey's services:

- the survey of each block of last year's provincial period and of Yên Dũng's commune
  period: the definition (one question per survey leaf of the block's framework, asked of
  the HĐND delegates and the leaders of the other level, the citizens' questions and the
  SIPAS factors for the citizens), the sample design, the lists (the units list the citizens
  they served, the Sở Nội vụ the delegates and leaders), the invitations, the answers during
  the appraisal, the survey closed, its points computed and frozen before the consolidation
  goes to the chair — so last year's survey points are the survey's, exactly;
- this year's survey of the block sở: lists imported by most departments, invitations sent,
  about 60 % answered (by the link, a few by the public link/QR and on paper by the post
  office's enumerator), a few responses waiting in the review queue.

Answers follow the unit's quality (``Builder.quality``) with their own random generator, so
the rest of the demo does not change when the survey does."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from decimal import Decimal
from typing import Any

from parindex.accounts.models import Unit, User
from parindex.demo.clock import at, local
from parindex.engine import SurveyOption
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period, PeriodBlock
from parindex.survey.definition import engine_survey, questions_for
from parindex.survey.models import Respondent, Response, Survey
from parindex.survey.services import (
    invitations,
    lifecycle,
    paper,
    points,
    quota,
    respondents,
    review,
)
from parindex.survey.services.intake import response_submit
from parindex.survey.xlsx_lists import ListRow

SCALE = [
    {"key": "A", "label": "Rất tốt", "weight": 100, "satisfied": True},
    {"key": "B", "label": "Tốt", "weight": 75, "satisfied": True},
    {"key": "C", "label": "Bình thường", "weight": 50},
    {"key": "D", "label": "Chưa tốt", "weight": 0},
    {"key": "E", "label": "Không đánh giá được"},
]
SATISFACTION = [
    {"key": "1", "label": "Rất hài lòng", "weight": 100, "satisfied": True},
    {"key": "2", "label": "Hài lòng", "weight": 75, "satisfied": True},
    {"key": "3", "label": "Bình thường", "weight": 50},
    {"key": "4", "label": "Không hài lòng", "weight": 0},
]
FACTORS = [
    ("tiep_can", "Ông/bà có dễ dàng tiếp cận thông tin về thủ tục hành chính của cơ quan?"),
    ("thu_tuc", "Ông/bà hài lòng thế nào với thủ tục hành chính (hồ sơ, thời hạn, phí, lệ phí)?"),
    ("cong_chuc", "Ông/bà hài lòng thế nào với thái độ, năng lực của công chức tiếp nhận hồ sơ?"),
    ("ket_qua", "Ông/bà hài lòng thế nào với kết quả giải quyết thủ tục hành chính?"),
]
# The leaders of the other level who rate a block's units (their seat: the block's code).
LEADERS = {
    "so": ("LDHUYEN", "Lãnh đạo UBND các huyện, thị xã, thành phố"),
    "huyen": ("LDSO", "Lãnh đạo các sở, ban, ngành"),
    "xa": ("LDPHONG", "Lãnh đạo các phòng chuyên môn thuộc UBND huyện"),
}
CITIZEN_WORDS = ("người dân", "hài lòng", "công chức", "phục vụ", "thủ tục")
DELEGATES = 5  # HĐND delegates, each rating every unit of the block
CITIZENS = 6  # citizens listed by each unit
SAMPLE = {"HDND": DELEGATES, "DAN": CITIZENS}


def _question_text(title: str) -> str:
    text = re.sub(r"\s*\(điều tra XHH\)\s*$", "", title).strip()
    text = re.sub(r"^(Đánh giá về|Mức độ)\s+", "", text)
    return f"Ông/bà đánh giá thế nào về {text[:1].lower()}{text[1:]}?"


def definition(pb: PeriodBlock, *, code: str, title: str) -> dict[str, Any]:
    fw = framework_to_engine(pb.framework)
    leaves = [leaf for leaf in fw.leaves() if leaf.source == "survey"]
    lead_code, lead_title = LEADERS[pb.block.code]
    questions: list[dict[str, Any]] = []
    satisfaction = None
    for i, leaf in enumerate(leaves, 1):
        lower = leaf.title.lower()
        citizens = any(w in lower for w in CITIZEN_WORDS)
        if "hài lòng" in lower and satisfaction is None:
            satisfaction = leaf.code
        groups = ["HDND", lead_code] + (["DAN"] if citizens else [])
        questions.append(
            {
                "code": f"Q{i:02d}",
                "text": _question_text(leaf.title),
                "criterion": leaf.code,
                "groups": groups,
            }
        )
    for j, (factor, text) in enumerate(FACTORS, 1):
        q: dict[str, Any] = {
            "code": f"S{j}",
            "text": text,
            "groups": ["DAN"],
            "factor": factor,
            "options": SATISFACTION,
        }
        if satisfaction is not None:
            q["criterion"] = satisfaction
        questions.append(q)
    return {
        "format": "parindex.survey/v1",
        "code": code,
        "title": title,
        "year": fw.year,
        "block": pb.block.code,
        "framework": fw.code,
        "scale": SCALE,
        "groups": [
            {"code": "HDND", "title": "Đại biểu Hội đồng nhân dân", "weight": 1},
            {"code": lead_code, "title": lead_title, "weight": 1},
            {
                "code": "DAN",
                "title": "Người dân, tổ chức có giao dịch thủ tục hành chính",
                "weight": 2,
            },
        ],
        "questions": questions,
    }


def _ascii(text: str) -> str:
    import unicodedata

    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


class SurveyDemo:
    def __init__(self, builder: Any) -> None:  # demo.build.Builder (it imports this module)
        self.b = builder
        self.rng = random.Random(85)
        self.serial = 0
        self.summary: dict[str, int] = {"surveys": 0, "responses": 0}

    # ------------------------------------------------------------------ the parts

    def create(
        self, admin: User, pb: PeriodBlock, *, opens: dt.date, closes: dt.date, lists_due: dt.date
    ) -> Survey:
        period = pb.period
        with at(local(opens - dt.timedelta(days=12), 10)):
            survey = lifecycle.survey_create(
                actor=admin,
                period_block=pb,
                data=definition(
                    pb,
                    code=f"XHH-{pb.block.code.upper()}-{period.organizer.code}-{period.year}",
                    title=f"Điều tra xã hội học xác định Chỉ số CCHC {pb.block.name.lower()} "
                    f"năm {period.year}",
                ),
            )
            survey = lifecycle.survey_set_window(
                actor=admin,
                survey=survey,
                opens_on=opens,
                closes_on=closes,
                lists_due_on=lists_due,
                public_enabled=True,
            )
            for group, n in SAMPLE.items():
                quota.quota_bulk_fill(actor=admin, survey=survey, group=group, target=n)
            lead = LEADERS[pb.block.code][0]
            quota.quota_bulk_fill(actor=admin, survey=survey, group=lead, census=True)
        self.summary["surveys"] += 1
        return survey

    def rated(self, survey: Survey) -> list[Unit]:
        pb = survey.period_block
        return list(
            Unit.objects.filter(block_id=pb.block_id, assessments__period_id=pb.period_id)
            .order_by("position", "name")
            .distinct()
        )

    def lists(
        self, admin: User, survey: Survey, units: list[Unit], *, day: dt.date, share: float = 1.0
    ) -> None:
        """The units' lists of citizens (``share`` of the units send one), then the Sở Nội
        vụ's delegates and the leaders of the other level (each rating every unit)."""
        b = self.b
        tag = f"{survey.period_block.block.code}{survey.period_block.period.year}"
        for i, unit in enumerate(units):
            if self.rng.random() > share:
                continue
            officer = b.officers.get(unit.code) or admin
            rows = []
            for k in range(CITIZENS):
                name = b.random_name()
                rows.append(
                    ListRow(
                        row=k + 2,
                        group="DAN",
                        name=name,
                        position="Người dân có hồ sơ thủ tục hành chính",
                        email=f"{_ascii(name)}.{tag}.{unit.code.lower()}{k}@thu.example.vn",
                        units=unit.code,
                    )
                )
            with at(local(day - dt.timedelta(days=1 + i % 4), 9 + i % 7)):
                respondents.respondents_import(actor=officer, survey=survey, unit=unit, rows=rows)
        codes = ",".join(u.code for u in units)
        organizer = survey.period_block.period.organizer
        lead_code = LEADERS[survey.period_block.block.code][0]
        with at(local(day, 15)):
            for k in range(DELEGATES):
                name = b.random_name()
                respondents.respondent_add(
                    actor=admin, survey=survey, listed_by=organizer, group="HDND", name=name,
                    position="Đại biểu HĐND", email=f"{_ascii(name)}.hdnd{k}.{tag}@thu.example.vn",
                    units=codes,
                )  # fmt: skip
            for k, leader in enumerate(self.leaders_for(survey)):
                respondents.respondent_add(
                    actor=admin, survey=survey, listed_by=organizer, group=lead_code,
                    name=leader.full_name, position="Lãnh đạo đơn vị",
                    email=f"lanhdao{k}.{tag}@thu.example.vn", units=codes,
                )  # fmt: skip

    def leaders_for(self, survey: Survey) -> list[User]:
        """Five leaders of the level that rates the block (districts for sở, sở for huyện,
        the district's offices — its council's members — for communes)."""
        b = self.b
        block = survey.period_block.block.code
        if block == "so":
            codes = [c for c, _n, _l in b_districts()][:5]
        elif block == "huyen":
            codes = [c for c, *_ in b_departments()][:5]
        else:
            codes = []
        found = [b.leaders[c] for c in codes if c in b.leaders]
        if not found:  # communes: the district's council members
            found = [u for u in b.users.values() if u.username.startswith("td.")][:5]
        return found

    def answer(self, q: float, options: tuple[SurveyOption, ...]) -> str:
        """An option drawn from the unit's quality: better units get more of the top ones."""
        weighted = [o for o in options if o.weight is not None]
        if len(weighted) < len(options) and self.rng.random() < 0.04:
            return next(o for o in options if o.weight is None).key
        target = Decimal(str(round(min(1.0, max(0.0, self.rng.gauss(0.35 + 0.65 * q, 0.18))), 3)))
        best = min(weighted, key=lambda o: abs(Decimal(o.weight or 0) / 100 - target))
        return best.key

    def form(self, survey: Survey, group: str, unit: Unit) -> dict[str, str]:
        q = self.b.quality.get(unit.code, 0.8)
        return {
            question.code: self.answer(q, question.options)
            for question in questions_for(engine_survey(survey), group)
        }

    def invite_and_answer(
        self, admin: User, survey: Survey, *, start: dt.date, days: int, share: float
    ) -> None:
        """Invitations to everyone listed, then ``share`` of the (respondent, unit) pairs
        answer by the link, spread over ``days`` days from ``start``."""
        with at(local(start, 8)):
            people = list(
                Respondent.objects.filter(survey=survey, invited_at__isnull=True)
                .exclude(email="")
                .order_by("id")
            )
            tokens = invitations.invitations_send(actor=admin, survey=survey)
        assert len(tokens) == len(people)  # noqa: S101 - the service's documented order
        pairs = [
            (person, link.unit)
            for person in Respondent.objects.filter(survey=survey)
            .prefetch_related("units__unit")
            .order_by("id")
            for link in person.units.all()
        ]
        self.rng.shuffle(pairs)
        answered = pairs[: round(len(pairs) * share)]
        for i, (person, unit) in enumerate(answered):
            moment = local(
                start + dt.timedelta(days=1 + i * max(1, days - 1) // max(1, len(answered))),
                8 + i % 10,
                (i * 13) % 60,
            )
            with at(moment):
                response_submit(
                    survey=survey,
                    unit=unit,
                    group=person.group,
                    answers=self.form(survey, person.group, unit),
                    channel=Response.Channel.INVITATION,
                    respondent=person,
                    started_at=moment - dt.timedelta(minutes=3 + i % 9),
                    address_hash=_hash(f"addr{i % 97}"),
                    device_hash=_hash(f"dev{person.pk}"),
                )
        self.summary["responses"] += len(answered)

    def public_and_paper(
        self, survey: Survey, units: list[Unit], enumerator: User, *, day: dt.date
    ) -> None:
        """A few citizens by the QR code at the one-stop desks, and the post office's
        enumerator keying paper forms."""
        n = 0
        for i, unit in enumerate(units[:8]):
            moment = local(day - dt.timedelta(days=i % 3), 9 + i % 6, 10)
            with at(moment):
                response_submit(
                    survey=survey, unit=unit, group="DAN", answers=self.form(survey, "DAN", unit),
                    channel=Response.Channel.PUBLIC, started_at=moment - dt.timedelta(minutes=4),
                    address_hash=_hash(f"desk-{unit.code}"), device_hash=_hash(f"qr{i}"),
                )  # fmt: skip
            n += 1
        for i, unit in enumerate(units[:12]):
            self.serial += 1
            with at(local(day - dt.timedelta(days=1), 8 + i % 9, (i * 11) % 60)):
                paper.paper_submit(
                    actor=enumerator, survey=survey, serial=f"BD-{self.serial:05d}",
                    group="DAN", unit=unit, answers=self.form(survey, "DAN", unit),
                )  # fmt: skip
            n += 1
        self.summary["responses"] += n

    def suspicious(self, survey: Survey, unit: Unit, *, day: dt.date) -> None:
        """A burst of identical, hurried public forms from one address: the fraud rules send
        them to the review queue (the organizer decides)."""
        same = {q.code: q.options[0].key for q in questions_for(engine_survey(survey), "DAN")}
        for i in range(7):
            moment = local(day, 21, 2 + i)
            with at(moment):
                response_submit(
                    survey=survey, unit=unit, group="DAN", answers=same,
                    channel=Response.Channel.PUBLIC, started_at=moment - dt.timedelta(seconds=9),
                    address_hash=_hash("one-address"), device_hash=_hash(f"burst{i}"),
                )  # fmt: skip
        self.summary["responses"] += 7

    # ------------------------------------------------------------------ whole surveys

    def past(self, period: Period, admin: User, *, opens: dt.date, closes: dt.date) -> None:
        """Every block's survey of a past period, complete: its points computed, closed and
        frozen (what the consolidation reads)."""
        for pb in period.blocks.select_related("block", "framework", "period__organizer"):
            survey = self.create(
                admin, pb, opens=opens, closes=closes, lists_due=opens - dt.timedelta(days=3)
            )
            units = self.rated(survey)
            self.lists(admin, survey, units, day=opens - dt.timedelta(days=4))
            with at(local(opens, 7)):
                survey = lifecycle.survey_transition(actor=admin, survey=survey, to="open")
            self.invite_and_answer(
                admin, survey, start=opens, days=(closes - opens).days, share=0.93
            )
            with at(local(closes, 16)):
                flagged = list(
                    Response.objects.filter(survey=survey, status=Response.Status.FLAGGED)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                if flagged:  # the organizer looked: the same office's Wi-Fi, genuine forms
                    review.responses_review_bulk(
                        actor=admin, survey=survey, response_ids=flagged, status="valid",
                        reason="Đã xác minh: phiếu của cán bộ cùng cơ quan, gửi từ mạng nội bộ.",
                    )  # fmt: skip
            with at(local(closes, 17)):
                survey = lifecycle.survey_transition(actor=admin, survey=survey, to="closed")
                points.survey_points_freeze(
                    actor=admin,
                    survey=survey,
                    reason="Kết thúc điều tra xã hội học; chốt điểm trước khi tổng hợp kết quả "
                    "thẩm định.",
                )

    def running(
        self, period: Period, admin: User, enumerator: User, *, opened: dt.date, today: dt.date
    ) -> Survey:
        """This year's survey of the block sở, open since ``opened``."""
        pb = period.blocks.select_related("block", "framework", "period__organizer").get(
            block__code="so"
        )
        survey = self.create(
            admin,
            pb,
            opens=opened,
            closes=today + dt.timedelta(days=20),
            lists_due=opened + dt.timedelta(days=2),
        )
        units = self.rated(survey)
        self.lists(admin, survey, units, day=opened - dt.timedelta(days=1), share=0.85)
        with at(local(opened, 7)):
            survey = lifecycle.survey_transition(actor=admin, survey=survey, to="open")
        self.invite_and_answer(
            admin, survey, start=opened, days=(today - opened).days - 1, share=0.6
        )
        self.public_and_paper(survey, units, enumerator, day=today - dt.timedelta(days=1))
        self.suspicious(survey, units[-1], day=today - dt.timedelta(days=2))
        # the day after the lists' deadline the Sở Nội vụ locks every list it has reviewed,
        # and later reopens one for the unit to add people who came to its desk since
        with at(local(opened + dt.timedelta(days=3), 8)):
            respondents.list_lock_all(actor=admin, survey=survey)
        sent = {r.unit_id for r in survey.list_reviews.all()}
        reopened = next(u for u in units if u.pk in sent)
        with at(local(today - dt.timedelta(days=1), 10)):
            respondents.list_unlock(
                actor=admin, survey=survey, unit=reopened, until=today + dt.timedelta(days=3),
                reason="Bổ sung người dân đến giao dịch tại Bộ phận một cửa trong tuần này",
            )  # fmt: skip
        with at(local(today - dt.timedelta(days=1), 18)):
            points.survey_points_refresh(actor=admin, survey=survey)
        return survey


def _hash(text: str) -> str:
    return hashlib.sha256(f"parindex-demo:{text}".encode()).hexdigest()


def b_districts() -> list[tuple[str, str, str]]:
    from parindex.demo import data

    return list(data.DISTRICTS)


def b_departments() -> list[tuple[str, ...]]:
    from parindex.demo import data

    return list(data.DEPARTMENTS)
