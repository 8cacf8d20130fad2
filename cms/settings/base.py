"""Settings for every environment, read from environment variables.

Safe defaults: DEBUG is off unless asked for, and with DEBUG off the site refuses
to start until SECRET_KEY and ALLOWED_HOSTS are set (see `_require_production_config`).
The README lists every variable.
"""

import os
import sys
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A key that is only ever acceptable with DEBUG on, on a developer's machine.
INSECURE_DEVELOPMENT_KEY = "insecure-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or (INSECURE_DEVELOPMENT_KEY if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _require_production_config():
    """Refuse to run a public site with a guessable key or no host list."""
    problems = []
    if not SECRET_KEY or SECRET_KEY == INSECURE_DEVELOPMENT_KEY or len(SECRET_KEY) < 32:
        problems.append(
            "SECRET_KEY must be set to a long random value (at least 32 characters), e.g. "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if not ALLOWED_HOSTS:
        problems.append(
            "ALLOWED_HOSTS must list the host names the site answers to, comma-separated, "
            "e.g. ALLOWED_HOSTS=example.kg,www.example.kg"
        )
    if problems:
        raise ImproperlyConfigured(
            "Unsafe production configuration (DEBUG is off): "
            + " ".join(problems)
            + " For a local run set DEBUG=1 instead."
        )


# Commands that read the code, not requests, and sign nothing: they need neither a secret key
# nor a host list, so `manage.py makemigrations --check` works on a bare checkout. Recognised
# by manage.py's own command line, which a server process (gunicorn) never has.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
OFFLINE_COMMAND = (
    len(sys.argv) > 1
    and os.path.basename(sys.argv[0]) == "manage.py"
    and sys.argv[1] in OFFLINE_COMMANDS
)
if OFFLINE_COMMAND and not SECRET_KEY:
    SECRET_KEY = INSECURE_DEVELOPMENT_KEY

if not DEBUG and not OFFLINE_COMMAND:
    _require_production_config()


INSTALLED_APPS = [
    "cms",
    "municipalities",
    "campaigns",
    "subscriptions",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.settings",
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",  # its sitemap.xml template (cms/seo.py)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "csp",
    "corsheaders",
    # the task queue's worker command (rqworker) and its checks (cms/tasks.py)
    "django_rq",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # the view restrictions read once per request (cms/repeated_lookups.py)
    "cms.repeated_lookups.RequestMemoMiddleware",
    # compresses what the page cache serves too (it keeps answers uncompressed)
    "django.middleware.gzip.GZipMiddleware",
    "cms.middleware.NulPathMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cms.api.middleware.APIResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.SiteLocaleMiddleware",
    # after the language is known (part of the key), before anything reads the session
    "cms.page_cache.PageCacheMiddleware",
    "cms.middleware.AdminLanguageMiddleware",
    "cms.middleware.AdminSearchButtonMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.bilingual.BilingualRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    # last, as django-axes asks: it turns a locked-out login into its lockout response
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# The embedded default is a SQLite file in the project; production and CI use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A Save and the admin's autosave arriving together: readers do not block the writer (WAL),
    # a writer waits for the other instead of failing with "database is locked" (timeout), and
    # a write transaction takes its lock when it begins, not half-way (IMMEDIATE).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
    }
# The shared cache (REDIS_URL, e.g. redis://127.0.0.1:6379/0): every app server's page cache,
# purged on publish (cms/page_cache.py), and the task queue's broker. Without it each process
# has a small cache of its own and public answers are not stored.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cms"),
        },
        # Wagtail keeps image renditions it looked up here: each is made once, by whichever
        # server is asked first, and found by the others without a database query
        "renditions": {
            "BACKEND": "cms.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cms") + ":renditions",
            "TIMEOUT": 7 * 24 * 3600,
        },
    }
# Background tasks (cms/tasks.py): on RQ in REDIS_URL's Redis, run by `manage.py rqworker
# --with-scheduler`, or "inline" in the request (the default without Redis).
TASK_QUEUE = os.environ.get("TASK_QUEUE", "redis" if REDIS_URL else "inline")
if TASK_QUEUE not in ("redis", "inline"):
    raise ImproperlyConfigured('TASK_QUEUE must be "redis" or "inline".')
if TASK_QUEUE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("TASK_QUEUE=redis needs REDIS_URL.")
TASK_RETRIES = int(os.environ.get("TASK_RETRIES", "3"))
TASK_RETRY_PAUSES = [int(s) for s in env_list("TASK_RETRY_PAUSES", "10,60,300")]
TASK_TIMEOUT_SECONDS = int(os.environ.get("TASK_TIMEOUT_SECONDS", "900"))
TASK_HEARTBEAT_SECONDS = int(os.environ.get("TASK_HEARTBEAT_SECONDS", "30"))
TASK_HEARTBEAT_GRACE_SECONDS = int(os.environ.get("TASK_HEARTBEAT_GRACE_SECONDS", "60"))
TASK_MAINTENANCE_SECONDS = int(os.environ.get("TASK_MAINTENANCE_SECONDS", "60"))
_queue_url = REDIS_URL or "redis://127.0.0.1:6379/0"
RQ_QUEUES = {
    "default": {
        # a Redis that does not answer is given up quickly (the task then runs in the request)
        "URL": _queue_url + ("&" if "?" in _queue_url else "?") + "socket_connect_timeout=1",
        "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS,
        "QUEUE_CLASS": "cms.tasks.RetryingQueue",
    }
}
# the worker (`manage.py rqworker default --with-scheduler`) runs django-tasks' jobs, with our
# timings for abandoned tasks
RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "cms.tasks.Worker"}
if TASK_QUEUE == "redis":
    TASKS = {"default": {"BACKEND": "cms.tasks.QueueBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PAGE_CACHE_ALIAS = "default"
# how long an anonymous public answer is kept at most (0: not kept); purges end it sooner
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0"))
# how long a CDN may keep a public answer (s-maxage) while the page cache is on
CDN_CACHE_SECONDS = int(os.environ.get("CDN_CACHE_SECONDS", "60"))
# A CDN in front of the site (cms/cdn.py): told to drop its copies of what a purge of the
# page cache names. CDN_PURGE_URL: a proxy that accepts PURGE requests (Varnish, nginx with
# a purge module), e.g. http://127.0.0.1:6081; or Cloudflare's zone and an API token allowed
# to purge it.
WAGTAILFRONTENDCACHE = {}
# cms/cdn.py names each language's address itself (slugs differ between languages)
WAGTAILFRONTENDCACHE_LANGUAGES = []
if os.environ.get("CDN_PURGE_URL", "").strip():
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "cms.cdn.PurgingProxyBackend",
        "LOCATION": os.environ["CDN_PURGE_URL"].strip(),
    }
if os.environ.get("CLOUDFLARE_ZONE_ID", "").strip():
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"].strip(),
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_API_TOKEN", "").strip(),
    }
# Requests a minute one API token may make to the submission endpoints
API_SUBMISSIONS_PER_MINUTE = int(os.environ.get("API_SUBMISSIONS_PER_MINUTE", "60"))
# The programme's IATI activity file (municipalities/monitoring/iati.py): the publisher's
# registered organisation identifier, name and type (IATI OrganisationType: 10 government,
# 22 national NGO…), the activity's own identifier, and the funder, if it is to be named.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "XI-EXAMPLE-LOCAL-SERVICES")
IATI_REPORTING_ORG_NAME = os.environ.get("IATI_REPORTING_ORG_NAME", "Local services programme")
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "22")
IATI_ACTIVITY_ID = os.environ.get("IATI_ACTIVITY_ID", "PILOT-MUNICIPALITIES")
IATI_FUNDING_ORG_REF = os.environ.get("IATI_FUNDING_ORG_REF", "")
IATI_FUNDING_ORG_NAME = os.environ.get("IATI_FUNDING_ORG_NAME", "")
# Drafts that autosave alone created from an abandoned add form (`delete_abandoned_drafts`).
ABANDONED_DRAFT_DAYS = int(os.environ.get("ABANDONED_DRAFT_DAYS", "30"))
# Admin listings' CSV/XLSX downloads (cms/exports.py): up to this many rows the file is built
# in the request; above, a background task builds it and the user is e-mailed a link. Built
# files are deleted after EXPORT_KEEP_DAYS (`delete_old_exports`, daily housekeeping).
EXPORT_IN_REQUEST_ROWS = int(os.environ.get("EXPORT_IN_REQUEST_ROWS", "2000"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kyrgyz is the source language of the content and the default of the site.
LANGUAGE_CODE = "ky"
LANGUAGES = [
    ("ky", "Кыргызча"),
    ("ru", "Русский"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin in Kyrgyz is ours (locale/admin: Wagtail, wagtail-localize and the gaps of
# Django's Kyrgyz catalogue; docs/admin-glossary.md), beside Wagtail's Russian and English.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
# a new account's admin language; a new member of a municipality's or an NGO's editors' group
# who has not signed in yet gets EDITORS_ADMIN_LANGUAGE instead
ADMIN_DEFAULT_LANGUAGE = os.environ.get("ADMIN_DEFAULT_LANGUAGE", "ru")
EDITORS_ADMIN_LANGUAGE = os.environ.get("EDITORS_ADMIN_LANGUAGE", "ky")
# our own messages first, then the admin's Kyrgyz catalogue (both before the packages' own)
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "admin"]
# Our Kyrgyz dates ("2026-жылдын 21-декабры") and numbers (decimal comma): cms/formats/ky.
FORMAT_MODULE_PATH = ["cms.formats"]
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "site"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = os.environ.get("STATIC_URL", "/static/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
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
# Uploaded files on S3-compatible object storage (Amazon S3, MinIO, Yandex Object Storage…)
# when S3_BUCKET is set: every app server reads and writes the same files. The bucket stays
# private: documents still leave through Wagtail's permission check (streamed by the app),
# images and renditions are linked by signed addresses that outlive any cached page.
# Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("S3_REGION", "").strip() or None,
            "location": os.environ.get("S3_PREFIX", "").strip(),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("S3_URL_SECONDS", "86400")),
            "file_overwrite": False,
            # unset: boto3's own chain (an instance role, ~/.aws)
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        },
    }

# Wagtail
WAGTAIL_SITE_NAME = _("Local services: transparency of pilot municipalities")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_DOCUMENT_MODEL = "cms.SiteDocument"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png"]
# The largest document or image an editor may upload (cms/documents.py checks content too).
MAX_UPLOAD_SIZE_MB = int(os.environ.get("MAX_UPLOAD_SIZE_MB", "20"))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_UPLOAD_SIZE_MB * 1024 * 1024
# Wagtail's database search backend (PostgreSQL full-text search in production, SQLite FTS5
# on the embedded database) with our Kyrgyz, Russian and English word forms
# (cms/search_backend.py): it stems the text itself, so PostgreSQL's configuration is "simple".
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "cms.search_backend",
        "SEARCH_CONFIG": os.environ.get("SEARCH_CONFIG", "simple"),
    }
}
# The headless API (cms/api/): rich text as display HTML with real links, at most 100 items a
# page, cacheable for API_CACHE_SECONDS, readable (GET only) from any origin.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# The group whose members approve, verify and may publish one language alone
# (municipalities/access.py creates it; cms/bilingual.py asks it).
PROGRAMME_MANAGERS_GROUP = "Programme managers"
# the first day a participation record may count (YYYY-MM-DD): earlier dates are typing errors
PROGRAMME_START = date.fromisoformat(os.environ.get("PROGRAMME_START", "2019-05-01"))

WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# the folder of django.core.mail.backends.filebased.EmailBackend (one file per message)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
# with a task queue, messages are sent by a worker (cms.tasks.send_email) through EMAIL_BACKEND
QUEUED_EMAIL_BACKEND = EMAIL_BACKEND
if TASK_QUEUE == "redis":
    EMAIL_BACKEND = "cms.tasks.QueuedEmailBackend"
# the SMTP server, when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds; a dead server never hangs
# Hearing-notice subscriptions (subscriptions/): how long a confirmation link works, and how
# many subscription requests one address (a day) and one client (an hour) may make
SUBSCRIPTION_CONFIRMATION_DAYS = int(os.environ.get("SUBSCRIPTION_CONFIRMATION_DAYS", "7"))
SUBSCRIPTION_REQUESTS_PER_ADDRESS = int(os.environ.get("SUBSCRIPTION_REQUESTS_PER_ADDRESS", "3"))
SUBSCRIPTION_REQUESTS_PER_CLIENT = int(os.environ.get("SUBSCRIPTION_REQUESTS_PER_CLIENT", "20"))

# Cookies and transport security when the site is public.
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
# a load balancer probes over plain HTTP inside the network
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The public site runs no inline script and loads nothing from elsewhere; the Wagtail
# admin needs inline scripts, so it is left out. Video embeds may come from the hosts in
# CSP_FRAME_HOSTS.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            *env_list(
                "CSP_FRAME_HOSTS",
                "https://www.youtube-nocookie.com,https://www.youtube.com,https://player.vimeo.com",
            ),
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling: an account is locked after repeated failures, per user and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
# an address is throttled across user names (guessing many accounts), and a user name is
# locked only from the address that failed (its owner still logs in from elsewhere)
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
# the reverse proxies before the app: the client's address is read through them
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "cms.middleware.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"

# Images: no decompression bombs, no giant photos straight from a phone.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_MEGAPIXELS", "40")) * 1_000_000
# Documents are always served through Wagtail's view, which checks who may open them; the
# web server then sends the file itself when DOCUMENTS_SENDFILE names it (deploy/nginx.conf):
# "nginx" (X-Accel-Redirect to the internal /protected-media/) or "xsendfile" (Apache).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DOCUMENTS_SENDFILE = os.environ.get("DOCUMENTS_SENDFILE", "")
if DOCUMENTS_SENDFILE:
    SENDFILE_BACKEND = {
        "nginx": "django_sendfile.backends.nginx",
        "xsendfile": "django_sendfile.backends.xsendfile",
    }[DOCUMENTS_SENDFILE]
    SENDFILE_ROOT = str(MEDIA_ROOT)
    SENDFILE_URL = "/protected-media"

SILENCED_SYSTEM_CHECKS = [
    # SQLite (the embedded default) ignores the extra columns of the covering index on
    # verified participation records; PostgreSQL uses them. Nothing to do on SQLite.
    "models.W040",
    # Submitting the domain to the browsers' HSTS preload list is the domain owner's
    # decision, not the code's; set SECURE_HSTS_PRELOAD=1 once it is taken.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
