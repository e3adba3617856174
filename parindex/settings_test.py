"""Test settings: the real settings with fast hashing, in-memory mail and immediate tasks."""

from parindex.settings import *  # noqa: F403
from parindex.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = None  # tests serve static files from the finders; no collectstatic needed
# The suite is not a flood: the limiter's own tests set low limits with override_settings.
RATE_LIMIT_SURVEY = "100000/min"
RATE_LIMIT_PUBLIC = "100000/min"
