"""Build the demo province through the real services.

What it makes (see README "Dữ liệu mẫu"):
- Tỉnh Bắc Giang with 20 departments (khối sở), 11 districts (khối huyện) and the communes of
  Yên Dũng, Tân Yên and Lục Nam (khối xã), whose Phòng Nội vụ organize the commune index;
- an officer and a leader in every assessed unit, the organizer admins, the councils' chairs
  and appraisers (the province's, Yên Dũng's, Tân Yên's), a system admin (one demo password,
  printed at the end);
- frameworks: khối sở (the public example ``so.yaml``), khối huyện (``huyen.yaml``) and one
  khối xã framework per district (``xa.yaml``), last year's imported and activated, this
  year's copied from them (the khối sở copy edited so the comparison page shows changes);
- every period that reaches the appraisal has its council and an assignment by domain
  (``demo/appraisal.py``: the appraisal's own services, each step in its phase);
- last year's period of the Sở Nội vụ, complete and published: values, self scores, round 1
  (adjustments with reasons, requests, the rest agreed), the units' answers, round 2, survey
  scores, the consolidation returned once by the chair and then approved (the frozen
  snapshot), the publication decision with a signed PDF, dated in last year's calendar
  (``clock.at``), then closed (Lưu trữ); Yên Dũng's commune period of last year the same way
  (its own council ``td.ydu``, ``chutich.ydu``, no return), closed;
- this year: the province's period in Tự đánh giá today, ten days before the deadline, a few
  units partly filled, one waiting for its leader, two submitted (council copied from last
  year); Yên Dũng's communes in Thẩm định lần 1 (ends in three days, part of the leaves
  decided); Tân Yên's communes in Giải trình, bổ sung (ends in two days, some answers sent).

Everything goes through the services (so every change is audited), inside one transaction.
Two shortcuts, both for speed and both documented here: every demo account gets the same
password hash (hashing 170 passwords would take a minute), and the dates of the history come
from the demo clock. The signals are muted for what happened before today (no e-mail of last
year's or last week's steps is queued) and the totals are refreshed once per assessment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parindex.accounts.models import Block, Membership, Unit, User
from parindex.accounts.services import block_create, membership_grant, unit_create, user_create
from parindex.accounts.services.twofactor import two_factor_device_install
from parindex.appraisal import services as appraisal
from parindex.assessments import participation
from parindex.assessments import services as assessments
from parindex.assessments import signals as assessment_signals
from parindex.assessments.models import Assessment, Entry, Status
from parindex.demo import appeals as demo_appeals
from parindex.demo import data
from parindex.demo.appraisal import Council, Steps, Values, calendar
from parindex.demo.clock import at, local
from parindex.demo.documents import EXTRA_EVIDENCE, NO_FILE_EXPLANATIONS
from parindex.demo.evidence import Issuer, Papers, issuer_for, province_issuer
from parindex.demo.survey import SurveyDemo
from parindex.engine import (
    BooleanRule,
    ChoiceRule,
    CountRule,
    DeductionRule,
    NumberRule,
    RatioRule,
    RelativeRule,
    evaluate_leaf,
)
from parindex.engine import Node as EngineNode
from parindex.frameworks import services as frameworks
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods import services as periods
from parindex.periods.calendar import default_calendar
from parindex.periods.models import Period, Phase

HERE = Path(__file__).resolve().parent
R = Membership.Role
Q6 = Decimal("0.000001")
Q2 = Decimal("0.01")
Log = Callable[[str], None]
# Share of the leaves naming evidence that get files: units that sent / units still working.
FILES_DONE = 0.92
FILES_DRAFT = 0.8
# This year's communes (sent, under appraisal): fewer files, explanations for the others
# (rendering the documents is most of the build's time).
COMMUNE_FILES = 0.35
NICE = [2**a * 5**b for a in range(6) for b in range(6) if 4 <= 2**a * 5**b <= 5000]


def demo_exists() -> bool:
    """The demo (or a province using its organizer code) is already in the database."""
    return Unit.objects.filter(code=data.ORGANIZER, admin_root__isnull=False).exists()


def slug(text: str) -> str:
    """``UBND xã Tân Liễu`` -> ``tanlieu`` (ASCII, no spaces)."""
    for prefix in ("UBND thị trấn ", "UBND xã ", "UBND phường "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def this_year() -> int:
    return timezone.localdate().year


@dataclass
class Summary:
    units: int = 0
    users: int = 0
    frameworks: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    entries: int = 0
    files: int = 0
    signed: int = 0
    documents: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Builder:
    log: Log
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    blocks: dict[str, Block] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    officers: dict[str, User] = field(default_factory=dict)
    leaders: dict[str, User] = field(default_factory=dict)
    quality: dict[str, float] = field(default_factory=dict)
    summary: Summary = field(default_factory=Summary)
    papers: Papers = field(default_factory=Papers)
    evidence_rng: random.Random = field(default_factory=lambda: random.Random(31))
    block_files: dict[int, str] = field(default_factory=dict)
    issuer_cache: dict[str, dict[str, Issuer]] = field(default_factory=dict)

    @property
    def surveys(self) -> SurveyDemo:
        """The surveys' steps (``demo/survey.py``)."""
        demo = self.__dict__.get("_surveys")
        if demo is None:
            demo = self.__dict__["_surveys"] = SurveyDemo(self)
        return demo

    @property
    def steps(self) -> Steps:
        """The appraisal's steps (``demo/appraisal.py``), with this builder's people."""
        steps = self.__dict__.get("_steps")
        if steps is None:
            steps = self.__dict__["_steps"] = Steps(self)
        return steps

    # ------------------------------------------------------------------ units and people

    def unit(self, code: str, name: str, kind: str, **fields: Any) -> Unit:
        unit = unit_create(actor=None, code=code, name=name, kind=kind, **fields)
        self.units[code] = unit
        return unit

    def person(
        self, username: str, full_name: str, *, unit: str = "", role: str = "", job: str = ""
    ) -> User:
        user = self.users.get(username)
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=None,
                full_name=full_name,
                email=f"{username}@{self.domain(unit)}",
                job_title=job,
                is_superuser=role == "superuser",
            )
            self.users[username] = user
        if unit and role and role != "superuser":
            membership_grant(actor=None, user=user, unit=self.units[unit], role=role)
        return user

    def domain(self, code: str) -> str:
        """The unit's mail domain under the province's (bacgiang.gov.vn): stp.bacgiang.gov.vn,
        lucngan.bacgiang.gov.vn, tanlieu.yendung.bacgiang.gov.vn. The demo never sends mail
        out: ``parindex demo`` serves with the console e-mail backend."""
        base = "bacgiang.gov.vn"
        places = {
            c: ("tp" if label.startswith("thành phố ") else "")
            + slug(label.removeprefix("thành phố ").removeprefix("thị xã ").removeprefix("huyện "))
            for c, _n, label in data.DISTRICTS
        }
        if not code or code == data.PROVINCE[0]:
            return base
        district, _, rest = code.partition("-")
        if district in places:
            if not rest or rest == "PNV":
                return f"{places[district]}.{base}"
            return f"{rest.lower()}.{places[district]}.{base}"
        return f"{code.lower()}.{base}"

    def random_name(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            parts = [rng.choice(data.SURNAMES), rng.choice(data.MIDDLE_M), rng.choice(data.GIVEN_M)]
        else:
            parts = [rng.choice(data.SURNAMES), rng.choice(data.MIDDLE_F), rng.choice(data.GIVEN_F)]
        return " ".join(parts)

    def build_units(self) -> None:
        for code, name, position in data.BLOCKS:
            self.blocks[code] = block_create(actor=None, code=code, name=name, position=position)
        root_code, root_name, _ = data.PROVINCE
        root = self.unit(root_code, root_name, Unit.Kind.PROVINCE)
        so, huyen, xa = self.blocks["so"], self.blocks["huyen"], self.blocks["xa"]
        for i, (code, name, short) in enumerate(data.DEPARTMENTS, start=1):
            self.unit(
                code,
                name,
                Unit.Kind.DEPARTMENT,
                short_name=short,
                parent=root,
                block=so,
                position=i,
                admin_root=root if code == data.ORGANIZER else None,
            )
        for i, (code, name, label) in enumerate(data.DISTRICTS, start=1):
            district = self.unit(
                code,
                name,
                Unit.Kind.DISTRICT,
                short_name=label,
                parent=root,
                block=huyen,
                position=100 + i,
            )
            communes = data.COMMUNES.get(code)
            if not communes:
                continue
            self.unit(
                f"{code}-PNV",
                f"Phòng Nội vụ {label}",
                Unit.Kind.OFFICE,
                short_name=f"PNV {label}",
                parent=district,
                admin_root=district,
                position=1,
            )
            for j, commune in enumerate(communes, start=1):
                self.unit(
                    f"{code}-{slug(commune).upper()}",
                    commune,
                    Unit.Kind.COMMUNE,
                    short_name=commune.removeprefix("UBND "),
                    parent=district,
                    block=xa,
                    position=j,
                )
        self.summary.units = len(self.units)

    def officer_title(self, unit: Unit) -> str:
        if unit.kind == Unit.Kind.COMMUNE:
            return "Công chức Văn phòng - Thống kê"
        if unit.kind == Unit.Kind.DISTRICT:
            return "Chuyên viên Phòng Nội vụ"
        return self.rng.choice(data.OFFICER_TITLES)

    def build_people(self) -> None:
        for _label, username, full_name, unit, role in data.PERSONAS:
            district = unit.endswith("-PNV")
            job = {
                "organizer_admin": "Chuyên viên Phòng Nội vụ"
                if district
                else "Chuyên viên Phòng Cải cách hành chính",
                "council_chair": "Phó Chủ tịch UBND huyện"
                if district
                else "Phó Chủ tịch UBND tỉnh",
                "appraiser": "Chuyên viên Phòng Nội vụ"
                if district
                else "Thành viên Tổ giúp việc Hội đồng thẩm định",
            }.get(role, "")
            user = self.person(username, full_name, unit=unit, role=role, job=job)
            if role == R.UNIT_OFFICER:
                self.officers[unit] = user
            elif role == R.UNIT_LEADER:
                self.leaders[unit] = user
        for username, full_name, unit in data.APPRAISERS:
            self.person(
                username,
                full_name,
                unit=unit,
                role=R.APPRAISER,
                job="Thành viên Tổ giúp việc Hội đồng thẩm định",
            )
        for code, _name, label in data.DISTRICTS:
            if code in data.COMMUNES and f"quantri.{code.lower()}" not in self.users:
                self.person(
                    f"quantri.{code.lower()}",
                    self.random_name(),
                    unit=f"{code}-PNV",
                    role=R.ORGANIZER_ADMIN,
                    job=f"Chuyên viên Phòng Nội vụ {label}",
                )
        # The districts' own appraisal councils for their communes: the roles are held in the
        # Phòng Nội vụ, so they act in the district's periods only (td.ydu and chutich.ydu are
        # in PERSONAS).
        for district, people in data.DISTRICT_COUNCIL_PEOPLE.items():
            for username, name, job in people:
                role = R.COUNCIL_CHAIR if username.startswith("chutich.") else R.APPRAISER
                self.person(username, name, unit=f"{district}-PNV", role=role, job=job)
        taken = set(self.users)
        for unit in self.units.values():
            if unit.block_id is None:
                continue
            base = unit.code.lower() if unit.kind != Unit.Kind.COMMUNE else slug(unit.name)
            if (
                unit.kind == Unit.Kind.COMMUNE
                and f"cv.{base}" in taken
                and unit.code not in self.officers
            ):
                base = f"{base}.{unit.parent.code.lower()}"  # type: ignore[union-attr]
            if unit.code not in self.officers:
                self.officers[unit.code] = self.person(
                    f"cv.{base}",
                    self.random_name(),
                    unit=unit.code,
                    role=R.UNIT_OFFICER,
                    job=self.officer_title(unit),
                )
            if unit.code not in self.leaders:
                title = data.LEADER_TITLES.get(unit.kind, "Thủ trưởng")
                if unit.kind == Unit.Kind.DEPARTMENT and not unit.name.startswith("Sở"):
                    title = "Thủ trưởng cơ quan"
                self.leaders[unit.code] = self.person(
                    f"ld.{base}",
                    self.random_name(),
                    unit=unit.code,
                    role=R.UNIT_LEADER,
                    job=title,
                )
            taken |= {f"cv.{base}", f"ld.{base}"}
        # One hash for every demo account (see the module notes).
        validate_password(data.DEMO_PASSWORD)
        User.objects.filter(pk__in=[u.pk for u in self.users.values()]).update(
            password=make_password(data.DEMO_PASSWORD)
        )
        # The accounts that must give a second factor get the demo's published secret.
        ids = [u.pk for u in self.users.values()]
        admins = User.objects.filter(pk__in=ids).filter(
            Q(is_superuser=True) | Q(memberships__role=R.ORGANIZER_ADMIN)
        )
        for admin in admins.distinct():
            two_factor_device_install(actor=None, user=admin, secret=data.DEMO_TOTP_SECRET)
        self.summary.users = len(self.users)

    # ------------------------------------------------------------------ frameworks

    def load(self, name: str, *, code: str, year: int, title: str) -> dict[str, Any]:
        spec = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
        spec.update(code=code, year=year, title=title)
        extra = EXTRA_EVIDENCE.get(name, {})

        def walk(nodes: list[dict[str, Any]]) -> None:
            for node in nodes:
                if node.get("code") in extra and not node.get("evidence"):
                    node["evidence"] = extra[node["code"]]
                walk(node.get("children") or [])

        walk(spec["nodes"])
        return spec

    def framework(
        self, owner: str, name: str, *, code: str, year: int, title: str, admin: User
    ) -> Framework:
        fw = frameworks.framework_import(
            actor=admin,
            owner=self.units[owner],
            data=self.load(name, code=code, year=year, title=title),
            source=name,
        )
        self.block_files[fw.block_id] = name
        frameworks.framework_activate(
            actor=admin, framework=fw, reason="Ban hành kèm Kế hoạch xác định Chỉ số CCHC"
        )
        self.summary.frameworks.append(fw.code)
        return fw

    def copy(self, fw: Framework, *, year: int, admin: User, edit: bool = False) -> Framework:
        new = frameworks.framework_copy(actor=admin, framework=fw, year=year)
        self.block_files[new.block_id] = self.block_files[fw.block_id]
        if edit:
            self.edit_so(new, admin)
        frameworks.framework_activate(
            actor=admin, framework=new, reason=f"Bộ tiêu chí năm {year} sau khi rà soát"
        )
        self.summary.frameworks.append(new.code)
        return new

    def edit_so(self, fw: Framework, admin: User) -> None:
        """This year's changes to the khối sở framework (shown on the comparison page)."""
        nodes = {n.code: n for n in FrameworkNode.objects.filter(framework=fw)}
        reason = "Rà soát bộ tiêu chí theo Kế hoạch CCHC năm " + str(fw.year)
        frameworks.node_update(
            actor=admin,
            node=nodes["3.5"],
            reason=reason,
            rule_params={
                "mode": "steps",
                "when_zero": "na",
                "steps": [
                    {"min_percent": "60", "points": "2"},
                    {"min_percent": "40", "points": "1"},
                    {"min_percent": "20", "points": "0.5"},
                ],
            },
            guide="Nâng ngưỡng so với năm trước: từ 60% được 2 điểm; từ 40% được 1 điểm; "
            "từ 20% được 0,5 điểm.",
        )
        frameworks.node_update(
            actor=admin,
            node=nodes["7.1"],
            reason=reason,
            title="Tỷ lệ văn bản điện tử được ký số (kể cả văn bản nội bộ)",
            evidence="Báo cáo trích xuất từ hệ thống quản lý văn bản và điều hành.",
        )
        frameworks.node_update(
            actor=admin,
            node=nodes["1.2"],
            reason=reason,
            evidence="Các báo cáo CCHC quý, 6 tháng, năm (số, ngày gửi).",
        )

    # ------------------------------------------------------------------ values

    def declare(self, node: EngineNode, q: float) -> tuple[str, str]:
        """A realistic declaration for a unit of quality ``q`` (0.6 weak … 1 excellent)."""
        rng = self.rng
        rule = node.rule
        assert node.max is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
        if node.allow_na and rng.random() < 0.15:
            return "NA", ""
        good = rng.random() < (q if not node.bonus else q / 3)
        if isinstance(rule, ChoiceRule):
            options = sorted(rule.options, key=lambda o: o.points, reverse=True)
            pick = options[0] if good else options[min(len(options) - 1, 1 + (rng.random() < 0.2))]
            return pick.key, ""
        if isinstance(rule, BooleanRule):
            return ("có" if good or rng.random() < 0.5 else "không"), ""
        if isinstance(rule, NumberRule):
            low = max(rule.min, Decimal(0))
            share = Decimal(str(round(min(1.0, rng.uniform(q - 0.2, q + 0.15)), 2)))
            value = (low + (node.max - low) * max(Decimal(0), share)) / Decimal("0.25")
            return str(value.to_integral_value(ROUND_HALF_UP) * Decimal("0.25")), ""
        if isinstance(rule, RatioRule):
            big = any(
                w in node.title.lower() for w in ("hồ sơ", "văn bản", "người dân", "giao dịch")
            )
            if rule.when_zero != "zero" and rng.random() < 0.08:
                return "0", "0"
            den = rng.randint(300, 4000) if big else rng.randint(5, 40)
            if rule.mode == "proportional":
                # Denominators of 2s and 5s keep max × num / den within the 6 decimals the
                # entry stores (the service does not round yet: see the lead's notes).
                den = min(NICE, key=lambda n: abs(n - den))
            pct = min(1.0, max(0.3, rng.gauss(q + 0.04, 0.06)))
            if good and rng.random() < 0.5:
                pct = 1.0
            return str(round(den * pct)), str(den)
        if isinstance(rule, CountRule):
            need = int((node.max / rule.per).to_integral_value())
            return str(need if good else rng.randint(0, max(0, need - 1))), ""
        if isinstance(rule, DeductionRule):
            return str(0 if good or rng.random() < 0.6 else rng.randint(1, 2)), ""
        if isinstance(rule, RelativeRule):
            return str(Decimal(str(round(rng.uniform(0.55, 0.95) * q * 1000, 1)))), ""
        raise AssertionError(f"no declaration for {node.code}")

    def worse(self, node: EngineNode, value: str, value2: str) -> tuple[str, str] | None:
        """The declaration an appraiser settles on when the evidence does not hold up."""
        rule = node.rule
        if value == "NA":
            return None
        if isinstance(rule, ChoiceRule):
            options = sorted(rule.options, key=lambda o: o.points, reverse=True)
            keys = [o.key for o in options]
            i = keys.index(value)
            return (keys[i + 1], "") if i + 1 < len(keys) else None
        if isinstance(rule, BooleanRule):
            return ("không", "") if value == "có" else None
        if isinstance(rule, NumberRule):
            lower = Decimal(value) - Decimal("0.5")
            return (str(lower), "") if lower >= rule.min else None
        if isinstance(rule, RatioRule):
            num, den = int(value), int(value2)
            if den == 0 or num == 0:
                return None
            return str(int(num * 0.85)), value2
        if isinstance(rule, CountRule):
            return (str(int(value) - 1), "") if int(value) > 0 else None
        if isinstance(rule, DeductionRule):
            return str(int(value) + 1), ""
        return None

    def points(
        self, node: EngineNode, value: str, value2: str, best: Decimal | None = None
    ) -> Decimal | None:
        result = evaluate_leaf(node, value, value2, best=best)
        return None if result is None else result.quantize(Q6, ROUND_HALF_UP)

    # ------------------------------------------------------------------ periods

    def entries(self, assessment: Assessment) -> list[Entry]:
        return list(
            Entry.objects.filter(assessment=assessment)
            .select_related("node")
            .order_by("node__position")
        )

    def issuers(self, unit: Unit) -> dict[str, Issuer]:
        """Who issues the unit's documents: itself, its district (for a commune), the province."""
        cached = self.issuer_cache.get(unit.code)
        if cached is None:
            by_pk = {u.pk: u for u in self.units.values()}
            parent = by_pk.get(unit.parent_id) if unit.parent_id else None
            own = issuer_for(
                unit,
                leader=self.leaders[unit.code],
                officer=self.officers.get(unit.code),
                parent=parent,
            )
            upper = own
            if unit.kind == Unit.Kind.COMMUNE and parent is not None:
                upper = issuer_for(
                    parent, leader=self.leaders[parent.code], officer=None, parent=None
                )
            cached = {
                "self": own,
                "parent": upper,
                "province": province_issuer(self.users["chutich"]),
            }
            self.issuer_cache[unit.code] = cached
        return cached

    def fill(
        self,
        assessment: Assessment,
        *,
        share: float,
        start: dt.date,
        days: int,
        values: dict[tuple[int, str], tuple[str, str]] | None = None,
        files: float = 0.0,
    ) -> None:
        """The unit's officer declares ``share`` of the self-assessed leaves over ``days``.

        Where the framework names evidence, the officer attaches the documents (with
        probability ``files``, the same day, through the evidence service when the caller
        runs ``papers.flush()``, before the unit sends); a unit that
        declares everything (``share`` 1) explains every such leaf it has no file for, so
        that it can send its self-assessment."""
        unit = assessment.unit
        officer = self.officers[unit.code]
        q = self.quality[unit.code]
        engine = framework_to_engine(assessment.framework)
        framework_file = self.block_files.get(assessment.framework.block_id, "")
        leaves = [e for e in self.entries(assessment) if e.node.source == FrameworkNode.Source.SELF]
        count = round(len(leaves) * share)
        missing_explanations = 0
        erng = self.evidence_rng
        for i, entry in enumerate(leaves[:count]):
            node = engine.node(entry.node.code)
            value, value2 = self.declare(node, q)
            explanation = ""
            got = None
            if value == "NA":
                explanation = "Năm đánh giá đơn vị không được giao nhiệm vụ này."
            elif not isinstance(node.rule, RelativeRule):
                got = self.points(node, value, value2)
                if got is not None and node.max is not None and got < node.max:
                    if missing_explanations < 1 and self.rng.random() < 0.15:
                        missing_explanations += 1  # a few units forget to explain
                    else:
                        explanation = self.rng.choice(data.EXPLANATIONS)
            names_evidence = bool(entry.node.evidence.strip())
            attach = (
                names_evidence
                and value != "NA"
                and (got is None or got > 0)
                and bool(self.papers.documents_for(framework_file, entry.node.code))
                and erng.random() < files
            )
            if names_evidence and not attach and not explanation and share >= 1:
                explanation = erng.choice(NO_FILE_EXPLANATIONS).format(
                    organizer=assessment.period.organizer.name,
                    number=f"{erng.randint(20, 480)}/BC-{unit.short_name or unit.code}",
                )
            moment = local(start + dt.timedelta(days=i * days // max(1, count)), 8 + i % 9, i % 60)
            with at(moment):
                entry = assessments.entry_record(
                    actor=officer,
                    entry=entry,
                    value=value,
                    value2=value2,
                    explanation=explanation,
                )
            if attach:
                self.papers.want(
                    actor=officer,
                    assessment=assessment,
                    entry=entry,
                    framework_file=framework_file,
                    issuers=self.issuers(unit),
                    value=value,
                    value2=value2,
                    moment=moment + dt.timedelta(minutes=4),
                )
            if values is not None:
                values[(assessment.pk, entry.node.code)] = (value, value2)
            self.summary.entries += 1

    def submit(
        self,
        assessment: Assessment,
        day: dt.date,
        *,
        leader_too: bool = True,
        notify: bool = True,
    ) -> None:
        """The unit's own steps through ``assessment_transition``, so the product's completeness
        check applies (a demo unit shown as sent has every leaf answered and its evidence or an
        explanation). ``notify=False`` for past periods: last year's "đã gửi" notices to the
        organizer belong to last year and are not queued now."""
        unit = assessment.unit
        quiet = contextlib.nullcontext() if notify else assessment_signals.muted()
        with quiet:
            with at(local(day, 15)):
                assessments.assessment_transition(
                    actor=self.officers[unit.code],
                    assessment=assessment,
                    to=Status.PENDING_APPROVAL,
                    note="Trình lãnh đạo phê duyệt báo cáo tự đánh giá.",
                )
            if leader_too:
                with at(local(day + dt.timedelta(days=1), 10)):
                    assessments.assessment_transition(
                        actor=self.leaders[unit.code],
                        assessment=assessment,
                        to=Status.SUBMITTED,
                        note="Đã phê duyệt báo cáo tự đánh giá.",
                    )

    def sent_units(
        self, period: Period, *, files: float, skip: tuple[str, ...] = ()
    ) -> tuple[list[Assessment], Values]:
        """Every unit of the period (but ``skip``) declares everything during Tự đánh giá,
        attaches its documents and sends a few days before the deadline (no notices: this
        happened before today). Returns the assessments and their declared values."""
        cal = calendar(period)
        self_start, self_end = cal[Phase.SELF_ASSESSMENT]
        span = (self_end - self_start).days - 3
        values: Values = {}
        items = [
            a
            for a in Assessment.objects.filter(period=period).select_related("unit", "framework")
            if a.unit.code not in skip
        ]
        for a in items:
            self.fill(
                a,
                share=1.0,
                start=self_start + dt.timedelta(days=2),
                days=span - 2,
                values=values,
                files=files,
            )
        self.papers.flush()
        for a in items:
            self.submit(a, self_end - dt.timedelta(days=self.rng.randint(1, 3)), notify=False)
        return items, values

    def complete_period(
        self,
        period: Period,
        admin: User,
        chair: User,
        council: Council,
        *,
        publication: tuple[str, Issuer],
        chair_returns: bool = False,
        appeal: bool = False,
    ) -> None:
        """A past period from its council to the publication decision, every step through
        the services and dated in its calendar (``appraisal.Steps.complete``), then closed
        (Lưu trữ, read-only). Nothing is queued: it all happened last year."""
        with assessment_signals.muted():
            with at(local(council.day, 15)):
                self.steps.seat_council(period, admin, council)
            _items, values = self.sent_units(period, files=FILES_DONE)
            self.steps.complete(
                period, admin, chair, values, chair_returns=chair_returns, publication=publication
            )
            if appeal:  # a department's appeal accepted: version 2 of the published results
                demo_appeals.accepted_appeal(period, admin, self.leaders)
        _arch_start, arch_end = calendar(period)[Phase.ARCHIVE]
        with at(local(min(arch_end, timezone.localdate() - dt.timedelta(days=1)), 16)):
            periods.period_close(
                actor=admin,
                period=period,
                reason="Đã công bố kết quả; lưu trữ hồ sơ đợt đánh giá.",
            )

    def running_calendar(self, *, deadline_in: int) -> dict[str, tuple[dt.date, dt.date]]:
        """A calendar in which today is in Tự đánh giá and its last day is ``deadline_in``
        days away (the organizer shifted the default dates)."""
        t = timezone.localdate()
        d = dt.timedelta
        end = t + d(days=deadline_in)
        return {
            Phase.PREPARATION: (t - d(days=52), t - d(days=39)),
            Phase.SELF_ASSESSMENT: (t - d(days=38), end),
            Phase.APPRAISAL_1: (end + d(days=1), end + d(days=15)),
            Phase.SUPPLEMENT: (end + d(days=16), end + d(days=25)),
            Phase.APPRAISAL_2: (end + d(days=26), end + d(days=35)),
            Phase.CONSOLIDATION: (end + d(days=36), end + d(days=40)),
            Phase.APPROVAL: (end + d(days=41), end + d(days=46)),
            Phase.ARCHIVE: (end + d(days=47), end + d(days=137)),
        }

    # ------------------------------------------------------------------ the whole province

    def build(self) -> Summary:
        year = this_year()
        last = year - 1
        log = self.log
        log("Đơn vị, khối và tài khoản…")
        self.build_units()
        self.build_people()
        admin = self.users["quantri"]
        chair = self.users["chutich"]
        for code in self.units:
            q = self.rng.uniform(0.74, 0.97)
            if self.rng.random() < 0.15:
                q = self.rng.uniform(0.55, 0.7)
            self.quality[code] = q
        self.quality.update({"STP": 0.9, "SNV": 0.93, "YDU-TANLIEU": 0.85})

        log("Bộ tiêu chí…")
        d_admins = {d: self.users[f"quantri.{d.lower()}"] for d in data.COMMUNES}
        with at(local(dt.date(last, 9, 20))):
            so_last = self.framework(
                "SNV",
                "so.yaml",
                code=f"BG-SO-{last}",
                year=last,
                admin=admin,
                title=f"Bộ tiêu chí xác định Chỉ số CCHC các sở, ban, ngành năm {last}",
            )
            huyen_last = self.framework(
                "SNV",
                "huyen.yaml",
                code=f"BG-HUYEN-{last}",
                year=last,
                admin=admin,
                title=f"Bộ tiêu chí xác định Chỉ số CCHC UBND các huyện, thị xã, thành phố năm {last}",
            )
            xa_last = {}
            for d, label in ((c, lbl) for c, _n, lbl in data.DISTRICTS if c in data.COMMUNES):
                xa_last[d] = self.framework(
                    f"{d}-PNV",
                    "xa.yaml",
                    code=f"{d}-XA-{last}",
                    year=last,
                    admin=d_admins[d],
                    title=f"Bộ tiêu chí xác định Chỉ số CCHC UBND các xã, thị trấn {label} năm {last}",
                )
        with at(local(timezone.localdate() - dt.timedelta(days=60))):
            so_now = self.copy(so_last, year=year, admin=admin, edit=True)
            huyen_now = self.copy(huyen_last, year=year, admin=admin)
            xa_now = self.copy(xa_last["YDU"], year=year, admin=d_admins["YDU"])
            xa_tye_now = self.copy(xa_last["TYE"], year=year, admin=d_admins["TYE"])

        log(f"Đợt đánh giá năm {last} (đầy đủ đến công bố kết quả)…")
        snv = self.units["SNV"]
        so_units = [u for u in self.units.values() if u.block_id == self.blocks["so"].pk]
        huyen_units = [u for u in self.units.values() if u.block_id == self.blocks["huyen"].pk]
        with at(local(dt.date(last, 9, 28))):
            p_last = periods.period_create(
                actor=admin,
                organizer=snv,
                year=last,
                name=f"Xác định Chỉ số CCHC năm {last} của các sở, ban, ngành và UBND cấp huyện",
                plan_reference=f"số 186/KH-UBND ngày 25/09/{last}",
                blocks=[(self.blocks["so"], so_last), (self.blocks["huyen"], huyen_last)],
                calendar=default_calendar(last),
            )
            participation.period_add_units(actor=admin, period=p_last, units=so_units + huyen_units)
        self.complete_period(
            p_last,
            admin,
            chair,
            Council(data.province_council(), "2154/QĐ-UBND", dt.date(last, 10, 6), chair.full_name),
            publication=("345", province_issuer(chair)),
            chair_returns=True,
            appeal=True,
        )
        self.summary.periods.append(p_last.name)

        log(f"Đợt đánh giá cấp xã năm {last} (huyện Yên Dũng)…")
        ydu_communes = [
            u
            for u in self.units.values()
            if u.kind == Unit.Kind.COMMUNE and u.parent_id == self.units["YDU"].pk
        ]
        with at(local(dt.date(last, 9, 30))):
            p_xa_last = periods.period_create(
                actor=d_admins["YDU"],
                organizer=self.units["YDU-PNV"],
                year=last,
                name=f"Xác định Chỉ số CCHC năm {last} của UBND các xã, thị trấn huyện Yên Dũng",
                plan_reference=f"số 95/KH-UBND ngày 29/09/{last} của UBND huyện Yên Dũng",
                blocks=[(self.blocks["xa"], xa_last["YDU"])],
                calendar=default_calendar(last),
            )
            participation.period_add_units(
                actor=d_admins["YDU"], period=p_xa_last, units=ydu_communes
            )
        ydu_council = Council(
            data.district_council("YDU", "huyện Yên Dũng"),
            "1456/QĐ-UBND",
            dt.date(last, 10, 8),
            self.leaders["YDU"].full_name,
        )
        self.complete_period(
            p_xa_last,
            d_admins["YDU"],
            self.users["chutich.ydu"],
            ydu_council,
            publication=("28", self.district_issuer("YDU")),
        )
        self.summary.periods.append(p_xa_last.name)

        log(f"Đợt đánh giá năm {year} (đang tự đánh giá)…")
        today = timezone.localdate()
        running = self.running_calendar(deadline_in=10)
        first = running[Phase.SELF_ASSESSMENT][0]
        with at(local(first - dt.timedelta(days=20))):
            p_now = periods.period_create(
                actor=admin,
                organizer=snv,
                year=year,
                name=f"Xác định Chỉ số CCHC năm {year} của các sở, ban, ngành và UBND cấp huyện",
                plan_reference=f"số 203/KH-UBND ngày {first - dt.timedelta(days=21):%d/%m/%Y}",
                blocks=[(self.blocks["so"], so_now), (self.blocks["huyen"], huyen_now)],
                calendar=self.running_calendar(deadline_in=3),
            )
            participation.period_add_units(actor=admin, period=p_now, units=so_units + huyen_units)
        with at(local(first - dt.timedelta(days=12), 15)):
            number = f"{2154 + 127}/QĐ-UBND"
            self.steps.copy_council(
                p_now,
                p_last,
                admin,
                Council(
                    data.province_council(), number, first - dt.timedelta(days=12), chair.full_name
                ),
            )
        with at(local(today - dt.timedelta(days=6), 14)):
            periods.period_set_calendar(
                actor=admin,
                period=p_now,
                dates=running,
                reason="Gia hạn tự đánh giá 07 ngày theo đề nghị của các cơ quan, đơn vị "
                "(Công văn của UBND tỉnh); nhắc hạn thêm 10 ngày trước hạn mới.",
                reminder_days="10,7,3,1",
            )
        now_items = {
            a.unit.code: a
            for a in Assessment.objects.filter(period=p_now).select_related("unit", "framework")
        }
        start = first + dt.timedelta(days=5)
        span = max(1, (today - start).days - 1)
        plan = [
            ("STP", 0.7, None),
            ("SYT", 0.45, None),
            ("SXD", 0.25, None),
            ("TPBG", 0.6, None),
            ("LNG", 0.3, None),
            ("SKHCN", 1.0, "pending"),
            ("STC", 1.0, "submitted"),
            ("VYE", 1.0, "submitted"),
        ]
        for code, share, state in plan:
            self.fill(
                now_items[code],
                share=share,
                start=start,
                days=span,
                files=FILES_DONE if state else FILES_DRAFT,
            )
        self.papers.flush()
        for code, _share, state in plan:
            a = now_items[code]
            if state:
                self.submit(a, today - dt.timedelta(days=2), leader_too=state == "submitted")
        log(f"Điều tra xã hội học năm {year} (khối sở, đang thu phiếu)…")
        with assessment_signals.muted():
            self.surveys.running(
                p_now,
                admin,
                self.users["dieutravien"],
                opened=today - dt.timedelta(days=9),
                today=today,
            )
        self.summary.periods.append(p_now.name)

        self.communes_in_round_one(
            year, d_admins["YDU"], xa_now, ydu_communes, source=p_xa_last, council=ydu_council
        )
        self.communes_in_supplement(year, d_admins["TYE"], xa_tye_now)
        return self.summary

    def communes_in_round_one(
        self,
        year: int,
        admin: User,
        framework: Framework,
        communes: list[Unit],
        *,
        source: Period,
        council: Council,
    ) -> None:
        """Yên Dũng's communes of this year: sent (Tiến Dũng late, still a draft), in Thẩm
        định lần 1, which ends in three days; the council has decided part of the leaves."""
        self.log(f"Đợt đánh giá cấp xã năm {year} (huyện Yên Dũng, đang thẩm định lần 1)…")
        t = timezone.localdate()
        cal = shifted_calendar(t, appraisal_1=(-7, 3))
        period = self.commune_period(
            year, admin, framework, communes, cal, district="YDU", label="huyện Yên Dũng",
            plan_number="112",
        )  # fmt: skip
        with assessment_signals.muted():
            with at(local(cal[Phase.SELF_ASSESSMENT][0] - dt.timedelta(days=5), 15)):
                self.steps.copy_council(
                    period,
                    source,
                    admin,
                    Council(
                        council.spec,
                        "1602/QĐ-UBND",
                        cal[Phase.SELF_ASSESSMENT][0] - dt.timedelta(days=5),
                        council.signer,
                    ),
                )
            items, values = self.sent_units(period, files=COMMUNE_FILES, skip=("YDU-TIENDUNG",))
            late = Assessment.objects.select_related("unit", "framework", "period").get(
                period=period, unit__code="YDU-TIENDUNG"
            )
            start = cal[Phase.SELF_ASSESSMENT][0] + dt.timedelta(days=5)
            self.fill(late, share=0.3, start=start, days=10, files=FILES_DRAFT)
            self.papers.flush()
            a1_start = cal[Phase.APPRAISAL_1][0]
            with at(local(a1_start, 8)):
                appraisal.round_open(actor=admin, period=period, round=1)
            items = self.under_appraisal(period)
            self.steps.round_one(
                period, items, values, start=a1_start, days=(t - a1_start).days - 1,
                finished=len(items) * 3 // 5,
            )  # fmt: skip
        self.summary.periods.append(period.name)

    def communes_in_supplement(self, year: int, admin: User, framework: Framework) -> None:
        """Tân Yên's communes of this year: round 1 closed a week ago, Giải trình, bổ sung
        ends in two days; some units have sent their answers, some are writing them."""
        self.log(f"Đợt đánh giá cấp xã năm {year} (huyện Tân Yên, đang giải trình, bổ sung)…")
        t = timezone.localdate()
        cal = shifted_calendar(t, appraisal_1=(-21, -8))
        communes = [
            u
            for u in self.units.values()
            if u.kind == Unit.Kind.COMMUNE and u.parent_id == self.units["TYE"].pk
        ]
        period = self.commune_period(
            year, admin, framework, communes, cal, district="TYE", label="huyện Tân Yên",
            plan_number="87",
        )  # fmt: skip
        with assessment_signals.muted():
            day = cal[Phase.SELF_ASSESSMENT][0] - dt.timedelta(days=3)
            with at(local(day, 15)):
                self.steps.seat_council(
                    period,
                    admin,
                    Council(
                        data.district_council("TYE", "huyện Tân Yên"),
                        "1388/QĐ-UBND",
                        day,
                        self.leaders["TYE"].full_name,
                    ),
                )
            _items, values = self.sent_units(period, files=COMMUNE_FILES)
            a1_start, a1_end = cal[Phase.APPRAISAL_1]
            with at(local(a1_start, 8)):
                appraisal.round_open(actor=admin, period=period, round=1)
            items = self.under_appraisal(period)
            self.steps.round_one(
                period, items, values, start=a1_start, days=(a1_end - a1_start).days - 1
            )
            with at(local(a1_end, 16)):
                appraisal.round_close(actor=admin, period=period, round=1)
            sup_start = cal[Phase.SUPPLEMENT][0]
            self.steps.answers(
                items, values, start=sup_start, days=(t - sup_start).days - 1, send=0.6,
                answered=len(items) * 7 // 10,
            )  # fmt: skip
        self.summary.periods.append(period.name)

    def commune_period(
        self,
        year: int,
        admin: User,
        framework: Framework,
        communes: list[Unit],
        cal: dict[str, tuple[dt.date, dt.date]],
        *,
        district: str,
        label: str,
        plan_number: str,
    ) -> Period:
        first = cal[Phase.SELF_ASSESSMENT][0]
        with at(local(first - dt.timedelta(days=15))):
            period = periods.period_create(
                actor=admin,
                organizer=self.units[f"{district}-PNV"],
                year=year,
                name=f"Xác định Chỉ số CCHC năm {year} của UBND các xã, thị trấn {label}",
                plan_reference=f"số {plan_number}/KH-UBND ngày "
                f"{first - dt.timedelta(days=16):%d/%m/%Y} của UBND {label}",
                blocks=[(self.blocks["xa"], framework)],
                calendar=cal,
            )
            participation.period_add_units(actor=admin, period=period, units=communes)
        return period

    def under_appraisal(self, period: Period) -> list[Assessment]:
        return list(
            Assessment.objects.filter(period=period, status=Status.APPRAISAL_1)
            .select_related("unit", "framework", "period")
            .order_by("unit__position", "unit__name")
        )

    def district_issuer(self, code: str) -> Issuer:
        """The district's UBND, signing its decisions (its Chủ tịch)."""
        return issuer_for(self.units[code], leader=self.leaders[code], officer=None, parent=None)


def shifted_calendar(
    today: dt.date, *, appraisal_1: tuple[int, int]
) -> dict[str, tuple[dt.date, dt.date]]:
    """A calendar of this year whose Thẩm định lần 1 runs from ``today + appraisal_1[0]`` to
    ``today + appraisal_1[1]`` days, the other phases around it with the default lengths
    (Giải trình, bổ sung 10 days, Thẩm định lần 2 10 days…)."""
    d = dt.timedelta
    s, e = today + d(days=appraisal_1[0]), today + d(days=appraisal_1[1])
    return {
        Phase.PREPARATION: (s - d(days=52), s - d(days=39)),
        Phase.SELF_ASSESSMENT: (s - d(days=38), s - d(days=1)),
        Phase.APPRAISAL_1: (s, e),
        Phase.SUPPLEMENT: (e + d(days=1), e + d(days=10)),
        Phase.APPRAISAL_2: (e + d(days=11), e + d(days=20)),
        Phase.CONSOLIDATION: (e + d(days=21), e + d(days=25)),
        Phase.APPROVAL: (e + d(days=26), e + d(days=31)),
        Phase.ARCHIVE: (e + d(days=32), e + d(days=122)),
    }


def build_demo(log: Log | None = None) -> Summary:
    """Build the whole demo in one transaction (nothing is left half-built on an error; the
    evidence files already stored are removed too)."""
    builder = Builder(log=log or (lambda _msg: None))
    try:
        # Totals once per assessment at the end (the builder writes thousands of leaves).
        with transaction.atomic(), assessments.totals_deferred():
            summary = builder.build()
    except BaseException:
        builder.papers.discard()
        raise
    finally:
        builder.papers.renderer.close()
    summary.files = builder.papers.files
    summary.signed = builder.papers.signed
    summary.documents = builder.papers.rendered
    summary.seconds = dict(builder.papers.seconds)
    return summary


def personas() -> list[tuple[str, str, str]]:
    """(role, username, full name) of the accounts to print."""
    return [(label, username, name) for label, username, name, _unit, _role in data.PERSONAS]
