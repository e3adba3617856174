from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "parindex.appraisal"
    label = "appraisal"
    verbose_name = "Thẩm định"
