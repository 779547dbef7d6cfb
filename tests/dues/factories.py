"""Dues for tests, recorded through the dues services as an organiser would."""

import datetime
from decimal import Decimal

from dues import services


def rate(member, amount="20.00", applies_from=None, by=None):
    from tests.members import factories

    by = by or factories.superuser()
    return services.dues_rate_set(
        member=member,
        monthly_amount=Decimal(amount),
        applies_from=applies_from or datetime.date(2026, 1, 1),
        by=by,
    )


def pay(member, first_month, months, amount, by, **kwargs):
    kwargs.setdefault("paid_on", datetime.date(2026, 1, 5))
    kwargs.setdefault("method", "in_person")
    return services.dues_payment_record(
        member=member,
        first_month=first_month,
        months=months,
        amount=Decimal(amount),
        by=by,
        **kwargs,
    )
