"""The one settings module of icihub, driven by environment variables.

ICIHUB_ENV           "development" (default) or "production"
ICIHUB_SECRET_KEY    required in production; a fixed development key is used otherwise
ICIHUB_DEBUG         "1"/"true" to turn debug on (default: on in development, off in production)
ICIHUB_ALLOWED_HOSTS comma-separated host names (default: localhost names)
ICIHUB_VAR_DIR       where the SQLite file and other local state live (default: ./var)
DATABASE_URL         e.g. postgres://user@host:5432/icihub (default: SQLite file under ICIHUB_VAR_DIR)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ICIHUB_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = os.environ.get("ICIHUB_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(f"ICIHUB_ENV must be 'development' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("ICIHUB_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("ICIHUB_SECRET_KEY must be set when ICIHUB_ENV=production.")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdef"  # noqa: S105  # nosec B105

DEBUG = _flag("ICIHUB_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    # Django's deploy check only warns about these; a centre's server refuses to start with them: a short
    # or repetitive key can be guessed (sessions, password-reset links and CSRF tokens are signed with it),
    # and debug pages show settings and source to anyone who meets an error.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "ICIHUB_SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if DEBUG:
        raise ImproperlyConfigured("ICIHUB_DEBUG must be off when ICIHUB_ENV=production.")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ICIHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "icihub.audit",
    "icihub.partners",
    "icihub.accounts",
    "icihub.catalogue",
    "icihub.planning",
    "icihub.nominations",
    "icihub.delivery",
    "icihub.certificates",
    "icihub.evaluation",
    "icihub.programmes",
    "icihub.operations",
    "icihub.reports",
    "icihub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "icihub.formdata.RefuseNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "icihub.accounts.security.SessionActivityMiddleware",
    "icihub.accounts.security.PrivateAnswersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "icihub.accounts.mfa.MFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "icihub.faults.DatabaseUnavailableMiddleware",
]

# Django's cache holds rate limits, log-in lock-outs and the anonymous catalogue's pages. Local memory
# (the default, for the demo) is one process's own; several server processes or machines must share
# one: ICIHUB_CACHE_URL=redis://HOST:6379/0 (`icihub serve` refuses several workers without it).
ICIHUB_CACHE_URL = os.environ.get("ICIHUB_CACHE_URL", "")
if ICIHUB_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ICIHUB_CACHE_URL,
            "KEY_PREFIX": "icihub",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "icihub"}}
# A private calendar feed holds the confirmed seats of runs that ended this many days ago or later.
ICIHUB_CALENDAR_FEED_DAYS = int(os.environ.get("ICIHUB_CALENDAR_FEED_DAYS", "180"))
# `icihub serve`: worker processes (default: one a core plus one with a shared cache, else one) and
# threads in each.
ICIHUB_WEB_WORKERS = int(os.environ.get("ICIHUB_WEB_WORKERS", "0"))
ICIHUB_WEB_THREADS = int(os.environ.get("ICIHUB_WEB_THREADS", "4"))
# Addresses of the reverse proxies whose X-Forwarded-Proto `icihub serve` believes (comma-separated; "*"
# for any, only where nothing but the proxy can reach the port).
ICIHUB_TRUSTED_PROXIES = os.environ.get("ICIHUB_TRUSTED_PROXIES", "127.0.0.1,::1")

ROOT_URLCONF = "icihub.urls"
WSGI_APPLICATION = "icihub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "icihub.accounts.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'icihub.sqlite3'}",
        # Keep server connections open between requests (seconds); 0 opens one per request.
        conn_max_age=int(os.environ.get("ICIHUB_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock at BEGIN instead of failing late with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-icihub.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
# After log-in: the reports for staff, HQ and points of contact, a participant's own courses (portal.start_page).
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "catalogue:list"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Kuwait"
USE_TZ = True

# The centre's working week as Python weekday numbers (Monday 0 ... Sunday 6): Sunday to Thursday.
ICIHUB_WORKING_WEEK = tuple(
    int(day) for day in os.environ.get("ICIHUB_WORKING_WEEK", "6,0,1,2,3").split(",") if day.strip()
)
# Seats: the host nation's guaranteed minimum, the priority tiers as divisor-method weights (full
# members of the priority framework, partners in selected activities, everyone else), and when unfilled
# allocations return to the pool before a course starts.
ICIHUB_HOST_NATION = os.environ.get("ICIHUB_HOST_NATION", "KWT")
ICIHUB_HOST_NATION_SEATS = int(os.environ.get("ICIHUB_HOST_NATION_SEATS", "2"))
ICIHUB_PRIORITY_FRAMEWORK = os.environ.get("ICIHUB_PRIORITY_FRAMEWORK", "ICI")
ICIHUB_SEAT_TIER_WEIGHTS = {"member": 3.0, "selected": 2.0, "other": 1.0}
ICIHUB_REALLOCATION_WEEKS = int(os.environ.get("ICIHUB_REALLOCATION_WEEKS", "6"))
# Courses start and end at these local times (calendar invitations, and lateness at check-in).
ICIHUB_COURSE_DAY = ("08:00", "14:00")
# Check-in with the day's code: a participant is late when checking in more than this many minutes
# after the course day starts, and may enter this many wrong codes an hour before being refused.
ICIHUB_CHECK_IN_GRACE_MINUTES = int(os.environ.get("ICIHUB_CHECK_IN_GRACE_MINUTES", "15"))
ICIHUB_CHECK_IN_ATTEMPTS = int(os.environ.get("ICIHUB_CHECK_IN_ATTEMPTS", "10"))

# E-mail: in production the SMTP backend (Django's EMAIL_HOST... settings from ICIHUB_SMTP_*); in
# development printed to the console; any other Django mail backend can be named.
_MAIL_DEFAULT = "smtp" if PRODUCTION else "console"
_MAIL_BACKEND = os.environ.get("ICIHUB_EMAIL_BACKEND", f"django.core.mail.backends.{_MAIL_DEFAULT}.EmailBackend")
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND}}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("ICIHUB_SMTP_HOST", "localhost"),
        "port": int(os.environ.get("ICIHUB_SMTP_PORT", "25")),
        "username": os.environ.get("ICIHUB_SMTP_USER", ""),
        "password": os.environ.get("ICIHUB_SMTP_PASSWORD", ""),
        "use_tls": _flag("ICIHUB_SMTP_TLS", default=False),
    }
DEFAULT_FROM_EMAIL = os.environ.get("ICIHUB_FROM_EMAIL", "registrar@icihub.invalid")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Assets are served by the application itself (closed networks, no CDN); whitenoise reads them
# straight from the apps so no collectstatic step is needed to run the centre.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads a cookie (forms and Swagger UI take the CSRF token from the page), so none is open to
# one; messages live in the session rather than a cookie of their own (ASVS 5.0 3.3).
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Sessions end after ICIHUB_SESSION_HOURS (absolute, from log-in) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("ICIHUB_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ... and after ICIHUB_SESSION_IDLE_MINUTES without a request (accounts/security.py).
ICIHUB_SESSION_IDLE_MINUTES = int(os.environ.get("ICIHUB_SESSION_IDLE_MINUTES", "30"))
# A sensitive operation (seat allocation, user changes, API tokens, erasure) needs the password given
# within ICIHUB_STEP_UP_MINUTES (accounts/stepup.py).
ICIHUB_STEP_UP_MINUTES = int(os.environ.get("ICIHUB_STEP_UP_MINUTES", "10"))
# Anti-automation on file exports and PDFs, and on imports: per user (or address) a minute (icihub/throttle.py).
ICIHUB_EXPORTS_PER_MINUTE = int(os.environ.get("ICIHUB_EXPORTS_PER_MINUTE", "30"))
ICIHUB_IMPORTS_PER_MINUTE = int(os.environ.get("ICIHUB_IMPORTS_PER_MINUTE", "10"))
# Log-in lock-out: this many failures for one user name within the window lock it for the window.
ICIHUB_LOGIN_FAILURES = int(os.environ.get("ICIHUB_LOGIN_FAILURES", "5"))
ICIHUB_LOCKOUT_MINUTES = int(os.environ.get("ICIHUB_LOCKOUT_MINUTES", "15"))
PASSWORD_RESET_TIMEOUT = 3600  # a reset link works for one hour
# Multi-factor log-in (accounts/mfa.py): staff, points of contact and HQ observers must use it when
# this is on (the default in production); participants may.
ICIHUB_MFA_REQUIRED = _flag("ICIHUB_MFA_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = "icihub"
# PBKDF2 rounds for a recovery code's digest (accounts/models.py RecoveryCodes); each set of codes keeps
# the count it was made with, so changing this leaves existing codes working.
ICIHUB_RECOVERY_CODE_ITERATIONS = int(os.environ.get("ICIHUB_RECOVERY_CODE_ITERATIONS", "200000"))
# API tokens (accounts/tokens.py): days a new token lasts unless its owner chooses fewer, and how many
# working tokens one user may hold.
ICIHUB_API_TOKEN_DAYS = int(os.environ.get("ICIHUB_API_TOKEN_DAYS", "90"))
ICIHUB_API_TOKENS_PER_USER = 10
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (Django's own), in every environment so tests and the demo meet it: every
# script and style is a file served by the centre itself; no inline code, no other origin, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],  # no page sets <base>; ASVS 5.0 3.4.3 asks for 'none'
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    # __Host- cookies: sent only over HTTPS, to this host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("ICIHUB_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _flag("ICIHUB_HSTS_PRELOAD", default=True)
    # Behind a TLS proxy, a request is secure when the proxy says so: gunicorn (`icihub serve`) sets the
    # request's scheme from X-Forwarded-Proto only when the request comes from one of
    # ICIHUB_TRUSTED_PROXIES. SECURE_PROXY_SSL_HEADER is left unset on purpose: Django would believe the
    # header from anyone who can reach the port, and waitress before gunicorn dropped it, so every request
    # looped on the https redirect and no HSTS header was ever sent.

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous caller is told how to authenticate (401, WWW-Authenticate).
        "icihub.accounts.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["icihub.accounts.api_permissions.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "icihub.schema.AutoSchema",
    "EXCEPTION_HANDLER": "icihub.api_errors.exception_handler",
    # JSON bounded in size and depth (api_parsers.py); forms and files as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "icihub.api_parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # How many reverse proxies in front of icihub add themselves to X-Forwarded-For. 0 (the default):
    # the client is REMOTE_ADDR and the header is ignored, so nobody dodges a rate limit by writing it.
    "NUM_PROXIES": int(os.environ.get("ICIHUB_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "icihub API",
    "DESCRIPTION": "Partners, the course catalogue, iterations, seat allocations, nominations, partnership "
    "programmes, the cooperation menu and events of a partnership training and cooperation centre.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IterationStatusEnum": "icihub.planning.models.Iteration.Status",
        "NominationStatusEnum": "icihub.nominations.models.Status",
        "ClassificationEnum": "icihub.catalogue.models.Classification",
        "ProgrammeKindEnum": "icihub.programmes.models.Programme.Kind",
        "ProgrammeStatusEnum": "icihub.programmes.models.Programme.Status",
        "ActivityKindEnum": "icihub.programmes.models.Kind",
        "EventStatusEnum": "icihub.programmes.models.Event.Status",
        "DeliveryEnum": "icihub.catalogue.models.DeliveryMethod",
        "ReportFileKindEnum": "icihub.reports.models.ReportFile.Kind",
        "ReportFileStateEnum": "icihub.reports.models.ReportFile.State",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Log-in attempts, log-outs and ended sessions (user name and address, never a password).
    "loggers": {"icihub.security": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Background work (ARCHITECTURE.md). "thread": planning and certificate runs work in a thread of the web
# process and nomination e-mail is sent after the commit by the request (the embedded default: no
# services, no worker to start). "worker": they are enqueued with Django's Tasks framework on the database
# backend (django-tasks-db) and run by `icihub db_worker` processes, on this machine or others sharing
# the database, so a centre that outgrows one machine adds workers; e-mail is queued in the change's own
# transaction, so a slow mail server never holds a request.
ICIHUB_BACKGROUND = os.environ.get("ICIHUB_BACKGROUND", "thread")
if ICIHUB_BACKGROUND not in ("thread", "worker"):
    raise ImproperlyConfigured("ICIHUB_BACKGROUND is 'thread' or 'worker'.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "planning", "certificates", "mail", "reports"],
    }
}

# Personal data of persons whose last course or event ended this many years ago is erased by
# `icihub privacy retain` (run it daily, like the other jobs).
ICIHUB_RETENTION_YEARS = int(os.environ.get("ICIHUB_RETENTION_YEARS", "10"))

# The audit trail's anchor: the newest event's id and hash, kept outside the database (docs/audit.md);
# default VAR_DIR/audit-anchor. Best on other storage than the database's.
ICIHUB_AUDIT_ANCHOR = os.environ.get("ICIHUB_AUDIT_ANCHOR") or None
# Committed audit events are linked into the hash chain by a thread of each process (`background`), or
# at once after each commit (`inline`, what the tests use); the thread also looks for events left
# unsealed (a process killed between commit and sealing) every ICIHUB_AUDIT_SEAL_SECONDS.
ICIHUB_AUDIT_SEALING = os.environ.get("ICIHUB_AUDIT_SEALING", "background")
if ICIHUB_AUDIT_SEALING not in ("background", "inline"):
    raise ImproperlyConfigured("ICIHUB_AUDIT_SEALING must be background or inline.")
ICIHUB_AUDIT_SEAL_SECONDS = float(os.environ.get("ICIHUB_AUDIT_SEAL_SECONDS", "5"))

# Certificates. The Ed25519 signing keys live here, outside the database: back this directory up with
# the database (docs/certificates.md). The public address goes into each credential and QR code.
ICIHUB_KEY_DIR = Path(os.environ.get("ICIHUB_KEY_DIR", VAR_DIR / "keys")).resolve()
ICIHUB_PUBLIC_URL = os.environ.get("ICIHUB_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
ICIHUB_ISSUER_NAME = os.environ.get("ICIHUB_ISSUER_NAME", "NATO-ICI Regional Centre, Kuwait")
ICIHUB_ISSUER_NAME_AR = os.environ.get("ICIHUB_ISSUER_NAME_AR", "مركز الناتو ومبادرة إسطنبول للتعاون الإقليمي، الكويت")
# A whole-iteration certificate run renders its PDFs in this many worker processes (1: in the run's own
# process); by default one per CPU, at most 4: each worker holds its own WeasyPrint and Pango (~90 MiB).
ICIHUB_CERTIFICATE_PROCESSES = int(os.environ.get("ICIHUB_CERTIFICATE_PROCESSES") or min(os.cpu_count() or 1, 4))
if ICIHUB_CERTIFICATE_PROCESSES < 1:
    raise ImproperlyConfigured("ICIHUB_CERTIFICATE_PROCESSES is a number of processes, 1 or more.")
# Public verification: requests per minute from one address (page and API together).
ICIHUB_VERIFY_PER_MINUTE = int(os.environ.get("ICIHUB_VERIFY_PER_MINUTE", "30"))
