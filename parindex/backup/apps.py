from django.apps import AppConfig


class BackupConfig(AppConfig):
    """No models: ``parindex backup DIR`` and ``parindex restore DIR``."""

    name = "parindex.backup"
    label = "backup"
    verbose_name = "Sao lưu và phục hồi"
