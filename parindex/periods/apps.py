from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "parindex.periods"
    label = "periods"
    verbose_name = "Đợt đánh giá"
