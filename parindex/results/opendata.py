"""Open data of an approved period's block: the files from which anyone recomputes the
published index with the calculator (issue 9 §3)::

    parindex score framework.yaml values.csv --units units.csv      # gives results.json

- ``framework.yaml``: the block's framework in the public format (``parindex.framework/v1``);
- ``units.csv``: ``code,name`` of the ranked units, with the names as approved;
- ``values.csv``: the final values (spec §2) of the ranked units — the declared values, with
  the ``points`` column where the council changed a score, and the survey leaves' points —
  exactly the bridge's final rows (``scoring.values_csv``);
- ``results.json``: the block's ``parindex.results/v1`` of the approved snapshot, written as
  the calculator writes it (its keys in the calculator's order: a PostgreSQL ``jsonb``
  snapshot keeps no order);
- ``survey.yaml`` and ``responses.csv`` where a survey ran for the block: the definition
  (``parindex.survey/v1``) and the anonymous responses (spec §6), from the survey's exports;
- ``manifest.json``: the period, the decision, the corrections after appeals (their notes),
  and per file its SHA-256 and size.

The bundle is checked before anyone gets it: the calculator's own loader reads the written
framework, values and units and its JSON must be ``results.json`` byte for byte — else
nothing is published (``DomainError``). Nothing in it depends on the day it is built: the
same approved period gives the same bytes (the zip's dates are the approval's).

Used by ``parindex publish-data`` and the organizer's results page (a zip); a public page
will reuse it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from parindex import engine
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.engine.cli import load_all
from parindex.frameworks.files import dump_yaml
from parindex.frameworks.selectors import framework_to_engine, framework_to_spec_dict
from parindex.periods.models import Period, PeriodBlock
from parindex.results.selectors.common import approved_state, frozen_document
from parindex.survey.exports import definition_yaml, responses_csv
from parindex.survey.models import Survey

FORMAT = "parindex.open-data/v1"
FILES = ("framework.yaml", "units.csv", "values.csv", "results.json")
SURVEY_FILES = ("survey.yaml", "responses.csv")
RECOMPUTE = "parindex score framework.yaml values.csv --units units.csv"


@dataclass(frozen=True)
class Bundle:
    period: Period
    block_code: str
    files: dict[str, bytes]  # in the manifest's order, manifest.json last

    @property
    def name(self) -> str:
        """``du-lieu-mo-SNV-2025-so``: the zip's and the folder's name."""
        return f"du-lieu-mo-{self.period.organizer.code}-{self.period.year}-{self.block_code}"


# ---------------------------------------------------------------- which period


def find_period(*, year: int, block: str, organizer: str | None = None) -> Period:
    """The period of ``year`` with the block ``block`` (of the organizer with code
    ``organizer``); a clear Vietnamese error when there is none, or several organizers'
    without ``organizer``. Of several periods of one organizer, the approved one."""
    qs = Period.objects.filter(year=year, blocks__block__code=block).select_related("organizer")
    if organizer:
        qs = qs.filter(organizer__code=organizer)
    periods = list(qs.distinct().order_by("pk"))
    where = f"năm {year}, khối “{block}”" + (f", cơ quan tổ chức {organizer}" if organizer else "")
    if not periods:
        raise DomainError(f"Không có đợt đánh giá nào {where}.")
    organizers = sorted({p.organizer.code for p in periods})
    if len(organizers) > 1:
        raise DomainError(
            f"Có {len(periods)} đợt đánh giá {where} của {len(organizers)} cơ quan tổ chức "
            f"({', '.join(organizers)}): chọn một bằng --organizer MÃ."
        )
    if len(periods) == 1:  # build_bundle says whether it is approved (no snapshot read here)
        return periods[0]
    approved = [p for p in periods if approved_state(p) is not None]
    return (approved or periods)[-1]


# ---------------------------------------------------------------- the files


def _csv(rows: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def _scalar(value: Any, level: int) -> str:
    """One value as ``json.dumps(..., indent=1, ensure_ascii=False)`` writes it at nesting
    ``level`` (a fast path for the results' strings, floats, ints and nulls)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is float and value - value == 0:  # finite (NaN and infinities: json's spelling)
        return float.__repr__(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    text = json.dumps(value, indent=1, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * level)


def iter_results_json(document: dict[str, Any], fw: engine.Framework) -> Iterator[str]:
    """The text of :func:`results_json` in pieces (one per unit): a national block's
    document is about 100 MB of JSON, which ``json.dumps`` with an indent writes in pure
    Python, slowly, and only after a reordered copy of the whole document."""
    codes = [n.code for n in fw.iter_nodes()]
    wanted = set(codes)
    heads = [f'\n    {_string(c)}: {{\n     "points": ' for c in codes]
    framework = document["framework"]
    summary = document["summary"]
    yield (
        f'{{\n "format": {_scalar(document["format"], 1)},\n'
        f' "framework": {_scalar({k: framework[k] for k in ("code", "title", "max")}, 1)},\n'
        ' "units": ['
    )
    units = document["units"]
    first = True
    for u in units:
        nodes = u.get("nodes") or {}
        if len(nodes) != len(wanted) or not wanted.issuperset(nodes):
            raise DomainError(
                f"Kết quả đã phê duyệt của {u.get('name')} không khớp bộ tiêu chí "
                f"{fw.code}: không công bố dữ liệu mở."
            )
        parts = [
            "\n  {\n" if first else ",\n  {\n",
            f'   "unit": {_scalar(u["unit"], 3)},\n'
            f'   "name": {_scalar(u["name"], 3)},\n'
            f'   "points": {_scalar(u["points"], 3)},\n'
            f'   "max": {_scalar(u["max"], 3)},\n'
            f'   "index": {_scalar(u["index"], 3)},\n'
            f'   "band": {_scalar(u["band"], 3)},\n'
            f'   "rank": {_scalar(u["rank"], 3)},\n'
            '   "nodes": {',
        ]
        first = False
        sep = ""
        for code, head in zip(codes, heads, strict=True):
            node = nodes[code]
            parts.append(
                f"{sep}{head}{_scalar(node['points'], 5)},\n"
                f'     "max": {_scalar(node["max"], 5)},\n'
                f'     "index": {_scalar(node["index"], 5)}\n    }}'
            )
            sep = ","
        parts.append("\n   }\n  }" if codes else "}\n  }")
        yield "".join(parts)
    ordered_summary = {k: summary[k] for k in ("units", "mean_index", "min_index", "max_index")}
    yield (("\n ],\n" if units else "],\n") + f' "summary": {_scalar(ordered_summary, 1)}\n}}\n')


def results_json(document: dict[str, Any], fw: engine.Framework) -> str:
    """The results document as the calculator writes it (``results_to_json``): the spec's
    key order, nodes in the framework's order, ``indent=1``, UTF-8 characters, final newline
    — exactly ``json.dumps(<the document in that order>, indent=1, ensure_ascii=False)``
    plus a newline."""
    return "".join(iter_results_json(document, fw))


def results_json_bytes(document: dict[str, Any], fw: engine.Framework) -> bytes:
    """The same, UTF-8 encoded (without the whole text as one string first)."""
    return b"".join(piece.encode("utf-8") for piece in iter_results_json(document, fw))


def _survey_files(pb: PeriodBlock) -> dict[str, bytes]:
    survey = Survey.objects.filter(period_block=pb).select_related("period_block").first()
    if survey is None or survey.status == Survey.Status.DRAFT:
        return {}
    return {
        "survey.yaml": definition_yaml(survey).encode("utf-8"),
        "responses.csv": "".join(responses_csv(survey)).encode("utf-8"),
    }


def _check(files: dict[str, bytes]) -> None:
    """The calculator's loader on the written files gives ``results.json`` byte for byte."""
    with tempfile.TemporaryDirectory(prefix="parindex-open-data-") as tmp:
        folder = Path(tmp)
        for name in ("framework.yaml", "units.csv", "values.csv"):
            (folder / name).write_bytes(files[name])
        try:
            _fw, results = load_all(
                str(folder / "framework.yaml"),
                [str(folder / "values.csv")],
                str(folder / "units.csv"),
            )
        except engine.InvalidInput as exc:
            problems = "; ".join(p.vi() for p in exc.problems[:5])
            raise DomainError(
                f"Dữ liệu mở không đọc được bằng máy tính chỉ số: {problems}"
            ) from exc
    if not _same_text(engine.iter_results_json(results), files["results.json"]):
        raise DomainError(
            "Dữ liệu mở không tính lại đúng kết quả đã phê duyệt (số liệu đã thay đổi sau khi "
            "phê duyệt?): không công bố."
        )


def _same_text(pieces: Iterable[str], expected: bytes) -> bool:
    """Is the text of ``pieces``, UTF-8 encoded, ``expected`` byte for byte (compared piece
    by piece: the calculator's JSON is never held whole a second time)?"""
    view = memoryview(expected)
    position = 0
    for piece in pieces:
        data = piece.encode("utf-8")
        end = position + len(data)
        if view[position:end] != data:
            return False
        position = end
    return position == len(expected)


def _manifest(
    period: Period, pb: PeriodBlock, state: PeriodAppraisal, files: dict[str, bytes]
) -> bytes:
    approved_at = timezone.localtime(state.approved_at).isoformat() if state.approved_at else None
    data = {
        "format": FORMAT,
        "organizer": {"code": period.organizer.code, "name": period.organizer.name},
        "period": {"name": period.name, "year": period.year},
        "block": {"code": pb.block.code, "name": pb.block.name},
        "framework": pb.framework.code,
        "approved_at": approved_at,
        "decision": {
            "number": state.decision_number or None,
            "date": state.decision_date.isoformat() if state.decision_date else None,
            "signer": state.decision_signer or None,
        },
        # corrections of the approved results after an appeal (appeals app), this block's
        "corrections": [
            {"at": c.get("at"), "note": c.get("note")}
            for c in (state.snapshot or {}).get("corrections") or []
            if c.get("block") == pb.block.code
        ],
        "recompute": RECOMPUTE,
        "files": {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in files.items()
        },
    }
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def build_bundle(period: Period, block_code: str) -> Bundle:
    """The open data of one block of an approved period (``DomainError`` otherwise)."""
    state = approved_state(period)
    if state is None:
        raise DomainError(
            f"Kết quả của “{period.name}” chưa được Chủ tịch Hội đồng phê duyệt: chỉ công bố "
            "dữ liệu mở của kết quả đã phê duyệt."
        )
    pb = (
        PeriodBlock.objects.filter(period=period, block__code=block_code)
        .select_related("block", "framework")
        .first()
    )
    document = frozen_document(state, block_code)
    if pb is None or not document:
        raise DomainError(f"Kết quả đã phê duyệt của “{period.name}” không có khối “{block_code}”.")
    fw = framework_to_engine(pb.framework)
    names = {u["unit"]: u["name"] for u in document["units"]}
    items = list(
        Assessment.objects.filter(period=period, framework=pb.framework, unit__code__in=names)
        .select_related("unit", "framework")
        .order_by("unit__code")
    )
    missing = set(names) - {a.unit.code for a in items}
    if missing:
        raise DomainError(
            f"Không tìm thấy bản đánh giá của {', '.join(sorted(missing))}: không công bố."
        )
    results = results_json_bytes(document, fw)
    # Past this point only the snapshot's corrections are read (the manifest): the parsed
    # results (hundreds of MB for a national block) are let go before the entries are read
    # and the calculator checks the files.
    corrections = (state.snapshot or {}).get("corrections") or []
    state.snapshot = {"corrections": corrections}
    del document
    files: dict[str, bytes] = {
        "framework.yaml": dump_yaml(framework_to_spec_dict(pb.framework)).encode("utf-8"),
        "units.csv": _csv([("code", "name"), *sorted(names.items())]),
        "values.csv": scoring.values_csv(items, scoring.FINAL).encode("utf-8"),
        "results.json": results,
    }
    del results
    _check(files)
    files.update(_survey_files(pb))
    files["manifest.json"] = _manifest(period, pb, state, files)
    return Bundle(period=period, block_code=block_code, files=files)


# ---------------------------------------------------------------- out


def write_bundle(bundle: Bundle, folder: Path) -> list[Path]:
    """Write the files into ``folder`` (created if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in bundle.files.items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def bundle_zip(bundle: Bundle) -> bytes:
    """The files in one zip under the bundle's folder name, dated the day of the approval."""
    state = approved_state(bundle.period)
    moment = (
        timezone.localtime(state.approved_at)
        if state is not None and state.approved_at
        else dt.datetime(2000, 1, 1)  # noqa: DTZ001 - a fixed date for a reproducible zip
    )
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in bundle.files.items():
            info = zipfile.ZipInfo(f"{bundle.name}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return out.getvalue()
