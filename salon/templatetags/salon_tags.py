from django import template
from django.utils import timezone

from home.models import live_pages
from salon.models import SalonPage, quarter_of
from school.members import scope

register = template.Library()


def current_quarter_salon(user=None):
    """This quarter's live salon: the member's own branch's first, else the soonest."""
    year, quarter = quarter_of(timezone.now())
    salons = list(
        live_pages(SalonPage)
        .filter(year=year, quarter=quarter)
        .select_related("branch")
        .order_by("starts_at", "pk")
    )
    profile = getattr(user, "profile", None) if user and user.is_authenticated else None
    if profile is not None:
        for salon in salons:
            if salon.branch_id == profile.branch_id:
                return salon
    return salons[0] if salons else None


@register.inclusion_tag("salon/includes/current_salon.html", takes_context=True)
def current_salon(context):
    request = context.get("request")
    # The request lets `pageurl` reuse the site's root paths it already read.
    return {
        "salon": current_quarter_salon(getattr(request, "user", None)),
        "request": request,
    }


@register.simple_tag(takes_context=True)
def mobile_shown(context, profile):
    """The member's mobile number as the viewer may see it (least data)."""
    return scope.mobile_shown_to(context["request"].user, profile)
