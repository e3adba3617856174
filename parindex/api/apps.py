from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "parindex.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        """A mistyped rate limit stops the start (as the settings' own parsers do)."""
        from django.conf import settings

        from parindex.api.throttling import parse_rates

        for name in ("API_RATE_TOKEN", "API_RATE_ANON"):
            value = getattr(settings, name, None)
            if value is None:
                continue
            try:
                parse_rates(str(value))
            except (ValueError, KeyError):
                raise ImproperlyConfigured(
                    f"{name}={value!r}: expected limits like '120/min,10000/day' "
                    "(N/s, N/min, N/hour or N/day, comma-separated)."
                ) from None
