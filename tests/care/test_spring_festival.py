import datetime

from care.spring_festival import (
    coming_festival_year,
    festival_date,
    visits_count_from,
)


def test_the_festival_dates_are_the_first_day_of_the_lunar_year():
    assert festival_date(2026) == datetime.date(2026, 2, 17)
    assert festival_date(2027) == datetime.date(2027, 2, 6)
    assert festival_date(2050) == datetime.date(2050, 1, 23)


def test_the_coming_festival_is_this_years_until_the_lantern_festival():
    assert coming_festival_year(datetime.date(2026, 12, 7)) == 2027
    assert coming_festival_year(datetime.date(2027, 1, 1)) == 2027
    assert coming_festival_year(datetime.date(2027, 2, 20)) == 2027
    assert coming_festival_year(datetime.date(2027, 2, 21)) == 2028


def test_new_year_visits_count_from_thirty_days_before():
    assert visits_count_from(2027) == datetime.date(2027, 1, 7)
