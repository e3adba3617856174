from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page of every persona: what waits for them, read from every app below."""

    name = "parindex.home"
    label = "home"
    verbose_name = "Trang chủ"
