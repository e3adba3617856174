from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "parindex.frameworks"
    label = "frameworks"
    verbose_name = "Bộ tiêu chí"
