"""Bits of "1+1" paired study shown on other pages: the header link to the
contact's dashboard and the contact's notices on the member's study page."""

from django import template

from ..models import ContactLog, Pairing
from ..pairing import selectors

register = template.Library()

NOTICES_SHOWN = 5


@register.simple_tag(takes_context=True)
def is_study_contact(context) -> bool:
    """Whether the signed-in person has members to help (one query, once per
    request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_is_study_contact", None)
    if cached is None:
        cached = request._is_study_contact = selectors.is_contact(user)
    return cached


@register.inclusion_tag("courses/includes/contact_notices.html")
def contact_notices(member):
    """The member's study contact and the notices of study requirements they
    passed on. Only notices: thinking reports are never shown to the member."""
    pairing = (
        Pairing.objects.active().filter(member=member).select_related("contact").first()
    )
    notices = list(
        ContactLog.objects.filter(
            pairing__member=member, kind__in=ContactLog.MEMBER_VISIBLE
        )
        .select_related("pairing__contact")
        .order_by("-date", "-pk")[:NOTICES_SHOWN]
    )
    return {"pairing": pairing, "notices": notices}
