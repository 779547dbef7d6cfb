"""The members app's own sections of the member file: the whereabouts history."""

from django.utils.translation import gettext_lazy as _

from .member_file import FileSection
from .models import WhereaboutsEntry

# The file shows this many changes; the rest stay in the ledger and the export.
TIMELINE_LENGTH = 50


def whereabouts_timeline(member, limit=TIMELINE_LENGTH):
    """The member's whereabouts changes, newest first, in one query."""
    return list(
        WhereaboutsEntry.objects.filter(member=member).select_related(
            "recorded_by__profile__branch"
        )[:limit]
    )


def whereabouts_context(member, *, user, today):
    return {"entries": whereabouts_timeline(member)}


WHEREABOUTS = FileSection(
    key="whereabouts",
    title=_("Whereabouts history (流向台账)"),
    template_name="members/admin/file_whereabouts.html",
    get_context=whereabouts_context,
    order=10,
)
