"""A database too busy to answer in time: a lock held too long, a statement
over its time limit (PostgreSQL), or a locked file (SQLite).

The timeouts (settings `DATABASE_STATEMENT_TIMEOUT_MS`, `DATABASE_LOCK_TIMEOUT_MS`)
are shorter than the web server's worker timeout, so a request that would
wait gives up, and the person gets a calm "busy" page instead of a killed
worker.
"""

from django.db import OperationalError
from django.template.response import TemplateResponse

# PostgreSQL's SQLSTATE for query_canceled (statement_timeout) and
# lock_not_available (lock_timeout).
BUSY_SQLSTATES = {"57014", "55P03"}


def is_database_busy(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error)


def busy_response(request) -> TemplateResponse:
    response = TemplateResponse(request, "503_busy.html", status=503)
    response["Retry-After"] = "10"
    return response


class BusyDatabaseMiddleware:
    """Any view whose database gave up waiting answers with the busy page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_busy(exception):
            return busy_response(request).render()
        return None
