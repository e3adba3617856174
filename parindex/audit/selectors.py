from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from parindex.audit.models import AuditEvent


def audit_list_for_object(obj: models.Model) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def audit_list(*, object_type: str | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("actor")
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs
