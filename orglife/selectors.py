"""Reading organisational life: what a branch held against what it should,
and how often each member took part. Fixed query counts for any size."""

import datetime
import math

from django.db.models import Count, Q

from .models import (
    DEFAULT_FREQUENCIES,
    MONTHS_PER_PERIOD,
    PERIODS_PER_YEAR,
    Attendance,
    Frequency,
    Kind,
    Meeting,
    MeetingRequirement,
)


def months_elapsed(year: int, today: datetime.date) -> int:
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month


def expected(frequency: str, year: int, today: datetime.date) -> tuple[int, int]:
    """(meetings expected in the whole year, expected by now: every period
    begun counts)."""
    whole = PERIODS_PER_YEAR[frequency]
    if not whole:
        return 0, 0
    begun = math.ceil(months_elapsed(year, today) / MONTHS_PER_PERIOD[frequency])
    return whole, begun


def frequencies(branch_ids) -> dict[int, dict[str, str]]:
    """{branch id: {kind: frequency}} with the defaults filled in."""
    result = {pk: dict(DEFAULT_FREQUENCIES) for pk in branch_ids}
    rows = MeetingRequirement.objects.filter(branch_id__in=branch_ids).values_list(
        "branch_id", "kind", "frequency"
    )
    for branch_id, kind, frequency in rows:
        result[branch_id][kind] = frequency
    return result


def held_counts(branch_ids, year: int, today: datetime.date) -> dict[tuple, int]:
    """{(branch id, kind): meetings held in the year up to today}."""
    rows = (
        Meeting.objects.filter(
            branch_id__in=branch_ids, held_on__year=year, held_on__lte=today
        )
        .values_list("branch_id", "kind")
        .annotate(n=Count("pk"))
    )
    return {(branch_id, kind): n for branch_id, kind, n in rows}


def branch_years(branch_ids, year: int, today: datetime.date) -> dict[int, list]:
    """{branch id: [(kind, held, expected by now, expected in year), …]}."""
    branch_ids = list(branch_ids)
    held = held_counts(branch_ids, year, today)
    wanted = frequencies(branch_ids)
    result = {}
    for branch_id in branch_ids:
        rows = []
        for kind in Kind:
            frequency = wanted[branch_id].get(kind, Frequency.NONE)
            whole, by_now = expected(frequency, year, today)
            rows.append((kind, held.get((branch_id, kind), 0), by_now, whole))
        result[branch_id] = rows
    return result


def participation_counts(year: int):
    """Annotations for member rows: their attendance rows of the year."""
    in_year = Q(meeting_attendances__meeting__held_on__year=year)

    def count(**extra):
        condition = in_year
        for name, value in extra.items():
            condition &= Q(**{f"meeting_attendances__{name}": value})
        return Count("meeting_attendances", filter=condition)

    return {
        "recorded": count(),
        "present": count(status=Attendance.Status.PRESENT),
        "on_leave": count(status=Attendance.Status.LEAVE),
        "absent": count(status=Attendance.Status.ABSENT),
        "online": count(status=Attendance.Status.PRESENT, way=Attendance.Way.ONLINE),
        "nearby": count(status=Attendance.Status.PRESENT, way=Attendance.Way.NEARBY),
    }


def rate(present: int, recorded: int) -> int | None:
    """Percent present of the meetings the member was recorded at."""
    if not recorded:
        return None
    return round(100 * present / recorded)


def member_year(member, year: int) -> dict:
    rows = list(
        Attendance.objects.filter(member=member, meeting__held_on__year=year)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting__pk")
    )
    present = sum(1 for r in rows if r.status == Attendance.Status.PRESENT)
    return {
        "rows": rows,
        "recorded": len(rows),
        "present": present,
        "on_leave": sum(1 for r in rows if r.status == Attendance.Status.LEAVE),
        "absent": sum(1 for r in rows if r.status == Attendance.Status.ABSENT),
        "rate": rate(present, len(rows)),
    }
