"""The report as PDF: WeasyPrint from templates/reports/self_assessment.html, with the bundled
Liberation Serif (metric-compatible with Times New Roman). Nothing is fetched from the network:
the only URLs the renderer may open are the font files in parindex/reports/fonts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from parindex.reports.renderers import common
from parindex.reports.selectors import ReportData

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}


class BundledFontsOnly(URLFetcher):
    """Opens file:// URLs inside the fonts folder and nothing else (no network, no files)."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file://"):
            path = Path(url[len("file://") :]).resolve()
            if path.parent == FONTS_DIR and path.name in FONT_FILES.values():
                return super().fetch(url, headers)
        raise ValueError(f"parindex reports do not load external resources: {url}")


def font_urls() -> dict[str, str]:
    return {key: (FONTS_DIR / name).as_uri() for key, name in FONT_FILES.items()}


def report_html(data: ReportData) -> str:
    summary = [
        {"kind": row.kind, "cells": common.summary_cells(row), "survey_text": row.points_text}
        for row in data.summary
    ]
    details = [
        {
            "level": min(row.depth, 1) if not row.is_leaf else "leaf",
            "code": row.code,
            "title": row.title + (" (điểm thưởng)" if row.bonus and row.is_leaf else ""),
            "max": common.points(row.max),
            "value": row.value_text,
            "muted": row.is_leaf and (row.survey or not row.declared),
            "points": common.detail_points(row),
            "proof": common.evidence_lines(row),
        }
        for row in data.details
    ]
    return render_to_string(
        "reports/self_assessment.html",
        {
            "data": data,
            "fonts": font_urls(),
            "summary": summary,
            "details": details,
            "summary_headers": common.SUMMARY_HEADERS,
            "detail_headers": common.DETAIL_HEADERS,
            "total": {
                "points": common.score(data.self_points),
                "max": common.points(data.self_max),
                "percent": common.pct(data.self_percent),
            },
        },
    )


def render_pdf(data: ReportData) -> bytes:
    html = HTML(
        string=report_html(data),
        base_url=FONTS_DIR.as_uri() + "/",
        url_fetcher=BundledFontsOnly(),
    )
    pdf = html.write_pdf()  # bytes, since no target is given
    assert pdf is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
    return pdf
