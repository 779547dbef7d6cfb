import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": CACHES["renditions"],  # noqa: F405
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "school.sms.LocmemBackend"
MEDIA_ROOT = BASE_DIR / "tests" / ".media"  # noqa: F405
# Threaded race tests need a real file, not an in-memory SQLite database. The
# process id keeps concurrent test runs on one machine apart.
_db = DATABASES["default"]  # noqa: F405
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"school-test-{os.getpid()}.db")
    }
else:
    _db["TEST"] = {"NAME": f"test_{_db['NAME']}_{os.getpid()}"}
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
SCHOOL_REQUIRE_MFA_FOR_STAFF = False
# The live server of the browser tests serves uploaded media (audio lessons).
SERVE_MEDIA = True
