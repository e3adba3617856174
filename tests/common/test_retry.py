"""``db_retrying``: an idempotent task outlasts a short database outage (a refused query is
tried again after a pause, on a fresh connection); any other error, and the last refusal, go
to the worker as before."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from parindex.common import retry


@pytest.fixture
def pauses(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(retry.time, "sleep", waited.append)
    monkeypatch.setattr(retry, "_drop_connections", lambda: waited.append(0.0))
    return waited


def test_a_refused_query_is_tried_again_until_it_works(pauses):
    calls = []

    @retry.db_retrying
    def refresh(survey_id: int) -> bool:
        calls.append(survey_id)
        if len(calls) < 3:
            raise OperationalError("could not extend file: No space left on device")
        return True

    assert refresh(7) is True
    assert calls == [7, 7, 7] and pauses == [0.0, 5.0, 0.0, 15.0]  # a fresh connection each


def test_after_the_last_pause_the_refusal_reaches_the_worker(pauses):
    @retry.db_retrying
    def refresh() -> None:
        raise OperationalError("the database system is shutting down")

    with pytest.raises(OperationalError):
        refresh()
    assert [p for p in pauses if p] == list(retry.PAUSES)


def test_other_errors_are_not_retried(pauses):
    @retry.db_retrying
    def refresh() -> None:
        raise ValueError("bad survey")

    with pytest.raises(ValueError, match="bad survey"):
        refresh()
    assert pauses == []


def test_the_survey_points_tasks_keep_their_names_and_retry():
    from parindex.survey import tasks_points

    assert tasks_points.refresh_points.module_path == "parindex.survey.tasks_points.refresh_points"
    assert tasks_points.refresh_points.func.__wrapped__.__name__ == "refresh_points"
    assert tasks_points.freeze_period.func.__wrapped__.__name__ == "freeze_period"
