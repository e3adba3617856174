"""Selectors: all files of an assessment in one query, counts per entry."""

from __future__ import annotations

import pytest

from parindex.assessments.completeness import evidence_counts
from parindex.assessments.selectors import evidence_for_assessment
from parindex.evidence.services import evidence_upload
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, upload

pytestmark = pytest.mark.django_db


def _attach(ev, entry, text):
    return evidence_upload(
        actor=ev.officer, entry=load_entry(entry), upload=upload(f"{text}.pdf", pdfs.make_pdf(text))
    )


def test_it_groups_the_files_by_entry_in_one_query(ev, django_assert_num_queries):
    a = _attach(ev, ev.entry, "a")
    b = _attach(ev, ev.entry, "b")
    c = _attach(ev, ev.entry2, "c")
    _attach(ev, ev.entry2, "a")  # duplicate of a, on another entry
    with django_assert_num_queries(1):
        grouped = evidence_for_assessment(ev.assessment)
        names = {
            k: [(f.original_name, f.uploaded_by.username) for f in v] for k, v in grouped.items()
        }
        dup_codes = [
            f.duplicate_of.entry.node.code for f in grouped[ev.entry2.pk] if f.duplicate_of
        ]
    assert names == {
        ev.entry.pk: [("a.pdf", "cv.stp"), ("b.pdf", "cv.stp")],
        ev.entry2.pk: [("c.pdf", "cv.stp"), ("a.pdf", "cv.stp")],
    }
    assert dup_codes == ["1.1"]
    assert [f.pk for f in grouped[ev.entry.pk]] == [a.pk, b.pk]
    assert grouped[ev.entry2.pk][0].pk == c.pk


def test_it_counts_the_files_per_entry(ev, django_assert_num_queries):
    _attach(ev, ev.entry, "a")
    _attach(ev, ev.entry, "b")
    _attach(ev, ev.entry3, "c")
    with django_assert_num_queries(1):
        counts = evidence_counts(ev.assessment)
    assert counts == {ev.entry.pk: 2, ev.entry3.pk: 1}


def test_another_assessment_is_not_mixed_in(ev):
    _attach(ev, ev.entry, "a")
    assert evidence_for_assessment(ev.other_assessment) == {}
    assert evidence_counts(ev.other_assessment) == {}
