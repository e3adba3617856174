"""An evidence upload must not stop the province's other saves while its file is checked.

On SQLite (``transaction_mode=IMMEDIATE``) an open transaction holds the database's one write
lock: when the PDF check ran inside the upload's transaction, every autosave waited for it
and failed with "database is locked" after ``busy_timeout``. The test runs on a real SQLite
FILE (the in-memory test database copied to one, with the production options: WAL,
busy_timeout, IMMEDIATE), or on the PostgreSQL of ``DATABASE_URL``. The inspector is
replaced by one that blocks until released, on the old code's name too (``services.
inspect_pdf``), so the same test fails there.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.db import connection, connections

from parindex.assessments.models import Entry
from parindex.assessments.services import entry_record
from parindex.evidence import pdf, services
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_upload
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_file(ev, tmp_path):
    """Point the default database at a file copy of the test database for this test."""
    if connection.vendor != "sqlite":
        yield None
        return
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    assert connection.is_in_memory_db(), memory_name
    # Keeps the shared in-memory database alive while no Django connection points at it.
    keeper = sqlite3.connect(memory_name, uri=True)
    path = tmp_path / "parindex.sqlite3"
    target = sqlite3.connect(path)
    keeper.backup(target)
    target.close()
    settings_dict["NAME"] = str(path)
    connection.close()  # (a no-op while the name was the in-memory one)
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        yield path
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()
        keeper.close()


def _in_thread(target, outcome: dict) -> threading.Thread:
    def run() -> None:
        started = time.monotonic()
        try:
            outcome["result"] = target()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            outcome["error"] = exc
        finally:
            outcome["seconds"] = time.monotonic() - started
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_an_autosave_goes_through_while_a_large_upload_is_being_checked(
    ev, database_file, monkeypatch, settings
):
    settings.EVIDENCE_INSPECT_SECONDS = 0  # in this process, so the blocking stand-in works
    inspecting, release = threading.Event(), threading.Event()
    real_inspect = pdf.inspect_pdf

    def slow_inspect(stream, **kwargs):
        inspecting.set()
        release.wait(20)
        return real_inspect(stream, **kwargs)

    monkeypatch.setattr(pdf, "inspect_pdf", slow_inspect)
    monkeypatch.setattr(services, "inspect_pdf", slow_inspect, raising=False)  # the old code

    data = pdfs.make_pdf("Bao cao nam", padding=8 * 1024 * 1024)
    assert len(data) > 8 * 1024 * 1024
    entry = load_entry(ev.entry)
    uploaded: dict = {}
    saved: dict = {}
    uploader = _in_thread(
        lambda: evidence_upload(actor=ev.officer, entry=entry, upload=upload("lon.pdf", data)),
        uploaded,
    )
    try:
        assert inspecting.wait(30), uploaded
        saver = _in_thread(
            lambda: entry_record(
                actor=ev.officer, entry=Entry.objects.get(pk=ev.entry2.pk), value="yes"
            ),
            saved,
        )
        saver.join(5)
        finished_while_checking = not saver.is_alive()
    finally:
        release.set()
        uploader.join(60)
    saver.join(30)

    assert finished_while_checking, "the autosave waited for the upload's check"
    assert "error" not in saved, saved.get("error")
    assert saved["seconds"] < 5
    assert "error" not in uploaded, uploaded.get("error")
    assert Entry.objects.get(pk=ev.entry2.pk).value == "yes"
    assert EvidenceFile.objects.get().original_name == "lon.pdf"
