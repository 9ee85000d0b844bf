"""Django settings for verbind: ONE file, driven by environment variables.

Every value a deployment may change is read from the environment here, with a clear
``ImproperlyConfigured`` error naming the variable when it is missing or malformed.
Production is the default (DEBUG off); development sets ``DEBUG=1`` (``make run`` does).
See docs/deployment.md for the full list of variables.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from verbind.core import retention_rules

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/verbind
REPO_DIR = PACKAGE_DIR.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name}={raw!r} is not a yes/no value; use 1/0, true/false, "
        "yes/no or on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name}={raw!r} is not a whole number."
        ) from None
    if value < minimum:
        raise ImproperlyConfigured(f"The environment variable {name}={raw!r} is below {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


# --- Core ------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

# Insecure development key: only ever used when DEBUG is on.
_DEV_SECRET_KEY = "django-insecure-verbind-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "The environment variable SECRET_KEY must be set when DEBUG is off (production). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For development set DEBUG=1."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "The environment variable SECRET_KEY is too weak for production: use at least 50 "
        "random characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS must be set when DEBUG is off (production): "
        "a comma-separated list of host names, e.g. ALLOWED_HOSTS=verbind.example.org."
    )
if not DEBUG and "*" in ALLOWED_HOSTS:
    # Any Host header would be accepted, and links built from it could point elsewhere.
    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS must not contain '*' in production: list the "
        "host names this site is reached on, e.g. ALLOWED_HOSTS=verbind.example.org "
        "(.example.org allows every subdomain)."
    )

# The public address, used in links in e-mails (invitations, password reset).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc:
    raise ImproperlyConfigured(
        f"The environment variable SITE_URL={SITE_URL!r} is not an address like "
        "https://verbind.example.org."
    )
if not DEBUG and _site.scheme != "https":
    raise ImproperlyConfigured(
        f"The environment variable SITE_URL={SITE_URL!r} must start with https:// in production."
    )
SITE_URL = SITE_URL.rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # The outbox first: the lowest layer, every app below may queue e-mail through it.
    "verbind.outbox",
    "verbind.accounts",
    "verbind.screening",
    "verbind.coaching",
    "verbind.course",
    "verbind.network",
    # A person's own pages and data: above every app they gather from (docs/web.md).
    "verbind.participant",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "verbind.web.middleware.NoStoreForPersonalPagesMiddleware",
    # django-axes must be last: it turns a lockout into a friendly page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "verbind.web.urls"
WSGI_APPLICATION = "verbind.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "verbind.web.context_processors.verbind",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------

DATA_DIR = Path(env_str("VERBIND_DATA_DIR", str(REPO_DIR / "var")))
_default_db = f"sqlite:///{DATA_DIR / 'verbind.sqlite3'}"
_db_url = env_str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except Exception as exc:  # dj-database-url raises several types for bad URLs
    raise ImproperlyConfigured(
        f"The environment variable DATABASE_URL is not a database address ({exc}). "
        "Use e.g. postgres://user:password@host:5432/dbname or sqlite:////path/verbind.sqlite3."
    ) from None
if _db["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured(
        "The environment variable DATABASE_URL must point to PostgreSQL (postgres://...) or "
        "SQLite (sqlite:///...)."
    )
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (DB_CONN_MAX_AGE) like PostgreSQL's: opening a SQLite file
    # and setting it up on every request cost about 1 ms of CPU per logged-in request
    # under gunicorn (docs/benchmarks.md), more than the session and user queries.
    # WAL lets readers work while one writer writes; set on every new connection.
    # IMMEDIATE transactions avoid "database is locked" when two writers meet.
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, login throttling ----------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "start"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
# Lock the combination so one person cannot lock a whole shared office network out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Django's login form posts the e-mail address as "username" (axes would look for "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "verbind.accounts.throttling.username_for_axes"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a load balancer the client address is in X-Forwarded-For (see TRUST_PROXY_HEADERS):
# read only then, and only the entry our own TRUSTED_PROXY_COUNT proxies appended
# (accounts/throttling.py). Without it a client's X-Forwarded-For is ignored.
TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)
AXES_CLIENT_IP_CALLABLE = "verbind.accounts.throttling.client_ip_for_axes"
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Invitation links (coach -> participant, admin -> coach) stop working after this many days.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14, minimum=1)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Where this instance's source code is published (AGPL section 13). Empty: /source/ serves
# the running code itself as an archive, which always matches, local changes included.
SOURCE_CODE_URL = env_str("SOURCE_CODE_URL", "")
if SOURCE_CODE_URL and urlsplit(SOURCE_CODE_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(
        f"The environment variable SOURCE_CODE_URL={SOURCE_CODE_URL!r} is not an address "
        "like https://example.org/verbind."
    )

# A participant who has not logged in for this many months gets an e-mail, and their account
# is deleted after the notice period unless they log in (core/retention_rules.py).
# 0 switches it off.
INACTIVE_ACCOUNT_MONTHS = env_int(
    "INACTIVE_ACCOUNT_MONTHS", retention_rules.DEFAULT_INACTIVE_MONTHS
)
INACTIVE_ACCOUNT_NOTICE_DAYS = env_int(
    "INACTIVE_ACCOUNT_NOTICE_DAYS",
    retention_rules.DEFAULT_NOTICE_DAYS,
    minimum=retention_rules.MIN_NOTICE_DAYS,
)

# --- Request and upload size -------------------------------------------------------------

# A request with files larger than this (the form included) is refused before its body is
# read (web/uploads.py). The largest upload is a course photo (5 MB, course/domain/answers.py).
MAX_UPLOAD_REQUEST_BYTES = 6 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "verbind.web.uploads.RequestSizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Making a summary PDF takes a worker seconds: at most this many per person per hour.
SUMMARY_PDF_PER_HOUR = env_int("SUMMARY_PDF_PER_HOUR", 10, minimum=1)

# --- Sessions, cookies, HTTPS -----------------------------------------------------------

# Sessions live in the database, so any instance behind a load balancer can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# A form sent without a valid token gets a page in the person's language (web/views.py).
CSRF_FAILURE_VIEW = "verbind.web.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"{_site.scheme}://{_site.netloc}"])

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe /healthz over plain http inside the network; a redirect would
    # count as "unhealthy". It shows nothing but "ok".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The header only allows submitting the domain to the preload list; nothing happens unless
    # someone submits it. Turn off with SECURE_HSTS_PRELOAD=0 if subdomains must stay http.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- Content-Security-Policy (django-csp 4) ----------------------------------------------

# Everything from our own origin; no inline scripts or styles, no third parties.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve straight from the source folders when no collectstatic has been run (tests, dev).
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- E-mail -----------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "verbind <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on; choose one (587: TLS, 465: SSL)."
        )
    # Seconds to wait for the mail server. Sending never blocks a page (the outbox sends
    # after the response, or from cron), but a hanging server should not hold a worker.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
elif DEBUG:
    # Development: invitation and reset e-mails are printed in the terminal.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    raise ImproperlyConfigured(
        "The environment variable EMAIL_HOST must be set when DEBUG is off (production): "
        "verbind sends invitations and password-reset e-mails. Also see EMAIL_PORT, "
        "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS."
    )

# The outbox (verbind.outbox): every e-mail is stored, sent after the commit, and retried by
# ``manage.py send_outbox`` after OUTBOX_RETRY_MINUTES, then twice as long each time, until
# OUTBOX_MAX_ATTEMPTS attempts; sent messages are deleted after OUTBOX_KEEP_SENT_DAYS.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
OUTBOX_RETRY_MINUTES = env_int("OUTBOX_RETRY_MINUTES", 5, minimum=1)
OUTBOX_KEEP_SENT_DAYS = env_int("OUTBOX_KEEP_SENT_DAYS", 7, minimum=0)

# --- Logging ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
