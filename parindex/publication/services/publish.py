"""The organizer publishes an approved period; a corrected version replaces it publicly.

- ``period_publish``: version 1 — the chair's frozen snapshot (``parindex.approved/v1``, one
  ``parindex.results/v1`` per block) and the publication decision (number, date, signer and
  the signed PDF, which must be recorded first). Publishing again is a new version only when
  something changed (the decision, say), and then needs a note saying what; the same content
  twice is refused.
- ``publication_new_version``: version n + 1 with corrected results per block (the appeals'
  service gives them, after correcting the scores through the appraisal), a change note
  required; the blocks not given keep the previous version's results.

Each version freezes what it publishes: the content the public pages show (results, the
framework's tree and bands, the decision) and the files (per block the open data of
``results.opendata`` — for version 1 exactly ``build_bundle``'s files, the ones
``parindex publish-data`` writes; for a later version the same files built on its results,
checked the same way: the calculator on them must give its results.json byte for byte — and
the decision PDF). Atomic, audited, and the public pages' cache is cleared on commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from parindex import engine
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.frameworks.files import dump_yaml
from parindex.frameworks.selectors import framework_to_engine, framework_to_spec_dict
from parindex.periods.models import Period, PeriodBlock
from parindex.periods.services import require_period_admin
from parindex.publication.cache import public_cache_clear
from parindex.publication.models import Publication, PublicationFile
from parindex.results import opendata
from parindex.results.selectors.common import approved_state, frozen_blocks

FORMAT = "parindex.published/v1"
DECISION_PDF = "quyet-dinh-cong-bo.pdf"


# ---------------------------------------------------------------- the content


def _tree(fw: engine.Framework) -> list[dict[str, Any]]:
    return [
        {
            "code": n.code,
            "title": n.title,
            "depth": n.depth,
            "leaf": n.is_leaf,
            "bonus": n.bonus,
            "survey": n.is_leaf and n.source == "survey",
            "max": str(n.total_max),
        }
        for n in fw.iter_nodes()
    ]


def _decision(state: PeriodAppraisal) -> dict[str, Any]:
    return {
        "number": state.decision_number,
        "date": state.decision_date.isoformat() if state.decision_date else None,
        "signer": state.decision_signer,
        "file_name": state.decision_file_name if state.decision_file else "",
        "file_sha256": state.decision_file_sha256 if state.decision_file else "",
    }


def publication_content(
    period: Period, state: PeriodAppraisal, documents: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """What the public pages of ``period`` show: per block (the period's order) its results
    document, the framework's tree and bands; the decision; the organizer and the period."""
    blocks = []
    for pb in (
        PeriodBlock.objects.filter(period=period, block__code__in=list(documents))
        .select_related("block", "framework")
        .order_by("block__position", "block__code")
    ):
        fw = framework_to_engine(pb.framework)
        blocks.append(
            {
                "code": pb.block.code,
                "name": pb.block.name,
                "framework": {"code": pb.framework.code, "title": pb.framework.title},
                "bands": [{"label": b.label, "min": str(b.min)} for b in fw.bands],
                "tree": _tree(fw),
                "results": documents[pb.block.code],
            }
        )
    organizer = period.organizer
    return {
        "format": FORMAT,
        "organizer": {"id": organizer.pk, "code": organizer.code, "name": organizer.name},
        "period": {"id": period.pk, "name": period.name, "year": period.year},
        "approved_at": timezone.localtime(state.approved_at).isoformat()
        if state.approved_at
        else None,
        "decision": _decision(state),
        "blocks": blocks,
    }


def _sha256(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the files


def _bundle_files(
    period: Period, block_code: str, document: dict[str, Any], version: int, note: str
) -> dict[str, bytes]:
    """A later version's open data: ``build_bundle``'s files on the version's results."""
    state = approved_state(period)
    pb = (
        PeriodBlock.objects.filter(period=period, block__code=block_code)
        .select_related("block", "framework")
        .first()
    )
    if state is None or pb is None:
        raise DomainError(f"Đợt đánh giá “{period.name}” không có khối “{block_code}”.")
    fw = framework_to_engine(pb.framework)
    names = {u["unit"]: u["name"] for u in document.get("units", [])}
    items = list(
        Assessment.objects.filter(period=period, framework=pb.framework, unit__code__in=names)
        .select_related("unit", "framework")
        .order_by("unit__code")
    )
    if set(names) - {a.unit.code for a in items}:
        raise DomainError("Kết quả sửa đổi có đơn vị không thuộc đợt đánh giá: không công bố.")
    files: dict[str, bytes] = {
        "framework.yaml": dump_yaml(framework_to_spec_dict(pb.framework)).encode("utf-8"),
        "units.csv": opendata._csv([("code", "name"), *sorted(names.items())]),
        "values.csv": scoring.values_csv(items, scoring.FINAL).encode("utf-8"),
        "results.json": opendata.results_json_bytes(document, fw),
    }
    opendata._check(files)
    files.update(opendata._survey_files(pb))
    manifest = json.loads(opendata._manifest(period, pb, state, files))
    manifest["version"] = {"number": version, "note": note}
    files["manifest.json"] = (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    return files


def _decision_pdf(state: PeriodAppraisal) -> bytes | None:
    if not state.decision_file:
        return None
    try:
        with default_storage.open(state.decision_file, "rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError as exc:
        raise DomainError(
            "Không đọc được tệp quyết định công bố đã lưu: ghi lại quyết định rồi công bố."
        ) from exc
    return data


def _store_files(
    publication: Publication, files: list[tuple[str, str, bytes]]
) -> list[PublicationFile]:
    rows = [
        PublicationFile(
            publication=publication,
            block_code=block,
            name=name,
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            position=i,
        )
        for i, (block, name, data) in enumerate(files)
    ]
    return PublicationFile.objects.bulk_create(rows)


# ---------------------------------------------------------------- the services


def _latest(period: Period) -> Publication | None:
    return Publication.objects.filter(period=period).order_by("-version").first()


def _approved(period: Period) -> PeriodAppraisal:
    state = approved_state(period)
    if state is None:
        raise DomainError(
            f"Kết quả của “{period.name}” chưa được Chủ tịch Hội đồng thẩm định phê duyệt: "
            "chỉ công bố kết quả đã phê duyệt."
        )
    if not (state.decision_number and state.decision_date and state.decision_signer):
        raise DomainError(
            "Chưa ghi Quyết định công bố kết quả (số, ngày ký, người ký): ghi quyết định ở "
            "trang Tổng hợp, phê duyệt trước khi công bố."
        )
    return state


def _publish(
    *,
    actor: Any,
    period: Period,
    state: PeriodAppraisal,
    documents: Mapping[str, dict[str, Any]],
    note: str,
    corrected: bool,
) -> Publication:
    # One publisher at a time per period: the row lock orders the versions.
    Period.objects.select_for_update().filter(pk=period.pk).first()
    latest = _latest(period)
    content = publication_content(period, state, documents)
    if not content["blocks"]:
        raise DomainError(f"Kết quả đã phê duyệt của “{period.name}” không có khối nào.")
    digest = _sha256(content)
    if latest is not None and latest.content_sha256 == digest:
        day = timezone.localtime(latest.published_at)
        raise DomainError(
            f"Kết quả này đã được công bố (phiên bản {latest.version}, ngày {day:%d/%m/%Y}); "
            "nội dung không thay đổi nên không công bố lại."
        )
    if latest is not None and not note:
        raise DomainError(
            f"Đã công bố phiên bản {latest.version}: nhập ghi chú nêu nội dung thay đổi của "
            "phiên bản mới."
        )
    version = latest.version + 1 if latest is not None else 1
    files: list[tuple[str, str, bytes]] = []
    for block in content["blocks"]:
        code = block["code"]
        if version == 1 and not corrected:
            bundle = opendata.build_bundle(period, code).files
        else:
            bundle = _bundle_files(period, code, block["results"], version, note)
        files += [(code, name, data) for name, data in bundle.items()]
    pdf = _decision_pdf(state)
    if pdf is not None:
        files.append(("", DECISION_PDF, pdf))
    publication = Publication(
        period=period,
        version=version,
        published_at=timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        content=content,
        content_sha256=digest,
    )
    publication.full_clean()
    publication.save()
    _store_files(publication, files)
    audit_record(
        actor=actor,
        verb="publication.new_version" if version > 1 else "publication.publish",
        obj=period,
        old={"version": latest.version, "content_sha256": latest.content_sha256}
        if latest is not None
        else None,
        new={
            "version": version,
            "content_sha256": digest,
            "blocks": [b["code"] for b in content["blocks"]],
        },
        reason=note,
    )
    transaction.on_commit(public_cache_clear)
    return publication


@transaction.atomic
def period_publish(*, actor: Any, period: Period, note: str = "") -> Publication:
    """The organizer admin publishes the approved results of ``period`` (the snapshot and
    the decision): version 1, or a new version when the decision changed since (a note
    then says what)."""
    require_period_admin(actor, period)
    state = _approved(period)
    latest = _latest(period)
    if latest is None:
        blocks = frozen_blocks(state) or {}
        documents = {code: b["results"] for code, b in blocks.items() if b.get("results")}
    else:  # the results as last published (a corrected version stays corrected)
        documents = {b["code"]: b["results"] for b in latest.content.get("blocks", [])}
    return _publish(
        actor=actor,
        period=period,
        state=state,
        documents=documents,
        note=note.strip(),
        corrected=latest is not None,
    )


@transaction.atomic
def publication_new_version(
    *, actor: Any, period: Period, results: Mapping[str, dict[str, Any]], note: str
) -> Publication:
    """A corrected version of a published period: ``results`` are block code →
    ``parindex.results/v1`` (the blocks not given keep the last version's); ``note`` says
    what changed (required)."""
    require_period_admin(actor, period)
    state = _approved(period)
    latest = _latest(period)
    if latest is None:
        raise DomainError(
            f"Kết quả của “{period.name}” chưa được công bố: công bố phiên bản đầu trước."
        )
    note = note.strip()
    if not note:
        raise DomainError("Nhập ghi chú nêu nội dung thay đổi của phiên bản mới.")
    documents = {b["code"]: b["results"] for b in latest.content.get("blocks", [])}
    unknown = sorted(set(results) - set(documents))
    if unknown:
        raise DomainError(
            f"Kết quả đã công bố của “{period.name}” không có khối {', '.join(unknown)}."
        )
    for code, document in results.items():
        if document.get("format") != "parindex.results/v1":
            raise DomainError(f"Kết quả sửa đổi của khối {code} không đúng định dạng.")
        documents[code] = dict(document)
    return _publish(
        actor=actor, period=period, state=state, documents=documents, note=note, corrected=True
    )
