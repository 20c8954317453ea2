"""All configuration, read from the environment with embedded defaults (twelve-factor).

Nothing here behaves differently in production except through an environment variable.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pressdesk.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("PRESSDESK_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once and kept in the data directory."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pressdesk.core",
    "pressdesk.accounts",
    "pressdesk.plans",
    "pressdesk.commissioning",
    "pressdesk.monitoring",
    "pressdesk.watch",
    "pressdesk.infohub",
    "pressdesk.reports",
]

MIDDLEWARE = [
    "pressdesk.core.middleware.RequestIdMiddleware",
    "pressdesk.core.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pressdesk.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pressdesk.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pressdesk.core.twofactor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pressdesk.urls"
WSGI_APPLICATION = "pressdesk.wsgi.application"
ASGI_APPLICATION = "pressdesk.asgi.application"

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
                "django.template.context_processors.i18n",
                "pressdesk.core.context_processors.navigation",
            ],
        },
    }
]

# An empty DATABASE_URL is the embedded default, as if unset; an unusable one stops with its reason.
_database_url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{DATA_DIR / 'pressdesk.sqlite3'}"
try:
    _database = dj_database_url.parse(
        _database_url, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0"))
    )
except (ValueError, dj_database_url.UnknownSchemeError) as error:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not usable ({error}); expected e.g. postgres://user@host:5432/name "
        "or sqlite:////path/to/file.sqlite3"
    ) from None
DATABASES = {"default": _database}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process scheduler write while pages read; a busy timeout avoids "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("PRESSDESK_TEST_DB_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["PRESSDESK_TEST_DB_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 failures from one address or for one username lock it for 15 minutes.
# The axes backend comes first; PressDeskAxesBackend lets programmatic authenticate() calls without a
# request through (the login page and the admin always pass one).
AUTHENTICATION_BACKENDS = [
    "pressdesk.core.throttling.PressDeskAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("PRESSDESK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("PRESSDESK_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pressdesk.core.throttling.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_CLIENT_IP_CALLABLE = "pressdesk.core.throttling.client_ip"
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
# Two-factor login (TOTP) for approvers and administrators who enrol a device.
OTP_TOTP_ISSUER = os.environ.get("PRESSDESK_OTP_ISSUER", "PressDesk")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English through Django i18n.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["pressdesk.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PRESSDESK_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# PRESSDESK_ENV=production: hashed, compressed static files from `collectstatic` (WhiteNoise's manifest
# storage), secure cookies. The embedded default (`pressdesk start`) serves straight from the finders.
PRESSDESK_ENV = os.environ.get("PRESSDESK_ENV", "development").strip().lower()
PRODUCTION = PRESSDESK_ENV == "production"
PRESSDESK_STATIC_MANIFEST = env_bool("PRESSDESK_STATIC_MANIFEST", PRODUCTION)
# Media storage: any Django storage class (e.g. storages.backends.s3.S3Storage) with JSON options.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("PRESSDESK_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("PRESSDESK_MEDIA_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRESSDESK_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded documents live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("PRESSDESK_MEDIA_ROOT", DATA_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PRESSDESK_UPLOAD_MAX_BYTES = int(os.environ.get("PRESSDESK_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# Background work: Celery over a broker when one is configured, in-process otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pressdesk@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION and "SECURE_COOKIES" not in os.environ:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
if env_bool("HTTPS", False):
    # Browsers remember HTTPS-only for a year once they have seen the site over HTTPS.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Monitors and Prometheus talk plain HTTP to gunicorn on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
PRESSDESK_BEHIND_PROXY = env_bool("PRESSDESK_BEHIND_PROXY", False)
if PRESSDESK_BEHIND_PROXY:
    # Only when the reverse proxy sets X-Forwarded-Proto and appends X-Forwarded-For itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy sent by pressdesk.core.middleware.SecurityHeadersMiddleware: no inline scripts.
PRESSDESK_CSP = os.environ.get(
    "PRESSDESK_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
)
# /metrics: allowed from these addresses/networks, or with `Authorization: Bearer <token>`.
PRESSDESK_METRICS_ALLOW = env_list("PRESSDESK_METRICS_ALLOW", "127.0.0.1,::1")
PRESSDESK_METRICS_TOKEN = os.environ.get("PRESSDESK_METRICS_TOKEN", "")

# Fetching: addresses the safe fetcher may reach although they are private or loopback
# (comma-separated host:port or CIDR). Empty in production; tests list their local servers.
PRESSDESK_FETCH_ALLOW = os.environ.get("PRESSDESK_FETCH_ALLOW", "")
PRESSDESK_FETCH_TIMEOUT = float(os.environ.get("PRESSDESK_FETCH_TIMEOUT", "15"))
PRESSDESK_FETCH_MAX_BYTES = int(os.environ.get("PRESSDESK_FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
PRESSDESK_FETCH_USER_AGENT = os.environ.get(
    "PRESSDESK_FETCH_USER_AGENT", "PressDesk/0.1 (+https://pressdesk.invalid/bot)"
)
PRESSDESK_POLL_SECONDS = int(os.environ.get("PRESSDESK_POLL_SECONDS", "300"))
# Seconds between two requests to the same host (politeness); 0 only for local benchmarks/tests.
PRESSDESK_FETCH_DELAY = float(os.environ.get("PRESSDESK_FETCH_DELAY", "1.0"))
# Extraction processes for in-process ingestion (`ingest --once`, embedded scheduler); 0 = in-process.
# Celery prefork workers cannot start child processes, so workers always extract in-process.
PRESSDESK_INGEST_PROCESSES = int(os.environ.get("PRESSDESK_INGEST_PROCESSES", "0"))
# Redis/SQS redeliver an unacknowledged task (worker killed mid-task) after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, int] = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
}
if os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL"):  # Redis: how often abandoned messages are swept back
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"] = int(
        os.environ["CELERY_UNACKED_RESTORE_INTERVAL"]
    )
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1
PRESSDESK_REMINDER_DAYS = int(os.environ.get("PRESSDESK_REMINDER_DAYS", "7"))
# Information hub. Inquiry deadline in days: a chosen default, not a figure quoted from Nghị định
# 09/2017/NĐ-CP (its text could not be checked offline); see the note in infohub/services.py.
PRESSDESK_INQUIRY_DEADLINE_DAYS = int(os.environ.get("PRESSDESK_INQUIRY_DEADLINE_DAYS", "2"))
PRESSDESK_WEBSITE_STALE_DAYS = int(os.environ.get("PRESSDESK_WEBSITE_STALE_DAYS", "14"))
# Absolute address of this PressDesk for links in e-mails (press release notices, confirmations).
PRESSDESK_PUBLIC_URL = os.environ.get("PRESSDESK_PUBLIC_URL", "http://localhost:8000").rstrip("/")

# LOG_FORMAT=json: one JSON object per line. Every record carries the request id; secrets are redacted.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
LOGGING = logging_config(log_format=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO"))
# Workers log through the same configuration (JSON, redaction) instead of Celery's own handlers.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Cache: local memory per process by default; CACHE_URL=redis://… shares it (rate limits) across processes.
CACHES: dict[str, dict[str, str]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
