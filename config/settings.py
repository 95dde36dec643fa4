"""Skolhubb settings: one module, configured from the environment.

With no environment variables at all it runs the embedded default: SQLite under var/,
Celery tasks run eagerly, e-mail to the console and to files under var/mail, media on
the local disk. Services are switched on by DATABASE_URL, REDIS_URL, the S3 variables
and EMAIL_HOST. SKOLHUBB_ENV=production turns on the production safety settings and
requires SECRET_KEY and ALLOWED_HOSTS.
"""

import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SKOLHUBB_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SKOLHUBB_ENV = env_str("SKOLHUBB_ENV", "development")
if SKOLHUBB_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("SKOLHUBB_ENV must be 'development' or 'production'")
PRODUCTION = SKOLHUBB_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required in production")
    # Embedded default: generated once and kept under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.admin_site.SkolhubbAdminConfig",  # django.contrib.admin with labelled autocomplete results
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "axes",
    "accounts",
    "roster",
    "hub",
    "notifications",
    "schedules",
    "school",
    "absence",
    "portfolio",
    "messaging",
    "bookings",
    "afterschool",
    "preschool",
    "assessments",
    "demo",
]

MIDDLEWARE = [
    # Load-balancer probes (/health/, /health/ready/), answered before the host check.
    "config.health.HealthCheckMiddleware",
    # The request's cache writes in one round trip when it ends.
    "config.middleware.CacheWritesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoIndexMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user's row read from the cache with the page's keys (accounts/backends.py).
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.navigation.ViewerMiddleware",
    # Last, so that it sees the lockout flag set by the authentication backend.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The site's date and time style in every template (roster/templatetags/swedish_dates.py);
            # {% url %} remembered per process (config/remembered_tags.py).
            "builtins": ["roster.templatetags.swedish_dates", "config.remembered_tags"],
            # The page frame rendered once per kind of page (config/frame.py).
            "libraries": {"skolhubb_frame": "config.frame"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.skolhubb",
                "config.navigation.navigation",
            ],
        },
    },
    {
        # The Hub's box templates (APP/jinja2/APP/boxes/*.jinja): see config/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "config.jinja.environment"},
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
# On PostgreSQL the platform's statements (config/statements.py) are prepared on each
# connection; turn off behind a pooler that cannot keep prepared statements (PgBouncer in
# transaction mode before 1.21, or without max_prepared_statements).
SKOLHUBB_PREPARED_STATEMENTS = env_bool("SKOLHUBB_PREPARED_STATEMENTS", default=True)
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
    # Django's psycopg 3 connection pool; with a pool, connections are not kept per
    # request (CONN_MAX_AGE must stay 0).
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("DATABASE_POOL", default=True):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
        }
    # A read replica (config/replica.py): safe web requests read from it, with
    # read-your-writes after a POST; everything else uses the primary.
    DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = database_from_url(DATABASE_REPLICA_URL)
        if "pool" in DATABASES["default"]["OPTIONS"]:
            DATABASES["replica"]["OPTIONS"]["pool"] = dict(DATABASES["default"]["OPTIONS"]["pool"])
        # Tests run against one database: the replica alias mirrors it.
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "skolhubb.sqlite3",
            # A file, not memory, so that a real Celery worker can see the test data.
            "TEST": {"NAME": str(VAR_DIR / "test-skolhubb.sqlite3")},
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, Celery ----------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that misses instead of failing while Redis is down
            # (config/cache.py); short timeouts so a dead Redis costs little per request.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "skolhubb"),
            "OPTIONS": {
                "socket_connect_timeout": env_int("REDIS_CONNECT_TIMEOUT_MS", 500) / 1000,
                "socket_timeout": env_int("REDIS_TIMEOUT_MS", 1000) / 1000,
            },
        }
    }
    # The database is the truth for sessions, the cache only saves the read: a Redis outage
    # logs nobody out and password login keeps working.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Django's default of 300 entries is a few Hubs (each stores about 35): room for the demo
    # municipality's boxes filled before the morning (hub.tasks), a few megabytes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "skolhubb")
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every app declares its own beat entries (`PERIODIC_TASKS` in APP/tasks.py, found by
# config.celery); an entry here adds to them or overrides one of the same name.
CELERY_BEAT_SCHEDULE: dict = {}

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "hub:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Skolhubb: "
ACCOUNT_PREVENT_ENUMERATION = True
# django-axes does the lockout after failed logins; allauth keeps its other rate limits.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
SKOLHUBB_ACTIVATION_TIMEOUT = env_int("SKOLHUBB_ACTIVATION_DAYS", 7) * 24 * 60 * 60
# Lifetime of the link that confirms a new login e-mail address.
SKOLHUBB_EMAIL_CHANGE_TIMEOUT = env_int("SKOLHUBB_EMAIL_CHANGE_HOURS", 24) * 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock out a username from one IP after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "accounts.adapter.axes_username"
AXES_RESET_ON_SUCCESS = True
# Behind a load balancer: the number of trusted reverse proxies in front of the web processes.
# allauth's rate limits and axes' lockout both key on the client address that
# config.clientip.client_ip() reads from X-Forwarded-For with this count (README: "Running
# behind a load balancer"). AXES_PROXY_COUNT is the older name, still read.
SKOLHUBB_PROXY_COUNT = env_int("SKOLHUBB_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))
if SKOLHUBB_PROXY_COUNT < 0:
    raise ImproperlyConfigured("SKOLHUBB_PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "config.clientip.axes_client_ip"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FIRST_DAY_OF_WEEK = 1

# --- Static files and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Without collectstatic (development, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Media are never served from a public URL: no route serves MEDIA_URL; files go out only
# through permission-checked views (hub.views.news_attachment) or short-lived signed S3 URLs.
MEDIA_URL = "/_media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
SKOLHUBB_ATTACHMENT_MAX_BYTES = env_int("SKOLHUBB_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
# Everything in one request (several files and the form): refused while streaming above this.
SKOLHUBB_UPLOAD_MAX_REQUEST_BYTES = env_int("SKOLHUBB_UPLOAD_MAX_REQUEST_MB", 30) * 1024 * 1024

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
USE_S3 = bool(AWS_STORAGE_BUCKET_NAME)
if USE_S3:
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME")
    AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY")
    # Private bucket: every URL handed out is signed and expires quickly.
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 60)
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"

STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {
        # Django's and WhiteNoise's storages, each static URL remembered per process.
        "BACKEND": "config.static_storage.RememberingManifestStorage"
        if PRODUCTION
        else "config.static_storage.RememberingStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Skolhubb <noreply@skolhubb.example.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_file_path = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
# Django 6.1 mailers. SMTP when EMAIL_HOST is set; otherwise the console plus one file per
# message under EMAIL_FILE_PATH (the embedded default, and what the Celery worker test reads).
if env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "config.mail.ConsoleAndFileBackend",
            "OPTIONS": {"file_path": str(_email_file_path)},
        }
    }

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_img_src = [CSP.SELF, "data:"]
if USE_S3:
    # Signed media URLs point at the object store.
    _img_src.append(env_str("AWS_S3_CUSTOM_DOMAIN") or AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": _img_src,
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ADMIN_URL = env_str("ADMIN_URL", "forvaltning/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/"):
    raise ImproperlyConfigured("ADMIN_URL must look like 'path/' (no leading slash, one trailing slash)")

# --- Skolhubb -------------------------------------------------------------------------
SKOLHUBB_MUNICIPALITY = env_str("SKOLHUBB_MUNICIPALITY", "Demo kommun")
SKOLHUBB_SCHEDULE_LOCK_DAYS = env_int("SKOLHUBB_SCHEDULE_LOCK_DAYS", 7)
# Absence: pupils above this share of absence are highlighted for the mentor; the mentor
# may decide leave up to this many school days (longer leave goes to the principal).
SKOLHUBB_ABSENCE_THRESHOLD_PERCENT = env_int("SKOLHUBB_ABSENCE_THRESHOLD_PERCENT", 10)
SKOLHUBB_LEAVE_MENTOR_MAX_DAYS = env_int("SKOLHUBB_LEAVE_MENTOR_MAX_DAYS", 2)
# Limits a school expects: an absence report covers at most this many school/care days, a
# leave application at most this many school days (about a term).
SKOLHUBB_ABSENCE_REPORT_MAX_DAYS = env_int("SKOLHUBB_ABSENCE_REPORT_MAX_DAYS", 30)
SKOLHUBB_LEAVE_MAX_DAYS = env_int("SKOLHUBB_LEAVE_MAX_DAYS", 90)
SKOLHUBB_SITE_URL = env_str("SKOLHUBB_SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
# Part of every Hub cache key (cached box HTML holds static URLs): set it per deploy, e.g. the
# git commit. deploy/ sets it; an unchanged value only means the epoch bump after migrate matters.
SKOLHUBB_RELEASE = env_str("SKOLHUBB_RELEASE", "")
# Behind nginx: private media are sent by nginx from this `internal` location after the view's
# permission check (X-Accel-Redirect), e.g. "/_protected_media/". Empty: the view streams them.
SKOLHUBB_X_ACCEL_PREFIX = env_str("SKOLHUBB_X_ACCEL_PREFIX", "")
# In tests: a test that needs PostgreSQL, Redis or Chromium fails instead of skipping.
SKOLHUBB_REQUIRE_SERVICES = env_bool("SKOLHUBB_REQUIRE_SERVICES", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Web push (notifications): VAPID keys (base64url, as printed by `vapid --gen` / py-vapid).
# Without them push is off and the settings page does not offer it.
WEBPUSH_VAPID_PUBLIC_KEY = env_str("WEBPUSH_VAPID_PUBLIC_KEY", "") or ""
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY", "") or ""
WEBPUSH_VAPID_SUBJECT = env_str("WEBPUSH_VAPID_SUBJECT", "mailto:skolhubb@example.se")
# --- e-ID (OpenID Connect) --------------------------------------------------------------
# The municipality's e-ID broker (BankID/Freja through Idura/Criipto, Svensk e-identitet,
# Freja OIDC). With no issuer, and never in production, the site runs its own development
# provider under /dev-eid/ ("Välj testperson") and logs in against it over real HTTP.
SKOLHUBB_OIDC_ISSUER = (env_str("SKOLHUBB_OIDC_ISSUER", "") or "").rstrip("/")
SKOLHUBB_OIDC_CLIENT_ID = env_str("SKOLHUBB_OIDC_CLIENT_ID", "") or ""
SKOLHUBB_OIDC_CLIENT_SECRET = env_str("SKOLHUBB_OIDC_CLIENT_SECRET", "") or ""
SKOLHUBB_OIDC_SCOPE = env_str("SKOLHUBB_OIDC_SCOPE", "openid profile https://id.oidc.se/scope/naturalPersonNumber")
SKOLHUBB_OIDC_PERSONNUMMER_CLAIM = env_str(
    "SKOLHUBB_OIDC_PERSONNUMMER_CLAIM", "https://id.oidc.se/claim/personalIdentityNumber"
)
SKOLHUBB_OIDC_LOA_HIGH = env_str("SKOLHUBB_OIDC_LOA_HIGH", "http://id.elegnamnden.se/loa/1.0/loa3")
SKOLHUBB_OIDC_TIMEOUT = env_int("SKOLHUBB_OIDC_TIMEOUT", 10)
# High assurance lapses back to low after this many idle minutes.
SKOLHUBB_EID_IDLE_MINUTES = env_int("SKOLHUBB_EID_IDLE_MINUTES", 15)
if SKOLHUBB_OIDC_ISSUER and not (SKOLHUBB_OIDC_CLIENT_ID and SKOLHUBB_OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured("SKOLHUBB_OIDC_ISSUER needs SKOLHUBB_OIDC_CLIENT_ID and SKOLHUBB_OIDC_CLIENT_SECRET")
# The development provider: only without a real issuer and never in production.
SKOLHUBB_DEV_EID = not SKOLHUBB_OIDC_ISSUER and not PRODUCTION
SKOLHUBB_DEV_EID_ISSUER = SKOLHUBB_SITE_URL.rstrip("/") + "/dev-eid"
INSTALLED_APPS += ["ninja", "api"]  # ninja: serves its Swagger UI from static files (no CDN)
SKOLHUBB_API_RATE_LIMIT = env_str("SKOLHUBB_API_RATE_LIMIT", "120/m")
SKOLHUBB_PAIRING_MINUTES = 10
MIDDLEWARE += ["accounts.middleware.AssuranceIdleMiddleware"]
SKOLHUBB_API_PAIRING_RATE_LIMIT = env_str("SKOLHUBB_API_PAIRING_RATE_LIMIT", "10/m")
if SKOLHUBB_OIDC_ISSUER:
    # Logout is a form post answered by a redirect to the broker's end-session endpoint
    # (RP-initiated logout); browsers apply form-action to that redirect.
    from urllib.parse import urlsplit as _urlsplit

    _issuer = _urlsplit(SKOLHUBB_OIDC_ISSUER)
    SECURE_CSP["form-action"] = [*SECURE_CSP["form-action"], f"{_issuer.scheme}://{_issuer.netloc}"]

# A demo that works on any day: the whole process believes it is this date (DEBUG only).
SKOLHUBB_DEMO_TODAY = env_str("SKOLHUBB_DEMO_TODAY", "")
if SKOLHUBB_DEMO_TODAY:
    from config.demo_clock import demo_today_start

    demo_today_start(SKOLHUBB_DEMO_TODAY, debug=DEBUG)

# --- Read replica (config/replica.py) ---------------------------------------------------
SKOLHUBB_READ_REPLICA = "replica" in DATABASES
SKOLHUBB_REPLICA_PIN_SECONDS = env_int("SKOLHUBB_REPLICA_PIN_SECONDS", 10)
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"), "config.replica.ReadYourWritesMiddleware"
)
