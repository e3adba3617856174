"""The audit trail. Every write service calls ``audit_record`` in its own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from parindex.audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``obj`` (FKs as ids), ready for an audit row."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(obj, attname))
    return out


def audit_record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one change. ``old``/``new`` hold only the fields that changed when both are given."""
    old_j = _jsonable(old) if old is not None else None
    new_j = _jsonable(new) if new is not None else None
    if isinstance(old_j, dict) and isinstance(new_j, dict):
        changed = {k for k in set(old_j) | set(new_j) if old_j.get(k) != new_j.get(k)}
        old_j = {k: old_j.get(k) for k in sorted(changed)}
        new_j = {k: new_j.get(k) for k in sorted(changed)}
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        old=old_j,
        new=new_j,
        reason=reason,
    )
