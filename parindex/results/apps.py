from django.apps import AppConfig


class ResultsConfig(AppConfig):
    """No models: the results of a period (rankings, the unit's results) read from the
    scoring bridge and the approved snapshot, their exports and the open data."""

    name = "parindex.results"
    label = "results"
    verbose_name = "Kết quả Chỉ số CCHC"
