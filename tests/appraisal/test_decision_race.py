"""Two decisions on one leaf at the same moment (PostgreSQL, real threads): both are kept as
rows, exactly one counts, and the entry's round score is the one that counts."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from parindex.appraisal.models import Decision
from parindex.appraisal.services import decision_record, round_open
from tests.appraisal.conftest import entry_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and threads"
    ),
]
K = Decision.Kind


def test_two_decisions_at_once_leave_one_current(appraisal):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    entry = entry_of(ns.stp, "1.6")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def decide(value: str) -> None:
        try:
            barrier.wait(timeout=10)
            decision_record(actor=ns.appraiser2, entry=entry, round=1, kind=K.ADJUST,
                            value=value, value2="4", reason=f"Chỉ chứng minh {value}/4")  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(v,)) for v in ("1", "3")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    rows = list(Decision.objects.filter(entry=entry, round=1).order_by("at", "id"))
    assert len(rows) == 2 and [r.current for r in rows] == [False, True]
    entry.refresh_from_db()
    assert entry.round1_score == rows[-1].score
