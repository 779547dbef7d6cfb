"""The site's top navigation, kept in the shared cache.

Every page shows the menu, and working it out takes two queries (the site and
its root's live children). It changes only when pages or sites do, so it is
cached per host and dropped whenever a page is saved, moved or deleted, or a
site changes; the timeout is only a safety net.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

CACHE_KEY = "home:main-menu:2"  # 2: with the columns
TIMEOUT = 60 * 60


def main_menu(request) -> dict:
    """{"root_id": the site root's pk, "items": [{"title", "url", "url_path"}],
    "columns": {model name: url} of the root's live children}."""
    menu = getattr(request, "_main_menu", None)
    if menu is not None:
        return menu
    host = request.get_host()
    menus = cache.get(CACHE_KEY) or {}
    if host not in menus:
        menus[host] = build(request)
        cache.set(CACHE_KEY, menus, TIMEOUT)
    # The page and the template both ask: one cache read per request.
    request._main_menu = menus[host]
    return menus[host]


def build(request) -> dict:
    site = Site.find_for_request(request)
    if site is None:
        return {"root_id": None, "items": [], "columns": {}}
    pages = list(
        Page.objects.child_of(site.root_page).live().select_related("content_type")
    )
    return {
        "root_id": site.root_page_id,
        "items": [
            {
                "title": page.title,
                "url": page.get_url(request),
                "url_path": page.url_path,
            }
            for page in pages
            if page.show_in_menus
        ],
        # The column index pages' addresses by model name, for the home page's
        # "more" links.
        "columns": {page.content_type.model: page.get_url(request) for page in pages},
    }


def forget(sender=None, instance=None, **kwargs):
    if instance is None or isinstance(instance, Page | Site):
        cache.delete(CACHE_KEY)


def connect_signals():
    # Any model's save or delete reaches `forget`, which ignores all but pages
    # and sites: page types are many, and pages created in code (seed_demo,
    # tests) are saved without a publish signal.
    post_save.connect(forget, dispatch_uid="home.menu.save")
    post_delete.connect(forget, dispatch_uid="home.menu.delete")
    post_page_move.connect(forget, dispatch_uid="home.menu.move")
