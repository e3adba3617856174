from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "parindex.appraisal"
    label = "appraisal"
    verbose_name = "Thẩm định"

    def ready(self) -> None:
        from parindex.appraisal.receivers import DISPATCH_UID, on_appraisal_changed
        from parindex.appraisal.signals import appraisal_changed

        appraisal_changed.connect(on_appraisal_changed, dispatch_uid=DISPATCH_UID)
