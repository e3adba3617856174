"""A contributor in the province's own self-assessment reads only its leaves everywhere: the
assessment page, the Word/PDF/Excel reports, the entries' history and evidence (issue 6, §3)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from parindex.assessments.models import Entry
from tests.assessments.test_workspace_contributors import province_self  # noqa: F401

MINE = "GHI-CHU-CUA-SO-Y-TE"
OTHER = "GHI-CHU-CUA-DON-VI-KHAC"


@pytest.fixture
def noted(province_self):  # noqa: F811
    Entry.objects.filter(assessment=province_self, node__code="1.2").update(explanation=MINE)
    Entry.objects.filter(assessment=province_self, node__code="1.4").update(explanation=OTHER)
    return province_self


def test_the_assessment_page_shows_a_contributor_only_its_leaves(login, province, noted):
    html = login(province.outsider).get(reverse("assessments:detail", args=[noted.pk]))
    assert html.status_code == 200
    page = html.content.decode()
    assert MINE in page and OTHER not in page
    # the organizer still sees the whole
    page = login(province.admin).get(reverse("assessments:detail", args=[noted.pk])).content
    assert MINE in page.decode() and OTHER in page.decode()


def _xlsx_text(data: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value
    )


def test_the_reports_hold_only_the_contributors_leaves(login, province, noted):
    client = login(province.outsider)
    url = reverse("reports:self-assessment", kwargs={"pk": noted.pk, "fmt": "xlsx"})
    text = _xlsx_text(client.get(url).content)
    assert MINE in text and OTHER not in text
    docx = client.get(reverse("reports:self-assessment", kwargs={"pk": noted.pk, "fmt": "docx"}))
    import docx as python_docx

    doc = python_docx.Document(io.BytesIO(docx.content))
    body = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    body += "\n".join(p.text for p in doc.paragraphs)
    assert MINE in body and OTHER not in body


def test_the_history_and_evidence_of_other_leaves_are_404(login, province, noted):
    client = login(province.outsider)
    other = Entry.objects.get(assessment=noted, node__code="1.4")
    mine = Entry.objects.get(assessment=noted, node__code="1.2")
    for name, args in [
        ("assessments:entry-history", [noted.pk, other.pk]),
        ("evidence:list", [other.pk]),
        ("evidence:entry", [other.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.get(reverse("assessments:entry-history", args=[noted.pk, mine.pk])).status_code
        == 200
    )
