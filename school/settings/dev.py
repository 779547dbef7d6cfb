import os

from .base import *  # noqa: F403

# `make run` shows the site as visitors see it: the school's own 404 and 500
# pages, not Django's technical pages in English that list every URL pattern.
# DEBUG=1 brings the technical pages back.
DEBUG = os.environ.get("DEBUG") == "1"
SECRET_KEY = SECRET_KEY or "dev-only-not-secret"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SCHOOL_REQUIRE_MFA_FOR_STAFF = False
# The one dev process serves static files (fresh from the source folders, no
# collectstatic) and uploads, with or without DEBUG.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
# Server errors' tracebacks still reach the console without DEBUG.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
