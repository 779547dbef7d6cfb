"""Health checks (HealthCheckMiddleware) for the proxy, the orchestrator and monitoring.

`/healthz` answers as long as the process serves requests, touching nothing
else. `/readyz` asks each service the site needs and says which one is
missing; it only reads (no row, no cache key, no file is written), so that a
probe every few seconds costs nothing.
"""

import logging
import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    cache.get("school:readyz")


def check_storage():
    location = getattr(default_storage, "location", None)
    if location is None:  # remote storage (S3): ask for a key
        default_storage.exists("readyz")
        return
    for folder in (Path(location), Path(settings.SCHOOL_PRIVATE_MEDIA_ROOT)):
        # Storage makes its folders on the first upload.
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not os.access(folder, os.W_OK):
            raise OSError(f"{folder} is not writable")


def check_task_queue():
    backend = settings.TASKS["email"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"backend": "immediate"}
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    return {
        "waiting_since_seconds": round(time.time() - waiting.enqueued_at.timestamp())
        if waiting
        else 0
    }


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "task_queue": check_task_queue,
}


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = {"ok": True, **(check() or {})}
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            # The reason goes to the log only: the probe is public.
            logger.exception("Readiness check %s failed", name)
            results[name] = {"ok": False}
    ready = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before any other middleware runs."""

    PROBES = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        response = probe(request)
        add_never_cache_headers(response)
        return response


def unavailable_service(error: BaseException | None) -> bool:
    """Whether the error, or one it came from, is a lost database or cache."""
    from django.db import InterfaceError, OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    lost = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, lost):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    """The school's 500 page; a calm 503 while the database or the cache is
    away (it comes back by itself: connections are made anew per request).
    Rendered without the request: its context would ask the database."""
    if unavailable_service(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.render_to_string(template_name), status=500)


def not_found(request):
    raise Http404
