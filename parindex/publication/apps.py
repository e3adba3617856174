from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """The publication of approved results (versions with a change note, a frozen copy of
    what is published and of its open data) and the public site under ``/cong-khai/``."""

    name = "parindex.publication"
    label = "publication"
    verbose_name = "Công bố kết quả Chỉ số CCHC"
