"""Aggregation, ranking and the results document (``parindex.results/v1``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .evaluate import PRECISION
from .model import RESULTS_FORMAT, ZERO, Framework
from .values import UnitValues

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
#: Results are snapped to this many decimal places before any comparison or rounding,
#: so that e.g. 1/3 + 2/3 computed at 50 digits equals 1 exactly.
SNAP = Decimal("1e-20")


def snap(value: Decimal) -> Decimal:
    return value.quantize(SNAP, rounding=ROUND_HALF_EVEN)


def round_cent(value: Decimal) -> Decimal:
    """Half up to 2 decimals: the one rounding rule of every displayed or exported number."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round2(value: Decimal) -> float:
    """Half up to 2 decimals, as a float for JSON (never ``-0.0``)."""
    return float(round_cent(value)) + 0.0


@dataclass(frozen=True)
class Score:
    points: Decimal
    max: Decimal
    index: Decimal | None


@dataclass(frozen=True)
class UnitResult:
    """One unit's result. ``node_points``/``node_max`` follow ``framework.iter_nodes()``."""

    unit: str
    name: str
    points: Decimal
    max: Decimal
    index: Decimal | None
    band: str | None
    rank: int
    node_codes: tuple[str, ...]
    node_points: tuple[Decimal, ...]
    node_max: tuple[Decimal, ...]

    @property
    def nodes(self) -> dict[str, Score]:
        return {
            code: Score(p, m, _index(p, m))
            for code, p, m in zip(self.node_codes, self.node_points, self.node_max, strict=True)
        }

    def node(self, code: str) -> Score:
        i = self.node_codes.index(code)
        p, m = self.node_points[i], self.node_max[i]
        return Score(p, m, _index(p, m))


@dataclass(frozen=True)
class Summary:
    units: int
    mean_index: Decimal | None
    min_index: Decimal | None
    max_index: Decimal | None


@dataclass(frozen=True)
class Results:
    framework: Framework
    units: tuple[UnitResult, ...]
    summary: Summary

    def unit(self, code: str) -> UnitResult:
        for u in self.units:
            if u.unit == code:
                return u
        raise KeyError(code)


def _index(points: Decimal, max_: Decimal) -> Decimal | None:
    if max_ == 0:
        return None
    with localcontext(prec=PRECISION):
        return snap(HUNDRED * points / max_)


_Plan = tuple[tuple[str, ...], list[tuple[int, list[int]]], list[int], list[tuple[int, Decimal]]]


def _plan(fw: Framework) -> _Plan:
    """The aggregation plan of ``compute``, from the framework alone (memoized): the node
    codes in preorder, the inner nodes with their children's positions (children before
    parents), the roots' positions, and each leaf's position with the max it adds."""
    nodes = list(fw.iter_nodes())
    codes = tuple(n.code for n in nodes)
    leaf_pos: list[int] = []
    leaf_max: list[Decimal] = []
    pos_of = {code: i for i, code in enumerate(codes)}
    inner: list[tuple[int, list[int]]] = []
    for i, node in enumerate(nodes):
        if node.is_leaf:
            leaf_pos.append(i)
            assert node.max is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
            leaf_max.append(ZERO if node.bonus else node.max)
        else:
            inner.append((i, [pos_of[c.code] for c in node.children]))
    inner.reverse()  # children before parents
    roots = [pos_of[r.code] for r in fw.nodes]
    return codes, inner, roots, list(zip(leaf_pos, leaf_max, strict=True))


def compute(fw: Framework, values: UnitValues, names: dict[str, str] | None = None) -> Results:
    """Aggregate, rank and band every unit that has at least one row in ``values``."""
    names = names or {}
    codes, inner, roots, leaves = fw.memo("results.plan", lambda: _plan(fw))
    n = len(codes)

    rows: list[
        tuple[Decimal | None, str, Decimal, Decimal, Decimal | None, list[Decimal], list[Decimal]]
    ] = []
    with localcontext(prec=PRECISION):
        for unit in values.units:
            unit_points = values.points[unit]
            pts: list[Decimal] = [ZERO] * n
            mxs: list[Decimal] = [ZERO] * n
            for (i, mx), p in zip(leaves, unit_points, strict=True):
                if p is not None:
                    pts[i] = p
                    mxs[i] = mx
            for i, kids in inner:
                sp = ZERO
                sm = ZERO
                for k in kids:
                    sp += pts[k]
                    sm += mxs[k]
                pts[i] = sp
                mxs[i] = sm
            total_p = snap(sum((pts[r] for r in roots), ZERO))
            total_m = snap(sum((mxs[r] for r in roots), ZERO))
            index = None if total_m == 0 else snap(HUNDRED * total_p / total_m)
            rows.append((index, unit, total_p, total_m, index, pts, mxs))

    with_index = sorted((r for r in rows if r[0] is not None), key=lambda r: r[1])
    with_index.sort(key=lambda r: r[0], reverse=True)  # type: ignore[arg-type,return-value]
    without = sorted((r for r in rows if r[0] is None), key=lambda r: r[1])
    results: list[UnitResult] = []
    rank = 0
    previous: Decimal | None = None
    for position, (key, unit, total_p, total_m, index, pts, mxs) in enumerate(with_index, 1):
        if key != previous:
            rank = position
            previous = key
        band = fw.band_for(index)
        results.append(
            UnitResult(
                unit,
                names.get(unit) or unit,
                total_p,
                total_m,
                index,
                band.label if band else None,
                rank,
                codes,
                tuple(pts),
                tuple(mxs),
            )  # fmt: skip
        )
    last_rank = len(with_index) + 1
    for _key, unit, total_p, total_m, _idx, pts, mxs in without:
        results.append(
            UnitResult(
                unit,
                names.get(unit) or unit,
                total_p,
                total_m,
                None,
                None,
                last_rank,
                codes,
                tuple(pts),
                tuple(mxs),
            )  # fmt: skip
        )
    indices = [r.index for r in results if r.index is not None]
    with localcontext(prec=PRECISION):
        summary = Summary(
            units=len(results),
            mean_index=snap(sum(indices, ZERO) / len(indices)) if indices else None,
            min_index=min(indices) if indices else None,
            max_index=max(indices) if indices else None,
        )
    return Results(fw, tuple(results), summary)


def _opt(value: Decimal | None) -> float | None:
    return None if value is None else round2(value)


def results_to_dict(results: Results) -> dict[str, Any]:
    """The results document (spec section 3), numbers rounded half up to 2 decimals."""
    fw = results.framework
    units: list[dict[str, Any]] = []
    for u in results.units:
        nodes: dict[str, Any] = {}
        for code, p, m in zip(u.node_codes, u.node_points, u.node_max, strict=True):
            nodes[code] = {
                "points": round2(snap(p)),
                "max": round2(snap(m)),
                "index": _opt(_index(p, m)),
            }
        units.append(
            {
                "unit": u.unit,
                "name": u.name,
                "points": round2(u.points),
                "max": round2(u.max),
                "index": _opt(u.index),
                "band": u.band,
                "rank": u.rank,
                "nodes": nodes,
            }
        )
    s = results.summary
    return {
        "format": RESULTS_FORMAT,
        "framework": {"code": fw.code, "title": fw.title, "max": round2(fw.max_total)},
        "units": units,
        "summary": {
            "units": s.units,
            "mean_index": _opt(s.mean_index),
            "min_index": _opt(s.min_index),
            "max_index": _opt(s.max_index),
        },
    }


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _n(value: float | None) -> str:
    return "null" if value is None else repr(value)


def iter_results_json(results: Results) -> Any:
    """Yield the text of :func:`results_to_json` in pieces (for large outputs).

    The text is exactly ``json.dumps(results_to_dict(results), indent=1,
    ensure_ascii=False) + "\\n"``, produced without building the dict.
    """
    fw = results.framework
    s = results.summary
    yield (
        "{\n"
        f' "format": {_s(RESULTS_FORMAT)},\n'
        ' "framework": {\n'
        f'  "code": {_s(fw.code)},\n'
        f'  "title": {_s(fw.title)},\n'
        f'  "max": {_n(round2(fw.max_total))}\n'
        " },\n"
        ' "units": ['
    )
    heads = [f'    {_s(u.code)}: {{\n     "points": ' for u in fw.iter_nodes()]
    q = CENT
    up = ROUND_HALF_UP
    even = ROUND_HALF_EVEN

    def num(value: Decimal) -> str:
        return repr(float(value.quantize(SNAP, even).quantize(q, up)) + 0.0)

    max_cache: dict[Decimal, str] = {}  # node maxima repeat across units
    first_unit = True
    with localcontext(prec=PRECISION):
        for u in results.units:
            parts: list[str] = [
                "\n  {\n" if first_unit else ",\n  {\n",
                f'   "unit": {_s(u.unit)},\n'
                f'   "name": {_s(u.name)},\n'
                f'   "points": {_n(round2(u.points))},\n'
                f'   "max": {_n(round2(u.max))},\n'
                f'   "index": {_n(_opt(u.index))},\n'
                f'   "band": {"null" if u.band is None else _s(u.band)},\n'
                f'   "rank": {u.rank},\n'
                '   "nodes": {',
            ]
            first_unit = False
            sep = "\n"
            for head, p, m in zip(heads, u.node_points, u.node_max, strict=True):
                mtext = max_cache.get(m)
                if mtext is None:
                    mtext = max_cache[m] = num(m)
                if m == 0:
                    idx = "null"
                    ptext = "0.0" if p == 0 else num(p)
                elif p == m:
                    idx = "100.0"
                    ptext = mtext
                elif p == 0:
                    idx = ptext = "0.0"
                else:
                    idx = num(HUNDRED * p / m)
                    ptext = num(p)
                parts.append(
                    f'{sep}{head}{ptext},\n     "max": {mtext},\n     "index": {idx}\n    }}'
                )
                sep = ",\n"
            parts.append("\n   }\n  }")
            yield "".join(parts)
    yield (
        ("\n ],\n" if results.units else "],\n") + ' "summary": {\n'
        f'  "units": {s.units},\n'
        f'  "mean_index": {_n(_opt(s.mean_index))},\n'
        f'  "min_index": {_n(_opt(s.min_index))},\n'
        f'  "max_index": {_n(_opt(s.max_index))}\n'
        " }\n}\n"
    )


def results_to_json(results: Results) -> str:
    """The results document as JSON text (``indent=1``, UTF-8 characters kept, final newline)."""
    return "".join(iter_results_json(results))
