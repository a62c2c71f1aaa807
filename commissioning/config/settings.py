"""Settings, driven by the environment.

Development (the default) runs on an embedded SQLite database with a throwaway secret key.
Production is `OC_ENVIRONMENT=production`: it requires SECRET_KEY and ALLOWED_HOSTS, and turns
on secure cookies and HSTS. `DATABASE_URL` switches the database to PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("OC_ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("OC_ENVIRONMENT must be development, test or production.")
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=ENVIRONMENT == "development")
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off when OC_ENVIRONMENT=production: it shows settings and code to anyone."
    )

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when OC_ENVIRONMENT=production.")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when OC_ENVIRONMENT=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The name of the organisation running this service, shown in the header and page titles.
SERVICE_NAME = os.environ.get("OC_SERVICE_NAME", "Open Commissioning")
SERVICE_OWNER = os.environ.get("OC_SERVICE_OWNER", "Open Commissioning demonstration")
SERVICE_PHASE = os.environ.get("OC_SERVICE_PHASE", "beta")
SERVICE_FEEDBACK_EMAIL = os.environ.get("OC_FEEDBACK_EMAIL", "feedback@open-commissioning.example")

INSTALLED_APPS = [
    "commissioning.core.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "commissioning.core",
    "commissioning.audit",
    "commissioning.needs",
    "commissioning.market",
    "commissioning.plans",
    "commissioning.engagement",
    "commissioning.web",
    "commissioning.demo",
    "commissioning.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "commissioning.web.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "commissioning.web.middleware.PrivateResponsesUncachedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commissioning.config.urls"
WSGI_APPLICATION = "commissioning.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "commissioning.web.context_processors.service",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "commissioning.sqlite3"))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
                # at BEGIN so that two writers queue on busy_timeout instead of deadlocking.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign_in"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Client addresses. Behind reverse proxies (a load balancer, nginx) every request comes from the
# proxy, so set OC_TRUSTED_PROXY_COUNT to the number of proxies in front of the service, each of
# which appends the address it was reached from to X-Forwarded-For: the client is then the Nth
# address from the right. 0 (the default) ignores the header, which a client can forge. Rate
# limits, email throttles and sign-in lockouts all use this one address
# (commissioning.core.throttle.client_address).
TRUSTED_PROXY_COUNT = int(os.environ.get("OC_TRUSTED_PROXY_COUNT", "0"))

# Sign-in throttling. Five failures for one account from one client address lock that account
# for that address for 15 minutes: someone guessing from one place is stopped, while the
# account's owner elsewhere (or behind the same proxy, now that addresses are resolved through
# it) can still sign in. The account is counted as its address is stored (lower-case, no
# spaces), so capitals or spaces do not give a new budget. There is deliberately no cap per
# account from everywhere: any such cap is a lockout that anyone who knows an address can
# trigger (a few client addresses would keep an account shut for everyone), and that is worse
# than what it stops — slow guessing spread over many addresses, against Argon2 hashes of
# passwords of at least 12 characters. The administration site signs in through the same page.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "commissioning.core.throttle.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "commissioning.core.throttle.sign_in_address"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production, WhiteNoise serves straight from the apps' static folders, so gunicorn
# and test servers need no collectstatic.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Uploads: no request body over OC_MAX_REQUEST_BYTES (default 100 MB, files included); form
# fields over 20 MB are refused; files over 2.5 MB stream to disk rather than memory.
MAX_REQUEST_BYTES = int(os.environ.get("OC_MAX_REQUEST_BYTES", 100 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 20 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Evidence for accreditation: PDF, DOCX, XLSX, ODT, PNG or JPEG, up to this size each.
EVIDENCE_MAX_BYTES = int(os.environ.get("OC_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# The largest document a commissioner may attach to a consultation (an Easy Read version, ...).
CONSULTATION_DOCUMENT_MAX_BYTES = int(
    os.environ.get("OC_CONSULTATION_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
)

# The address of the service as people reach it, for links in emails sent by background tasks.
SITE_URL = os.environ.get("OC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The market map draws points and, where the deployer provides it, boundary GeoJSON (a
# FeatureCollection of local authorities with their ONS code in `properties.code`), with no
# tiles. Set OC_MAP_TILE_URL (an XYZ template) to draw a tile layer under them in production.
MAP_BOUNDARIES_GEOJSON = os.environ.get("OC_MAP_BOUNDARIES_GEOJSON", "")
MAP_TILE_URL = os.environ.get("OC_MAP_TILE_URL", "")

# The longest period a commissioning plan may cover, in financial years (plans normally cover
# three to five years and are refreshed yearly).
PLAN_LONGEST_PERIOD_YEARS = int(os.environ.get("OC_PLAN_LONGEST_PERIOD_YEARS", "5"))
# Responses to one consultation accepted from one connection (address) in an hour, when the
# respondent is not signed in. A household or a day centre may share one address.
CONSULTATION_RESPONSES_PER_HOUR = int(os.environ.get("OC_CONSULTATION_RESPONSES_PER_HOUR", "10"))
# Emails anyone can ask for (a password reset, a subscription's confirmation) are limited per
# address they go to and per client asking, in an hour, so the service cannot be used to flood
# someone's inbox. A password reset beyond the limit is answered as usual but not sent.
EMAILS_PER_ADDRESS_PER_HOUR = int(os.environ.get("OC_EMAILS_PER_ADDRESS_PER_HOUR", "3"))
EMAILS_PER_CLIENT_PER_HOUR = int(os.environ.get("OC_EMAILS_PER_CLIENT_PER_HOUR", "10"))
MAP_TILE_ORIGINS = (
    [f"{urlsplit(MAP_TILE_URL).scheme}://{urlsplit(MAP_TILE_URL).netloc}"] if MAP_TILE_URL else []
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@open-commissioning.example")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Background workers (`manage.py run_worker`) write a heartbeat this often; a task still
# running under a worker not heard from for WORKER_STALE_SECONDS is failed, and its import says
# it stopped. Keep the second well above the first, and above the longest the database may
# stay locked.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("OC_WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_STALE_SECONDS = float(os.environ.get("OC_WORKER_STALE_SECONDS", "120"))

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# Security headers. The one inline script (GOV.UK Frontend's js-enabled class) carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MAP_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "commissioning.web.views.csrf_failure"
if not DEBUG and ENVIRONMENT != "test":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    # Both reach beyond this service (every subdomain; browsers' built-in lists, hard to leave),
    # so the deployer opts in. Django's deployment check warns while they are off (W005, W021);
    # that is the decision, not an oversight, so those two warnings are silenced only then.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# The audit chain's key, kept outside the database so that a database writer cannot forge the
# chain (default: derived from SECRET_KEY; set it to keep the chain verifiable across a change
# of SECRET_KEY, and never change it afterwards). verify_audit checks every head recorded in
# OC_AUDIT_ANCHOR_FILE and appends the current one: by default var/audit-anchors.log beside the
# SQLite database; in production a file on other storage than the database's. Only anchors
# kept outside the database show that a database writer rolled the trail back to an earlier
# sealed head. An empty value turns the anchors off.
AUDIT_KEY = os.environ.get("OC_AUDIT_KEY", "")
AUDIT_ANCHOR_FILE = os.environ.get(
    "OC_AUDIT_ANCHOR_FILE", str(BASE_DIR / "var" / "audit-anchors.log")
)
