import re

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page

from home import menu
from school.members.roles import can_access_admin

register = template.Library()

IFRAME_WITHOUT_LOADING = re.compile(r"<iframe\b(?![^>]*\sloading=)", re.IGNORECASE)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The site's top navigation (see home.menu), once per request."""
    request = context.get("request")
    if request is None:
        return {"root_id": None, "items": []}
    if not hasattr(request, "_main_menu"):
        request._main_menu = menu.main_menu(request)
    return request._main_menu


@register.simple_tag(takes_context=True)
def admin_link_shown(context) -> bool:
    """Whether the header offers the administration to the signed-in user."""
    request = context.get("request")
    return request is not None and can_access_admin(request.user)


@register.simple_tag
def breadcrumbs(page):
    """Ancestors of a page below the tree's root, home first."""
    return page.get_ancestors().filter(depth__gt=1) if page else []


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj):
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {"page_obj": page_obj, "query": query.urlencode()}


@register.filter
def lazy_iframes(html):
    """An embed provider's HTML with its frames loaded only once scrolled
    near: a video player costs a phone hundreds of kilobytes unplayed."""
    # Trusted as Wagtail trusts it (|safe in Wagtail's own template).
    lazy = IFRAME_WITHOUT_LOADING.sub('<iframe loading="lazy"', str(html))
    return mark_safe(lazy)  # noqa: S308


DESCRIPTION_LENGTH = 150


@register.simple_tag
def page_description(page) -> str:
    """The page's meta description: what editors wrote for search engines,
    else the page's own summary, else the first words of its text."""
    if not isinstance(page, Page):
        return ""
    page = page.specific_deferred
    text = page.search_description
    for name in ("summary", "intro"):
        if not text:
            text = strip_tags(str(getattr(page, name, "") or ""))
    if not text and hasattr(page, "search_text_parts"):
        text = " ".join(strip_tags(str(part)) for part in page.search_text_parts())
    text = " ".join(text.split())
    return Truncator(text).chars(DESCRIPTION_LENGTH)
