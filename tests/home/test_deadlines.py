"""The two-working-day rule: weekends, public holidays, adjusted Saturdays."""

import datetime
import zoneinfo

import pytest

from home.mailbox.deadlines import WorkCalendar, due_date, working_days_after
from home.mailbox.models import CalendarDay

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PLAIN = WorkCalendar()


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("arrived", "due"),
    [
        ("2026-03-02", "2026-03-04"),  # Monday → Wednesday
        ("2026-03-04", "2026-03-06"),  # Wednesday → Friday
        ("2026-03-05", "2026-03-09"),  # Thursday → Monday, over the weekend
        ("2026-03-06", "2026-03-10"),  # Friday → Tuesday
        ("2026-03-07", "2026-03-10"),  # Saturday → Tuesday
        ("2026-03-08", "2026-03-10"),  # Sunday → Tuesday
    ],
)
def test_weekends_are_skipped(arrived, due):
    assert working_days_after(d(arrived), 2, PLAIN) == d(due)


def test_public_holidays_are_skipped():
    # 2026's National Day week: 1–7 October off.
    holidays = {d("2026-10-01") + datetime.timedelta(days=n) for n in range(7)}
    calendar = WorkCalendar(holidays=holidays)

    assert working_days_after(d("2026-09-30"), 2, calendar) == d("2026-10-09")


def test_a_holiday_on_a_weekday_in_the_middle_counts_as_a_day_off():
    calendar = WorkCalendar(holidays={d("2026-05-01")})  # a Friday

    assert working_days_after(d("2026-04-30"), 2, calendar) == d("2026-05-05")


def test_an_adjusted_working_saturday_counts_as_a_working_day():
    calendar = WorkCalendar(workdays={d("2026-10-10")})  # a Saturday worked

    assert working_days_after(d("2026-10-09"), 2, calendar) == d("2026-10-12")
    assert working_days_after(d("2026-10-08"), 2, calendar) == d("2026-10-10")


def test_holidays_and_adjusted_days_together():
    # Off Thursday 1 Oct to Wednesday 7 Oct; Saturday 10 Oct worked.
    holidays = {d("2026-10-01") + datetime.timedelta(days=n) for n in range(7)}
    calendar = WorkCalendar(holidays=holidays, workdays={d("2026-10-10")})

    assert working_days_after(d("2026-10-02"), 2, calendar) == d("2026-10-09")
    assert working_days_after(d("2026-10-09"), 1, calendar) == d("2026-10-10")


@pytest.mark.django_db
def test_due_date_reads_the_editable_calendar_in_local_time():
    CalendarDay.objects.create(date=d("2026-03-09"), kind="holiday", name="测试假日")
    CalendarDay.objects.create(date=d("2026-03-14"), kind="workday", name="调休")
    # Friday 16:30 in Shanghai; 08:30 UTC.
    friday = datetime.datetime(2026, 3, 6, 16, 30, tzinfo=SHANGHAI)

    assert due_date(friday) == d("2026-03-11")
    # Thursday 12 March + two working days = Friday 13, Saturday 14 (worked).
    assert due_date(datetime.datetime(2026, 3, 12, 9, tzinfo=SHANGHAI)) == d(
        "2026-03-14"
    )


@pytest.mark.django_db
def test_late_evening_utc_is_the_next_local_day():
    # 2026-03-05 20:00 UTC is Friday 04:00 in Shanghai.
    arrived = datetime.datetime(2026, 3, 5, 20, tzinfo=datetime.UTC)

    assert due_date(arrived) == d("2026-03-10")
