from django import template

from ..services import unread_count

register = template.Library()


@register.inclusion_tag("notices/includes/bell.html", takes_context=True)
def notice_bell(context):
    """The header's bell with the unread count; logged-in people only (a page
    cached for anonymous visitors never carries anyone's count)."""
    user = context["request"].user
    count = unread_count(user) if user.is_authenticated else 0
    return {"user": user, "count": count}
