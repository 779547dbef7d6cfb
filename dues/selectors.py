"""Reading the dues ledger: each member's twelve months of a year.

Every reader here costs a fixed number of queries whatever the number of
members: the rates and the months paid of all the members asked for are read
at once and put together in Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import DuesMonth, DuesPayment, DuesRate

ZERO = Decimal("0.00")


class State:
    PAID = "paid"
    OWED = "owed"
    NOT_YET_DUE = "not_yet_due"
    EXCUSED = "excused"
    NO_AMOUNT = "no_amount"


STATE_LABELS = {
    State.PAID: _("Paid"),
    State.OWED: _("Owed"),
    State.NOT_YET_DUE: _("Not yet due"),
    State.EXCUSED: _("Excused"),
    State.NO_AMOUNT: _("No amount set"),
}


@dataclass
class MonthCell:
    month: datetime.date
    state: str
    due: Decimal | None
    paid: Decimal | None = None
    paid_on: datetime.date | None = None

    @property
    def label(self):
        return STATE_LABELS[self.state]


@dataclass
class YearDues:
    """One member's dues over one year, as of `today`."""

    year: int
    cells: list[MonthCell] = field(default_factory=list)

    @property
    def due_to_date(self) -> Decimal:
        return sum(
            (c.due for c in self.cells if c.due and c.state != State.NOT_YET_DUE),
            ZERO,
        )

    @property
    def paid_total(self) -> Decimal:
        return sum((c.paid for c in self.cells if c.paid is not None), ZERO)

    @property
    def owed_months(self) -> list[MonthCell]:
        return [c for c in self.cells if c.state == State.OWED]

    @property
    def owed_total(self) -> Decimal:
        return sum((c.due for c in self.owed_months), ZERO)

    @property
    def paid_months(self) -> int:
        return sum(1 for c in self.cells if c.state == State.PAID)


def year_months(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def rates_of(member_ids, until: datetime.date) -> dict[int, list[tuple]]:
    """{member id: [(applies_from, amount), …] oldest first} up to `until`."""
    rates = defaultdict(list)
    rows = (
        DuesRate.objects.filter(member_id__in=member_ids, applies_from__lte=until)
        .order_by("member_id", "applies_from")
        .values_list("member_id", "applies_from", "monthly_amount")
    )
    for member_id, applies_from, amount in rows:
        rates[member_id].append((applies_from, amount))
    return rates


def due_in(rates: list[tuple], month: datetime.date) -> Decimal | None:
    """The amount in force in `month`, None before the first rate."""
    due = None
    for applies_from, amount in rates:
        if applies_from > month:
            break
        due = amount
    return due


def paid_months_of(member_ids, year: int) -> dict[tuple[int, datetime.date], tuple]:
    """{(member id, month): (amount, paid on)} for the year."""
    rows = DuesMonth.objects.filter(
        member_id__in=member_ids,
        month__gte=datetime.date(year, 1, 1),
        month__lte=datetime.date(year, 12, 1),
    ).values_list("member_id", "month", "amount", "payment__paid_on")
    return {(m, month): (amount, paid_on) for m, month, amount, paid_on in rows}


def dues_years(members, year: int, today: datetime.date) -> dict[int, YearDues]:
    """Each member's year of dues; three queries for any number of members.

    `members` is a list of ids or a queryset of profiles; a queryset is passed
    to the database as a subquery (two thousand ids as parameters cost more
    than the query itself)."""
    if isinstance(members, QuerySet):
        selected = members.values("pk")
        member_ids = list(members.values_list("pk", flat=True))
    else:
        member_ids = selected = list(members)
    months = year_months(year)
    rates = rates_of(selected, months[-1])
    paid = paid_months_of(selected, year)
    this_month = today.replace(day=1)
    result = {}
    for member_id in member_ids:
        member_rates = rates.get(member_id, [])
        year_dues = YearDues(year=year)
        for month in months:
            due = due_in(member_rates, month)
            if (member_id, month) in paid:
                amount, paid_on = paid[(member_id, month)]
                cell = MonthCell(month, State.PAID, due, amount, paid_on)
            elif due is None:
                cell = MonthCell(month, State.NO_AMOUNT, None)
            elif month > this_month:
                cell = MonthCell(month, State.NOT_YET_DUE, due)
            elif due == 0:
                cell = MonthCell(month, State.EXCUSED, due)
            else:
                cell = MonthCell(month, State.OWED, due)
            year_dues.cells.append(cell)
        result[member_id] = year_dues
    return result


def member_dues_year(member, year: int, today: datetime.date) -> YearDues:
    return dues_years([member.pk], year, today)[member.pk]


def member_payments(member, year: int):
    """The payments that cover any month of the year, newest first."""
    return (
        DuesPayment.objects.filter(
            member=member,
            covered_months__month__year=year,
        )
        .distinct()
        .order_by("-paid_on", "-pk")
    )
