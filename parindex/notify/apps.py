from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "parindex.notify"
    label = "notify"
    verbose_name = "Thư thông báo, nhắc hạn"

    def ready(self) -> None:
        from parindex.assessments.signals import assessment_status_changed
        from parindex.notify.receivers import DISPATCH_UID, on_status_changed

        assessment_status_changed.connect(on_status_changed, dispatch_uid=DISPATCH_UID)
