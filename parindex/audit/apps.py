from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "parindex.audit"
    label = "audit"
    verbose_name = "Nhật ký"
