"""Settings for Bakhmach Business Hub: one module, driven by environment variables.

With no environment at all the app runs for local development on SQLite, a local-memory
cache and a filesystem Celery broker, so `make run` needs no services. Production sets
DATABASE_URL, REDIS_URL, CELERY_BROKER_URL and a real SECRET_KEY (see .env.example).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from psycopg_pool import ConnectionPool

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state of the embedded defaults (SQLite file, filesystem broker, media).
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# Fernet keys for secrets stored at rest (two-factor seeds, GitHub tokens), newest first;
# derived from SECRET_KEY when unset. Generate one with `Fernet.generate_key()` (cryptography).
ENCRYPTION_KEYS = env.list("ENCRYPTION_KEYS", default=[])
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# What emails, the two-factor app and page titles call the site (allauth's "site name").
SITE_NAME = env.str("SITE_NAME", default="Bakhmach Business Hub")

INSTALLED_APPS = [
    "django.contrib.admin",
    # allauth before django.contrib.auth: an app listed earlier wins on a string both translate,
    # and the sign-in pages are allauth's ("Email" is "Електронна пошта" there, "Email" in auth).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here: the CSP allows no CDN
    "django_filters",
    "django_htmx",
    "accounts",
    "plans",
    "goals",
    "tasks",
    "analytics",
    "reports",
    "integrations",
    "integrations.github",
    "integrations.calendar",
    "integrations.slack",
    "search",
    "imports",
    "pwa",
    "bakhmach",  # the project's own commands (seed_demo), above every app
]

MIDDLEWARE = [
    "lib.middleware.RequestLogMiddleware",
    "lib.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the user and their settings read from the cache.
    "accounts.middleware.SessionUserMiddleware",
    "lib.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth.usersessions.middleware.UserSessionsMiddleware, throttled (see below).
    "accounts.middleware.UserSessionActivityMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "integrations.calendar.middleware.DeviceDeletionsMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "lib.middleware.CacheRequiredMiddleware",
    # Last: its process_view runs after the CSRF check (pwa.middleware).
    "pwa.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "bakhmach.urls"
WSGI_APPLICATION = "bakhmach.wsgi.application"
ASGI_APPLICATION = "bakhmach.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.timezone",
            ],
            # `|day_month` and `|short_day` (lib/templatetags/dates.py) in every template.
            "builtins": ["lib.templatetags.dates"],
            # `{% cachedfragment %}`: page parts cached under the user's version token.
            "libraries": {"fragments": "lib.templatetags.fragments"},
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's psycopg 3 pool; persistent connections are not allowed alongside it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
        # A connection PostgreSQL closed while it sat in the pool (a restart, a failover, an
        # idle timeout, pg_terminate_backend) is found dead before it is handed out, not by a
        # query that then fails: one round trip per checkout.
        "check": ConnectionPool.check_connection,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a family at once, plus its worker: write-ahead logging lets
    # readers go on during a write, a write waits up to 20 s for another instead of failing
    # ("database is locked"), and transactions take the write lock when they begin, so two of
    # them that read and then write cannot deadlock on upgrading their locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# A read replica of the primary (PostgreSQL streaming replication): requests read there until
# they write (lib.db_router); the worker and commands use the primary only.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "TEST": {"MIRROR": "default"},  # in the test suite the replica is the test database
    }
    DATABASE_ROUTERS = ["lib.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lib.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="bakhmach"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A Redis outage degrades instead of failing every request: reads miss (the
                # figures are computed from the database), writes are dropped, rate limits fail
                # open; each ignored error is logged. Short timeouts keep requests moving.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions are written to the database and cached in Redis: they survive its outage.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # What cannot degrade: two-factor codes, whose reuse only the cache remembers (503 then).
    CACHE_REQUIRED_ROUTES: set[str] = {"mfa_authenticate", "mfa_reauthenticate", "api-login-mfa"}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    CACHE_REQUIRED_ROUTES = set()  # an in-process cache is always there

# --- Celery -----------------------------------------------------------------------------
# The embedded default is kombu's filesystem transport: a real worker, no broker server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("redis://"):
    # kombu's Redis transport with a fix for Redis dropping while a job runs (lib.broker).
    CELERY_BROKER_TRANSPORT = "lib.broker:Transport"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_folders = {
        option: VAR_DIR / "broker" / name
        for option, name in [
            ("data_folder_in", "queue"),
            ("data_folder_out", "queue"),
            ("processed_folder", "processed"),
            ("control_folder", "control"),
        ]
    }
    for _folder in _broker_folders.values():
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **{option: str(folder) for option, folder in _broker_folders.items()},
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "accounts-flush-expired-tokens": {
        "task": "accounts.tasks.flush_expired_tokens",
        "schedule": timedelta(days=1),
    },
    # Task reminders whose moment has come; each is claimed in the database, so it goes out once.
    "tasks-send-due-reminders": {
        "task": "tasks.tasks.send_due_reminders",
        "schedule": timedelta(minutes=1),
    },
    # Deletes report files and jobs older than REPORTS_KEEP_DAYS.
    "reports-clean-up": {
        "task": "reports.tasks.clean_up_reports",
        "schedule": timedelta(hours=1),
    },
    # Syncs every connected GitHub account (cheap when nothing changed: ETags answer 304).
    "github-sync-all": {
        "task": "integrations.github.tasks.sync_all",
        "schedule": timedelta(minutes=env.int("GITHUB_SYNC_MINUTES", default=30)),
    },
    "github-forget-deliveries": {
        "task": "integrations.github.tasks.forget_old_deliveries",
        "schedule": timedelta(days=1),
    },
    # Idempotency keys past IDEMPOTENCY_KEY_TTL (pwa): their answers are no longer replayed.
    "pwa-forget-expired-keys": {
        "task": "pwa.tasks.forget_expired_keys",
        "schedule": timedelta(hours=1),
    },
    # Retries (or fails) jobs whose worker was killed or whose message was lost.
    "reports-recover-expired": {
        "task": "reports.tasks.recover_expired_jobs",
        "schedule": timedelta(minutes=1),
    },
}
# Slack: each user's daily plan and weekly review fall due at a minute of their own zone.
CELERY_BEAT_SCHEDULE["slack-schedule-deliveries"] = {
    "task": "integrations.slack.tasks.schedule_deliveries",
    "schedule": timedelta(minutes=1),
}
REPORTS_KEEP_DAYS = env.int("REPORTS_KEEP_DAYS", default=7)
# Job leases: a started job is its worker's for the time limit and a margin; a queued one waits
# REPORT_QUEUE_LEASE_SECONDS for a worker before its message is sent again.
REPORT_JOB_LEASE_SECONDS = env.int("REPORT_JOB_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
REPORT_QUEUE_LEASE_SECONDS = env.int("REPORT_QUEUE_LEASE_SECONDS", default=900)
REPORT_JOB_MAX_ATTEMPTS = env.int("REPORT_JOB_MAX_ATTEMPTS", default=3)
# Quotas of new jobs per user, the same on the pages and the API.
REPORT_MAX_PENDING_PER_USER = env.int("REPORT_MAX_PENDING_PER_USER", default=3)
REPORT_JOBS_PER_HOUR = env.int("REPORT_JOBS_PER_HOUR", default=30)
# Worker processes are replaced after so many jobs, or once they grew past this many KiB
# (a big PDF leaves WeasyPrint's memory behind): memory stays bounded.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)

# --- Auth -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "landing"

ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Sign-up answers alike for a taken address (accounts.forms.SignupForm): every sign-up
# confirms by email, and the link signs the new account in.
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# How many reverse proxies of ours stand in front of the app (each appends to X-Forwarded-For).
# 0 (the default) ignores the header, which any client can forge to dodge per-address limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # The per-key part also bounds two-factor codes; for passwords it gives way at the
    # owner's known addresses (accounts.adapters), like the shared LoginFailureThrottle.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = True
# GitHub sign-in exists (button, /api/auth/github) only when GITHUB_CLIENT_ID is set.
# GITHUB_URL / GITHUB_API_URL name a GitHub Enterprise host (in tests, the fake GitHub);
# accounts.github.provider reads them per request (allauth's own adapter fixes them at import).
GITHUB_CLIENT_ID = env.str("GITHUB_CLIENT_ID", default="")
GITHUB_URL = env.str("GITHUB_URL", default="") or "https://github.com"
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        "provider_class": "accounts.github.provider.GitHubProvider",
        "SCOPE": ["read:user", "user:email"],
        "APPS": [
            {"client_id": GITHUB_CLIENT_ID, "secret": env.str("GITHUB_CLIENT_SECRET", default="")}
        ]
        if GITHUB_CLIENT_ID
        else [],
        "GITHUB_URL": GITHUB_URL,
        "GITHUB_API_URL": env.str("GITHUB_API_URL", default=""),
    }
}
# The GitHub integration (integrations.github): a second OAuth authorization, apart from
# sign-in, for reading issues and pull requests. Its OAuth app defaults to the sign-in one;
# its callback is /integrations/github/callback. Webhook deliveries are checked against
# GITHUB_WEBHOOK_SECRET (an organisation or repository webhook) or the user's own secret.
GITHUB_INTEGRATION_CLIENT_ID = env.str("GITHUB_INTEGRATION_CLIENT_ID", default=GITHUB_CLIENT_ID)
GITHUB_INTEGRATION_CLIENT_SECRET = env.str(
    "GITHUB_INTEGRATION_CLIENT_SECRET", default=env.str("GITHUB_CLIENT_SECRET", default="")
)
GITHUB_INTEGRATION_SCOPES = env.list("GITHUB_INTEGRATION_SCOPES", default=["repo", "read:user"])
GITHUB_WEBHOOK_SECRET = env.str("GITHUB_WEBHOOK_SECRET", default="")
# The longest a sync waits in place for GitHub's rate limit; a longer wait reschedules it.
GITHUB_MAX_WAIT_SECONDS = env.int("GITHUB_MAX_WAIT_SECONDS", default=60)
# Slack (integrations.slack): the app's credentials from its "Basic Information" page. SLACK_URL
# and SLACK_API_URL name Slack's hosts (in tests, the fake Slack).
SLACK_CLIENT_ID = env.str("SLACK_CLIENT_ID", default="")
SLACK_CLIENT_SECRET = env.str("SLACK_CLIENT_SECRET", default="")
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
SLACK_URL = env.str("SLACK_URL", default="") or "https://slack.com"
SLACK_API_URL = env.str("SLACK_API_URL", default="") or f"{SLACK_URL}/api"
# Where Slack's response_urls point; the app posts replies to no other host.
SLACK_HOOKS_URL = env.str("SLACK_HOOKS_URL", default="") or "https://hooks.slack.com"
# Web Push (pwa): a VAPID key pair from `manage.py generate_vapid_keys`; VAPID_SUBJECT is the
# contact the push services may write to (mailto: or https:). Without the private key the
# reminders use the other channels only.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default="mailto:admin@localhost")
WEBPUSH_ENABLED = env.bool("WEBPUSH_ENABLED", default=bool(VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY))
# How long the first answer to an Idempotency-Key is kept for its replays (pwa.middleware).
IDEMPOTENCY_KEY_TTL = env.int("IDEMPOTENCY_KEY_TTL", default=60 * 60 * 24 * 7)
MFA_ADAPTER = "accounts.adapters.MFAAdapter"  # encrypts two-factor secrets at rest
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Records every signed-in session, however it began (allauth's own login records only its own
# flows; the admin's login would escape "log out everywhere" and password changes). Its
# address, browser and "last seen" are written when they change, and otherwise at most once
# every USERSESSIONS_ACTIVITY_INTERVAL seconds (accounts.middleware), not on every page view.
USERSESSIONS_TRACK_ACTIVITY = True
USERSESSIONS_ACTIVITY_INTERVAL = env.int("USERSESSIONS_ACTIVITY_INTERVAL", default=5 * 60)

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "lib.api.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "lib.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "lib.api.SearchFilter",
        "lib.api.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every endpoint: per address when anonymous, per user when signed in, and per user for a
    # view's `throttle_scope`. The auth endpoints replace them with their own (accounts.api).
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.throttles.AnonRateThrottle",
        "accounts.throttles.UserRateThrottle",
        "accounts.throttles.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_THROTTLE_RATE", default="120/min"),
        "user": env.str("API_USER_THROTTLE_RATE", default="1200/min"),
        # Requests that start a report or export job (each may cost a worker seconds).
        "reports": env.str("REPORT_THROTTLE_RATE", default="30/h"),
        "auth": env.str("AUTH_THROTTLE_RATE", default="10/min"),
        # Requests that start a GitHub sync job.
        "integrations_sync": env.str("INTEGRATION_SYNC_THROTTLE_RATE", default="60/h"),
        # Failed API logins per account (email), from any address.
        "login_failures": env.str("LOGIN_FAILURE_THROTTLE_RATE", default="10/h"),
    },
    # Non-field errors under `detail`, as the contract has them; the exception handler makes
    # them one string.
    "NON_FIELD_ERRORS_KEY": "detail",
    "EXCEPTION_HANDLER": "lib.api.exception_handler",
    # Client addresses for throttling: X-Forwarded-For only as far as our own proxies vouch.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    # Tokens carry a hash of the password: a password change invalidates access tokens at once.
    "CHECK_REVOKE_TOKEN": True,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bakhmach Business Hub API",
    "DESCRIPTION": "Personal Development Plans, goals, tasks, analytics and reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lib.api.contract_paths",
        "lib.api.throttled_answers",
        "lib.api.error_answers",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models name their choices `Status`; distinct names keep the schema warning-free.
    "ENUM_NAME_OVERRIDES": {
        "GoalStatusEnum": "goals.models.Status",
        "JobStatusEnum": "reports.models.Status",
    },
}

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
    # Signed download URLs use SigV4 (AWS no longer accepts SigV2 in most regions).
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
    # Report files: the private bucket's "reports/" prefix, reached only by signed URLs.
    REPORTS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "reports"},
    }
else:
    DEFAULT_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
    # Report files: a folder outside MEDIA_ROOT, which is served publicly; only the
    # owner-checked download view reads it (reports.downloads).
    REPORTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("REPORTS_ROOT", default=str(VAR_DIR / "reports"))},
    }
STORAGES = {
    "default": {"BACKEND": DEFAULT_STORAGE_BACKEND},
    "reports": REPORTS_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form and JSON bodies (files excluded): over it, 413 (lib.errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
# Any request body, files included, refused before it is read (lib.middleware): over it, 413.
MAX_REQUEST_BODY_SIZE = env.int("MAX_REQUEST_BODY_SIZE", default=10 * 1024 * 1024)
# --- Size limits (lib.limits) -------------------------------------------------------------
# Long texts (descriptions, notes, reviews) in characters; JSON fields (a plan's or a goal's
# `data`) in bytes of compact JSON; objects one user may hold. Over them: a 400 on the API, a
# form error on the pages. Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE / MAX_REQUEST_BODY_SIZE
# are a 413 before they are read.
MAX_TEXT_LENGTH = env.int("MAX_TEXT_LENGTH", default=20_000)
MAX_JSON_BYTES = env.int("MAX_JSON_BYTES", default=64 * 1024)
MAX_PLANS_PER_USER = env.int("MAX_PLANS_PER_USER", default=200)
MAX_GOALS_PER_USER = env.int("MAX_GOALS_PER_USER", default=2_000)
MAX_TASKS_PER_USER = env.int("MAX_TASKS_PER_USER", default=50_000)
MAX_LABELS_PER_USER = env.int("MAX_LABELS_PER_USER", default=500)
# Profile pictures (accounts.avatars): the file's bytes (the upload's body is refused unread
# when its Content-Length is over this plus room for the form around it), and its width and
# height in pixels, checked from the header before any pixel is decoded.
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
AVATAR_MAX_SIDE = env.int("AVATAR_MAX_SIDE", default=4096)

# --- Email ------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "file_path": _email.get("EMAIL_FILE_PATH"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {key: value for key, value in _email_options.items() if value},
    }
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Bakhmach Business Hub <noreply@localhost>"
)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("uk", "Українська")]
# The project catalog (templates/, lib/, bakhmach/); each app has its own <app>/locale/.
# `make messages` extracts them all, and every make target compiles them (.mo are not committed).
# allauth's strings in the app's sentence case ("Sign in", not "Sign In"), above allauth's own
# catalogs; edited by hand (`make messages` leaves that directory alone).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "bakhmach" / "allauth_wording" / "locale"]
# One named format per context, app-wide: bakhmach/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["bakhmach.formats"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ---------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF, GITHUB_URL],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Logging ----------------------------------------------------------------------------
# JSON lines (lib.jsonlog), each with the id of the request it belongs to; LOG_FORMAT=plain
# for a person reading a terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "lib.jsonlog.JSONFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per request comes from lib.middleware; Django's own would repeat 4xx/5xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Operations -------------------------------------------------------------------------
# Who may read /metrics (addresses or networks); others get a 404.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# Errors of the web and worker processes go to Sentry when set, without personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from lib.sentry import init as init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
