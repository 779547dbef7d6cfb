"""The organisational-life known of the member file (一人一档): this year's
meetings attended against those the member was expected at, and the last."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from school.members.member_file import KNOWNS_SLOT, FileSection

from . import selectors
from .models import Attendance

VIEW_MEETINGS = "orglife.view_meeting"


def participation_context(member, *, user, today):
    """Two queries whatever the member's history: the year's counts and the
    newest meeting the member was recorded at."""
    if not user.has_perm(VIEW_MEETINGS):
        return None
    rows = Attendance.objects.filter(member=member, meeting__held_on__year=today.year)
    counts = rows.aggregate(
        recorded=Count("pk"),
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        on_leave=Count("pk", filter=Q(status=Attendance.Status.LEAVE)),
    )
    last = (
        Attendance.objects.filter(member=member, meeting__held_on__lte=today)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting__pk")
        .first()
    )
    return {
        "year": today.year,
        "present": counts["present"],
        "recorded": counts["recorded"],
        "on_leave": counts["on_leave"],
        "rate": selectors.rate(counts["present"], counts["recorded"]),
        "last": last,
    }


SECTIONS = [
    FileSection(
        key="participation",
        slot=KNOWNS_SLOT,
        title=_("Organisational life this year"),
        template_name="orglife/admin/file_participation.html",
        get_context=participation_context,
    ),
]
