"""Settings shared by every environment; environment-specific values come from
environment variables so that one code base serves dev, CI and production."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "school.members",
    "school.notices",
    "school.ops",
    "home",
    "courses",
    "salon",
    "dues",
    "orglife",
    "care",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # /healthz and /readyz first: no host check, https redirect, cache or
    # session stands between a probe and its answer, and probes leave no log.
    "school.ops.views.HealthCheckMiddleware",
    "school.ops.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise: hashed static files, gzip and brotli, cached for a year.
    "school.middleware.StaticFilesMiddleware",
    # Before anything that touches the session or renders: a hit returns here.
    "school.pagecache.PageCacheMiddleware",
    "school.middleware.TextGZipMiddleware",
    "school.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "school.busy.BusyDatabaseMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "school.middleware.AccountMarkMiddleware",
    "school.members.middleware.MemberGateMiddleware",
    "school.members.admin_scope.BranchScopeGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "school.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "school.wsgi.application"

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL in production.
# IMMEDIATE transactions keep concurrent writers on SQLite from failing with
# "database is locked" (see NOTES.md, salon seats).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        # A connection the database dropped (restart, failover) is replaced
        # on the next request instead of failing it.
        conn_health_checks=True,
    )
}
# A request never waits longer on the database than these (milliseconds), so
# that gunicorn's 30 s worker timeout never kills workers stuck behind a held
# lock: the request gives up and answers with the "busy" page
# (school/busy.py). 0 turns a limit off; manage.py turns the statement limit
# off for commands (migrations, benchmarks, backups), which may run long.
DATABASE_STATEMENT_TIMEOUT_MS = int(
    os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "20000")
)
DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "10000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": (DATABASE_LOCK_TIMEOUT_MS or 20000) / 1000,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: a page's queries are short, and compiling one costs seconds. The
    # site search joins every page type's table, and on tables not yet
    # analysed the planner's estimate passes jit_above_cost: PostgreSQL then
    # spent 2.3 s compiling a query that runs in 8 ms.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS} "
        f"-c lock_timeout={DATABASE_LOCK_TIMEOUT_MS} "
        "-c jit=off"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

# The cache is shared between processes (rate limits live there): the database
# by default, Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "school_cache",
            # Pages for anonymous visitors live here too (school.pagecache).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Whole pages for anonymous visitors (school.pagecache); SCHOOL_PAGE_CACHE=0
# turns it off (the web benchmark measures pages both ways).
SCHOOL_PAGE_CACHE = os.environ.get("SCHOOL_PAGE_CACHE", "1") == "1"
SCHOOL_PAGE_CACHE_SECONDS = 600
# How long a proxy in front (nginx) may keep an anonymous page.
SCHOOL_PAGE_CACHE_PROXY_SECONDS = 60
# Wagtail looks image renditions up in this cache and stores them again on
# every `{% image %}` (three database writes per home page on the database
# cache). A rendition never changes once made (its key holds the file's hash
# and focal point), so each process may keep its own copy.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Sessions are read from the shared cache (Redis in production) and written
# through to the database: a logged-in page or heartbeat skips one query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "school.members.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Files only their owners and staff may see (mailbox attachments): outside
# MEDIA_ROOT, served by views that check permissions.
SCHOOL_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media")
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor posts many fields for long StreamFields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# All mail, ours and Wagtail's, leaves through the e-mail task queue
# (school/mail.py); the backend that talks to the mail server is the
# EMAIL_BACKEND environment variable's.
EMAIL_BACKEND = "school.mail.QueuedBackend"
SCHOOL_EMAIL_TRANSPORT = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
# A mail server that does not answer must not hold a request or a worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "网上党校 <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail's own work (search index, reference index) runs as tasks; the
# immediate backend keeps the search index current on save. Our e-mail has a
# backend of its own (school/mail.py): sent at once unless SCHOOL_EMAIL_QUEUE
# is set (production sets it), then queued in the database and sent by
# `manage.py db_worker --backend email`, a process beside the web server.
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
SCHOOL_EMAIL_QUEUE = os.environ.get("SCHOOL_EMAIL_QUEUE", "0") == "1"
TASKS = {
    "default": {"BACKEND": IMMEDIATE_TASKS},
    "email": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend" if SCHOOL_EMAIL_QUEUE else IMMEDIATE_TASKS
        )
    },
}

# SMS (school/sms.py): printed to the console unless SMS_BACKEND names the
# provider's backend (production: Tencent Cloud SMS). The provider needs an
# approved signature and one approved template per kind of message
# (school/notices/kinds.py), given as "kind=template id,…".
SMS_BACKEND = os.environ.get("SMS_BACKEND", "school.sms.ConsoleBackend")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "网上党校")
TENCENT_SMS_SECRET_ID = os.environ.get("TENCENT_SMS_SECRET_ID", "")
TENCENT_SMS_SECRET_KEY = os.environ.get("TENCENT_SMS_SECRET_KEY", "")
TENCENT_SMS_SDK_APP_ID = os.environ.get("TENCENT_SMS_SDK_APP_ID", "")
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_ENDPOINT = os.environ.get(
    "TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com"
)
TENCENT_SMS_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("TENCENT_SMS_TEMPLATES") if "=" in item
)

WAGTAIL_SITE_NAME = _("Online Party School for Mobile Members")
# The site's one address: links in e-mail, whether the web server or a command
# run from cron writes them (production refuses to start without it).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Tokens are segmented by jieba before indexing (home.search), so the
        # database must not stem or otherwise re-tokenise them.
        "SEARCH_CONFIG": "simple",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media"}
# Gravatar is slow or unreachable from mainland China and leaks staff e-mails.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

SITE_PAGE_SIZE = 20

# `manage.py run_schedule` runs the daily commands at this local time.
SCHOOL_DAILY_AT = os.environ.get("SCHOOL_DAILY_AT", "03:30")

# Accounts (school.members): every login, the Wagtail admin's included, goes
# through allauth, so that its rate limits and MFA cannot be bypassed.
# Django's and allauth's, loading the user with what every page's header asks
# (school/members/backends.py).
AUTHENTICATION_BACKENDS = [
    "school.members.backends.ModelBackend",
    "school.members.backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/me/profile/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# allauth handles passwords and e-mail addresses; Wagtail's own forms for them
# would skip its rate limits and e-mail verification.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
ACCOUNT_ADAPTER = "school.members.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "school.members.adapter.user_display"
# An account is a mainland mobile number (allauth's phone support, stored on
# User.phone by the adapter) with a password; e-mail is optional. A number is
# verified by an SMS code at sign-up; login by password or by an SMS code.
# Mandatory e-mail verification needs a required e-mail, so it is "optional":
# an address given gets a verification mail, and carries notices only once
# verified (school.notices).
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
# The number is required by the sign-up form (school.members.forms.SignupForm):
# "phone*" here would refuse logins of e-mail accounts without a number.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 3
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = 2
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 5 * 60
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = 3
# Codes are typed on phone keypads: six digits, no dash.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_FORMS = {
    "login": "school.members.forms.LoginForm",
    "signup": "school.members.forms.SignupForm",
    "request_login_code": "school.members.forms.RequestLoginCodeForm",
    "change_phone": "school.members.forms.ChangePhoneForm",
    "reset_password": "school.members.forms.ResetPasswordForm",
}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Sign-up, login by code and password reset do not tell a stranger whether a
# number has an account: a sign-up with a taken number goes on to "enter the
# code" like any other and the number's owner is texted; a reset always says
# sent. An e-mail address is optional and not verified at sign-up, so allauth
# still says when one is taken (README, "Who sees what").
ACCOUNT_PREVENT_ENUMERATION = True
# "Nothing typed is lost" on a form with errors, passwords included.
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = True
# allauth's rate limits live in the shared cache above. Its per-address limits
# stay as they are (the 6th failed login for one address within five minutes
# is refused), the per-IP ones get more room, because members on mobile
# networks share their carrier's (CGNAT) addresses. Codes by SMS cost money and
# annoy the number's owner: one a minute and five an hour per number.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,5/5m/key",
    "request_login_code": "30/m/ip,1/m/key,5/h/key",
    "verify_phone": "30/m/ip,1/m/key,5/h/key",
    # Counted by the forms instead (SCHOOL_FORM_RATE_LIMITS): allauth's view
    # decorator answers a bare 429 page, the forms say on the form how long
    # to wait and keep what was typed (school/members/limits.py).
    "login": "",
    "signup": "",
    "change_phone": "",
    "reset_password": "",
}
SCHOOL_FORM_RATE_LIMITS = {
    "login": "100/m/ip",
    "signup": "30/m/ip",
    "change_phone": "3/m/user,10/h/user",
    "reset_password": "20/m/ip,5/m/key",
}
# The header in which the proxy in front gives the client's address (allauth's
# limits per address); empty: the peer's address (no proxy). Production reads
# X-Real-IP, which deploy/nginx/school.conf overwrites on every request.
SCHOOL_CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "流动党员网上党校"
# Staff (anyone who may enter the Wagtail admin) must set up MFA first.
SCHOOL_REQUIRE_MFA_FOR_STAFF = os.environ.get("SCHOOL_REQUIRE_MFA_FOR_STAFF") == "1"
# Version of the consent text for processing member data; the text lives in
# templates/members/consent/<version>.html and the version is stored with each
# member's consent.
SCHOOL_CONSENT_VERSION = "2026-1"

# Study heartbeat (courses): a visible, active lesson page beats every
# SCHOOL_STUDY_BEAT_SECONDS; the server credits at most beat + slack per beat,
# the page stops beating after SCHOOL_STUDY_IDLE_SECONDS without user activity,
# and one lesson earns at most SCHOOL_STUDY_CAP_FACTOR times its length.
SCHOOL_STUDY_BEAT_SECONDS = int(os.environ.get("SCHOOL_STUDY_BEAT_SECONDS", "20"))
SCHOOL_STUDY_BEAT_SLACK_SECONDS = 5
SCHOOL_STUDY_IDLE_SECONDS = 180
SCHOOL_STUDY_CAP_FACTOR = 2
# Study noted on a phone while offline (courses.services.lesson_progress_offline)
# is credited by the same rules when it is sent, if its last beat is at most
# this many days old.
SCHOOL_STUDY_OFFLINE_MAX_AGE_DAYS = 7

# Content-Security-Policy (django-csp; Django 5.2 has none built in). The public
# site runs no inline script or style: scripts are static files, style lives in
# site.css. Images may be data: URIs (allauth's TOTP QR code). Static and media
# files are served from this origin ('self'); moving them to a CDN means adding
# its origin to the -src directives below. Embeds are iframes from the video
# sites in CSP_FRAME_SRC; an embed that brings its own script is blocked.
EMBED_ORIGINS = env_list(
    "CSP_FRAME_SRC",
    "https://www.youtube.com,https://www.youtube-nocookie.com,"
    "https://player.vimeo.com,https://www.dailymotion.com,https://embed.ted.com",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "frame-src": EMBED_ORIGINS or [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (school.middleware) runs inline scripts and styles, shows
# uploads before they are sent (blob:), frames its own previews and asks
# releases.wagtail.org whether Wagtail has a new version.
SCHOOL_ADMIN_CSP_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "media-src": [SELF, "blob:"],
    "frame-src": [SELF, *EMBED_ORIGINS],
    "connect-src": [SELF, "https://releases.wagtail.org"],
    "frame-ancestors": [SELF],
}
