"""Build one file of a period (what the request or the worker runs): the kind, the format,
the bytes, the download names. ``progress`` reports to the export job."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parindex.documents import render
from parindex.documents.archive import build_archive
from parindex.documents.selectors import Progress, _quiet, period_docs
from parindex.documents.xlsx import workbook
from parindex.periods.models import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
FORMATS = {
    "report": ("docx", "pdf"),
    "decision": ("docx", "pdf"),
    "workbook": ("xlsx",),
    "archive": ("zip",),  # the worker only (archive.py): a temporary file, not bytes
}


@dataclass(frozen=True)
class Built:
    content: bytes
    content_type: str
    ascii_name: str
    vi_name: str
    path: Path | None = None  # a large file written to a temporary file (content is b"")


def build(period: Period, kind: str, fmt: str, *, progress: Progress = _quiet) -> Built:
    if fmt not in FORMATS.get(kind, ()):
        raise ValueError(f"{kind}.{fmt}")
    if kind == "archive":
        path, vi_name = build_archive(period, progress=progress)
        return Built(
            b"", ZIP, f"ho-so-luu-tru-{period.organizer.code}-{period.year}.zip", vi_name, path=path
        )
    data = period_docs(period, progress=progress)
    ascii_name, vi_name = render.file_names(data, kind)
    if kind == "workbook":
        content = workbook(data, progress=progress)
        return Built(content, XLSX, f"{ascii_name}.xlsx", f"{vi_name}.xlsx")
    progress(70, "Dàn trang văn bản")
    renderers = render.REPORT if kind == "report" else render.DECISION
    content = renderers[fmt](data)
    return Built(content, render.CONTENT_TYPES[fmt], f"{ascii_name}.{fmt}", f"{vi_name}.{fmt}")
