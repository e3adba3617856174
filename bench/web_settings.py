"""Settings of the web benchmark only (bench/web.py): the product's settings, production-like
(DEBUG off, plain static storage), with the bench's URLconf that adds a bare view."""

from parindex.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web_urls"
DEBUG = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
