"""Whole pages for anonymous visitors, served from the shared cache.

A second anonymous visitor of a page gets the stored response without the
page being rendered again. The cache is Django's default cache, which every
app server shares (the database, or Redis with REDIS_URL), so a publish on one
server is seen by all.

Invalidation is one generation token in the same cache: every entry records
the token current when its request began, and any change that can show on a
page (a page published, unpublished, moved, deleted or made private, a site,
an image, a salon's seats) sets a new token, which makes every entry stale at
once. Coarse, but a page is never served stale, and edits are rare next to
reads. A hit costs one cache round trip: the token and the entry are fetched
together.

Only responses that can be nobody's in particular are stored: a GET of an
allowed view (Wagtail pages, sitemap, robots.txt) by a request without a
session or messages cookie, answered 200 with no cookie set, no message, no
CSRF token, no form error and nothing that varies by more than the encoding.

A cache that does not answer (Redis away) is a miss: the page is rendered and
not stored, and the rest of the request decides what the visitor gets. A
change to the content, though, must renew the token, so `clear()` lets the
error through and the change is not saved: pages stored before would
otherwise come back stale when the cache returns.
"""

import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.forms import BaseForm
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    cc_delim_re,
    patch_cache_control,
    patch_vary_headers,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache-generation"
KEY_PREFIX = "page-cache:"
HEADER = "X-Page-Cache"
# Views whose anonymous GET responses may be stored (Wagtail's page view also
# serves routable sub-pages: a column's RSS feed).
VIEW_NAMES = {"wagtail_serve", "sitemap", "robots"}
# The only query string a cached page may carry: a column index's page number.
# Anything else would let a visitor fill the cache with variants.
ALLOWED_QUERY = re.compile(r"(page=\d{1,4})?")
# Headers that say the response may differ by more than the page's address.
# Cookie is fine: requests with a personal cookie never reach the cache.
HARMLESS_VARY = {"cookie", "accept-encoding", "accept-language"}
PERSONAL_CACHE_CONTROL = {"private", "no-store", "no-cache"}
# Models whose changes may show on pages other than their own. Study records,
# heartbeats and the like are deliberately absent: they change all the time
# and appear only on personal pages, which are never cached.
WATCHED_MODELS = {
    "wagtailcore.page",
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "wagtailimages.image",
    "wagtaildocs.document",
    "wagtailmedia.media",
    "courses.coursecategory",
    "home.homefeaturedcourse",
}


def _enabled() -> bool:
    return getattr(settings, "SCHOOL_PAGE_CACHE", True)


def _timeout() -> int:
    return getattr(settings, "SCHOOL_PAGE_CACHE_SECONDS", 600)


def _proxy_max_age() -> int:
    return getattr(settings, "SCHOOL_PAGE_CACHE_PROXY_SECONDS", 60)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def clear(**kwargs) -> None:
    """Make every cached page stale, on every server (the token is shared).

    Called inside the transaction that changes the content, and again once it
    commits: a page rendered from the old content in between would otherwise
    be stored under the new token."""
    _new_generation()
    transaction.on_commit(_new_generation)


def skip(request) -> None:
    """Mark a response to `request` as not to be stored (a view's own call)."""
    request.page_cache_skip = True


def _is_personal_request(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _cache_key(request) -> str | None:
    if request.method != "GET" or _is_personal_request(request):
        return None
    query = request.META.get("QUERY_STRING", "")
    if not ALLOWED_QUERY.fullmatch(query):
        return None
    # The same address is stored once gzipped, once plain (TextGZipMiddleware
    # sits inside this middleware).
    accepts = request.headers.get("Accept-Encoding", "")
    encoding = "gzip" if re.search(r"\bgzip\b", accepts) else "identity"
    return f"{KEY_PREFIX}{encoding}:{request.build_absolute_uri()}"


class PageCacheMiddleware:
    """Serves and stores anonymous pages; sets Cache-Control on every page:
    public for a short while on what is stored, private otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _cache_key(request) if _enabled() else None
        generation = None
        if key:
            try:
                found = cache.get_many([GENERATION_KEY, key])
            except Exception:  # noqa: BLE001 - any cache error is a miss
                logger.warning("Page cache away: %s rendered", request.path)
                found, key = {}, None  # nor try to store it
            generation = found.get(GENERATION_KEY)
            entry = found.get(key)
            if entry and generation and entry[0] == generation:
                return self._replay(entry)
        response = self.get_response(request)
        if key and self._storable(request, response):
            patch_cache_control(response, public=True, max_age=_proxy_max_age())
            patch_vary_headers(response, ("Cookie",))
            try:
                self._store(key, generation, response)
            except Exception:  # noqa: BLE001 - served, just not stored
                logger.warning("Page cache away: %s not stored", request.path)
            else:
                response[HEADER] = "miss"
        else:
            self._mark_private(request, response)
        return response

    @staticmethod
    def _replay(entry):
        _generation, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[HEADER] = "hit"
        return response

    @staticmethod
    def _store(key, generation, response):
        if generation is None:
            # No token yet (fresh cache, or evicted): start one. `add` keeps
            # another server's token if it came first.
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
        headers = [(name, value) for name, value in response.items() if name != HEADER]
        entry = (generation, response.status_code, headers, response.content)
        cache.set(key, entry, _timeout())

    @staticmethod
    def _storable(request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in VIEW_NAMES:
            return False
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "page_cache_skip", False):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        # A CSRF token was put in the page (it would be someone's secret).
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        storage = getattr(request, "_messages", None)
        if storage is not None and (
            storage._queued_messages or storage._loaded_messages
        ):
            return False
        control = {
            part.split("=")[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        if control & PERSONAL_CACHE_CONTROL:
            return False
        vary = {
            part.strip().lower()
            for part in cc_delim_re.split(response.get("Vary", ""))
            if part.strip()
        }
        if vary - HARMLESS_VARY:
            return False
        context = getattr(response, "context_data", None) or {}
        return not any(
            isinstance(value, BaseForm) and value.is_bound and value.errors
            for value in context.values()
        )

    @staticmethod
    def _mark_private(request, response):
        if "Cache-Control" in response:
            return
        content_type = response.get("Content-Type", "")
        if content_type.startswith(("text/html", "application/json")):
            add_never_cache_headers(response)


def _on_model_change(sender, instance=None, **kwargs):
    # Data migrations save historical models (module "__fake__"), before the
    # cache table may exist; no page has been cached then.
    if sender.__module__ == "__fake__" or kwargs.get("raw"):
        return
    if sender._meta.label_lower in WATCHED_MODELS or any(
        parent._meta.label_lower in WATCHED_MODELS
        for parent in sender._meta.get_parent_list()
    ):
        clear()


def connect_signals():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    # Publishing saves the page too; the signals also cover pages changed by
    # bulk actions and scheduled publishing.
    page_published.connect(clear, dispatch_uid="pagecache.published")
    page_unpublished.connect(clear, dispatch_uid="pagecache.unpublished")
    post_page_move.connect(clear, dispatch_uid="pagecache.moved")
    post_save.connect(_on_model_change, dispatch_uid="pagecache.save")
    post_delete.connect(_on_model_change, dispatch_uid="pagecache.delete")
