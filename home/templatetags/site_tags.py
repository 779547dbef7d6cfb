from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    """The root page of the current site (cached on the request)."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_site_root"):
        site = Site.find_for_request(request)
        request._site_root = site.root_page if site else None
    return request._site_root


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The site's top navigation: the root's live children marked for menus."""
    request = context.get("request")
    if request is None:
        return []
    if not hasattr(request, "_main_menu"):
        root = site_root(context)
        request._main_menu = (
            list(Page.objects.child_of(root).live().in_menu()) if root else []
        )
    return request._main_menu


@register.simple_tag
def breadcrumbs(page):
    """Ancestors of a page below the tree's root, home first."""
    return page.get_ancestors().filter(depth__gt=1) if page else []


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj):
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {"page_obj": page_obj, "query": query.urlencode()}
