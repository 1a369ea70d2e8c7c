"""parkportal settings: one module, every knob read from the environment.

Every variable is documented in docs/configuration.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

_DEV_SECRET = "django-insecure-parkportal-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG and not env_bool("PARKPORTAL_ALLOW_DEV_SECRET", True):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "parkportal",
    "parks",
    "projects",
    "enterprises",
    "imports",
    "talent",
    "users",
    "attachments",
    "leads",
    "dashboard",
    "upward",
    # Above the apps: pages and jobs that read every app (docs/architecture.md).
    "home",
    "reminders",
    "seeding",
    "api",  # the read API reads every app (docs/api.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Hardening (docs/security.md): request-size and anonymous-upload limits before the body
    # is read; the Content-Security-Policy header; login throttling (last, as axes asks).
    "parkportal.middleware.UploadLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parkportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "parkportal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parkportal.context_processors.roles",
                "reminders.context_processors.inbox",
                "parkportal.context_processors.display",
            ],
        },
    },
]

WSGI_APPLICATION = "parkportal.wsgi.application"

# Database: DATABASE_URL selects PostgreSQL in production; an embedded SQLite file otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections are a PostgreSQL matter; SQLite gets a busy timeout instead.
    # The web process and the task worker write the same file: a transaction takes the write
    # lock when it begins (IMMEDIATE), so it waits its turn instead of failing half-way with
    # "database is locked"; WAL lets pages read while an import writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
else:
    # Planner settings sent with each new connection (no extra round trip). A park's data
    # fits in memory, where a random page read costs about what a sequential one does; at
    # PostgreSQL's default (4) the planner prefers hashing whole tables over the index-only
    # merge joins the dashboard's statements are built for (docs/performance.md).
    PG_OPTIONS = os.environ.get("PG_OPTIONS", "-c random_page_cost=1.1")
    if PG_OPTIONS:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", PG_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The OC4IDS project identifiers of the upward package (upward/oc4ids.py): `<prefix>-<park>-
# <code>`. OC4IDS registers a prefix ("oc4ids-" and six characters) for each publisher; set it
# when the province has one. The default says no prefix was registered.
OC4IDS_ID_PREFIX = os.environ.get("OC4IDS_ID_PREFIX", "").strip() or "oc4ids-parkportal"

# Cache: per process by default; shared in Redis when CACHE_URL names it
# (redis://127.0.0.1:6379/1). With several app servers the cache must be shared: the stored
# dashboard figures, the login and password-reset throttles and the unread counts live in it
# (docs/deployment.md, "Several app servers"). SESSION_IN_CACHE=1 keeps sessions in the cache
# too, written through to the database (cached_db), so a restart of Redis logs nobody out.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "parkportal"),
        "TIMEOUT": env_int("CACHE_TIMEOUT", 3600),
    }}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The dashboard's stored figures are served from the cache when it is shared (see
# dashboard/snapshots.py); a per-process cache would only duplicate the database snapshot.
FIGURES_IN_CACHE = env_bool("FIGURES_IN_CACHE", CACHES["default"]["BACKEND"].endswith("RedisCache"))
if env_bool("SESSION_IN_CACHE", False):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first (refuses locked-out users), then ModelBackend, except that the user is
# loaded with its park and roles in one query.
AUTHENTICATION_BACKENDS = ["parkportal.auth.ThrottledBackend", "parkportal.auth.ParkportalBackend"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# parkportal/static is found as the `parkportal` app's static folder; naming it again in
# STATICFILES_DIRS would make collectstatic find every file twice.
STATICFILES_DIRS: list[Path] = []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Security: strict by default once DEBUG is off (see `manage.py check --deploy`).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors probe the app server over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A TLS setting turned off *in the environment* is the operator's explicit choice (plain HTTP
# on a test host, TLS ended by another proxy): `check --deploy` does not warn about it then.
# Left unset, production keeps the strict default and the check still guards it.
SILENCED_SYSTEM_CHECKS = [
    check for variable, check in (("SECURE_SSL_REDIRECT", "security.W008"),
                                  ("SESSION_COOKIE_SECURE", "security.W012"),
                                  ("CSRF_COOKIE_SECURE", "security.W016"),
                                  ("SECURE_HSTS_SECONDS", "security.W004"))
    if not DEBUG and os.environ.get(variable, "").strip().lower() in {"0", "false", "no", "off"}
]

# Background tasks (django-tasks with the database backend; tests use the immediate one).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Import limits (issue: enterprise import). Generous for office files, bounded for safety.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2_000)
# A running background import renews its lease every quarter of this; a batch whose lease ran
# out lost its worker and is marked failed (docs/operations.md, "A stuck import").
IMPORT_LEASE_SECONDS = env_int("IMPORT_LEASE_SECONDS", 120)
# Attachments (docs/security.md, "Attachments"): the largest file accepted, the types accepted
# (MIME types as sniffed from the content, never from the name) and the thumbnail's long side.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env_list("ATTACHMENT_ALLOWED_TYPES", [
    "image/jpeg", "image/png", "image/webp", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
])
ATTACHMENT_THUMBNAIL_PX = env_int("ATTACHMENT_THUMBNAIL_PX", 320)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Hardening: upload and decompression limits (docs/security.md) ---------------------------
# A request body larger than this is refused (413) from its Content-Length, before it is read;
# nginx's client_max_body_size is the first line (deploy/). Default: the import limit + 1 MB.
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024)
# An xlsx is a zip: refuse more entries, or a higher uncompressed:compressed ratio (per entry
# and for the whole archive), than these.
IMPORT_MAX_ZIP_ENTRIES = env_int("IMPORT_MAX_ZIP_ENTRIES", 100)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
# Reading a spreadsheet runs in a child process whose address space may grow by at most this
# much; 0 reads in the process itself (no cap).
IMPORT_PARSE_MEMORY_BYTES = env_int("IMPORT_PARSE_MEMORY_BYTES", 400 * 1024 * 1024)

# --- Hardening: login throttling with django-axes (docs/security.md) -------------------------
# Lock a username, and separately a client address, after AXES_FAILURE_LIMIT failures, for
# LOGIN_COOLOFF_MINUTES. The same backend guards the admin login; password reset counts too.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py run; failures still name user and address
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "parkportal.auth.client_ip"
# Behind nginx the client address is the last X-Forwarded-For entry nginx appended.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 5)

# --- Hardening: Content-Security-Policy with django-csp (docs/security.md) -------------------
# No inline script, no eval: every script is a static file, data comes through json_script.
# Inline style attributes (progress-bar widths) stay allowed.
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# --- Hardening: sessions (docs/security.md) ---------------------------------------------------
# A session ends SESSION_HOURS after login (default 8: one working day). Changing a password
# ends the user's other sessions (Django checks the session's password hash on every request).
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Hardening: mail (docs/security.md, docs/configuration.md) --------------------------------
# EMAIL_HOST set: SMTP. Unset: the console backend with DEBUG on, otherwise no mail at all
# (and password reset says so rather than pretending to send).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "parkportal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND",
                                   "django.core.mail.backends.dummy.EmailBackend")
# Whether mail really leaves this installation (password reset asks before promising it).
MAIL_CONFIGURED = env_bool("MAIL_CONFIGURED", bool(EMAIL_HOST) or DEBUG)

# The stock Bootstrap 5 table, its rows rendered in Python (parkportal/templatetags/table_rows)
DJANGO_TABLES2_TEMPLATE = "tables/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
