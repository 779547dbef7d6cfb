"""Meetings for tests, recorded as an organiser would."""

import datetime

from orglife import services
from orglife.models import Meeting


def meeting(branch, kind="theme_day", held_on=None, topic="主题党日活动", **kwargs):
    return Meeting.objects.create(
        branch=branch,
        kind=kind,
        held_on=held_on or datetime.date.today() - datetime.timedelta(days=3),
        topic=topic,
        **kwargs,
    )


def attend(meeting, by, *entries):
    """entries: (member, status[, extra dict])."""
    rows = []
    for entry in entries:
        member, status, *extra = entry
        rows.append({"member": member, "status": status, **(extra[0] if extra else {})})
    return services.attendance_record(meeting=meeting, entries=rows, by=by)
