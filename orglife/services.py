"""Recording organisational life: meetings and who took part."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.members import scope

from .models import Attendance

MARKED_ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.ABSENT)


def future_meeting_refusal(meeting) -> str:
    return _(
        "This meeting is on %(date)s, after today: nobody can be marked present "
        "or absent yet (leave may be recorded in advance)."
    ) % {"date": f"{meeting.held_on:%Y-%m-%d}"}


def attendance_entry_errors(meeting, entry: dict, today) -> dict[str, str]:
    """What is wrong with one member's entry, by field ({} if nothing)."""
    status = entry.get("status") or ""
    errors = {}
    if status in MARKED_ATTENDED and meeting.held_on > today:
        errors["status"] = future_meeting_refusal(meeting)
    if (
        status == Attendance.Status.LEAVE
        and not (entry.get("leave_reason") or "").strip()
    ):
        errors["leave_reason"] = _("Give the reason for the leave.")
    if (
        status == Attendance.Status.PRESENT
        and entry.get("way") == Attendance.Way.NEARBY
        and not (entry.get("nearby_branch") or "").strip()
    ):
        errors["nearby_branch"] = _("Name the branch where the member took part.")
    return errors


@transaction.atomic
def attendance_record(*, meeting, entries: list[dict], by) -> int:
    """Keep who took part in `meeting`, one entry per member; an entry without
    a status removes the member's record. All entries are kept or none."""
    if not scope.can_see(by, meeting):
        raise ValidationError(_("This meeting is not one of your branches'."))
    today = timezone.localdate()
    problems = []
    for entry in entries:
        member = entry["member"]
        if member.branch_id != meeting.branch_id:
            problems.append(
                _("%(name)s is not a member of %(branch)s.")
                % {"name": member.real_name, "branch": meeting.branch.name}
            )
        for message in attendance_entry_errors(meeting, entry, today).values():
            problems.append(f"{member.real_name}：{message}")
    if problems:
        raise ValidationError(problems)

    existing = {
        row.member_id: row
        for row in Attendance.objects.filter(
            meeting=meeting, member__in=[e["member"] for e in entries]
        )
    }
    new, changed, removed = [], [], []
    for entry in entries:
        member, status = entry["member"], entry.get("status") or ""
        row = existing.get(member.pk)
        if not status:
            if row is not None:
                removed.append(row.pk)
            continue
        present = status == Attendance.Status.PRESENT
        way = (entry.get("way") or Attendance.Way.IN_PERSON) if present else ""
        values = {
            "status": status,
            "way": way,
            "nearby_branch": (entry.get("nearby_branch") or "").strip()
            if way == Attendance.Way.NEARBY
            else "",
            "leave_reason": (entry.get("leave_reason") or "").strip()
            if status == Attendance.Status.LEAVE
            else "",
        }
        if row is None:
            new.append(Attendance(meeting=meeting, member=member, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    Attendance.objects.filter(pk__in=removed).delete()
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(
        changed, ["status", "way", "nearby_branch", "leave_reason"]
    )
    return len(new) + len(changed)
