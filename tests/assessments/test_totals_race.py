"""Two autosaves of different leaves of one assessment at the same moment store a total with
both (PostgreSQL, READ COMMITTED: real threads, real transactions).

Without the assessment row's lock each save sums the entries it sees — its own, not the
other's uncommitted one — and the later update wins: the stored total misses a leaf. A slow
clock (``timezone.now`` sleeps) widens the window between the sum and the update so that the
race happens on every run of the unlocked code."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from parindex.assessments import services
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.services import assessment as assessment_services
from tests.assessments.test_entry_record import IN_SELF_ASSESSMENT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and threads"
    ),
]


def _slow_clock(monkeypatch):
    def now():
        time.sleep(0.3)
        return timezone.now()

    # the clock of the totals' update (assessment_recompute_totals)
    monkeypatch.setattr(
        assessment_services, "timezone", SimpleNamespace(now=now, localtime=timezone.localtime)
    )


def test_two_autosaves_at_once_store_a_total_with_both(province, assessment, monkeypatch):
    first, second = (
        Entry.objects.get(assessment=assessment, node__code=code) for code in ("1.2", "1.5")
    )
    _slow_clock(monkeypatch)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(entry: Entry, value: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.entry_record(actor=province.officer, entry=entry, value=value)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(IN_SELF_ASSESSMENT, tick=True):
        threads = [
            threading.Thread(target=save, args=(first, "yes")),  # boolean: 1 point
            threading.Thread(target=save, args=(second, "3")),  # count, capped: 1 point
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors
    scores = [e.self_score for e in Entry.objects.filter(pk__in=[first.pk, second.pk])]
    assert scores == [Decimal(1), Decimal(1)]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.self_points == Decimal(2)
    assert stored.final_points == Decimal(2)
