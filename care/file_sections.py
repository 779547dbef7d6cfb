"""The care app's section of the member file (一人一档): the member's visits."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from school.members.member_file import FileSection

from . import selectors
from .spring_festival import coming_festival_year


def visits_context(member, *, user, today):
    """The member's latest visits, how many are still open and the New Year
    mark (three queries)."""
    if not user.has_perm("care.view_carevisit"):
        return None
    year = coming_festival_year(today)
    return {
        "visits": selectors.member_visits(member),
        "open_count": member.care_visits.filter(closed=False).count(),
        "festival_year": year,
        "staying": selectors.is_staying(member, year),
        "add_url": reverse("care_visits:add") + f"?member={member.pk}",
    }


VISITS = FileSection(
    key="care",
    title=_("Care visits (三个必访)"),
    template_name="care/admin/file_visits.html",
    get_context=visits_context,
    order=40,
)
