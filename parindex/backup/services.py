"""``backup_create`` and ``backup_restore``: the whole database (a portable logical dump,
``dump.py``) and every file of the default storage, with a manifest of checksums.

A backup folder::

    manifest.json           format, app version, engine, migration state, rows and SHA-256 of
                            every table file, name, size and SHA-256 of every stored file
    db/NNN-app.model.jsonl.gz
    files/<name in the storage>   (not with --manifest-only: the bucket is backed up apart)

The restore refuses (nothing written) a folder whose checksums do not match, a backup of a
newer version of the code, a database that holds any row or a storage that holds any file:
a restore never merges into live data, and there is no ``--force`` (empty the target by
hand — drop the database, move the files away — to restore over it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from parindex.audit.models import AuditEvent
from parindex.backup import dump
from parindex.common.errors import DomainError

FORMAT = "parindex.backup/v1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"


def app_version() -> str:
    try:
        return metadata.version("parindex")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "0"


# --- the storage ------------------------------------------------------------------------------


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in ``storage`` (FileSystemStorage or S3), in name order."""
    try:
        dirs, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        yield from storage_names(storage, f"{folder}/{sub}" if folder else sub)


def _safe_name(name: str) -> str:
    """A stored name as a relative path that stays inside ``files/``."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise DomainError(f"Tên tệp “{name}” trong bản sao lưu không hợp lệ.")
    return "/".join(parts)


# --- backup ------------------------------------------------------------------------------------


def _migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The applied leaf migrations of each app. Refuses while the code has unapplied ones
    (the dump is read with the code's models)."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        raise DomainError(
            f"Cơ sở dữ liệu chưa cập nhật cấu trúc ({names}…): chạy “parindex migrate” trước "
            "khi sao lưu."
        )
    applied = set(MigrationRecorder(connection).applied_migrations())
    state: dict[str, list[str]] = {}
    graph = executor.loader.graph
    for app, name in sorted(applied):
        if (app, name) not in graph.nodes:
            continue
        children = {c for c in graph.node_map[(app, name)].children if c.key in applied}
        if not any(c.key[0] == app for c in children):
            state.setdefault(app, []).append(name)
    return state


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """One consistent view of the database that does not stop the writers: PostgreSQL
    REPEATABLE READ READ ONLY; SQLite a deferred read transaction (WAL: writers go on).
    Inside a caller's transaction (a test), that transaction's view is used."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        # The project's SQLite connections begin IMMEDIATE (a write lock): a plain BEGIN is
        # a reader's snapshot instead.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _copy_out(storage: Storage, name: str, target: Path) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as src, target.open("wb") as out:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            out.write(block)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _audit(verb: str, object_id: str, repr_: str, new: dict[str, Any]) -> None:
    # The command line acts as the system (no user); the backup is not a model row.
    AuditEvent.objects.create(
        actor=None,
        verb=verb,
        object_type="backup",
        object_id=object_id[:64],
        object_repr=repr_[:300],
        new=new,
    )


@dataclass
class Report:
    folder: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)


def backup_create(
    *,
    folder: Path,
    manifest_only: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
) -> Report:
    """Write a backup of the database and the default storage into ``folder`` (new or
    empty). The tables are read in one snapshot; the files are copied after it, outside any
    transaction (a file uploaded meanwhile is an extra file, harmless)."""
    storage = storage or default_storage
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DomainError(
            f"Thư mục {folder} đã có dữ liệu: chọn một thư mục mới (hoặc trống) cho bản sao lưu."
        )
    state = _migration_state(using)
    (folder / "db").mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    tables: list[dict[str, Any]] = []
    with read_snapshot(using):
        keys = dump.NaturalKeys(global_apps, using)
        for i, model in enumerate(dump.dumped_models(global_apps), 1):
            path = folder / "db" / f"{i:03d}-{model._meta.label_lower}.jsonl.gz"
            tables.append(dump.write_table(model, keys, path, using))
    files: list[dict[str, Any]] = []
    for name in storage_names(storage):
        safe = _safe_name(name)
        if manifest_only:
            files.append({"name": name, "size": storage.size(name)})
        else:
            files.append(_copy_out(storage, name, folder / "files" / safe))
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "created_at": started.isoformat(),
        "engine": connections[using].vendor,
        "migrations": state,
        "tables": tables,
        "files": {"mode": "manifest-only" if manifest_only else "copied", "items": files},
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    key = signing_key()
    if key:  # written before the manifest: a folder with manifest.json is complete
        (folder / SIGNATURE).write_text(manifest_signature(data, key) + "\n", encoding="ascii")
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, folder / MANIFEST)  # a folder without manifest.json is not a backup
    report = Report(
        folder=folder,
        tables=len(tables),
        rows=sum(t["rows"] for t in tables),
        files=len(files),
        bytes=sum(f["size"] for f in files),
    )
    _audit(
        "system.backup",
        started.strftime("%Y%m%dT%H%M%S"),
        f"Sao lưu {folder}",
        {
            "tables": report.tables,
            "rows": report.rows,
            "files": report.files,
            "files_mode": "manifest-only" if manifest_only else "copied",
            "signed": bool(key),
        },
    )
    if not key:
        report.notes.append(
            "Bản sao lưu không có chữ ký (chưa đặt BACKUP_SIGNING_KEY): SHA-256 phát hiện tệp "
            "hỏng, nhưng không chứng minh được bản sao lưu không bị sửa."
        )
    return report


# --- restore -----------------------------------------------------------------------------------


def signing_key() -> bytes:
    return (getattr(settings, "BACKUP_SIGNING_KEY", "") or "").encode("utf-8")


def manifest_signature(data: bytes, key: bytes) -> str:
    """HMAC-SHA256 of manifest.json's bytes (which hold every file's SHA-256)."""
    return "hmac-sha256:" + hmac.new(key, data, hashlib.sha256).hexdigest()


def check_signature(folder: Path, data: bytes) -> str:
    """Refuse a backup whose manifest was changed since it was signed. With the key: the
    signature must be there and match. Without it: a note (nothing to check with)."""
    key = signing_key()
    sig_path = Path(folder) / SIGNATURE
    signed = sig_path.is_file()
    if not key:
        return (
            "Chữ ký của bản sao lưu chưa được kiểm tra (chưa đặt BACKUP_SIGNING_KEY)."
            if signed
            else ""
        )
    if not signed:
        raise DomainError(
            f"Bản sao lưu không có chữ ký ({SIGNATURE}) mà máy này yêu cầu "
            "(BACKUP_SIGNING_KEY đã đặt): không phục hồi (chưa ghi gì)."
        )
    given = sig_path.read_text(encoding="ascii", errors="replace").strip()
    if not hmac.compare_digest(given, manifest_signature(data, key)):
        raise DomainError(
            f"Chữ ký của {MANIFEST} không khớp: bản sao lưu đã bị sửa sau khi tạo, hoặc được "
            "ký bằng khóa khác. Không phục hồi (chưa ghi gì)."
        )
    return ""


def read_manifest(folder: Path, notes: list[str] | None = None) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise DomainError(f"{folder} không phải bản sao lưu của parindex: không có {MANIFEST}.")
    data = path.read_bytes()
    note = check_signature(Path(folder), data)
    if note and notes is not None:
        notes.append(note)
    try:
        manifest: dict[str, Any] = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise DomainError(f"{MANIFEST} trong {folder} không đọc được (hỏng).") from None
    if manifest.get("format") != FORMAT:
        raise DomainError(
            f"Định dạng bản sao lưu “{manifest.get('format')}” không được hỗ trợ "
            f"(phiên bản này đọc {FORMAT})."
        )
    return manifest


def verify_folder(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Every problem of the folder against its manifest (empty: it is intact)."""
    folder = Path(folder)
    problems: list[str] = []
    for table in manifest["tables"]:
        path = folder / "db" / table["file"]
        if "/" in table["file"] or not path.is_file():
            problems.append(f"Thiếu tệp dữ liệu db/{table['file']} ({table['model']}).")
        elif dump.file_sha256(path) != table["sha256"]:
            problems.append(f"Tệp dữ liệu db/{table['file']} đã bị sửa hoặc hỏng (SHA-256 khác).")
    if manifest["files"]["mode"] == "copied":
        listed = set()
        for item in manifest["files"]["items"]:
            try:
                safe = _safe_name(item["name"])
            except DomainError as exc:
                problems.append(exc.message)
                continue
            listed.add(safe)
            path = folder / "files" / safe
            if not path.is_file():
                problems.append(f"Thiếu tệp files/{safe}.")
            elif path.stat().st_size != item["size"] or dump.file_sha256(path) != item["sha256"]:
                problems.append(f"Tệp files/{safe} đã bị sửa hoặc hỏng (SHA-256 khác).")
        base = folder / "files"
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                rel = path.relative_to(base).as_posix()
                if path.is_file() and rel not in listed:
                    problems.append(f"Tệp files/{rel} không có trong {MANIFEST}.")
    return problems


def database_rows(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables of the database that hold rows (``app.model: n``), the content types and
    permissions that ``migrate`` makes aside."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    out = []
    for model in dump.dumped_models(global_apps):
        if model._meta.db_table not in existing:
            continue
        n = model._base_manager.using(using).count()
        if n:
            out.append(f"{model._meta.label_lower}: {n}")
    return out


def _migrate_to(targets: list[tuple[str, str]], using: str) -> Apps:
    """Bring the empty database to the backup's migration state; its models then."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    leaves = {
        node for node in executor.loader.graph.leaf_nodes() if node[0] in {a for a, _ in targets}
    }
    if set(targets) == leaves:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    else:
        for app, name in targets:
            call_command("migrate", app, name, database=using, interactive=False, verbosity=0)
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(targets, at_end=True).apps


def backup_restore(
    *, folder: Path, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> Report:
    """Restore a backup into an empty database and an empty storage: checks everything
    first (nothing is written when a checksum, the version or the target is wrong), migrates
    to the backup's state, loads the tables in one transaction (sequences reset), checks
    each table's rows and content against the manifest, migrates to the code's state, copies
    the files back and checks them."""
    storage = storage or default_storage
    folder = Path(folder)
    signature_notes: list[str] = []
    manifest = read_manifest(folder, signature_notes)
    problems = verify_folder(folder, manifest)
    if problems:
        raise DomainError(
            "Bản sao lưu không toàn vẹn, không phục hồi (chưa ghi gì):", problems=problems
        )
    connection = connections[using]
    graph = MigrationExecutor(connection).loader.graph
    targets = sorted((app, name) for app, names in manifest["migrations"].items() for name in names)
    unknown = [f"{a}.{n}" for a, n in targets if (a, n) not in graph.nodes]
    if unknown:
        raise DomainError(
            f"Bản sao lưu được tạo bằng phiên bản {manifest.get('app_version')} mới hơn phiên "
            f"bản đang cài ({app_version()}): thiếu các bước cập nhật cấu trúc "
            f"{', '.join(unknown[:5])}. Cài phiên bản mới hơn rồi phục hồi.",
            problems=unknown,
        )
    rows = database_rows(using)
    if rows:
        raise DomainError(
            "Cơ sở dữ liệu đích đã có dữ liệu, không phục hồi đè lên: chỉ phục hồi vào một cơ "
            "sở dữ liệu mới, trống (tạo cơ sở dữ liệu mới hoặc xóa tệp SQLite cũ).",
            problems=rows[:10],
        )
    items = manifest["files"]["items"]
    if manifest["files"]["mode"] == "copied":
        present = [name for name, _ in zip(storage_names(storage), range(5), strict=False)]
        if present:
            raise DomainError(
                "Kho tệp đích đã có tệp, không phục hồi đè lên: chỉ phục hồi vào một kho tệp "
                "trống (chuyển các tệp cũ đi nơi khác).",
                problems=present,
            )
    else:
        absent = [
            i["name"]
            for i in items
            if not storage.exists(i["name"]) or storage.size(i["name"]) != i["size"]
        ]
        if absent:
            raise DomainError(
                f"Bản sao lưu chỉ có danh mục tệp: kho tệp phải được phục hồi riêng trước, "
                f"nhưng thiếu hoặc khác kích thước {len(absent)} tệp.",
                problems=absent[:10],
            )

    registry = _migrate_to(targets, using)
    report = Report(folder=folder, notes=signature_notes)
    with transaction.atomic(using=using):
        keys = dump.NaturalKeys(registry, using)
        loaded = []
        for table in manifest["tables"]:
            label = table["model"]
            try:
                model = registry.get_model(label)
            except LookupError:
                raise DomainError(
                    f"Phiên bản đang cài không có bảng {label} của bản sao lưu."
                ) from None
            try:
                n = dump.load_table(model, folder / "db" / table["file"], keys, using)
            except LookupError as exc:
                raise DomainError(str(exc)) from None
            loaded.append(model)
            report.rows += n
        if connection.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(no_style(), loaded)
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        mismatches = []
        for table, model in zip(manifest["tables"], loaded, strict=True):
            count, digest = dump.table_digest(model, keys, using)
            same_columns = dump.read_header(folder / "db" / table["file"]) == [
                f.attname for f in dump.columns(model)
            ]  # else the code's newer migration added a column: the rows are compared
            if count != table["rows"] or (same_columns and digest != table["content_sha256"]):
                mismatches.append(
                    f"{table['model']}: {count} dòng sau khi nạp, bản sao lưu có {table['rows']}"
                    + ("" if count != table["rows"] else " (nội dung khác)")
                )
        if mismatches:
            raise DomainError(
                "Dữ liệu nạp vào không khớp bản sao lưu (đã hủy việc nạp):", problems=mismatches
            )
        report.tables = len(loaded)
    call_command("migrate", database=using, interactive=False, verbosity=0)  # newer code

    if manifest["files"]["mode"] == "copied":
        wrong = []
        for item in items:
            safe = _safe_name(item["name"])
            with (folder / "files" / safe).open("rb") as f:
                saved = storage.save(item["name"], File(f, name=safe))
            if saved != item["name"]:
                wrong.append(f"{item['name']} được lưu thành {saved}")
                continue
            with storage.open(saved, "rb") as stored:
                if dump.stream_sha256(stored) != item["sha256"]:
                    wrong.append(f"{item['name']}: SHA-256 khác sau khi chép")
            report.files += 1
            report.bytes += item["size"]
        if wrong:
            raise DomainError(
                "Cơ sở dữ liệu đã phục hồi nhưng các tệp sau không khớp bản sao lưu:",
                problems=wrong,
            )
    else:
        report.files = len(items)
        report.notes.append("Tệp trong kho không chép lại (bản sao lưu chỉ có danh mục tệp).")
    _audit(
        "system.restore",
        str(manifest.get("created_at", "")).replace(":", "")[:64],
        f"Phục hồi từ {folder} (sao lưu lúc {manifest.get('created_at')})",
        {
            "tables": report.tables,
            "rows": report.rows,
            "files": report.files,
            "engine_from": manifest.get("engine"),
            "engine_to": connection.vendor,
        },
    )
    return report
