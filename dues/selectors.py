"""Reading the dues ledger: each member's twelve months of a year.

Every reader here costs a fixed number of queries whatever the number of
members: the rates and the months paid of all the members asked for are read
at once and put together in Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
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


class YearDues:
    """One member's dues over one year, as of `today`: the state, the amount
    due and what was paid in each month, and the year's totals.

    A ledger holds one of these for each of thousands of members: the months
    are kept as three tuples and the totals are worked out once, so that a
    year costs a handful of objects (the garbage collector's full passes over
    tens of thousands of cells cost more than the ledger's queries). `cells`
    gives the months as objects for one member's page.
    """

    __slots__ = (
        "year",
        "states",
        "dues",
        "paid",
        "due_to_date",
        "paid_total",
        "owed_total",
        "owed_count",
        "paid_months",
    )

    def __init__(self, year: int, states: tuple, dues: tuple, paid: tuple):
        self.year = year
        self.states = states
        self.dues = dues
        self.paid = paid  # (amount, paid on) or None, month by month
        due_to_date = paid_total = owed_total = ZERO
        owed_count = paid_months = 0
        for state, due, payment in zip(states, dues, paid, strict=True):
            if due and state != State.NOT_YET_DUE:
                due_to_date += due
            if payment is not None:
                paid_total += payment[0]
                paid_months += 1
            elif state == State.OWED:
                owed_total += due
                owed_count += 1
        self.due_to_date = due_to_date
        self.paid_total = paid_total
        self.owed_total = owed_total
        self.owed_count = owed_count
        self.paid_months = paid_months

    @property
    def cells(self) -> list[MonthCell]:
        return [
            MonthCell(month, state, due, *(payment or (None, None)))
            for month, state, due, payment in zip(
                year_months(self.year), self.states, self.dues, self.paid, strict=True
            )
        ]

    @property
    def owed_months(self) -> list[MonthCell]:
        return [c for c in self.cells if c.state == State.OWED]


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


def paid_months_of(member_ids, year: int) -> dict[int, dict[int, tuple]]:
    """{member id: {month number: (amount, paid on)}} for the year."""
    rows = DuesMonth.objects.filter(
        member_id__in=member_ids,
        month__gte=datetime.date(year, 1, 1),
        month__lte=datetime.date(year, 12, 1),
    ).values_list("member_id", "month", "amount", "payment__paid_on")
    paid = defaultdict(dict)
    for member_id, month, amount, paid_on in rows:
        paid[member_id][month.month] = (amount, paid_on)
    return paid


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
    nothing_paid = {}
    result = {}
    for member_id in member_ids:
        member_rates = rates.get(member_id, ())
        dues = tuple(due_in(member_rates, month) for month in months)
        member_paid = paid.get(member_id, nothing_paid)
        states, payments = [], []
        for month, due in zip(months, dues, strict=True):
            payment = member_paid.get(month.month)
            payments.append(payment)
            if payment is not None:
                states.append(State.PAID)
            elif due is None:
                states.append(State.NO_AMOUNT)
            elif month > this_month:
                states.append(State.NOT_YET_DUE)
            elif due == 0:
                states.append(State.EXCUSED)
            else:
                states.append(State.OWED)
        result[member_id] = YearDues(year, tuple(states), dues, tuple(payments))
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
