"""The portable logical dump: every table as gzip'd JSON lines, one row a line.

Why not ``pg_dump`` or SQLite's backup API: they are faster and exact, but a PostgreSQL dump
does not load into SQLite nor the reverse, and they tie a backup to one engine's version. A
logical dump of the models' columns loads into either engine (a small office moves from the
embedded SQLite to PostgreSQL by restoring its backup), is checked row by row, and is read in
one snapshot without locking the writers. Its price: it is slower than the engine's own tools
on a very large database, and the engine-level objects that are not Django's (a hand-made
index, a role, a grant) are not in it.

Each table is a file ``db/NNN-app.model.jsonl.gz``; its first line names the columns
(``attname``, in name order), every other line is one row's values in that order, read in primary-key order
in chunks (memory stays bounded whatever the table's size). The values are the columns' own
(foreign keys as the referenced key) except the references to content types and
permissions, which a fresh ``migrate`` numbers differently: they are written as natural keys
(``["app_label", "model"]``, ``["codename", "app_label", "model"]``). The same function
writes the dump and, after a restore, reads the restored tables back into the same bytes, so
``content_sha256`` compares the restored data with the saved one on any engine.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.db import models
from django.utils.duration import duration_string

# Recreated by ``migrate`` (post_migrate) with their own ids: not dumped, referenced by
# natural key.
RECREATED = {"contenttypes.contenttype", "auth.permission"}
CHUNK = 2000
CHUNK_BINARY = 50  # tables with a binary column (a published zip per row)


def dumped_models(registry: Apps) -> list[type[models.Model]]:
    """Every concrete table of ``registry`` in an order that loads (referenced tables first
    where the graph allows; foreign keys are checked at commit anyway)."""
    found = [
        m
        for m in registry.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in RECREATED
    ]
    found.sort(key=lambda m: m._meta.label_lower)
    ordered: list[type[models.Model]] = []
    placed: set[str] = set()
    pending = list(found)
    while pending:
        progress = False
        for model in list(pending):
            deps = {
                f.related_model._meta.label_lower
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not None and f.related_model is not model
            } - RECREATED
            if deps <= placed or not (deps & {m._meta.label_lower for m in pending}):
                ordered.append(model)
                placed.add(model._meta.label_lower)
                pending.remove(model)
                progress = True
        if not progress:  # a cycle: the rest in name order (deferred constraints)
            ordered += pending
            break
    return ordered


class NaturalKeys:
    """id ↔ natural key of the content types and permissions of one database."""

    def __init__(self, registry: Apps, using: str = "default") -> None:
        ct = registry.get_model("contenttypes", "ContentType")
        perm = registry.get_model("auth", "Permission")
        self.ct_key = {
            pk: [app, model]
            for pk, app, model in ct._base_manager.using(using).values_list(
                "pk", "app_label", "model"
            )
        }
        self.perm_key = {
            pk: [code, app, model]
            for pk, code, app, model in perm._base_manager.using(using).values_list(
                "pk", "codename", "content_type__app_label", "content_type__model"
            )
        }
        self.ct_id = {tuple(v): k for k, v in self.ct_key.items()}
        self.perm_id = {tuple(v): k for k, v in self.perm_key.items()}

    @staticmethod
    def kind(field: models.Field[Any, Any]) -> str | None:
        if not field.is_relation or field.related_model is None:
            return None
        label = field.related_model._meta.label_lower
        if label == "contenttypes.contenttype":
            return "ct"
        if label == "auth.permission":
            return "perm"
        return None

    def encode(self, kind: str, value: Any) -> Any:
        if value is None:
            return None
        return (self.ct_key if kind == "ct" else self.perm_key)[value]

    def decode(self, kind: str, value: Any) -> Any:
        if value is None:
            return None
        table = self.ct_id if kind == "ct" else self.perm_id
        try:
            return table[tuple(value)]
        except KeyError:
            what = "loại đối tượng" if kind == "ct" else "quyền"
            raise LookupError(
                f"Cơ sở dữ liệu mới không có {what} {'.'.join(value)} của bản sao lưu."
            ) from None


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value  # a JSON field's dict or list


def _line(values: Iterable[Any]) -> bytes:
    return (
        json.dumps(list(values), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode("utf-8")


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The table's columns in name order (a historical model lists them in another order)."""
    return sorted(model._meta.local_concrete_fields, key=lambda f: f.attname)


def table_lines(
    model: type[models.Model], keys: NaturalKeys, using: str = "default"
) -> Iterator[bytes]:
    """The table as bytes: the header line, then one line per row in primary-key order."""
    fields = columns(model)
    kinds = [keys.kind(f) for f in fields]
    json_cols = [isinstance(f, models.JSONField) for f in fields]
    attnames = [f.attname for f in fields]
    yield _line(attnames)
    binary = any(isinstance(f, models.BinaryField) for f in fields)
    rows = (
        model._base_manager.using(using)
        .order_by("pk")
        .values_list(*attnames)
        .iterator(chunk_size=CHUNK_BINARY if binary else CHUNK)
    )
    for row in rows:
        out = []
        for value, kind, is_json in zip(row, kinds, json_cols, strict=True):
            if kind is not None:
                out.append(keys.encode(kind, value))
            elif is_json:
                out.append(value)
            else:
                out.append(_encode(value))
        yield _line(out)


def write_table(
    model: type[models.Model], keys: NaturalKeys, path: Path, using: str = "default"
) -> dict[str, Any]:
    """Write one table to ``path`` (gzip); its rows, the file's and the content's SHA-256."""
    content = hashlib.sha256()
    rows = -1
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        for line in table_lines(model, keys, using):
            content.update(line)
            out.write(line)
            rows += 1
    return {
        "model": model._meta.label_lower,
        "file": path.name,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": file_sha256(path),
        "content_sha256": content.hexdigest(),
    }


def table_digest(
    model: type[models.Model], keys: NaturalKeys, using: str = "default"
) -> tuple[int, str]:
    """(rows, content SHA-256) of a table as it is in the database now."""
    content = hashlib.sha256()
    rows = -1
    for line in table_lines(model, keys, using):
        content.update(line)
        rows += 1
    return rows, content.hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return stream_sha256(f)


def stream_sha256(f: Any) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: f.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def read_rows(path: Path) -> Iterator[list[Any]]:
    """The rows of a table file after its header (one list of values each)."""
    with gzip.open(path, "rb") as f:
        next(f)
        for line in f:
            yield json.loads(line)


def read_header(path: Path) -> list[str]:
    with gzip.open(path, "rb") as f:
        header: list[str] = json.loads(next(f))
    return header


def load_table(
    model: type[models.Model], path: Path, keys: NaturalKeys, using: str = "default"
) -> int:
    """Insert the rows of ``path`` into ``model``'s table as they are (raw: no auto_now, no
    signals), in batches. Returns the rows inserted."""
    from django.db import connections

    header = read_header(path)
    by_attname = {f.attname: f for f in model._meta.local_concrete_fields}
    missing = [name for name in header if name not in by_attname]
    if missing:
        raise LookupError(
            f"Bảng {model._meta.label_lower} không có cột {', '.join(missing)} của bản sao lưu."
        )
    fields = [by_attname[name] for name in header]
    kinds = [keys.kind(f) for f in fields]
    # A column the table has and the backup lacks takes its default (a migration added it).
    extra = [f for f in model._meta.local_concrete_fields if f.attname not in header]
    all_fields = fields + extra
    connection = connections[using]
    batch_size = max(1, connection.ops.bulk_batch_size(all_fields, [None] * 1000) or 500)
    batch_size = min(
        batch_size, CHUNK_BINARY if any(isinstance(f, models.BinaryField) for f in fields) else 500
    )
    total = 0
    batch: list[models.Model] = []

    def flush() -> None:
        nonlocal total
        if batch:
            model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
                batch, fields=all_fields, raw=True, using=using
            )
            total += len(batch)
            batch.clear()

    for values in read_rows(path):
        obj = model()
        for field, kind, value in zip(fields, kinds, values, strict=True):
            if kind is not None:
                value = keys.decode(kind, value)
            elif value is not None and not isinstance(field, models.JSONField):
                value = field.to_python(value)
            setattr(obj, field.attname, value)
        batch.append(obj)
        if len(batch) >= batch_size:
            flush()
    flush()
    return total
