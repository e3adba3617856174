"""The evidence files of an assessment as the reports list them (``evidence_for_assessment``:
entry id -> its files, one query); an entry without a file or an explanation says "Chưa có
tài liệu kiểm chứng".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from parindex.assessments.selectors import evidence_for_assessment


@dataclass(frozen=True)
class EvidenceLine:
    name: str
    signer: str = ""
    signed_on: dt.date | None = None
    problem: str = ""  # e.g. "chữ ký số không hợp lệ"

    @property
    def text(self) -> str:
        """'quyet-dinh.pdf (ký số: Nguyễn Văn A, 12/11/2026)'."""
        if self.problem:
            return f"{self.name} ({self.problem})"
        if not self.signer:
            return self.name
        when = f", {self.signed_on:%d/%m/%Y}" if self.signed_on else ""
        return f"{self.name} (ký số: {self.signer}{when})"


PROBLEMS = {
    "signed_modified": "đã ký số, có sửa đổi sau khi ký",
    "signature_error": "chữ ký số không hợp lệ",
}


def _local_date(value: Any) -> dt.date | None:
    if isinstance(value, str) and value:
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value if isinstance(value, dt.date) else None


def _line(item: Any) -> EvidenceLine:
    """One file: its name and what its digital signature says. Reads the evidence app's
    ``signature_status`` + ``signatures`` (list of {signer, signed_at, …}), or the simpler
    ``signer_name`` / ``signing_time`` of the original contract."""
    status = str(getattr(item, "signature_status", "") or "")
    signatures = getattr(item, "signatures", None) or []
    first = signatures[0] if signatures and isinstance(signatures[0], dict) else {}
    signer = str(first.get("signer") or getattr(item, "signer_name", "") or "")
    signed = first.get("signed_at") or getattr(item, "signing_time", None)
    return EvidenceLine(
        name=str(getattr(item, "original_name", "") or item),
        signer=signer if status in ("", "signed_intact") else "",
        signed_on=_local_date(signed),
        problem=PROBLEMS.get(status, ""),
    )


def evidence_lines(assessment: Any) -> dict[int, list[EvidenceLine]]:
    """entry id -> the entry's evidence files, oldest first."""
    files = evidence_for_assessment(assessment)
    return {entry_id: [_line(f) for f in items] for entry_id, items in files.items()}
