"""Settings shared by every environment. Environment-specific files import this and override."""

import importlib.metadata
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "home",
    "site_content",
    "brands",
    "stories",
    "feedback",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside WhiteNoise (which answers ranges for static files itself): videos and captions get 206s.
    "home.media.ByteRangeMiddleware",
    # After WhiteNoise: static files carry no policy of their own and skip the work.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Inside sessions, CSRF, locale and auth: a hit still gets its own CSRF cookie and security headers.
    "home.cache.PageCacheMiddleware",
    # After the page cache (a hit needs no Site), before any view routes a page.
    "home.sites.SiteLookupMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "home.urls"

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
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "site_content.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (PostgreSQL in CI and production) overrides it.
# Health checks: a connection kept across requests is tested before reuse, so the first requests
# after a database restart reconnect instead of failing on a dead socket (tests/load/).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    # Prepared statements: with server-side binding psycopg sends the parameters apart from the SQL, and prepares
    # a statement the second time a connection (kept 60 s) runs it, so PostgreSQL stops planning a page's own few
    # queries on every view (planning was 0.6 ms of a trace view's batch query, running it 0.15 ms). Django
    # leaves psycopg's preparing off unless prepare_threshold is set. A pooler in front must keep prepared
    # statements (PgBouncer 1.21+ with max_prepared_statements, or session pooling).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Simplified Chinese is the default (no URL prefix), English lives under /en/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# locale/ holds the site's own strings; locale/wagtail/ the Chinese for Wagtail admin messages that
# Wagtail's zh_Hans catalogue lacks. Earlier paths win, and both win over the apps' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
# English dates read "7 Nov 2026" (site_content/formats/en/); Chinese ones Django's "2026年11月7日".
FORMAT_MODULE_PATH = ["site_content.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Farmcast 农播"
# Where the front-end login (private pages' "log in" link) goes when it was given no `next`: the home page.
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin loads nothing from other hosts: Gravatar is unreachable from mainland China, where our editors
# work, and an avatar <img> that never answers holds every admin page's load (editors upload an avatar in
# their account instead). The upgrade notice asks releases.wagtail.io, equally out of reach; upgrades come
# through requirements.txt.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Documents carry policy attachments, caption tracks and replay videos (hence the size).
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt", "vtt", "webm", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 500 * 1024 * 1024
# Refuse replay videos a browser could not play, and a new file where one may not be replaced (a live
# page's without the right to publish it, sealed evidence's ever): site_content/files.py.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "site_content.files.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "site_content.files.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]  # no SVG: it can carry script
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The provenance log's Ed25519 signing key lives outside the database (docs/provenance.md).
TLOG_SIGNING_KEY_FILE = os.environ.get("TLOG_SIGNING_KEY_FILE", "")
TLOG_SIGNING_KEY = os.environ.get("TLOG_SIGNING_KEY", "")
TLOG_VERIFIER_KEY = os.environ.get("TLOG_VERIFIER_KEY", "")
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "jpg": "webp"}
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # slugs end up on printed QR codes: keep them ASCII
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# The discovery engine: SEARCH_ENGINE says which ("opensearch", the default, or "elasticsearch": one
# module each in search/engines/), SEARCH_ENGINE_URL where it answers (a cluster's nodes
# comma-separated). No URL means "no engine": the site falls back to database search.
# OPENSEARCH_URL, the name this setting had before a second engine, is still read when
# SEARCH_ENGINE_URL is not set, so an existing deployment keeps its engine.
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "") or "opensearch"
SEARCH_ENGINE_URL = os.environ.get("SEARCH_ENGINE_URL") or os.environ.get("OPENSEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "farmcast")
# Wagtail's own backend for each engine: modelsearch's, for the client the discovery index uses too.
# modelsearch has one Elasticsearch backend per client major (elasticsearch7, 8, 9), so an 8.x
# cluster's client pin (requirements.txt) brings the matching backend with it.
try:
    _ELASTICSEARCH_CLIENT_MAJOR = importlib.metadata.version("elasticsearch").split(".")[0]
except importlib.metadata.PackageNotFoundError:
    _ELASTICSEARCH_CLIENT_MAJOR = "7"
WAGTAIL_BACKEND_OF_ENGINE = {
    "opensearch": "wagtail.search.backends.opensearch2",
    "elasticsearch": f"wagtail.search.backends.elasticsearch{_ELASTICSEARCH_CLIENT_MAJOR}",
}
if SEARCH_ENGINE not in WAGTAIL_BACKEND_OF_ENGINE:
    raise ImproperlyConfigured(f"SEARCH_ENGINE must be one of {', '.join(WAGTAIL_BACKEND_OF_ENGINE)}")

# Wagtail's own search (admin search, choosers) follows the engine when one is configured. The
# database backend is kept current beside it: it is what the public search falls back to while the
# engine is down (search/views.py), so it must not be the engine again.
if SEARCH_ENGINE_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": WAGTAIL_BACKEND_OF_ENGINE[SEARCH_ENGINE],
            "URLS": [url.strip() for url in SEARCH_ENGINE_URL.split(",") if url.strip()],
            # modelsearch names one index per root model after this prefix (<prefix>-wagtail-wagtailcore_page).
            "INDEX_PREFIX": f"{SEARCH_INDEX_PREFIX}-wagtail-",
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        },
        "database": {"BACKEND": "search.backends.database"},
    }
else:
    # Wagtail's database backend with Chinese word segmentation and pinyin (search/backends/database.py).
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}

# Durable background work: the database-backed queue survives a crash or an engine outage.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# "提醒我 / Remind me" mails readers this many minutes before a broadcast starts (a task deferred until then).
BROADCAST_REMINDER_MINUTES = int(os.environ.get("BROADCAST_REMINDER_MINUTES", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "farmcast": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

SITE_DESCRIPTION = _("Farm brands you can trust: provenance, live-commerce replays and rural policy.")

# Content-Security-Policy for every public page, in every environment, so tests and dev see what
# production enforces. No inline script: the site's JavaScript is in static/js, and an inline script
# someone adds later needs nonce="{{ request.csp_nonce }}". The Wagtail admin relies on inline scripts
# and styles, so it is left to Wagtail's own defaults.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The embedded players editors may use for replays and videos.
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.bilibili.com",
            "https://v.qq.com",
        ],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF],
        # The 500 page's own <style> (rendered without a request, so no nonce); a test keeps the hash current.
        "style-src": [SELF, "'sha256-3uzTnt5xzsWHj8Jhi9AUdMqPqnx3GL2Qdmqkfdloyv8='"],
        # Wagtail's responsive embeds size themselves with a style attribute; attributes cannot run script.
        "style-src-attr": [UNSAFE_INLINE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

# Admin login throttling: five wrong passwords for one username from one address lock that pair out
# for 15 minutes, even with the right password; other people and other addresses are unaffected.
# AxesBackend only refuses locked-out logins; ModelBackend then authenticates. AxesBackend, not
# AxesStandaloneBackend, because the first backend must also load users (force_login uses it).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# One notion of "the client's address" for every rate limit, this one included (site_content/client.py).
AXES_CLIENT_IP_CALLABLE = "site_content.client.client_ip"
# The header reverse proxies add the visitor's address to ("HTTP_X_FORWARDED_FOR", or "HTTP_X_REAL_IP" set
# by one proxy), and how many proxies there are: the client is that many hops from the right
# (site_content/client.py). None: no proxy; the count defaults to one when a header is named.
CLIENT_IP_HEADER = None
TRUSTED_PROXY_COUNT = None

# Template fragments ({% fragment %} in home/templatetags): rendered HTML keyed on a site-wide
# content version bumped after every commit readers could see, so they are on wherever the page
# cache is not (editors, query strings) and need no purge list of their own.
FRAGMENT_CACHE_ENABLED = True
FRAGMENT_CACHE_SECONDS = 60 * 60

# The anonymous page cache (home/cache.py): whole responses for visitors without a
# session, purged precisely when what they show changes. PAGE_CACHE_SECONDS is only the safety net.
PAGE_CACHE_ENABLED = False
PAGE_CACHE_SECONDS = 15 * 60
PAGE_CACHE_EXCLUDED_PREFIXES = (
    "/admin/",
    "/healthz",
    "/documents/",
    "/images/",
    "/api/",
    "/static/",
    "/media/",
    "/i18n/",
    "/jsi18n/",
    "/feedback/",
    "/en/feedback/",
)
