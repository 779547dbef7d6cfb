import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
# Commands run from cron have no request to take the address from: without
# SITE_URL their links would point at the development server.
if not os.environ.get("SITE_URL", "").startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "SITE_URL must be set in production to the site's address, "
        "e.g. https://dangxiao.example.cn (links in e-mail and reminders use it)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# E-mail waits in the database queue for `manage.py db_worker --backend email`.
SCHOOL_EMAIL_QUEUE = os.environ.get("SCHOOL_EMAIL_QUEUE", "1") == "1"
TASKS["email"]["BACKEND"] = (  # noqa: F405
    "django_tasks_db.DatabaseBackend" if SCHOOL_EMAIL_QUEUE else IMMEDIATE_TASKS  # noqa: F405
)

SMS_BACKEND = os.environ.get("SMS_BACKEND", "school.sms.TencentBackend")

# Accounts: links in allauth's e-mails use https; staff need MFA for the admin.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SCHOOL_REQUIRE_MFA_FOR_STAFF = True
# The proxy's header with the client's address (deploy/nginx/school.conf).
SCHOOL_CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "X-Real-IP")

# A new SQLite connection re-reads the whole schema (some 150 tables) before
# its first query, about 1.5 ms: as much as serving a cached page. Gunicorn's
# sync workers hold one connection each, so keep it between requests.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Server errors leave their traceback on stderr (the service's log) and go to
# ADMINS by e-mail, through the queue: "Name <address>" or bare addresses,
# comma-separated.
ADMINS = [
    (address.split("<")[0].strip() or address, address.split("<")[-1].rstrip(">"))
    for address in env_list("ADMINS")  # noqa: F405
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "school.ops.logging.QueuedAdminEmailHandler",
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        "django.security": {"handlers": ["console", "mail_admins"], "level": "ERROR"},
    },
}

# Errors also go to Sentry when SENTRY_DSN is set (no personal data is sent).
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Uploaded files are served by the proxy (deploy/nginx.conf); SERVE_MEDIA=1
# lets the app serve them where there is none (`make serve` on one machine).
SERVE_MEDIA = os.environ.get("SERVE_MEDIA") == "1"
