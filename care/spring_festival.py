"""Spring Festival (春节, the first day of the lunar year) dates, 2020–2050.

A table rather than a lunar-calendar dependency: the school needs one date a
year, and thirty-one dates are easier to check than a library. Checked against
the `lunardate` package's conversion of 正月初一 for every year listed.
"""

import datetime

SPRING_FESTIVAL = {
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
    2033: (1, 31),
    2034: (2, 19),
    2035: (2, 8),
    2036: (1, 28),
    2037: (2, 15),
    2038: (2, 4),
    2039: (1, 24),
    2040: (2, 12),
    2041: (2, 1),
    2042: (1, 22),
    2043: (2, 10),
    2044: (1, 30),
    2045: (2, 17),
    2046: (2, 6),
    2047: (1, 26),
    2048: (2, 14),
    2049: (2, 2),
    2050: (1, 23),
}
FIRST_YEAR, LAST_YEAR = min(SPRING_FESTIVAL), max(SPRING_FESTIVAL)

# The festival season runs to the Lantern Festival (正月十五): until then the
# organisers still work on this year's festival.
SEASON_DAYS = 14
# A visit for "not going home at New Year" counts for the festival from this
# many days before it (the month of 送温暖 visits).
VISITS_COUNT_FROM_DAYS = 30


def festival_date(year: int) -> datetime.date:
    """The Spring Festival of `year` (KeyError outside 2020–2050)."""
    month, day = SPRING_FESTIVAL[year]
    return datetime.date(year, month, day)


def coming_festival_year(today: datetime.date) -> int:
    """The year of the festival the branch is preparing for: this year's until
    its season ends, then next year's."""
    year = today.year
    if year in SPRING_FESTIVAL and today <= festival_date(year) + datetime.timedelta(
        days=SEASON_DAYS
    ):
        return year
    return min(year + 1, LAST_YEAR)


def visits_count_from(year: int) -> datetime.date:
    """The first day a New Year visit counts for the festival of `year`."""
    return festival_date(year) - datetime.timedelta(days=VISITS_COUNT_FROM_DAYS)
