"""Django settings, read from the environment.

DATABASE_URL   default: SQLite file encuentros.sqlite3 under ENCUENTROS_VAR_DIR (default: var/)
SECRET_KEY     required unless DEBUG is on
DEBUG          "1"/"true" to enable (default: on only while SECRET_KEY is unset)
ALLOWED_HOSTS  comma-separated
EMAIL_HOST ... SMTP settings; without EMAIL_HOST mail is printed to the console
CACHE_URL      redis://host:6379/0 (production), file:///path, locmem:// or dummy://
               (default: a file cache under var/cache, shared by every process on this machine)
TASKS_IMMEDIATE "1" runs background tasks inside the request instead of in `encuentros worker`
MAX_UPLOAD_MB  largest accepted upload (default 20)
PUBLIC_PAGE_CACHE_SECONDS  cache of public lists for anonymous visitors (default 300; 0: off)
RATELIMIT_ENABLED "0" turns off the rate limits on login and public forms (default on)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
# Writable state (SQLite database, uploads, collected static files): ./var of the checkout when
# running from source (src/ layout), else ./var of the working directory.
_CHECKOUT = PACKAGE_DIR.parent.parent if PACKAGE_DIR.parent.name == "src" else Path.cwd()
VAR_DIR = Path(os.environ.get("ENCUENTROS_VAR_DIR", _CHECKOUT / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default="SECRET_KEY" not in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first: their templates and translations take precedence over Django's own.
    "encuentros.core",
    "encuentros.ecosystem",
    "encuentros.encounters",
    "encuentros.opendata",
    "encuentros.openness",
    "encuentros.collaboration",
    "encuentros.evaluation",
    "encuentros.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "encuentros.core.ratelimit.RateLimitMiddleware",
    "encuentros.core.pagecache.PublicPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

# Content-Security-Policy: no inline or third-party scripts anywhere (every script is a file
# under /static/). Inline style attributes stay allowed: the server-rendered SVG charts use them.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "encuentros.urls"
WSGI_APPLICATION = "encuentros.wsgi.application"
ASGI_APPLICATION = "encuentros.asgi.application"

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
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'encuentros.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so concurrent registrations queue
    # instead of both reading the same count; WAL lets readers go on meanwhile. Connections are
    # kept between requests, as on PostgreSQL: opening one (and parsing the schema on its first
    # query) cost several milliseconds per request.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds state every app-server process must share (atlas versions, task progress,
# rate-limit counters): never per-process memory unless asked for (locmem://, tests).
_cache_url = os.environ.get("CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": _cache_url}}
elif _cache_url.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    _cache_dir = _cache_url.removeprefix("file://") if _cache_url.startswith("file://") \
        else str(VAR_DIR / "cache")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": _cache_dir, "OPTIONS": {"MAX_ENTRIES": 5000}}}

# Background work (core/tasks.py): rows in the database, run by `encuentros worker`.
TASKS = {"default": {
    "BACKEND": "encuentros.core.tasks.DatabaseBackend",
    "OPTIONS": {"immediate": env_bool("TASKS_IMMEDIATE", False)},
}}

# Public lists (pages and API) for anonymous visitors are served from the shared cache for up to
# this many seconds; any change to the data invalidates them at once (core/pagecache.py).
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "300"))

# Rate limits (core/ratelimit.py): (requests, seconds) per client address.
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# Generous per address: at an encounter's door hundreds of people share the venue's one address.
RATELIMITS = {
    "login": (100, 300),       # login attempts per address in 5 minutes
    "login_user": (10, 300),   # … per username from one address
    "login_account": (60, 300),  # … and per username from all addresses together
    "signup": (30, 3600),
    "password_reset": (10, 3600),
    "public_form": (300, 600),  # registrations, data requests, proposals, comments, surveys
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Internationalisation: Spanish (Mexico) first, English available.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_COMPRESS", True)  # gzip/brotli copies made by collectstatic
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Absolute links in e-mails (e.g. https://encuentros.example.org); empty = relative links.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Uploads (core/uploads.py): every upload form refuses files over MAX_UPLOAD_MB and checks the
# type by content, not only by name. Form fields (without files) are capped at 2.5 MB; uploaded
# files up to 5 MB stay in memory, larger ones are spooled to a temporary file.
MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**19
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

# Mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "encuentros@localhost")

# Sessions live in the database and are read through the shared cache (one query less on every
# signed-in request; the cache is shared by every process, see CACHES).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security: strict in production, relaxed for local development.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Encounters
BADGES_PER_PAGE = int(os.environ.get("BADGES_PER_PAGE", "8"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
