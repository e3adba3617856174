from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "parindex.common"
    label = "common"
    verbose_name = "Dùng chung"
