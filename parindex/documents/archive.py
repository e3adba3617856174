"""The archive of a finished period (hồ sơ lưu trữ): one zip with every document of it,
built by the worker (an export job of kind ``archive``) for the period's organizer admin.

    00 Văn bản/            the results report and the draft decision (DOCX, PDF), the signed
                           publication decision as it was uploaded
    01 Dữ liệu mở/<khối>/  the open data of each approved block (``publish-data``: the
                           framework, units, values, results, survey; its own manifest)
    02 Đơn vị/<khối>/<mã> - <tên đơn vị>/
                           Báo cáo tự đánh giá (PDF) and Tài liệu kiểm chứng/<mã tiêu chí> -
                           <tên tệp> (every evidence file, byte for byte)
    manifest.json          every file's path, size and SHA-256

Names keep their Vietnamese letters (NFC, stored as UTF-8 in the zip) and lose only what
Windows, macOS or a zip tool refuse (``/ \\ : * ? " < > |``, control characters, a trailing
dot or space); they are cut at 120 characters. Files are streamed into a temporary file, never
held in memory all at once.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone

from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.documents import render
from parindex.documents.selectors import Progress, _quiet, period_docs
from parindex.evidence.models import EvidenceFile
from parindex.periods.models import Period
from parindex.reports.renderers import render_pdf
from parindex.reports.selectors import self_assessment_report_data
from parindex.results.opendata import build_bundle

FORMAT = "parindex.archive/v1"
_BAD = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_name(text: str, limit: int = 120) -> str:
    """``Báo cáo: quý III/2026.pdf`` → ``Báo cáo - quý III-2026.pdf`` (Vietnamese kept)."""
    text = unicodedata.normalize("NFC", text)
    text = _BAD.sub("-", re.sub(r"\s*:\s*", " - ", text))
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > limit:
        stem, dot, ext = text.rpartition(".")
        if dot and len(ext) <= 5:
            text = stem[: limit - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:limit].rstrip(" .")
    return text or "tep"


def archive_problem(period: Period) -> str | None:
    """Why the period cannot be archived yet (None when it can): its results must be
    approved by the chair and the publication decision recorded."""
    state = PeriodAppraisal.objects.filter(period=period).first()
    if state is None or state.review != PeriodAppraisal.Review.APPROVED or not state.snapshot:
        return (
            "Kết quả của đợt đánh giá chưa được Chủ tịch Hội đồng phê duyệt: chưa lập được hồ "
            "sơ lưu trữ."
        )
    if not state.decision_number:
        return "Chưa ghi Quyết định công bố kết quả: chưa lập được hồ sơ lưu trữ."
    return None


class _Zip:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.items: list[dict[str, Any]] = []
        self.names: set[str] = set()

    def _unique(self, name: str) -> str:
        stem, dot, ext = name.rpartition(".")
        if not dot or "/" in ext:
            stem, ext = name, ""
        candidate, n = name, 1
        while candidate.lower() in self.names:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        self.names.add(candidate.lower())
        return candidate

    def add(self, name: str, content: bytes) -> None:
        name = self._unique(name)
        self.zip.writestr(name, content)
        self.items.append(
            {"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        )

    def add_stored(self, name: str, storage_name: str) -> None:
        name = self._unique(name)
        digest = hashlib.sha256()
        size = 0
        with default_storage.open(storage_name, "rb") as src, self.zip.open(name, "w") as out:
            for block in iter(lambda: src.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                out.write(block)
        self.items.append({"path": name, "size": size, "sha256": digest.hexdigest()})


def build_archive(period: Period, *, progress: Progress = _quiet) -> tuple[Path, str]:
    """Write the period's archive to a temporary file; (its path, its Vietnamese name)."""
    why = archive_problem(period)
    if why:
        raise DomainError(why)
    state = PeriodAppraisal.objects.get(period=period)
    tmp = tempfile.NamedTemporaryFile(prefix="parindex-archive-", suffix=".zip", delete=False)  # noqa: SIM115
    tmp.close()
    path = Path(tmp.name)
    z = _Zip(path)
    try:
        progress(5, "Văn bản")
        data = period_docs(period)
        for kind, renderers in (("report", render.REPORT), ("decision", render.DECISION)):
            _ascii, vi = render.file_names(data, kind)
            for fmt in ("docx", "pdf"):
                z.add(f"00 Văn bản/{safe_name(vi)}.{fmt}", renderers[fmt](data))
        if state.decision_file:
            name = state.decision_file_name or f"Quyết định {state.decision_number}.pdf"
            z.add_stored(f"00 Văn bản/{safe_name(name)}", state.decision_file)

        progress(25, "Dữ liệu mở")
        blocks: list[str] = []
        for pb in period.blocks.select_related("block").order_by("block__position"):
            code = pb.block.code
            try:
                bundle = build_bundle(period, code)
            except DomainError:
                continue
            blocks.append(code)
            for file_name, content in bundle.files.items():
                z.add(f"01 Dữ liệu mở/{safe_name(code)}/{safe_name(file_name)}", content)

        assessments = list(
            Assessment.objects.filter(period=period)
            .select_related("unit", "unit__block", "period", "period__organizer")
            .order_by("unit__block__position", "unit__code")
        )
        evidence = (
            EvidenceFile.objects.filter(assessment__period=period)
            .select_related("entry__node")
            .order_by("assessment_id", "entry__node__position", "uploaded_at", "pk")
        )
        by_assessment: dict[int, list[EvidenceFile]] = {}
        for item in evidence:
            by_assessment.setdefault(item.assessment_id, []).append(item)
        for i, assessment in enumerate(assessments):
            progress(35 + 60 * i // max(len(assessments), 1), f"Đơn vị {assessment.unit.name}")
            unit = assessment.unit
            block = safe_name(unit.block.code if unit.block else "khac")
            folder = f"02 Đơn vị/{block}/{safe_name(f'{unit.code} - {unit.name}')}"
            report = self_assessment_report_data(assessment)
            z.add(f"{folder}/{safe_name(report.filename_vi)}.pdf", render_pdf(report))
            for item in by_assessment.get(assessment.pk, []):
                name = safe_name(f"{item.entry.node.code} - {item.original_name}")
                z.add_stored(f"{folder}/Tài liệu kiểm chứng/{name}", item.storage_name)

        manifest = {
            "format": FORMAT,
            "period": {
                "id": period.pk,
                "name": period.name,
                "year": period.year,
                "organizer": period.organizer.code,
                "closed": period.closed,
                "decision": state.decision_number,
            },
            "blocks": blocks,
            "created_at": timezone.now().isoformat(),
            "files": z.items,
        }
        z.zip.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        )
        z.zip.close()
    except BaseException:
        z.zip.close()
        path.unlink(missing_ok=True)
        raise
    vi_name = safe_name(f"Hồ sơ lưu trữ Chỉ số CCHC {period.year} - {period.organizer.name}")
    return path, f"{vi_name}.zip"
