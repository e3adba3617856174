"""Evidence for the demo: Vietnamese administrative documents (``documents.DOCS``) made by
``render`` and attached through the real service ``evidence.services.evidence_upload``.

How the builder uses it: while a unit declares its values (under the demo clock) it ``want``s
the documents of each leaf; before the units send, ``flush`` renders every document not made
yet (in a few processes: rendering is most of the cost) and uploads the files, each under the
clock at the moment the officer declared the leaf. The service's checks therefore run as for a
real upload (who, status, the self-assessment window).

- A document is made once per assessment and attached to every leaf that lists it (the
  service links the copies: "one annual report proves several criteria").
- Its date comes before the upload (a periodic report is the last one due by then); about a
  third are signed by the issuer's head, with a certificate made here (``render``).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from parindex.accounts.models import Unit, User
from parindex.assessments.models import Assessment, Entry
from parindex.demo.clock import at
from parindex.demo.documents import DOCS, LEAF_DOCS
from parindex.demo.render import (
    Issuer,
    Job,
    Renderer,
    SigningKey,
    document_html,
    make_signing_key,
    vn_int,
    vn_pct,
)
from parindex.evidence.services import evidence_upload

PERIODS = [("quý III", 10, 5), ("6 tháng đầu năm", 7, 5), ("quý I", 4, 5)]

log = logging.getLogger(__name__)


def _place(label: str) -> str:
    for prefix in ("thành phố ", "thị xã ", "huyện ", "thị trấn ", "xã ", "phường "):
        if label.startswith(prefix):
            return label[len(prefix) :]
    return label


def _dept_title(name: str) -> str:
    first = name.split()[0]
    return {
        "Sở": "GIÁM ĐỐC",
        "Văn": "CHÁNH VĂN PHÒNG",
        "Thanh": "CHÁNH THANH TRA",
        "Ban": "TRƯỞNG BAN",
        "Trường": "HIỆU TRƯỞNG",
    }.get(first, "GIÁM ĐỐC")


def issuer_for(unit: Unit, *, leader: User, officer: User | None, parent: Unit | None) -> Issuer:
    name = unit.name
    clerk = officer.full_name if officer else ""
    if unit.kind == Unit.Kind.DEPARTMENT:
        org = f"{name} Bắc Giang" if name.endswith(" tỉnh") else f"{name} tỉnh Bắc Giang"
        office = (
            "Chánh Văn phòng" if name.startswith(("Văn phòng", "Quỹ")) else "Chánh Văn phòng Sở"
        )
        return Issuer(
            code=unit.code,
            top="UBND TỈNH BẮC GIANG",
            name=name.upper(),
            abbr=unit.short_name.replace(" ", "").replace("&", "") or unit.code,
            place="Bắc Giang",
            in_text=name,
            org=org,
            signer=leader.full_name,
            sign_title=[_dept_title(name)],
            decision_title=[_dept_title(name)],
            proposer=office if name.startswith("Sở") else "Chánh Văn phòng",
            executors=f"Chánh Văn phòng, Trưởng các phòng, đơn vị thuộc {name} và các cá nhân "
            "có liên quan",
            superior="Sở Nội vụ",
            recipients=["UBND tỉnh (b/c);", "Sở Nội vụ;", "Lãnh đạo đơn vị;", "Các phòng, đơn vị;"],
            archive="Lưu: VT, VP.",
            legal=f"Căn cứ Quyết định của UBND tỉnh Bắc Giang quy định chức năng, nhiệm vụ, quyền "
            f"hạn và cơ cấu tổ chức của {name};",
            clerk=clerk,
        )
    local = name.removeprefix("UBND ")
    place = _place(local)
    if unit.kind == Unit.Kind.COMMUNE:
        district = parent.name.removeprefix("UBND ") if parent else ""
        return Issuer(
            code=unit.code,
            top="ỦY BAN NHÂN DÂN",
            name=local.upper(),
            abbr="UBND",
            place=place,
            in_text=name,
            org=f"{name}, {district}, tỉnh Bắc Giang",
            signer=leader.full_name,
            sign_title=["CHỦ TỊCH"],
            decision_title=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
            proposer="công chức Văn phòng - Thống kê",
            executors="Công chức Văn phòng - Thống kê, các ban, ngành, đoàn thể xã và Trưởng các "
            "thôn, tổ dân phố",
            superior=f"UBND {district}",
            recipients=[
                f"UBND {district} (b/c);",
                f"Phòng Nội vụ {district};",
                "TT Đảng ủy, HĐND xã;",
            ],
            archive="Lưu: VT.",
            legal="Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            clerk=clerk,
            plan_owner=f"UBND {district}",
        )
    return Issuer(
        code=unit.code,
        top="ỦY BAN NHÂN DÂN",
        name=local.upper(),
        abbr="UBND",
        place=place,
        in_text=name,
        org=f"{name}, tỉnh Bắc Giang",
        signer=leader.full_name,
        sign_title=["CHỦ TỊCH"],
        decision_title=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        proposer="Trưởng phòng Nội vụ",
        executors="Chánh Văn phòng HĐND và UBND, Thủ trưởng các cơ quan chuyên môn, Chủ tịch "
        "UBND các xã, thị trấn và các cơ quan, đơn vị có liên quan",
        superior="UBND tỉnh",
        recipients=[
            "UBND tỉnh (b/c);",
            "Sở Nội vụ;",
            "Các cơ quan chuyên môn;",
            "UBND các xã, thị trấn;",
        ],
        archive="Lưu: VT, NV.",
        legal="Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
        "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
        "ngày 22 tháng 11 năm 2019;",
        clerk=clerk,
    )


def province_issuer(chair: User) -> Issuer:
    return Issuer(
        code="BG",
        top="ỦY BAN NHÂN DÂN",
        name="TỈNH BẮC GIANG",
        abbr="UBND",
        place="Bắc Giang",
        in_text="UBND tỉnh Bắc Giang",
        org="UBND tỉnh Bắc Giang",
        signer=chair.full_name,
        sign_title=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        decision_title=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        proposer="Giám đốc Sở Nội vụ",
        executors="Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị "
        "có liên quan",
        superior="Bộ Nội vụ",
        recipients=["Bộ Nội vụ (b/c);", "TT Tỉnh ủy, TT HĐND tỉnh;", "Các sở, ban, ngành;"],
        archive="Lưu: VT, NC.",
        legal="Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    )


@dataclass
class Paper:
    filename: str
    job: Job
    signed: bool
    data: bytes = b""


@dataclass
class Wanted:
    actor: User
    entry: Entry
    moment: dt.datetime
    paper: Paper


@dataclass
class Papers:
    """Documents wanted by the units, made and attached by ``flush``. ``stored`` lists every
    stored file so that a failed build can remove them (the database rolls back, the storage
    does not)."""

    rng: random.Random = field(default_factory=lambda: random.Random(30))
    signed_share: float = 1 / 3
    renderer: Renderer = field(default_factory=Renderer)
    keys: dict[str, SigningKey] = field(default_factory=dict)
    cache: dict[tuple[int, str], Paper] = field(default_factory=dict)
    wanted: list[Wanted] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    rendered: int = 0
    files: int = 0
    signed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def tick(self, what: str, started: float) -> None:
        self.seconds[what] = self.seconds.get(what, 0.0) + time.perf_counter() - started

    def documents_for(self, framework_file: str, code: str) -> list[str]:
        return LEAF_DOCS.get(framework_file, {}).get(code, [])

    def want(
        self,
        *,
        actor: User,
        assessment: Assessment,
        entry: Entry,
        framework_file: str,
        issuers: dict[str, Issuer],
        value: str,
        value2: str,
        moment: dt.datetime,
    ) -> None:
        """The officer will attach the leaf's documents at ``moment`` (see ``flush``)."""
        for key in self.documents_for(framework_file, entry.node.code):
            paper = self.paper(
                assessment,
                key,
                issuers[DOCS[key].issuer],
                upload_day=moment.date(),
                value=value,
                value2=value2,
            )
            self.wanted.append(Wanted(actor=actor, entry=entry, moment=moment, paper=paper))

    def flush(self) -> None:
        """Make the documents not made yet, then upload every wanted file, in order."""
        todo = [w.paper for w in self.wanted if not w.paper.data]
        todo = list({id(p): p for p in todo}.values())
        started = time.perf_counter()
        for paper, data in zip(todo, self.renderer.run([p.job for p in todo]), strict=True):
            paper.data = data
        self.rendered += len(todo)
        self.tick("render", started)
        started = time.perf_counter()
        for w in sorted(self.wanted, key=lambda w: w.moment):
            with at(w.moment):
                upload = SimpleUploadedFile(w.paper.filename, w.paper.data, "application/pdf")
                # inspect_timeout=0: the demo's own files are parsed in this process
                evidence = evidence_upload(
                    actor=w.actor, entry=w.entry, upload=upload, inspect_timeout=0
                )
            self.stored.append(evidence.storage_name)
            self.files += 1
            self.signed += w.paper.signed
        self.wanted.clear()
        self.tick("upload", started)

    def paper(
        self,
        assessment: Assessment,
        key: str,
        issuer: Issuer,
        *,
        upload_day: dt.date,
        value: str,
        value2: str,
    ) -> Paper:
        cached = self.cache.get((assessment.pk, key))
        if cached is not None:
            return cached
        rng = self.rng
        doc = DOCS[key]
        year = assessment.period.year
        latest = upload_day - dt.timedelta(days=3)
        period_label = ""
        if "{period}" in doc.subject + doc.filename:
            period_label, month, day_of = next(
                (p for p in PERIODS if dt.date(year, p[1], p[2]) <= latest), PERIODS[-1]
            )
            day = dt.date(year, month, day_of)
        else:
            day = dt.date(year, doc.month, doc.day)
        if day > latest:
            day = max(dt.date(year, 1, 2), latest - dt.timedelta(days=rng.randint(0, 9)))
        if day.weekday() >= 5:  # issued on a working day
            day -= dt.timedelta(days=day.weekday() - 4)
        subject = doc.subject.format(year=year, period=period_label, unit=issuer.in_text)
        number = max(1, day.timetuple().tm_yday * (3 if doc.kind == "BC" else 1) // 2)
        number += rng.randint(1, 15)
        signed = rng.random() < self.signed_share
        when = dt.datetime(
            day.year, day.month, day.day, rng.randint(8, 16), rng.randint(0, 59),
            tzinfo=ZoneInfo(settings.TIME_ZONE),
        )  # fmt: skip
        stamp = ""
        signing = None
        if signed:
            stamp = (
                f"Ký bởi: {html.escape(issuer.signer)}<br>Cơ quan: {html.escape(issuer.org)}"
                f"<br>Thời gian ký: {when:%d/%m/%Y %H:%M}"
            )
            signing = self.keys.get(issuer.code)
            if signing is None:
                signing = self.keys[issuer.code] = make_signing_key(issuer.signer, issuer.org, year)
        body = document_html(
            doc,
            issuer,
            subject=subject,
            day=day,
            number=number,
            facts=self.facts(value, value2),
            year=year,
            stamp=stamp,
            seed=rng.randrange(1 << 30),
        )
        paper = Paper(
            filename=doc.filename.format(year=year, period=period_label),
            job=Job(
                html=body, signing=signing, when=when if signed else None, location=issuer.place
            ),
            signed=signed,
        )
        self.cache[(assessment.pk, key)] = paper
        return paper

    def facts(self, value: str, value2: str) -> dict[str, str]:
        """The numbers a report quotes: the leaf's declared ratio, else plausible ones."""
        try:
            num, den = int(value), int(value2)
        except ValueError:
            num = den = 0
        if den <= 0:
            den = self.rng.randint(8, 40)
            num = den - self.rng.randint(0, 2)
        return {"num": vn_int(num), "den": vn_int(den), "pct": vn_pct(num, den)}

    def discard(self) -> None:
        """Remove the stored files of a build that failed (its rows were rolled back)."""
        for name in self.stored:
            try:
                default_storage.delete(name)
            except Exception:  # noqa: BLE001 - best effort cleanup
                log.warning("demo: could not remove %s", name, exc_info=True)
        self.stored.clear()
