"""parindex settings: one file, driven by environment variables with strict parsing.

Every variable is listed in README.md ("Cấu hình / Configuration"). Defaults are safe for a
developer's machine: DEBUG on, SQLite (WAL) and local files under ./var. Policy (frameworks,
deadlines, bands, weights) lives in the database, never here.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from parindex.common.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    redis_queue_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("PARINDEX_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off")
    # Development: a random key kept under the data dir, never a key committed to the repo.
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs' Swagger UI from local static files (no CDN)
    "parindex.common",
    "parindex.audit",
    "parindex.accounts",
    "parindex.frameworks",
    "parindex.periods",
    "parindex.assessments",
    "parindex.evidence",
    "parindex.notify",
    "parindex.reports",
    "parindex.appraisal",
    "parindex.survey",
    "parindex.api",
    "parindex.results",
    "parindex.documents",
    "parindex.publication",
    "parindex.appeals",
    "parindex.ops",
    "parindex.home",
    "parindex.demo",
    "parindex.backup",
]

MIDDLEWARE = [
    "parindex.ops.middleware.RequestLogMiddleware",  # request id, one log line per request
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "parindex.common.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "parindex.common.middleware.PrivatePagesNoStoreMiddleware",
    "parindex.accounts.middleware.SignInSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parindex.accounts.context_processors.roles",
                "parindex.periods.context_processors.council",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_secret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Prepared statements (psycopg 3): parameters bound on the server, each query prepared
        # after DB_PREPARE_THRESHOLD executions on a connection, so PostgreSQL stops planning
        # the same joins on every request (−2.6 ms of its CPU per autosave, bench/RESULTS.md
        # "## Web"). Django's default is off because a pooler in transaction mode (PgBouncer
        # < 1.21) breaks them: DB_SERVER_SIDE_BINDING=false there. A query string in
        # DATABASE_URL wins.
        _db_options = DATABASES["default"].setdefault("OPTIONS", {})
        if env_bool("DB_SERVER_SIDE_BINDING", True):
            _db_options.setdefault("server_side_binding", True)
            _db_options.setdefault("prepare_threshold", env_int("DB_PREPARE_THRESHOLD", 5))
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "parindex.sqlite3",
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks ---------------------------------------------------------------------------
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    # Resilient: while Redis is unreachable the cache answers as an empty one and the site keeps
    # serving (parindex/common/cache.py); short socket timeouts so a hung Redis is noticed fast.
    CACHES = {
        "default": {
            "BACKEND": "parindex.common.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    # The queue in its own Redis database (the cache's number + 1, or REDIS_QUEUE_DB): a
    # cache.clear() never empties the queue. Short timeouts (the RQ worker raises its own read
    # timeout above its blocking wait); a task Redis cannot take is kept in the database
    # (parindex/ops/tasks_backend.py) and handed over when Redis answers again.
    REDIS_QUEUE_URL = redis_queue_url(REDIS_URL, env_str("REDIS_QUEUE_DB", ""))
    RQ_QUEUES = {"default": {"URL": REDIS_QUEUE_URL, "DEFAULT_TIMEOUT": 600}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {
        "default": {
            "BACKEND": "parindex.ops.tasks_backend.ResilientRQBackend",
            "QUEUES": ["default"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Every login path (site, admin site, later the API) goes through the login throttle.
AUTHENTICATION_BACKENDS = ["parindex.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", 30)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
# Two-factor sign-in (TOTP codes), required of organizer admins and system admins (always: no
# setting turns it off). Wrong codes lock the account's code entry like the login throttle.
TWO_FACTOR_MAX_FAILURES = env_int("TWO_FACTOR_MAX_FAILURES", 5)
TWO_FACTOR_LOCK_MINUTES = env_int("TWO_FACTOR_LOCK_MINUTES", 15)
TWO_FACTOR_ISSUER = env_str("TWO_FACTOR_ISSUER", "parindex")  # the name shown in the app
# "Quên mật khẩu": the e-mailed link's lifetime in seconds (single use: it dies once the
# password changes or the user signs in), and the requests allowed per hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
PASSWORD_RESET_MAX_PER_EMAIL = env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3)
PASSWORD_RESET_MAX_PER_IP = env_int("PASSWORD_RESET_MAX_PER_IP", 20)
# Rate limits of /api/v1/ (parindex/api/throttling.py; checked at start by the api app).
API_RATE_TOKEN = env_str("API_RATE_TOKEN", "120/min,10000/day")
API_RATE_ANON = env_str("API_RATE_ANON", "60/min")
# Rate limits per client address of the pages without login (parindex/common/ratelimit.py;
# checked at start by the common app): the survey's invitation and public (QR) links — a
# whole meeting room may answer from one address — and the public results (/cong-khai/).
RATE_LIMIT_SURVEY = env_str("RATE_LIMIT_SURVEY", "60/min,600/hour")
RATE_LIMIT_PUBLIC = env_str("RATE_LIMIT_PUBLIC", "120/min,3000/hour")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# --- Security -------------------------------------------------------------------------------
# SECURE_COOKIES=true means "served over HTTPS" (the default when DEBUG is off); the demo on
# plain http://127.0.0.1 sets it false, which also turns the HTTPS redirect and HSTS off.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind our own reverse proxy (nginx): trust its X-Forwarded-Proto (and, for the client's
# address, the last X-Forwarded-For entry: parindex.common.ratelimit.client_ip).
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may speak plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses (parindex.common.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload): joining the browsers' preload list is a commitment for
    # every subdomain of the province's domain, asked for at hstspreload.org and slow to undo;
    # an operator opts in with SECURE_HSTS_PRELOAD=true. HSTS itself is on over HTTPS.
    "security.W021",
]

# Content-Security-Policy (django-csp): no inline script, no inline <style> element, no
# eval. Every page's code is a file under static/js/ (data through data-* attributes or
# json_script). Allowed: style *attributes* (style-src-attr), kept in ~160 templates for
# one-off widths and colours; they cannot run code. The Vietnamese error pages (rendered
# even with the database down, so without static files) keep their one <style>, allowed by
# its hash (tests/common/test_security_headers.py checks the hash against the template).
ERROR_PAGE_STYLE_HASH = "'sha256-j1uNq5riQNExuvntbJcCbpmThfyKWiAfddvDqAhNt8Y='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ERROR_PAGE_STYLE_HASH],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Language, time, numbers ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["parindex.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Evidence is never served from a public URL: views stream it to allowed users. Nothing is
# routed here; the value only keeps Django's static/live servers happy.
MEDIA_URL = "/_media_not_served_/"
AWS_STORAGE_BUCKET_NAME = env_str("S3_BUCKET")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_secret("S3_ACCESS_KEY") or None,
            "secret_key": env_secret("S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": "/_unused_/"},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
# Longest an evidence PDF's check may take (a child process, killed after that).
EVIDENCE_INSPECT_SECONDS = env_int("EVIDENCE_INSPECT_SECONDS", 20)
# Memory that check may add to its child process (MB); beyond it the file is refused.
EVIDENCE_INSPECT_MEMORY_MB = env_int("EVIDENCE_INSPECT_MEMORY_MB", 512)
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))  # filebased backend only
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "parindex <no-reply@localhost>")

# --- Logs, health, metrics (README "Vận hành / Operations") ---------------------------------
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "parindex.ops.logs.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "parindex.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own records go to the root handler only (in DEBUG Django adds a plain-text
        # console handler of its own, which would mix plain lines into the JSON log).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # pyHanko logs a traceback for every unverifiable (offline) chain; the app records it.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# /healthz keeps the file store's probe (write, read, delete) this many seconds per process.
HEALTHZ_STORE_CACHE_SECONDS = env_int("HEALTHZ_STORE_CACHE_SECONDS", 10)
# The organizer's home page warns that the worker seems dead when a task waits longer.
WORKER_STALE_MINUTES = env_int("WORKER_STALE_MINUTES", 10)
# Backups (parindex backup/restore): an HMAC key signing manifest.json; with it set, a restore
# refuses a backup whose manifest is unsigned or was changed. Keep a copy of the key apart from
# the backups (a backup cannot be checked without it).
BACKUP_SIGNING_KEY = env_secret("BACKUP_SIGNING_KEY")

# Prometheus (django-prometheus): off unless METRICS=true; /metrics answers the addresses in
# METRICS_ALLOWED_IPS (direct connections only) or a request with "Bearer METRICS_TOKEN".
METRICS = env_bool("METRICS", False)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_secret("METRICS_TOKEN")
if METRICS:
    INSTALLED_APPS += ["django_prometheus"]
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
