"""Build one file of a period (what the request or the worker runs): the kind, the format,
the bytes, the download names. ``progress`` reports to the export job."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.documents import render
from parindex.documents.selectors import Progress, _quiet, period_docs
from parindex.documents.xlsx import workbook
from parindex.periods.models import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"report": ("docx", "pdf"), "decision": ("docx", "pdf"), "workbook": ("xlsx",)}


@dataclass(frozen=True)
class Built:
    content: bytes
    content_type: str
    ascii_name: str
    vi_name: str


def build(period: Period, kind: str, fmt: str, *, progress: Progress = _quiet) -> Built:
    if fmt not in FORMATS.get(kind, ()):
        raise ValueError(f"{kind}.{fmt}")
    data = period_docs(period, progress=progress)
    ascii_name, vi_name = render.file_names(data, kind)
    if kind == "workbook":
        content = workbook(data, progress=progress)
        return Built(content, XLSX, f"{ascii_name}.xlsx", f"{vi_name}.xlsx")
    progress(70, "Dàn trang văn bản")
    renderers = render.REPORT if kind == "report" else render.DECISION
    content = renderers[fmt](data)
    return Built(content, render.CONTENT_TYPES[fmt], f"{ascii_name}.{fmt}", f"{vi_name}.{fmt}")
