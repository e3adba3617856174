from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "parindex.notify"
    label = "notify"
    verbose_name = "Thư thông báo, nhắc hạn"
