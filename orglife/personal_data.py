"""The organisational-life part of a member's data download."""

from .models import Attendance


def export_participation(user) -> list:
    profile = getattr(user, "profile", None)
    if profile is None:
        return []
    rows = (
        Attendance.objects.filter(member=profile)
        .select_related("meeting")
        .order_by("meeting__held_on", "pk")
    )
    return [
        {
            "date": row.meeting.held_on,
            "kind": row.meeting.kind,
            "topic": row.meeting.topic,
            "status": row.status,
            "way": row.way,
            "nearby_branch": row.nearby_branch,
            "leave_reason": row.leave_reason,
        }
        for row in rows
    ]
