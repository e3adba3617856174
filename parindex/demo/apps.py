from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the demo builder and its ``parindex demo`` command."""

    name = "parindex.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
