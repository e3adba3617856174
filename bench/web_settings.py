"""Settings of the web benchmark only (bench/web.py): the product's settings exactly as
production runs them — DEBUG off (Django's cached template loader), the same middleware,
hashed and compressed static files (``STATIC_MANIFEST``, after ``collectstatic`` into the run's
temporary STATIC_ROOT) — plus the bench's URLconf, which adds a bare view as the baseline."""

from parindex.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web_urls"
DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # nothing leaves the machine
