"""Care visits for tests, recorded through the services as a person would."""

import datetime

from care import services


def visit(member, by, *, reason="hardship", visited_on=None, **kwargs):
    kwargs.setdefault("way", "visit")
    kwargs.setdefault("done", "上门了解困难，送去慰问金")
    return services.care_visit_record(
        member=member,
        by=by,
        reason=reason,
        visited_on=visited_on or datetime.date.today() - datetime.timedelta(days=1),
        **kwargs,
    )


def stay(member, by, festival_year):
    return services.new_year_stay_mark(
        member=member, festival_year=festival_year, by=by
    )
