from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class CommonConfig(AppConfig):
    name = "parindex.common"
    label = "common"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        """A mistyped rate limit stops the start (as the settings' own parsers do)."""
        from django.conf import settings

        from parindex.common.ratelimit import parse_rates

        for name in ("RATE_LIMIT_SURVEY", "RATE_LIMIT_PUBLIC"):
            value = getattr(settings, name, None)
            if value is None:
                continue
            try:
                parse_rates(str(value))
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}={value!r}: expected limits like '60/min,600/hour' "
                    "(N/s, N/min, N/hour or N/day, comma-separated)."
                ) from None
