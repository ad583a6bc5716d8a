"""Settings for every environment. Production differs only by environment variables (README)."""

from pathlib import Path

from .env import (
    ConfigError,
    database_from_env,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_from_env,
)

HUB_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = HUB_DIR.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY is not set. With DEBUG off the Hub refuses to start without a secret key: "
            "set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Development only (DEBUG on): a fixed key so that sessions survive restarts of `make run`.
    SECRET_KEY = "dev-only-key-not-for-production-5b1f0e2c7d9a4c8e8f6a3b2d1c0e9f8a"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",  # must come before django.contrib.staticfiles (daphne.E001)
    "hub",
    "hub.discussion.apps.DiscussionConfig",  # label discussion: rooms, messages, the discussion socket
    "hub.privacy.apps.PrivacyConfig",  # label privacy: the registry of personal data, export and erasure
    "hub.twofactor.apps.TwoFactorConfig",  # label twofactor: two-step sign-in and sign-in throttling
    "hub.audit.apps.AuditConfig",  # label audit: who did what to whose data (every app writes to it)
    "hub.joining.apps.JoiningConfig",  # label joining: invitations (one by one or from a staff-list CSV)
    "hub.outbox.apps.OutboxConfig",  # label outbox: every email, sent by the task worker (below)
    "hub.jobs.apps.JobsConfig",  # label jobs: imports and large exports run by the task worker, with progress
    "hub.membership.apps.MembershipConfig",  # label membership: left / moved / deactivated, role changes audited
    "hub.schedule.apps.ScheduleConfig",  # label scheduled: reminders and purges on the task queue, each run recorded
    "courses",
    "sessions.apps.SessionsConfig",  # label training_sessions: `sessions` is django.contrib.sessions
    "roundtable",
    "coordinators",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "schedule",
    "filer",
    "easy_thumbnails",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",  # security headers (see "Security headers" at the end)
    "axes",  # sign-in throttling (see "Security headers" at the end)
    "django_otp",  # two-step sign-in (see "Two-step sign-in" at the end)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Single sign-on (hub/joining/sso.py): only allauth's third-party sign-in; the Hub's own sign-in page,
    # password reset and invitations stay as they are (SOCIALACCOUNT_ONLY at the end).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hub.security.SecurityHeadersMiddleware",  # CSP + Permissions-Policy (end of file)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hub.membership.middleware.ChangesByRequestMiddleware",  # who made a role or district change (audit)
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (two-step sign-in)
    "hub.twofactor.middleware.TwoStepMiddleware",  # unverified staff go to the two-step page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # allauth's sign-in state (single sign-on)
    "axes.middleware.AxesMiddleware",  # last: turns a sign-in lockout into the friendly page
]

ROOT_URLCONF = "hub.urls"
ASGI_APPLICATION = "hub.asgi.application"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_env("DATABASE_URL", BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_from_env("REDIS_URL")
if REDIS_URL:
    # The pub/sub layer costs about a third less server CPU per delivery and had the lower p99 in
    # bench/bench_chat.py. socket_timeout: redis-py 8 reads with a 5 s timeout while channels-redis
    # waits 5 s for messages, which closed idle sockets (django/channels_redis#422).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": env_str("CHANNEL_LAYER_BACKEND", "channels_redis.pubsub.RedisPubSubChannelLayer"),
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                       # Two Hubs sharing one Redis (CI's two passes) keep their groups apart by prefix.
                       "prefix": env_str("CHANNEL_LAYER_PREFIX", "asgi")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hub",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Language and time: the program is in Connecticut; families read English or Spanish.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"  # the program's zone (hub.program.PROGRAM_TZ); django-scheduler expands in it
# The course whose current certificate clears a visitor to be given families (hub.program).
CERTIFICATION_COURSE_CODE = "LEAP-101"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# daphne serves static files itself when this is on (make run, browser tests); production collects
# them and lets the proxy serve them (README, production profile).
SERVE_STATIC = env_bool("SERVE_STATIC", DEBUG)
# The same for uploads under MEDIA_ROOT (recordings played on the Hub): nginx serves /media/ in production.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    # Stored names come from one rule (hub.uploads.safe_name); django-filer's public store is this too.
    "default": {"BACKEND": "hub.storage.SafeNameStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Security: secure by default whenever DEBUG is off; each can be turned off by environment (for
# example the browser tests, which talk plain HTTP to 127.0.0.1).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Database sessions with the signed-in account beside them (hub.UserSession): "Sign out everywhere".
SESSION_ENGINE = "hub.session_store"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Home Visit Hub <hub@localhost>")
# The worker waits this long for the relay before counting a try as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# --- The task queue (django-tasks with django-tasks-db; README "Work outside the request") ---
# The queue is a table of the Hub's own database (SQLite on `make run`, PostgreSQL with DATABASE_URL),
# worked by `manage.py db_worker` (`make run` starts one; deploy/systemd/hub-worker@.service). Wagtail's
# own tasks (search index, reference index) go through it too. TASK_BACKEND exists for the unit tests'
# immediate backend; production never sets it.
TASKS = {"default": {"BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The outbox (hub.outbox): tries per message before "failed", and the backoff between tries
# (30 s, 1 min, 2 min... at most OUTBOX_RETRY_MAX_SECONDS).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
# A send task still "running" this long after it started lost its worker (killed, or its machine):
# `manage.py outbox_recover` (every five minutes) queues it again, or fails its messages after
# hub.outbox.services.TASK_MAX_RUNS runs.
OUTBOX_TASK_STRANDED_SECONDS = env_int("OUTBOX_TASK_STRANDED_SECONDS", 600)
# Days a sent or skipped message, and a finished task's record, are kept (failed messages stay until sent
# again or their person is erased): `manage.py outbox_prune`, daily. Runs of scheduled jobs likewise
# (each job's latest always stays): `manage.py runs_prune`.
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 90)
SCHEDULE_RUNS_KEEP_DAYS = env_int("SCHEDULE_RUNS_KEEP_DAYS", 90)
# Jobs (hub.jobs): imports and large exports run by the worker. Their results (row errors, the file)
# are kept JOB_RESULT_DAYS for the person who asked; a running job with no progress for
# JOB_STALE_SECONDS lost its worker and is resumed (at most JOB_MAX_ATTEMPTS runs); an export of at
# most JOB_EXPORT_DIRECT_ROWS rows is still downloaded at once, in the request.
JOB_RESULT_DAYS = env_int("JOB_RESULT_DAYS", 7)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 60)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
JOB_EXPORT_DIRECT_ROWS = env_int("JOB_EXPORT_DIRECT_ROWS", 2000)
JOB_ERRORS_KEPT = 1000

# Open Badges 3.0 (courses.badge_services): the secret the Hub's badge signing keys are sealed with in the
# database. Set it in production, apart from SECRET_KEY (so that rotating SECRET_KEY does not lose the keys,
# and a database copy without the environment cannot sign); unset, it is derived from SECRET_KEY.
BADGE_KEY_SECRET = env_str("BADGE_KEY_SECRET")

# Wagtail
WAGTAIL_SITE_NAME = "Home Visit Hub"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail images and documents: see "Uploads allow-list" at the end.

# django-filer (DEPENDENCIES.md §2, §5): permissions on, thumbnails through easy-thumbnails.
FILER_ENABLE_PERMISSIONS = True
THUMBNAIL_HIGH_RESOLUTION = True
THUMBNAIL_PROCESSORS = (
    "easy_thumbnails.processors.colorspace",
    "easy_thumbnails.processors.autocrop",
    "filer.thumbnail_processors.scale_and_crop_with_subject_location",
    "easy_thumbnails.processors.filters",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        # Wagtail logs every page action and background task at INFO; keep the console readable.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
    },
}

# The demo command prints known passwords; it refuses to run with DEBUG off unless told otherwise
# (the browser tests run it against their own throwaway database).
HUB_ALLOW_DEMO_DATA = env_bool("HUB_ALLOW_DEMO_DATA", DEBUG)

# --- Security headers, Content-Security-Policy, sign-in throttling, client address (README "Security") ---
# Strict policy for every page of the Hub itself: nothing inline, nothing from other sites.
# 'self' also allows ws:/wss: to this host in CSP Level 3 browsers (the discussion and case board).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Wagtail 8's page editor and explorer run inline scripts (panel templates inserted by its vendor.js)
# and set inline styles (seen in chromium with the strict policy); the Django admin and django-filer's
# widgets do too. Only these prefixes get this looser policy (hub.security); it still allows nothing
# from other sites and no eval.
HUB_ADMIN_CSP_PREFIXES = ["/admin/", "/django-admin/"]
HUB_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'self'"],  # Wagtail's preview panel frames the page being edited
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call to releases.wagtail.org from editors' browsers
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no editor e-mail hashes sent to gravatar.com

# django-axes: lock a (user name, address) pair after AXES_FAILURE_LIMIT failures and an address after
# AXES_ADDRESS_FAILURE_LIMIT failures across accounts (hub.twofactor.throttle), for AXES_COOLOFF_MINUTES.
from datetime import timedelta  # noqa: E402

# allauth's backend: the one it signs a single sign-on user in with (it has no password to check).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend",
                           "allauth.account.auth_backends.AuthenticationBackend"]
AXES_HANDLER = "hub.twofactor.throttle.HubAxesHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the wait is 15 minutes from the lockout, not longer
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no lasting log of who signed in from where (data minimisation)
AXES_LOCKOUT_CALLABLE = "hub.twofactor.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "hub.net.client_ip"
AXES_USERNAME_CALLABLE = "hub.twofactor.throttle.attempted_username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # no start-up banner on every command; failures are still logged as warnings
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # one line per failure and lockout, not three
# Behind our own proxy: how many proxies append to X-Forwarded-For (hub.net.client_ip). 0 = none.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ConfigError(f"TRUSTED_PROXY_COUNT must be 0 or more (got {TRUSTED_PROXY_COUNT}).")

# --- Two-step sign-in (django-otp; hub/twofactor) -------------------------------------------------
# Who must use it: hub.twofactor.selectors.second_factor_required. Wrong codes lock a device for
# FACTOR * 2**(n-1) seconds after n failures (django-otp's ThrottlingMixin), up to an hour.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Home Visit Hub")
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_TOTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_STATIC_THROTTLE_FACTOR", 1)

# --- Uploads allow-list, django-filer and Wagtail media, private files (README "Production") ---
# Uploads are recognised by their first bytes (hub.uploads); each kind has a size limit. nginx's
# client_max_body_size (deploy/nginx.conf) must let the largest through.
from hub.uploads import known_mime_types as _upload_mime_types  # noqa: E402

UPLOAD_MAX_BYTES_MEDIA = env_int("UPLOAD_MAX_BYTES_MEDIA", 2 * 1024**3)
UPLOAD_MAX_BYTES_DOCUMENT = env_int("UPLOAD_MAX_BYTES_DOCUMENT", 25 * 1024**2)
UPLOAD_MAX_BYTES_IMAGE = env_int("UPLOAD_MAX_BYTES_IMAGE", 10 * 1024**2)
for _name in ("UPLOAD_MAX_BYTES_MEDIA", "UPLOAD_MAX_BYTES_DOCUMENT", "UPLOAD_MAX_BYTES_IMAGE"):
    if globals()[_name] <= 0:
        raise ConfigError(f"{_name} must be a positive number of bytes (got {globals()[_name]}).")
SESSIONS_RECORDING_MAX_BYTES = UPLOAD_MAX_BYTES_MEDIA
# django-filer derives a type from the file name and runs the validators registered for it: ours runs
# for every type a name can be guessed as (and refuses all but the allow-list, with a reason); the
# whitelist makes filer itself refuse any type registered later, which our check would not see.
_FILER_TYPES = _upload_mime_types()
FILER_MIME_TYPE_WHITELIST = _FILER_TYPES
FILER_REMOVE_FILE_VALIDATORS = [
    "text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/xslt+xml",
    "image/svg+xml", "application/octet-stream",
]
FILER_ADD_FILE_VALIDATORS = {mime: ["hub.upload_validation.filer_validator"] for mime in _FILER_TYPES}
FILER_UPLOADER_MAX_FILE_SIZE = UPLOAD_MAX_BYTES_MEDIA  # the folder page's uploader refuses larger at once
FILER_IS_PUBLIC_DEFAULT = env_bool("FILER_IS_PUBLIC_DEFAULT", True)
# Private filer files (is_public off) live outside MEDIA_ROOT, so neither nginx's /media/ nor DEBUG's
# media view can reach them; Django serves them at /smedia/... after filer's permission check.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or MEDIA_ROOT.parent / "smedia")
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ConfigError(
        f"PRIVATE_MEDIA_ROOT ({PRIVATE_MEDIA_ROOT}) must not be inside MEDIA_ROOT ({MEDIA_ROOT}): "
        "files under MEDIA_ROOT are served to anyone."
    )
# ENGINE must be named: without it filer replaces these OPTIONS with its defaults (filer/settings.py,
# update_storage_settings), and the location silently stays MEDIA_ROOT/../smedia.
# UPLOAD_TO: filer's random folders, with the Hub's safe stored name (hub.storage.filer_upload_to).
FILER_STORAGES = {
    "public": {
        "main": {"ENGINE": "hub.storage.SafeNameStorage", "OPTIONS": {},
                 "UPLOAD_TO": "hub.storage.filer_upload_to", "UPLOAD_TO_PREFIX": "filer_public"},
    },
    "private": {
        "main": {"ENGINE": "hub.storage.PrivateSafeNameStorage",
                 "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT / "filer_private"),
                             "base_url": "/smedia/filer_private/"},
                 "UPLOAD_TO": "hub.storage.filer_upload_to"},
        "thumbnails": {"ENGINE": "filer.storage.PrivateFileSystemStorage",
                       "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT / "filer_private_thumbnails"),
                                   "base_url": "/smedia/filer_private_thumbnails/"}},
    },
}
# Wagtail images: PNG, JPEG, GIF or WebP by content (hub.upload_validation), and by Willow against their
# extension in Wagtail's admin; no SVG (it can carry script).
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_MAX_BYTES_IMAGE
# Wagtail documents: PDF only, checked by content (the file field's validator, hub.upload_validation,
# in Wagtail's admin and the Django admin alike), always downloaded (attachment) through Wagtail's view,
# which applies collection privacy; nginx does not serve /media/documents/.
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = UPLOAD_MAX_BYTES_DOCUMENT
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []

# --- Privacy: registry, export/erase commands, retention of closed cases (hub.privacy, README "Privacy") ---
# Days after a case is closed before purge_closed_cases removes what identifies the student and the
# free text (counts stay). One year: the district's own system is the system of record, and a year
# covers a re-referral in the next school year and questions about the closed case.
CASE_RETENTION_DAYS = env_int("CASE_RETENTION_DAYS", 365)
if CASE_RETENTION_DAYS < 0:
    raise ConfigError(f"CASE_RETENTION_DAYS must be 0 or more (got {CASE_RETENTION_DAYS}).")

# --- Load test (bench/locustfile.py, bench/bench_load.py) ---------------------------------------------
# Public roundtable sign-ups allowed per client address per 10 minutes (roundtable/ratelimit.py). Keep
# the default in production; a load test's server raises it, since every simulated family shares 127.0.0.1.
ROUNDTABLE_SIGNUPS_PER_WINDOW = env_int("ROUNDTABLE_SIGNUPS_PER_WINDOW", 5)
if ROUNDTABLE_SIGNUPS_PER_WINDOW < 1:
    raise ConfigError(f"ROUNDTABLE_SIGNUPS_PER_WINDOW must be 1 or more (got {ROUNDTABLE_SIGNUPS_PER_WINDOW}).")

# --- Joining: invitations (hub.joining) ---------------------------------------------------------------
# Days an invitation link stays valid (a resend starts a new period and kills the old link), and the most
# data rows one staff-list CSV may hold (a bigger file is refused whole, with that number, before anything
# is written).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
if INVITATION_VALID_DAYS < 1:
    raise ConfigError(f"INVITATION_VALID_DAYS must be 1 or more (got {INVITATION_VALID_DAYS}).")
# The largest CSV file an import takes (cases, attendance, staff lists, the district data file): larger is
# refused whole with a message saying so (hub.csv_import). Below nginx's 30 MB for ordinary forms.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 25 * 1024**2)
if IMPORT_MAX_BYTES < 1024:
    raise ConfigError(f"IMPORT_MAX_BYTES must be at least 1024 (got {IMPORT_MAX_BYTES}).")
INVITATION_IMPORT_MAX_ROWS = env_int("INVITATION_IMPORT_MAX_ROWS", 5000)
if INVITATION_IMPORT_MAX_ROWS < 1:
    raise ConfigError(f"INVITATION_IMPORT_MAX_ROWS must be 1 or more (got {INVITATION_IMPORT_MAX_ROWS}).")
# Learners from outside the program's districts (/join/leap-101/): "queue" (trainers approve) or "open".
LEARNER_SIGNUP_APPROVAL = env_str("LEARNER_SIGNUP_APPROVAL", "queue")

# --- Single sign-on: OpenID Connect through django-allauth (hub/joining/sso.py, README "Single sign-on") ---
# Each provider is on only when its client id is set; with none set the sign-in page shows no button and
# /accounts/oidc/<provider>/... answers 404. A sign-in is matched to an account or a pending invitation by
# the provider's verified email address only (hub.joining.selectors.sso_match); nobody else gets in.
def _sso_apps() -> list[dict]:
    apps = []
    if env_str("HUB_SSO_GOOGLE_CLIENT_ID"):
        google = {"server_url": "https://accounts.google.com"}
        if env_str("HUB_SSO_GOOGLE_DOMAIN"):  # Google's account chooser shows only this Workspace domain
            google["auth_params"] = {"hd": env_str("HUB_SSO_GOOGLE_DOMAIN")}
        apps.append({"provider_id": "google", "name": "Google Workspace",
                     "client_id": env_str("HUB_SSO_GOOGLE_CLIENT_ID"),
                     "secret": env_str("HUB_SSO_GOOGLE_CLIENT_SECRET"), "settings": google})
    if env_str("HUB_SSO_ENTRA_CLIENT_ID"):
        tenant = env_str("HUB_SSO_ENTRA_TENANT")
        if not tenant or tenant in ("common", "organizations", "consumers"):
            raise ConfigError("HUB_SSO_ENTRA_TENANT must be your Microsoft Entra tenant id (a single tenant: "
                              "'common' or 'organizations' would let any organisation's accounts in).")
        apps.append({"provider_id": "entra", "name": "Microsoft",
                     "client_id": env_str("HUB_SSO_ENTRA_CLIENT_ID"),
                     "secret": env_str("HUB_SSO_ENTRA_CLIENT_SECRET"),
                     "settings": {"server_url": f"https://login.microsoftonline.com/{tenant}/v2.0"}})
    if env_str("HUB_SSO_OIDC_CLIENT_ID"):  # any other OpenID Connect provider (the tests start one)
        if not env_str("HUB_SSO_OIDC_SERVER_URL"):
            raise ConfigError("HUB_SSO_OIDC_SERVER_URL must be set with HUB_SSO_OIDC_CLIENT_ID (the provider's "
                              "address; its /.well-known/openid-configuration is read from there).")
        apps.append({"provider_id": env_str("HUB_SSO_OIDC_ID", "oidc"),
                     "name": env_str("HUB_SSO_OIDC_NAME", "your school account"),
                     "client_id": env_str("HUB_SSO_OIDC_CLIENT_ID"),
                     "secret": env_str("HUB_SSO_OIDC_CLIENT_SECRET"),
                     "settings": {"server_url": env_str("HUB_SSO_OIDC_SERVER_URL")}})
    return apps


SSO_APPS = _sso_apps()
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "SCOPE": ["openid", "email", "profile"],
                                              "APPS": SSO_APPS}}
SOCIALACCOUNT_ADAPTER = "hub.joining.sso.HubSocialAccountAdapter"
SOCIALACCOUNT_ONLY = True  # allauth's own sign-up, password and email pages are not mounted
ACCOUNT_EMAIL_VERIFICATION = "none"  # required by SOCIALACCOUNT_ONLY; the provider's claim is what counts
SOCIALACCOUNT_LOGIN_ON_GET = False  # starting a sign-in is a POST (a link cannot start one for you)
SOCIALACCOUNT_STORE_TOKENS = False  # the Hub never calls the provider after sign-in
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # matching by email is the Hub's rule (sso_match), not allauth's
# The sign-in button posts to the Hub, which redirects to the provider: browsers apply form-action to
# that redirect, so each configured provider's origin is allowed as a form target (and nothing else).
from urllib.parse import urlsplit as _urlsplit  # noqa: E402

for _app in SSO_APPS:
    _parts = _urlsplit(_app["settings"]["server_url"])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_parts.scheme}://{_parts.netloc}")
