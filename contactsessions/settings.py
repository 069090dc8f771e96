"""Settings for Contact Sessions.

One module, configured from the environment. ``DJANGO_ENV`` picks the profile:

* ``development`` (default): DEBUG on, SQLite unless ``DATABASE_URL`` is set,
  e-mail printed to the console.
* ``production``: every secret and host must come from the environment; a
  missing or insecure value stops the process with ``ImproperlyConfigured``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production")

# Development only: production refuses this value below.
_DEV_SECRET = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105  # nosec B105
SECRET_KEY = env("SECRET_KEY", None if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the app is served on")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public base URL, used in e-mails, feeds and posters that leave the site.
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "wards",
    "venues",
    "contactsessions",
    "contactsessions.office",
    "contactsessions.public",
    "contactsessions.monitoring",
    "contactsessions.alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "contactsessions.lib.guards.RejectNulMiddleware",
    # Answers anonymous public GETs from the cache before the rest of the stack runs.
    "contactsessions.lib.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL prefix alone (public pages; lib.locale), so a cached
    # page is always in the language of its URL.
    "contactsessions.lib.locale.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in answers (back office, exports) are never cached: private, no-store.
    "contactsessions.lib.headers.PrivatePagesMiddleware",
    # Django's, with the storage set up only when a view or template touches it.
    "contactsessions.lib.fastpath.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the policy strings built once rather than on every answer.
    "contactsessions.lib.fastpath.CSPMiddleware",
    # An empty 405 (a POST-only address opened by a link) becomes a page in the layout.
    "contactsessions.lib.method_page.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so it is first to see a view's exception: a database outage is a 503, not a 500.
    "contactsessions.lib.outage.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "contactsessions.urls"
WSGI_APPLICATION = "contactsessions.wsgi.application"

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
                "contactsessions.context_processors.site",
            ],
        },
    },
]

_default_db = "" if PRODUCTION else f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASE_URL = env("DATABASE_URL", _default_db)
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in production")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_cache(url: str) -> dict[str, Any]:
    """The cache on Redis, as REDIS_URL selects it.

    django-redis keeps one client per process (Django's own RedisCache builds a client on
    every call, which cost 0.7 ms a cache hit), and with IGNORE_EXCEPTIONS a Redis outage
    makes every read a miss, so pages are built from the database instead of failing. The
    socket timeouts make that quick when Redis is unreachable rather than stopped: without
    them every anonymous request would wait for the operating system to give up. The
    backend is django-redis's, with each process's mirror of the public cache's tokens
    (``contactsessions.lib.token_mirror``): a hit on a page the process holds costs no
    round trip to Redis.
    """
    return {
        "BACKEND": "contactsessions.lib.token_mirror.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }


_redis = env("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        redis_cache(_redis)
        if _redis
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "contactsessions",
            # Public pages are cached per ward and feed (contactsessions.lib.public_cache): room for all of London.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # a Redis outage is logged, not hidden

# Requests per client to the public views that reach the database (contactsessions.lib.ratelimits);
# answers from the public cache are not counted. Counted in the default cache: per process with
# the local-memory cache, shared across workers with REDIS_URL.
PUBLIC_RATE_LIMITS: dict[str, str | None] = {
    "search": "60/m",  # the home page's search, postcode and "use my location"
    "api": "60/m",  # the open-data API
    "pages": "300/m",  # ward, borough and session pages, posters
    "feeds": "600/m",  # calendar feeds, polled by calendar apps, often many behind one address
}
# When the cache cannot count (Redis down), let requests through rather than refuse everyone.
RATELIMIT_FAIL_OPEN = True
# Off only where every client shares one address on purpose (make loadtest, on loopback).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "officer:home"
LOGOUT_REDIRECT_URL = "public:home"

# Client addresses. Behind the TLS proxy that production requires, REMOTE_ADDR is the
# proxy's; the client is read from X-Forwarded-For at this many trusted proxies' depth
# (contactsessions.lib.clientip, docs/deploy.md). 0: no proxy, REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
# django-ratelimit's "ip" key reads the same client address.
RATELIMIT_IP_META_KEY = "contactsessions.lib.clientip.client_ip"

# Log-in protection (contactsessions.lib.lockout). A lock-out an attacker cannot aim at a
# real user: failures lock the username-and-address pair, never the username alone, and
# an address that fails for many usernames (password spraying) is blocked as a whole.
# The lock-out page offers password reset, and a completed reset lifts the user's locks.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_CLIENT_IP_CALLABLE = "contactsessions.lib.clientip.client_ip"
AXES_HANDLER = "contactsessions.lib.lockout.PairAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "contactsessions.lib.lockout.lockout_response"

# Password reset (contactsessions.lib.password_reset): at most this many requests per
# e-mail address and per client address; beyond them the same "check your e-mail" page.
PASSWORD_RESET_RATE_PER_EMAIL = env("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
PASSWORD_RESET_RATE_PER_CLIENT = env("PASSWORD_RESET_RATE_PER_CLIENT", "10/h")

# E-mail alerts (contactsessions.alerts): sign-up and "stop my alerts" forms a client may
# send, beyond which the answer is 429. (Each address also gets at most one link an hour.)
ALERTS_RATE_PER_CLIENT = env("ALERTS_RATE_PER_CLIENT", "10/h")

# Background work (mail that must not slow or shape a request, such as password reset).
# Production queues it in the database for `manage.py db_worker`; development and tests run
# it at once, in the request, so `make run` needs no second process.
TASKS_BACKEND = env(
    "TASKS_BACKEND",
    "django_tasks_db.DatabaseBackend" if PRODUCTION else "django_tasks.backends.immediate.ImmediateBackend",
)
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

SESSION_COOKIE_AGE = 60 * 60 * 12  # a working shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
# The public pages' languages (README "Languages"): English at /wards/..., the others at /pl/wards/...
LANGUAGES = [("en-gb", "English"), ("pl", "Polski"), ("ro", "Română"), ("ar", "العربية"), ("tr", "Türkçe")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded files: officers' photos, which the app re-encodes before storing (lib.images).
# In production the proxy serves MEDIA_ROOT under MEDIA_URL (docs/deploy.md); with SERVE_MEDIA
# on (the default in development, so `make run` shows them) the app serves them itself.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")) or "")
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=not PRODUCTION)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console in development, SMTP from the environment in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Contact Sessions <no-reply@contactsessions.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Strict in production, harmless in development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# Under /api/ (GET and HEAD only) a refused write is the API's JSON 405, not an HTML page.
CSRF_FAILURE_VIEW = "contactsessions.public.views.errors.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Browser features no page of ours uses are switched off, for us and for anything framed.
# Two are kept for our own origin: geolocation for the public "Use my location" button
# (static/js/locate.js) and clipboard-write for the "Copy" buttons (static/js/site.js).
_SWITCHED_OFF = """
accelerometer ambient-light-sensor autoplay bluetooth browsing-topics camera clipboard-read
display-capture encrypted-media fullscreen gamepad gyroscope hid idle-detection local-fonts
magnetometer microphone midi payment picture-in-picture publickey-credentials-get
screen-wake-lock serial usb web-share xr-spatial-tracking
""".split()  # noqa: SIM905  (one line per 90 characters, not one per feature)
PERMISSIONS_POLICY: dict[str, list[str]] = {feature: [] for feature in _SWITCHED_OFF} | {
    "clipboard-write": ["self"],
    "geolocation": ["self"],
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Which ONS ward set the app runs on (see wards/management/commands/load_reference_data.py).
WARD_SET = env("WARD_SET", "2022")  # the wards from the borough elections of May 2022
REFERENCE_DATA_DIR = Path(env("REFERENCE_DATA_DIR", str(BASE_DIR / "fixtures")) or "")
# Days after a week ends within which DWOs record its sessions' outcomes. Until then a
# week with approved sessions and no outcome is "awaiting outcome"; after, "unconfirmed",
# and the DWOs and the borough's SNB are reminded (send_outcome_reminders).
OUTCOME_GRACE_DAYS = env_int("OUTCOME_GRACE_DAYS", 7)
if OUTCOME_GRACE_DAYS < 0:
    raise ImproperlyConfigured("OUTCOME_GRACE_DAYS cannot be negative")
# Shown as a banner on every page when the database holds the demo data set.
DEMO_MODE = env_bool("DEMO_MODE", False)

# Everything goes to the root logger's console handler, once. Django's own default gives the
# "django" logger a console handler of its own (printing whenever DEBUG is on) and lets the
# record propagate to root as well, so each refused request was printed twice; here the
# "django" logger only propagates. A refused request (4xx) is one line with no traceback
# (RefusalsWithoutTraceback); a 500 keeps its traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals_without_traceback": {"()": "contactsessions.lib.requestlog.RefusalsWithoutTraceback"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusals_without_traceback"]},
        # As in Django's default: mails errors to ADMINS, when that is set, in production.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
    },
}
