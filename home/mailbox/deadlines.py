"""The two-working-day rule (两日办结) as one pure function plus its calendar.

Weekdays are working days, Saturdays and Sundays are not, except where the
editable calendar (`CalendarDay` snippets) says otherwise: a public holiday is a
day off even on a weekday, an adjusted working day (调休) is a working day even
on a weekend.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.utils import timezone

WORKING_DAYS_TO_ANSWER = 2


@dataclass(frozen=True)
class WorkCalendar:
    holidays: Collection[datetime.date] = field(default_factory=frozenset)
    workdays: Collection[datetime.date] = field(default_factory=frozenset)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def working_days_after(
    start: datetime.date, days: int, calendar: WorkCalendar
) -> datetime.date:
    """The date `days` working days after `start` (the arrival day never counts).

    A question that arrives on Friday is due on Tuesday; one that arrives on a
    Saturday is due on Tuesday too.
    """
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def calendar_around(day: datetime.date) -> WorkCalendar:
    """The editable calendar's exceptions near `day` (a month either side is ample
    for two working days even across the Spring Festival week)."""
    from .models import CalendarDay

    window = (day - datetime.timedelta(days=31), day + datetime.timedelta(days=62))
    rows = CalendarDay.objects.filter(date__range=window).values_list("date", "kind")
    holidays = {d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY}
    workdays = {d for d, kind in rows if kind == CalendarDay.Kind.WORKDAY}
    return WorkCalendar(holidays=frozenset(holidays), workdays=frozenset(workdays))


def due_date(arrived_at: datetime.datetime) -> datetime.date:
    """The last day to answer something that arrived at `arrived_at`."""
    start = timezone.localdate(arrived_at)
    return working_days_after(start, WORKING_DAYS_TO_ANSWER, calendar_around(start))
