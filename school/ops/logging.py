"""Logs: one JSON line per request, written by gunicorn's access log.

`RequestLogMiddleware` leaves the member's id and a redacted path in the WSGI
environ; `GunicornLogger` (set in deploy/gunicorn.conf.py) writes them with the
method, status and duration gunicorn measured. The line never holds a query
string (search terms, sign-in codes), a key from an e-mail link, or a phone
number in full.

Server errors reach ADMINS through the e-mail queue (`QueuedAdminEmailHandler`).
"""

import json
import re
import sys
from datetime import UTC, datetime

from django.conf import settings
from django.utils.functional import empty
from django.utils.log import AdminEmailHandler

ENVIRON_KEY = "school.log"

# URL keyword arguments that carry secrets: allauth's e-mail confirmation and
# password-reset keys, login codes.
SECRET_KWARGS = {"key", "uidb36", "uidb64", "token", "code"}
# Mainland mobile numbers: keep the first three and the last four digits.
PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# Paths Django never resolved (the proxy's errors, static files): known key
# links are cut after their prefix.
KEY_PATHS = re.compile(r"^(/accounts/(?:confirm-email|password/reset/key)/)[^/]+")


def redact(path: str, secrets=()) -> str:
    for value in secrets:
        if value:
            path = path.replace(str(value), "…")
    path = KEY_PATHS.sub(r"\1…", path)
    return PHONE.sub(r"\1****\2", path)


class RequestLogMiddleware:
    """Leave the member and the redacted path for the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        secrets = (
            [v for k, v in match.kwargs.items() if k in SECRET_KWARGS] if match else []
        )
        # A user not loaded yet stays so: the log costs no query, and a
        # request the database failed does not fail a second time here.
        loaded = user is not None and getattr(user, "_wrapped", None) is not empty
        request.environ[ENVIRON_KEY] = {
            "user_id": user.pk if loaded and user.is_authenticated else None,
            "path": redact(request.path, secrets),
        }
        return response


def access_record(*, method, raw_path, status, duration, environ) -> dict:
    noted = environ.get(ENVIRON_KEY, {})
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": method,
        "path": noted.get("path") or redact(raw_path.split("?", 1)[0]),
        "status": status,
        "duration_ms": round(duration.total_seconds() * 1000, 1),
        "user_id": noted.get("user_id"),
    }


try:
    from gunicorn.glogging import Logger
except ImportError:  # gunicorn is the production extra
    Logger = object


class GunicornLogger(Logger):
    """Gunicorn's access log as JSON lines (see the module docstring)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        record = access_record(
            method=req.method,
            raw_path=req.path or "",
            status=int(str(resp.status).split()[0]),
            duration=request_time,
            environ=environ,
        )
        self.access_log.info(json.dumps(record, ensure_ascii=False))


class QueuedAdminEmailHandler(AdminEmailHandler):
    """Django's error mail to ADMINS, sent through the e-mail queue: a slow or
    absent mail server must not hold up, nor break, the failing request."""

    def send_mail(self, subject, message, *args, **kwargs):
        if not settings.ADMINS:
            return
        from school.mail import send

        try:
            send(
                f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
                message,
                [address for _name, address in settings.ADMINS],
            )
        except Exception as error:  # noqa: BLE001 - the traceback is on stderr already
            sys.stderr.write(f"Could not queue the error mail: {error!r}\n")
