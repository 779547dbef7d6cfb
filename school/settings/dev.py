import os

from .base import *  # noqa: F403

# `make run` shows the site as visitors see it: the school's own 404 and 500
# pages, not Django's technical pages in English that list every URL pattern.
# DEBUG=1 brings the technical pages back.
DEBUG = os.environ.get("DEBUG") == "1"
SECRET_KEY = SECRET_KEY or "dev-only-not-secret"  # noqa: F405
SCHOOL_EMAIL_TRANSPORT = "django.core.mail.backends.console.EmailBackend"
SCHOOL_REQUIRE_MFA_FOR_STAFF = False
# Static files go out as production sends them (`make run` collects them
# first): hashed names, gzip and brotli, cached for a year. runserver_nostatic
# keeps runserver's own plain static view out of the way, even with DEBUG.
# LIVE_STATIC=1 serves the source folders instead, fresh on every request
# (unhashed, uncompressed), for editing CSS and JavaScript (README).
LIVE_STATIC = os.environ.get("LIVE_STATIC") == "1"
INSTALLED_APPS = [  # noqa: F405
    "whitenoise.runserver_nostatic",
    *INSTALLED_APPS,  # noqa: F405
]
if LIVE_STATIC:
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
else:
    STORAGES["staticfiles"] = {  # noqa: F405
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }
# The one dev process serves uploads too, with or without DEBUG.
SERVE_MEDIA = True
# Server errors' tracebacks still reach the console without DEBUG.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
