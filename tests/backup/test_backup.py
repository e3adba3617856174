"""``parindex backup DIR`` and ``parindex restore DIR`` on a published period with stored
files: restored into a fresh empty database (a SQLite file, in a child process, from the
tests' own engine — on PostgreSQL CI that is a PostgreSQL → SQLite restore), compared table
by table and file by file; a tampered file or a non-empty target is refused before anything
is written."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from parindex.audit.models import AuditEvent
from parindex.backup.services import FORMAT
from parindex.publication.models import PublicationFile
from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.backup.helpers import assert_same_backup, manifest, run, second_postgres_database
from tests.publication.conftest import published  # noqa: F401 - fixtures
from tests.results.conftest import approved  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

FILES = {
    "evidence/stp/2026/Báo cáo CCHC quý III.pdf": b"%PDF-1.7 bao cao quy III",
    "evidence/syt/2026/QD-ban-hanh-KH-CCHC-2026.pdf": b"%PDF-1.7 quyet dinh",
    "decisions/345-QD-UBND.pdf": b"%PDF-1.7 quyet dinh cong bo (ky so)",
}


@pytest.fixture
def store(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/_unused_/"},
        },
    }
    for name, content in FILES.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return tmp_path / "media"


@pytest.fixture
def backup(published, store, tmp_path):  # noqa: F811 - the imported fixture
    folder = tmp_path / "backup"
    call_command("backup", str(folder), verbosity=0)
    return folder


def test_the_manifest_names_versions_migrations_rows_and_checksums(backup, published):  # noqa: F811
    m = manifest(backup)
    assert m["format"] == FORMAT
    assert m["app_version"]
    assert "0003_council" in m["migrations"]["periods"]
    rows = {t["model"]: t["rows"] for t in m["tables"]}
    assert rows["periods.period"] == 1
    assert rows["assessments.assessment"] == 2
    assert rows["publication.publicationfile"] == PublicationFile.objects.count() > 0
    assert "contenttypes.contenttype" not in rows  # made again by migrate
    assert {f["name"] for f in m["files"]["items"]} == set(FILES)
    for item in m["files"]["items"]:
        assert (backup / "files" / item["name"]).read_bytes() == FILES[item["name"]]
        assert len(item["sha256"]) == 64
    first = m["tables"][0]
    with gzip.open(backup / "db" / first["file"]) as f:
        assert isinstance(json.loads(f.readline()), list)  # the columns
    assert AuditEvent.objects.filter(verb="system.backup").count() == 1


def test_a_backup_is_restored_into_an_empty_database_with_the_same_rows_and_files(backup, tmp_path):
    target = tmp_path / "target"
    done = run(target, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "khớp" in done.stdout
    for name, content in FILES.items():
        assert (target / "media" / name).read_bytes() == content
    # a backup of the restored database holds the same rows, byte for byte, and the same files
    again = run(target, "backup", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert_same_backup(manifest(backup), manifest(tmp_path / "again"))
    db = sqlite3.connect(target / "parindex.sqlite3")
    verbs = [
        v for (v,) in db.execute("select verb from audit_auditevent where verb like 'system.%'")
    ]
    assert sorted(verbs) == ["system.backup", "system.restore"]  # the copy's own backup
    db.close()

    # the restored database is not empty now: a second restore is refused, nothing changes
    twice = run(target, "restore", str(backup))
    assert twice.returncode == 2
    assert "Cơ sở dữ liệu đích đã có dữ liệu" in twice.stderr


def test_on_postgresql_it_restores_into_a_second_postgresql_database(backup, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the tests run on SQLite: the SQLite restore above covers it")
    target = tmp_path / "target"
    with second_postgres_database() as url:
        done = run(target, "restore", str(backup), database_url=url)
        # the restore's own audit row is inserted after the load: without the sequences
        # reset it would take id 1, already loaded, and fail
        assert done.returncode == 0, done.stderr
        again = run(target, "backup", str(tmp_path / "again"), database_url=url)
        assert again.returncode == 0, again.stderr
        assert_same_backup(manifest(backup), manifest(tmp_path / "again"))
        assert manifest(tmp_path / "again")["engine"] == "postgresql"


def test_a_tampered_file_is_refused_before_anything_is_written(backup, tmp_path):
    name = "evidence/stp/2026/Báo cáo CCHC quý III.pdf"
    (backup / "files" / name).write_bytes(b"%PDF-1.7 bao cao DA SUA")
    target = tmp_path / "target"
    done = run(target, "restore", str(backup))
    assert done.returncode == 2
    assert f"Tệp files/{name} đã bị sửa hoặc hỏng" in done.stderr
    assert not (target / "media").exists()
    db = target / "parindex.sqlite3"
    if db.exists():
        tables = sqlite3.connect(db).execute("select name from sqlite_master").fetchall()
        assert tables == []


def test_a_tampered_table_is_refused(backup, tmp_path):
    m = manifest(backup)
    table = next(t for t in m["tables"] if t["model"] == "accounts.user")
    path = backup / "db" / table["file"]
    with gzip.open(path, "rb") as f:
        lines = f.readlines()
    with gzip.open(path, "wb") as f:
        f.writelines(lines[:-1])  # one account fewer
    done = run(tmp_path / "target", "restore", str(backup))
    assert done.returncode == 2
    assert f"db/{table['file']} đã bị sửa hoặc hỏng" in done.stderr


def test_a_storage_that_holds_files_is_refused(backup, tmp_path):
    target = tmp_path / "target"
    (target / "media").mkdir(parents=True)
    (target / "media" / "cu.pdf").write_bytes(b"%PDF old")
    done = run(target, "restore", str(backup))
    assert done.returncode == 2
    assert "Kho tệp đích đã có tệp" in done.stderr
    tables = sqlite3.connect(target / "parindex.sqlite3").execute(
        "select name from sqlite_master where name = 'accounts_user'"
    )
    assert tables.fetchall() == []  # not even migrated


def test_a_backup_goes_into_a_new_folder_only(backup, store):
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("backup", str(backup), verbosity=0)


def test_manifest_only_lists_the_stored_files_without_copying_them(published, store, tmp_path):  # noqa: F811
    folder = tmp_path / "b"
    call_command("backup", str(folder), "--manifest-only", verbosity=0)
    m = manifest(folder)
    assert m["files"]["mode"] == "manifest-only"
    assert {(f["name"], f["size"]) for f in m["files"]["items"]} == {
        (n, len(c)) for n, c in FILES.items()
    }
    assert not (folder / "files").exists()
    # restored where the bucket is not back yet: refused, nothing written
    done = run(tmp_path / "target", "restore", str(folder))
    assert done.returncode == 2
    assert "kho tệp phải được phục hồi riêng trước" in done.stderr


KEY = "khoa-ky-ban-sao-luu-cua-so-noi-vu"


@pytest.fixture
def signed(published, store, tmp_path, settings):  # noqa: F811 - the imported fixture
    settings.BACKUP_SIGNING_KEY = KEY
    folder = tmp_path / "signed"
    call_command("backup", str(folder), verbosity=0)
    return folder


def _forge(folder: Path) -> None:
    """An attacker changes a file and rewrites its SHA-256 in the manifest to match."""
    import hashlib

    name = "decisions/345-QD-UBND.pdf"
    forged = b"%PDF-1.7 quyet dinh DA BI SUA"
    (folder / "files" / name).write_bytes(forged)
    m = manifest(folder)
    for item in m["files"]["items"]:
        if item["name"] == name:
            item["sha256"] = hashlib.sha256(forged).hexdigest()
            item["size"] = len(forged)
    (folder / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=1))


def test_a_signed_backup_whose_manifest_was_rewritten_is_refused(signed, tmp_path):
    sig = (signed / "manifest.json.sig").read_text().strip()
    assert sig.startswith("hmac-sha256:") and len(sig) == len("hmac-sha256:") + 64
    _forge(signed)
    target = tmp_path / "target"
    done = run(target, "restore", str(signed), extra_env={"BACKUP_SIGNING_KEY": KEY})
    assert done.returncode == 2
    assert "Chữ ký của manifest.json không khớp" in done.stderr
    assert not (target / "media").exists()
    # checksums alone cannot see it: without the key the forged backup passes them
    unchecked = run(tmp_path / "other", "restore", str(signed))
    assert unchecked.returncode == 0, unchecked.stderr
    assert "Chữ ký của bản sao lưu chưa được kiểm tra" in unchecked.stdout


def test_a_signed_backup_is_restored_with_its_key(signed, tmp_path):
    done = run(tmp_path / "target", "restore", str(signed), extra_env={"BACKUP_SIGNING_KEY": KEY})
    assert done.returncode == 0, done.stderr
    assert "chưa được kiểm tra" not in done.stdout
    wrong = run(tmp_path / "t2", "restore", str(signed), extra_env={"BACKUP_SIGNING_KEY": "x"})
    assert wrong.returncode == 2 and "ký bằng khóa khác" in wrong.stderr


def test_with_the_key_set_an_unsigned_backup_is_refused(backup, tmp_path):
    assert not (backup / "manifest.json.sig").exists()
    done = run(tmp_path / "target", "restore", str(backup), extra_env={"BACKUP_SIGNING_KEY": KEY})
    assert done.returncode == 2
    assert "Bản sao lưu không có chữ ký (manifest.json.sig)" in done.stderr
