"""Settings for the factcheck project.

One module for every environment: what differs between a laptop, CI and
production comes from environment variables, never from a second file.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> None:
    """Load ``KEY=value`` lines from a local ``.env`` (written by ``make run``)
    into the environment; variables already set win, so production and the
    test suite are never overridden by a developer's file."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


read_env_file(Path(os.environ.get("FACTCHECK_ENV_FILE", BASE_DIR / ".env")))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "axes",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "factcheck.middleware.request_line_limit_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "factcheck.middleware.private_cache_middleware",
    # Last, as its documentation asks: it turns a lockout into the answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

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
                "django.template.context_processors.csp",
                "annotations.context_processors.inbox",
            ],
        },
    },
]

# SQLite is the embedded default so the app runs anywhere; production and CI
# point DATABASE_URL at PostgreSQL, which dj-database-url maps to psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL means "unset", not "no database".
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Workflow steps lock rows; on SQLite, take the write lock at BEGIN so two
    # writers queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Connection pooling on PostgreSQL (psycopg's pool, one per process): set
# DATABASE_POOL_MAX_SIZE; persistent connections are then off, as the pool
# keeps the connections.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "DATABASE_POOL_MAX_SIZE"
):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ["DATABASE_POOL_MAX_SIZE"]),
        "timeout": 10,
    }

# Read replicas (PostgreSQL streaming replicas): reads of safe requests go to
# them, everything else to the primary; see factcheck/routers.py.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _index, _url in enumerate(DATABASE_REPLICA_URLS):
    DATABASES[f"replica_{_index}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests read the primary's test database through the replica alias.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["factcheck.routers.PrimaryReplicaRouter"] if DATABASE_REPLICA_URLS else []
if DATABASE_REPLICA_URLS:
    MIDDLEWARE.insert(1, "factcheck.routers.ReadYourWritesMiddleware")
FACTCHECK_PRIMARY_PIN_SECONDS = int(os.environ.get("FACTCHECK_PRIMARY_PIN_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Throttle counters and login lockouts must be shared by every worker
# process: Redis when REDIS_URL is set, the database otherwise (its table is
# made by ``manage.py createcachetable``, which ``make run`` runs).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "factcheck_cache",
        }
    }
# Built public API pages (annotations.api.pagecache), keyed by the corpus
# version: in Redis beside the rest when there is one, otherwise in each
# worker's memory (never the database cache: a page is as dear to fetch
# from there as to build).
CACHES["pages"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "pages",
    }
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "factcheck-pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FACTCHECK_PAGE_CACHE_ENTRIES", "500"))},
    }
)
FACTCHECK_PAGE_CACHE_SECONDS = int(os.environ.get("FACTCHECK_PAGE_CACHE_SECONDS", "600"))
# Cache-Control of public answers: shared caches keep them this long, and
# serve them this much longer while they revalidate.
FACTCHECK_PUBLIC_MAX_AGE = int(os.environ.get("FACTCHECK_PUBLIC_MAX_AGE", "30"))
FACTCHECK_PUBLIC_STALE_WHILE_REVALIDATE = int(
    os.environ.get("FACTCHECK_PUBLIC_STALE_WHILE_REVALIDATE", "60")
)

# Logins: django-axes counts failures per user name and per client address
# (either reaching the limit locks) in the shared cache, on every path that
# authenticates (login form, admin, API token).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "factcheck.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "factcheck.lockout.lockout_response"
AXES_VERBOSE = False
# How many reverse proxies in front of the app append to X-Forwarded-For;
# 0 (the default) ignores the header, which a client could otherwise forge.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "annotations:article_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Archived copies and uploaded evidence; never served straight from here
# (the app serves them with a sandboxing CSP), so there is no MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("FILES_BACKEND", "django.core.files.storage.FileSystemStorage"),
        # e.g. {"bucket_name": "archives", "endpoint_url": "https://s3.example.org"}
        "OPTIONS": json.loads(os.environ.get("FILES_OPTIONS") or "{}"),
    },
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# A strict Content-Security-Policy: the templates carry no inline scripts,
# handlers or styles, and every asset is served from this app.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Pages carry the token in hx-headers; no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only, unless DEBUG: redirect plain http and ask browsers to remember
# (HSTS). Behind a TLS-terminating proxy that redirects itself, turn the
# redirect off; set SECURE_PROXY_SSL_HEADER so Django knows the request was
# https (for example "HTTP_X_FORWARDED_PROTO,https").
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a commitment made by submitting the domain to browsers'
# lists; it stays an explicit choice, so its deploy check is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(os.environ["SECURE_PROXY_SSL_HEADER"].split(",", 1))

# Request bounds, answered in the API's JSON error shape.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FACTCHECK_REQUEST_MAX_BYTES", 6 * 1024 * 1024))
FACTCHECK_REQUEST_LINE_MAX = int(os.environ.get("FACTCHECK_REQUEST_LINE_MAX", "4096"))

# The app's own knobs.
FACTCHECK_IMPORT_MAX_BYTES = int(os.environ.get("FACTCHECK_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
FACTCHECK_FETCH_TIMEOUT = float(os.environ.get("FACTCHECK_FETCH_TIMEOUT", "10"))
# The largest article body, in characters, whichever way it comes in.
FACTCHECK_ARTICLE_MAX_CHARS = int(os.environ.get("FACTCHECK_ARTICLE_MAX_CHARS", 1_000_000))
# HTML with more tags than this is refused before extraction, whose time
# grows faster than the tree (20,000 tags take about 2 s, 50,000 about 20 s).
FACTCHECK_HTML_MAX_TAGS = int(os.environ.get("FACTCHECK_HTML_MAX_TAGS", 20_000))
# An invitation's link to join the desk works for this many days.
FACTCHECK_INVITATION_DAYS = int(os.environ.get("FACTCHECK_INVITATION_DAYS", "7"))
# API tokens expire this many days after they were issued.
FACTCHECK_TOKEN_TTL_DAYS = int(os.environ.get("FACTCHECK_TOKEN_TTL_DAYS", "30"))
# Server-side fetches never reach loopback, private or link-local addresses
# unless this is switched on (the tests do, for a server they start themselves).
FACTCHECK_FETCH_ALLOW_PRIVATE = env_bool("FACTCHECK_FETCH_ALLOW_PRIVATE", False)
FACTCHECK_PUBLISHER_NAME = os.environ.get("FACTCHECK_PUBLISHER_NAME", "Factcheck Desk")
FACTCHECK_PUBLISHER_URL = os.environ.get(
    "FACTCHECK_PUBLISHER_URL", "https://factcheck.example.org/"
)
# Public fact-check pages name who checked and who reviewed; an organisation
# that protects its staff switches this off.
FACTCHECK_PUBLIC_NAMES = env_bool("FACTCHECK_PUBLIC_NAMES", True)

# Email: the console in development; SMTP set by environment variables
# otherwise (Django's MAILERS; EMAIL_BACKEND overrides the backend).
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        }
        if _email_backend.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")
# Links in emails: the site's address as people reach it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Background tasks (Django's tasks framework). The default queue lives in the
# database (django-tasks-db) so one `manage.py worker` next to the web server
# is all a single machine needs.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
# Larger deployments: TASKS_BACKEND=redis puts the queue in Redis (RQ), for
# any number of `manage.py rqworker` processes on any number of machines.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
if TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
# Attempts of a task that failed for a reason that may pass (timeouts, 5xx),
# the first retry's delay (doubled each time), and the time after which a
# task still marked running is taken for dead (its worker was killed).
FACTCHECK_TASK_ATTEMPTS = int(os.environ.get("FACTCHECK_TASK_ATTEMPTS", "4"))
FACTCHECK_TASK_BACKOFF = float(os.environ.get("FACTCHECK_TASK_BACKOFF", "30"))
FACTCHECK_TASK_TIME_LIMIT = float(os.environ.get("FACTCHECK_TASK_TIME_LIMIT", "120"))
FACTCHECK_TASK_STALLED_AFTER = float(
    os.environ.get("FACTCHECK_TASK_STALLED_AFTER", FACTCHECK_TASK_TIME_LIMIT + 30)
)
# Archiving and link checks.
FACTCHECK_ARCHIVE_SCREENSHOTS = env_bool("FACTCHECK_ARCHIVE_SCREENSHOTS", False)
FACTCHECK_CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "chromium")
FACTCHECK_UPLOAD_MAX_BYTES = int(os.environ.get("FACTCHECK_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
FACTCHECK_LINK_CHECK_HOURS = float(os.environ.get("FACTCHECK_LINK_CHECK_HOURS", "24"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "annotations.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "annotations.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "annotations.api.renderers.OrjsonRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "annotations.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck API",
    "DESCRIPTION": (
        "Reviewed claim annotations as JSON, W3C Web Annotation and schema.org ClaimReview. "
        "Anyone may read published claims (and retracted ones, marked so); editors use a "
        "token (`POST /api/v1/auth/token/`, then `Authorization: Token <token>`) or their "
        'session with CSRF. Every 4xx answers `{"error": {"status", "code", '
        '"message", "fields"}}`; reads carry an ETag and answer 304 to If-None-Match; '
        "writes to a claim need its ETag in If-Match (412 when stale, 428 when missing). "
        "The changes feed (`/api/v1/changes/`) never skips an entry: see its description."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
