"""Settings for the clearinghouse portal, read from the environment (12-factor).

Every variable is listed in `.env.example`. With nothing set, the portal runs on embedded
defaults: SQLite, Celery's filesystem transport and mail written to files, all under `var/`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # variables already in the environment win

DEBUG = env.bool("DEBUG", default=False)


def _required_in_production(name):
    value = env.str(name, default="")
    if not value and not DEBUG:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable (required when DEBUG is off)."
        )
    return value


SECRET_KEY = _required_in_production("SECRET_KEY") or "insecure-development-key-only-for-debug"
# While rotating SECRET_KEY: the previous key(s), so sessions and signed links still work.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the ALLOWED_HOSTS environment variable (required when DEBUG is off)."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
# The portal's name in pages, allauth's pages and every mail (no Sites row to hand-edit).
SITE_NAME = env.str("SITE_NAME", default="Clearinghouse")
PORT = env.int("PORT", default=8000)  # what `make run` serves on
# The portal's public address, for links in mail; unset (or empty), it follows PORT.
SITE_URL = (env.str("SITE_URL", default="") or f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "ninja",
    "clearinghouse",
    "accounts",
    "validation",
    "approval_codes",
    "catalog",
    "orders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clearinghouse.hostile_input.HostileInputMiddleware",
    "approval_codes.middleware.DonorApiFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.NorwegianAcceptLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "clearinghouse.time_zones.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
]

ROOT_URLCONF = "clearinghouse.urls"
WSGI_APPLICATION = "clearinghouse.wsgi.application"

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
                "accounts.context_processors.account_navigation",
                "accounts.context_processors.site",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file; a transaction
    # takes the write lock when it begins (IMMEDIATE), so two requests racing for one row wait
    # their turn instead of the loser failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_redis_url = env.str("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=_redis_url.replace("redis://", "rediscache://") or "locmemcache://"
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage never fails a request: the cache (and every rate limit) falls back to
    # this process's memory, and a dead server is given up on within a second.
    CACHES["default"]["BACKEND"] = "clearinghouse.cache.FailOpenRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:account-overview"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNamesForm"  # first and last name first
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# Tell people when their password, email addresses or two-step sign-in change (and MFA mails).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: per IP, per address AND IP (the owner still signs in from elsewhere),
    # and a per-address ceiling a guess spread over many IPs still hits (accounts.adapters).
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_address": "100/h/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/h/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# A code from the time step before or after still counts (RFC 6238, 5.2): a phone's clock a few
# seconds off, or a code typed as its 30 seconds end, is not refused.
MFA_TOTP_TOLERANCE = 1
REQUIRE_STAFF_MFA = env.bool("REQUIRE_STAFF_MFA", default=not DEBUG)

# Whose X-Forwarded-For to believe (reverse proxies: IP addresses or networks), for every rate
# limit's client address (clearinghouse.client_ip). Empty: REMOTE_ADDR, the header ignored.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Swedish")), ("nb", _("Norwegian Bokmål"))]
# English dates are ISO (clearinghouse/formats/en); Swedish and Norwegian are Django's.
FORMAT_MODULE_PATH = ["clearinghouse.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads (documents, certificates, usage reports) are private: never served by URL.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "private")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Clearinghouse <noreply@clearinghouse.test>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "clearinghouse.mail_backends.FileAndConsoleBackend"
# Seconds to wait on the mail server (connect and each answer): one that accepts and never
# answers must not hold a worker for minutes.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

# --- Background work ------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULE = {
    "undelivered_email_resend": {
        "task": "clearinghouse.tasks.undelivered_email_resend",
        "schedule": 60.0,
    },
    "attestation_reminders_send": {
        "task": "validation.tasks.attestation_reminders_send",
        "schedule": crontab(hour=7, minute=0),
    },
    "lapsed_organisations_suspend": {
        "task": "validation.tasks.lapsed_organisations_suspend",
        "schedule": crontab(hour=0, minute=15),
    },
    "overdue_digest_send": {
        "task": "validation.tasks.overdue_digest_send",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri"),
    },
    "invoice_reminders_send": {
        "task": "orders.tasks.invoice_reminders_send",
        "schedule": crontab(hour=8, minute=0),
    },
    "licence_usage_reminders_send": {
        "task": "orders.tasks.licence_usage_reminders_send",
        "schedule": crontab(day_of_month="1", hour="9", minute="0"),
    },
    "subscriptions_renew": {
        "task": "orders.tasks.subscriptions_renew",
        "schedule": crontab(hour=6, minute=30),
    },
    "expire_codes": {
        "task": "approval_codes.tasks.expire_codes",
        "schedule": crontab(minute="*/15"),
    },
    "approval_code_reminders_send": {
        "task": "approval_codes.tasks.approval_code_reminders_send",
        "schedule": crontab(minute=5),
    },
    "due_webhooks_deliver": {
        "task": "approval_codes.tasks.due_webhooks_deliver",
        "schedule": 60.0,
    },
    "api_requests_flush": {
        "task": "approval_codes.tasks.api_requests_flush",
        "schedule": 10.0,
    },
    "api_requests_prune": {
        "task": "approval_codes.tasks.api_requests_prune",
        "schedule": crontab(hour=3, minute=40),
    },
}
# Each app adds its periodic jobs above, one entry per job (see each app's tasks.py), keyed by
# the job's name: the same name as its task, the function it calls and its management command
# (`expire_codes` is the command name DESIGN.md fixes, so the job has it too).

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SILENCED_SYSTEM_CHECKS = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The clearinghouse's own country: where an English form's country starts, and the region of a
# phone number written without +country code when the contact has no country.
CLEARINGHOUSE_COUNTRY = env.str("CLEARINGHOUSE_COUNTRY", default="SE")

# --- Validation (R-VAL-4, R-VAL-6) ---------------------------------------------------------
VALIDATION_HOLIDAY_COUNTRY = env.str("VALIDATION_HOLIDAY_COUNTRY", default="SE")
VALIDATION_DECISION_BUSINESS_DAYS = 10
VALIDATION_DIGEST_WARNING_BUSINESS_DAYS = 2
VALIDATION_ATTESTATION_INTERVAL_DAYS = 365
VALIDATION_ATTESTATION_REMINDER_DAYS = (30, 7)
VALIDATION_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
VALIDATION_STAFF_GROUP = "Validation staff"

# --- Approval codes: the public "Check a code" page and the donor API ------------------------
# Rates are fixed windows: "<number>/<second|minute|hour|day>".
# Checks per client address (REMOTE_ADDR, or the client behind TRUSTED_PROXIES) on /verify/.
APPROVAL_CODES_VERIFY_PAGE_RATE = env.str("APPROVAL_CODES_VERIFY_PAGE_RATE", default="30/minute")
# Donor API requests per API key (DESIGN.md §6); read once when the API is imported.
APPROVAL_CODES_API_RATE = env.str("APPROVAL_CODES_API_RATE", default="600/minute")

# --- Invoices (R-INV-1, R-MS-8) ------------------------------------------------------------
# The clearinghouse's own details, printed on every invoice and credit note. Required when
# DEBUG is off (payment details: a bankgiro, or an IBAN with its BIC); with DEBUG on, demo
# values stand in so that `make run` works on a fresh machine.
_DEMO_SELLER = {
    "NAME": "Clearinghouse Demo AB",
    "ADDRESS": "Demogatan 1\n111 22 Stockholm",
    "COUNTRY": "SE",
    "REGISTRATION_NUMBER": "556677-8899",
    "VAT_NUMBER": "SE556677889901",
    "EMAIL": "billing@clearinghouse.test",
    "BANKGIRO": "5050-1055",
    "IBAN": "SE4550000000058398257466",
    "BIC": "ESSESESS",
    "NO_ACCOUNT": "8601.11.17947",
    "PEPPOL_ID": "0007:5566778899",
}


def _seller(name, *, required=True):
    value = env.str(f"INVOICE_SELLER_{name}", default="").strip()
    if value or DEBUG:
        return value or _DEMO_SELLER[name]
    if required:
        raise ImproperlyConfigured(
            f"Set the INVOICE_SELLER_{name} environment variable (required when DEBUG is off)."
        )
    return ""


_SELLER_REQUIRED = {"NAME", "ADDRESS", "REGISTRATION_NUMBER", "VAT_NUMBER", "EMAIL"}
INVOICE_SELLER = {name: _seller(name, required=name in _SELLER_REQUIRED) for name in _DEMO_SELLER}
INVOICE_SELLER["ADDRESS"] = INVOICE_SELLER["ADDRESS"].replace("\\n", "\n")
INVOICE_SELLER["COUNTRY"] = (INVOICE_SELLER["COUNTRY"] or "SE").upper()
if not DEBUG and not (
    INVOICE_SELLER["BANKGIRO"] or (INVOICE_SELLER["IBAN"] and INVOICE_SELLER["BIC"])
):
    raise ImproperlyConfigured(
        "Set INVOICE_SELLER_BANKGIRO, or INVOICE_SELLER_IBAN and INVOICE_SELLER_BIC "
        "(payment details are required when DEBUG is off)."
    )
INVOICE_PAYMENT_TERMS_DAYS = env.int("INVOICE_PAYMENT_TERMS_DAYS", default=30)
# An exchange rate older than this many days on the invoice date refuses the grant.
INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS = env.int("INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS", default=7)
# Checks by the checker script in donors' forms, per publishable key, origin and client address.
APPROVAL_CODES_CHECKER_RATE = env.str("APPROVAL_CODES_CHECKER_RATE", default="30/minute")
# How long verify may serve a key's or code's state from Redis when a write-through after a
# change failed (seconds, at most 30; docs/api.md).
APPROVAL_CODES_API_CACHE_SECONDS = env.int("APPROVAL_CODES_API_CACHE_SECONDS", default=30)
