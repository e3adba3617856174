"""Reads of the public site: only published versions, only their frozen content.

- ``publication_stamp``: the newest publication's pk (the public cache's key part);
- ``published_index``: every organizer × year with its published blocks (the latest version
  of each period), the districts' under the province's;
- ``public_ranking``: one block of one organizer × year — the ranking with bands, component
  indices, the four groups (quartiles) as PAPI shows provinces, the decision, the files, the
  version history, and the publications of the organizers below (the districts' communes);
- ``public_scorecard``: one unit of that block — its domains beside the block's best unit
  and its own previous published years (a chart and a table), points vs max, the criteria
  where it lost most.

Every number is the published results document's (2 decimals, as published): nothing is
recomputed or totalled here — but a leaf's lost points (max − points, both published).
Queries: the ranking 4 (versions, content, files, the organizers below), the scorecard 3
(versions, content, earlier years) — whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.accounts.models import Unit
from parindex.publication.models import Publication, PublicationFile

DEC_ZERO = Decimal(0)
LOST_MOST = 5


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def publication_stamp() -> int:
    pk: int | None = Publication.objects.order_by("-pk").values_list("pk", flat=True).first()
    return pk or 0


# ---------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Version:
    version: int
    published_at: dt.datetime
    note: str
    current: bool


@dataclass(frozen=True)
class PublicFile:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Domain:
    code: str
    title: str
    max: Decimal
    bonus: bool


@dataclass(frozen=True)
class Cell:
    points: Decimal | None
    max: Decimal | None
    index: Decimal | None


@dataclass(frozen=True)
class Band:
    label: str
    min: Decimal
    units: int


@dataclass
class PublicUnit:
    rank: int
    unit: str
    name: str
    points: Decimal | None
    max: Decimal | None
    index: Decimal | None
    band: str | None
    domains: list[Cell]
    quartile: int  # 1 (the highest group) … 4


@dataclass
class Quartile:
    number: int
    units: list[PublicUnit]

    @property
    def low(self) -> Decimal | None:
        return self.units[-1].index if self.units else None

    @property
    def high(self) -> Decimal | None:
        return self.units[0].index if self.units else None


@dataclass(frozen=True)
class Decision:
    number: str
    date: dt.date | None
    signer: str
    file_name: str
    file_sha256: str


@dataclass(frozen=True)
class BlockLink:
    organizer_code: str
    organizer_name: str
    year: int
    block_code: str
    block_name: str
    units: int


@dataclass
class PublicRanking:
    organizer_code: str
    organizer_name: str
    year: int
    period_name: str
    version: int
    published_at: dt.datetime
    approved_at: dt.datetime | None
    versions: list[Version]
    decision: Decision
    code: str
    name: str
    framework_code: str
    framework_title: str
    bands: list[Band]
    domains: list[Domain]
    units: list[PublicUnit]
    summary: dict[str, Any]
    quartiles: list[Quartile]
    blocks: list[BlockLink]  # the period's blocks (this one included)
    files: list[PublicFile]
    below: list[BlockLink] = field(default_factory=list)  # the districts' communes

    @property
    def corrected(self) -> bool:
        return self.version > 1


@dataclass(frozen=True)
class DomainRow:
    domain: Domain
    own: Cell
    best: Cell
    years: list[Cell | None]  # beside ``Scorecard.years``, newest first


@dataclass(frozen=True)
class Loss:
    code: str
    title: str
    points: Decimal
    max: Decimal

    @property
    def lost(self) -> Decimal:
        return self.max - self.points


@dataclass(frozen=True)
class PastYear:
    year: int
    version: int
    rank: int | None
    units: int
    index: Decimal | None
    band: str | None


@dataclass
class Scorecard:
    ranking: PublicRanking
    unit: PublicUnit
    best: PublicUnit  # the block's best unit (the next one when ``leads``)
    leads: bool
    rows: list[DomainRow]
    years: list[PastYear]
    lost_most: list[Loss]


# ---------------------------------------------------------------- reading a content


def _domains(block: dict[str, Any]) -> list[Domain]:
    return [
        Domain(n["code"], n["title"], Decimal(n["max"]), bool(n["bonus"]))
        for n in block.get("tree", [])
        if n["depth"] == 0
    ]


def _cell(nodes: dict[str, Any], code: str) -> Cell:
    n = nodes.get(code) or {}
    return Cell(dec(n.get("points")), dec(n.get("max")), dec(n.get("index")))


def _units(document: dict[str, Any], domains: list[Domain]) -> list[PublicUnit]:
    rows = document.get("units", [])
    n = len(rows)
    out = []
    for u in rows:
        nodes = u.get("nodes") or {}
        out.append(
            PublicUnit(
                rank=u["rank"],
                unit=u["unit"],
                name=u["name"],
                points=dec(u["points"]),
                max=dec(u["max"]),
                index=dec(u["index"]),
                band=u["band"],
                domains=[_cell(nodes, d.code) for d in domains],
                # shared ranks share a group; groups of about n / 4 in rank order
                quartile=min(4, (u["rank"] - 1) * 4 // n + 1) if n else 1,
            )
        )
    return out


def _versions(org: str, year: int) -> list[Publication]:
    """Every published version of the organizer's periods of ``year`` (without content)."""
    return list(
        Publication.objects.filter(period__organizer__code=org, period__year=year)
        .select_related("period", "period__organizer", "period__organizer__admin_root")
        .defer("content")
        .order_by("period_id", "-version")
    )


def _content(pk: int) -> dict[str, Any]:
    content: dict[str, Any] = Publication.objects.values_list("content", flat=True).get(pk=pk)
    return content


def _links(org_code: str, org_name: str, year: int, content: dict[str, Any]) -> list[BlockLink]:
    return [
        BlockLink(
            org_code,
            org_name,
            year,
            b["code"],
            b["name"],
            len(b["results"].get("units", [])),
        )
        for b in content.get("blocks", [])
    ]


def _below(organizer: Unit, year: int) -> list[BlockLink]:
    """The latest publications of ``year`` by the organizers inside this organizer's area
    (the districts' Phòng Nội vụ under the Sở Nội vụ): their blocks, one query."""
    root = organizer.admin_root
    if root is None:
        return []
    rows = (
        Publication.objects.filter(period__year=year, period__organizer__path__startswith=root.path)
        .exclude(period__organizer=organizer)
        .order_by("period__organizer__name", "period_id", "-version")
        .values_list(
            "period_id",
            "period__organizer__code",
            "period__organizer__name",
            "content__blocks",
        )
    )
    seen: set[int] = set()
    out: list[BlockLink] = []
    for period_id, code, name, blocks in rows:
        if period_id in seen:
            continue
        seen.add(period_id)
        out += [
            BlockLink(code, name, year, b["code"], b["name"], len(b["results"].get("units", [])))
            for b in blocks or []
        ]
    return out


def _find(
    org: str, year: int, block_code: str
) -> tuple[list[Publication], Publication, dict[str, Any], dict[str, Any]] | None:
    """The versions of ``org`` × ``year``, the latest one of the period with ``block_code``,
    its content and that block."""
    versions = _versions(org, year)
    for period_id in dict.fromkeys(p.period_id for p in versions):
        latest = next(p for p in versions if p.period_id == period_id)
        content = _content(latest.pk)
        block = next((b for b in content.get("blocks", []) if b["code"] == block_code), None)
        if block is not None:
            return versions, latest, content, block
    return None


def _ranking(
    versions: list[Publication], chosen: Publication, content: dict[str, Any], block: dict[str, Any]
) -> PublicRanking:
    organizer = chosen.period.organizer
    year = chosen.period.year
    domains = _domains(block)
    document = block["results"]
    units = _units(document, domains)
    summary = document.get("summary") or {}
    decision = content.get("decision") or {}
    approved = content.get("approved_at")
    return PublicRanking(
        organizer_code=organizer.code,
        organizer_name=organizer.name,
        year=year,
        period_name=chosen.period.name,
        version=chosen.version,
        published_at=chosen.published_at,
        approved_at=dt.datetime.fromisoformat(approved) if approved else None,
        versions=[
            Version(p.version, p.published_at, p.note, p.pk == chosen.pk)
            for p in versions
            if p.period_id == chosen.period_id
        ],
        decision=Decision(
            number=decision.get("number") or "",
            date=dt.date.fromisoformat(decision["date"]) if decision.get("date") else None,
            signer=decision.get("signer") or "",
            file_name=decision.get("file_name") or "",
            file_sha256=decision.get("file_sha256") or "",
        ),
        code=block["code"],
        name=block["name"],
        framework_code=block["framework"]["code"],
        framework_title=block["framework"]["title"],
        bands=[
            Band(b["label"], Decimal(b["min"]), sum(1 for u in units if u.band == b["label"]))
            for b in block.get("bands", [])
        ],
        domains=domains,
        units=units,
        summary={
            "units": summary.get("units", 0),
            "mean_index": dec(summary.get("mean_index")),
            "min_index": dec(summary.get("min_index")),
            "max_index": dec(summary.get("max_index")),
        },
        quartiles=[Quartile(q, [u for u in units if u.quartile == q]) for q in (1, 2, 3, 4)],
        blocks=_links(organizer.code, organizer.name, year, content),
        files=[],
    )


def public_ranking(org: str, year: int, block_code: str) -> PublicRanking | None:
    """The latest published version of ``org``'s period of ``year`` with ``block_code``;
    None when nothing of it is published."""
    found = _find(org, year, block_code)
    if found is None:
        return None
    versions, chosen, content, block = found
    ranking = _ranking(versions, chosen, content, block)
    ranking.files = [
        PublicFile(n, s, z)
        for n, s, z in PublicationFile.objects.filter(publication=chosen, block_code=block_code)
        .order_by("position")
        .values_list("name", "sha256", "size")
    ]
    ranking.below = _below(chosen.period.organizer, chosen.period.year)
    return ranking


def public_file(org: str, year: int, block_code: str, name: str) -> PublicationFile | None:
    """A file of the latest published version (``block_code`` "" for the decision PDF of
    the period that has ``period_block``)."""
    versions = _versions(org, year)
    for period_id in dict.fromkeys(p.period_id for p in versions):
        latest = next(p for p in versions if p.period_id == period_id)
        rows = list(
            PublicationFile.objects.filter(
                publication=latest, block_code__in=[block_code, ""]
            ).defer("content")
        )
        if any(r.block_code == block_code for r in rows):
            found = next((r for r in rows if r.name == name), None)
            if found is None:
                return None
            return PublicationFile.objects.get(pk=found.pk)
    return None


def public_bundle(
    org: str, year: int, block_code: str
) -> tuple[Publication, dict[str, bytes]] | None:
    """The open-data files of the block in the latest version, in the manifest's order."""
    versions = _versions(org, year)
    for period_id in dict.fromkeys(p.period_id for p in versions):
        latest = next(p for p in versions if p.period_id == period_id)
        rows = list(
            PublicationFile.objects.filter(publication=latest, block_code=block_code)
            .order_by("position")
            .values_list("name", "content")
        )
        if rows:
            return latest, {name: bytes(content) for name, content in rows}
    return None


def public_scorecard(org: str, year: int, block_code: str, unit_code: str) -> Scorecard | None:
    found = _find(org, year, block_code)
    if found is None:
        return None
    versions, chosen, content, block = found
    ranked = _ranking(versions, chosen, content, block)
    unit = next((u for u in ranked.units if u.unit == unit_code), None)
    if unit is None:
        return None
    # beside the block's best unit; the best unit itself beside the next one
    others = [u for u in ranked.units if u.unit != unit_code]
    best = ranked.units[0] if ranked.units[0].unit != unit_code else (others or [unit])[0]
    past = _past_years(org, year, block_code, unit_code)
    rows = [
        DomainRow(
            domain=d,
            own=unit.domains[i],
            best=best.domains[i],
            years=[cells.get(d.code) for _, cells in past],
        )
        for i, d in enumerate(ranked.domains)
    ]
    nodes = next(
        (u.get("nodes") or {} for u in block["results"]["units"] if u["unit"] == unit_code), {}
    )
    losses = []
    for n in block.get("tree", []):
        if not n["leaf"] or n["bonus"]:
            continue
        cell = nodes.get(n["code"]) or {}
        points, top = dec(cell.get("points")), dec(cell.get("max"))
        if points is None or top is None or top <= DEC_ZERO or points >= top:
            continue
        losses.append(Loss(n["code"], n["title"], points, top))
    losses.sort(key=lambda x: (-x.lost, x.points / x.max, x.code))
    return Scorecard(
        ranking=ranked,
        unit=unit,
        best=best,
        leads=ranked.units[0].unit == unit_code,
        rows=rows,
        years=[y for y, _ in past],
        lost_most=losses[:LOST_MOST],
    )


def _past_years(
    org: str, year: int, block_code: str, unit_code: str
) -> list[tuple[PastYear, dict[str, Cell]]]:
    """The unit's figures in the organizer's earlier published years (latest version of
    each), newest first; one query."""
    rows = (
        Publication.objects.filter(period__organizer__code=org, period__year__lt=year)
        .order_by("-period__year", "period_id", "-version")
        .values_list("period_id", "period__year", "version", "content__blocks")
    )
    seen: set[int] = set()
    years: set[int] = set()
    out: list[tuple[PastYear, dict[str, Cell]]] = []
    for period_id, y, version, blocks in rows:
        if period_id in seen:
            continue
        seen.add(period_id)
        block = next((b for b in blocks or [] if b["code"] == block_code), None)
        if block is None or y in years:
            continue
        document = block["results"]
        unit = next((u for u in document.get("units", []) if u["unit"] == unit_code), None)
        if unit is None:
            continue
        years.add(y)
        nodes = unit.get("nodes") or {}
        cells = {
            n["code"]: _cell(nodes, n["code"]) for n in block.get("tree", []) if n["depth"] == 0
        }
        out.append(
            (
                PastYear(
                    year=y,
                    version=version,
                    rank=unit["rank"],
                    units=(document.get("summary") or {}).get("units", 0),
                    index=dec(unit["index"]),
                    band=unit["band"],
                ),
                cells,
            )
        )
    return out


# ---------------------------------------------------------------- the index


@dataclass
class IndexEntry:
    organizer_code: str
    organizer_name: str
    year: int
    version: int
    published_at: dt.datetime
    blocks: list[BlockLink]
    below: list[BlockLink] = field(default_factory=list)


def published_index() -> list[IndexEntry]:
    """Every published period (latest version), the organizers with an area above (the Sở
    Nội vụ) first, each with the districts' publications of the same year under it. Two
    queries."""
    rows = list(
        Publication.objects.order_by(
            "-period__year", "period__organizer__path", "-version"
        ).values_list(
            "period_id",
            "period__year",
            "version",
            "published_at",
            "period__organizer__code",
            "period__organizer__name",
            "period__organizer__path",
            "content__blocks",
        )
    )
    seen: set[int] = set()
    entries: list[tuple[str, IndexEntry]] = []
    for period_id, year, version, at, code, name, path, blocks in rows:
        if period_id in seen:
            continue
        seen.add(period_id)
        entries.append(
            (
                path,
                IndexEntry(
                    code,
                    name,
                    year,
                    version,
                    at,
                    [
                        BlockLink(
                            code,
                            name,
                            year,
                            b["code"],
                            b["name"],
                            len(b["results"].get("units", [])),
                        )
                        for b in blocks or []
                    ],
                ),
            )
        )
    roots = dict(
        Unit.objects.filter(code__in={e.organizer_code for _, e in entries}).values_list(
            "code", "admin_root__path"
        )
    )
    paths = {e.organizer_code: path for path, e in entries}
    top: list[IndexEntry] = []
    for path, e in entries:
        parents = [
            o
            for _, o in entries
            if o.year == e.year
            and o.organizer_code != e.organizer_code
            and roots.get(o.organizer_code)
            and path.startswith(roots[o.organizer_code])
            and not paths[o.organizer_code].startswith(roots.get(e.organizer_code) or "\x00")
        ]
        if parents:
            max(parents, key=lambda o: len(roots[o.organizer_code])).below += e.blocks
        else:
            top.append(e)
    return top
