"""Dues amounts and payments: what is kept and what is refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dues import services
from dues.models import DuesMonth, DuesPayment, DuesRate
from dues.selectors import State, member_dues_year
from tests.members import factories

from . import factories as df

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def branch():
    return factories.branch()


@pytest.fixture
def organiser(branch):
    return factories.organiser(branch)


@pytest.fixture
def member(branch, organiser):
    member = factories.member(branch)
    df.rate(member, "20.00", JAN, by=organiser)
    return member


def messages_of(error) -> str:
    return " ".join(error.value.messages)


def test_a_whole_year_paid_at_once_covers_twelve_months(member, organiser):
    payment = df.pay(
        member, JAN.replace(month=5), 1, "240.00", organiser, whole_year=True
    )
    assert (payment.first_month, payment.months) == (JAN, 12)
    assert DuesMonth.objects.filter(member=member).count() == 12
    year = member_dues_year(member, 2026, datetime.date(2026, 3, 10))
    assert year.paid_months == 12 and year.owed_total == 0
    assert year.paid_total == Decimal("240.00")


def test_unpaid_months_to_date_are_owed_and_later_ones_not_yet_due(member, organiser):
    df.pay(member, JAN, 2, "40.00", organiser)
    year = member_dues_year(member, 2026, datetime.date(2026, 4, 30))
    states = [cell.state for cell in year.cells]
    assert states[:2] == [State.PAID, State.PAID]
    assert states[2:4] == [State.OWED, State.OWED]
    assert set(states[4:]) == {State.NOT_YET_DUE}
    assert year.owed_total == Decimal("40.00")
    assert year.due_to_date == Decimal("80.00")


def test_a_new_amount_applies_from_its_month_and_the_old_one_stays(member, organiser):
    df.rate(member, "30.00", datetime.date(2026, 7, 1), by=organiser)
    assert DuesRate.objects.filter(member=member).count() == 2
    with pytest.raises(ValidationError) as error:
        df.pay(member, JAN, 12, "240.00", organiser)
    assert "300.00" in messages_of(error)
    df.pay(member, JAN, 12, "300.00", organiser)
    cells = member_dues_year(member, 2026, datetime.date(2026, 12, 1)).cells
    assert cells[5].paid == Decimal("20.00") and cells[6].paid == Decimal("30.00")


def test_a_month_paid_twice_is_refused_and_the_first_payment_stays(member, organiser):
    first = df.pay(member, JAN, 3, "60.00", organiser)
    with pytest.raises(ValidationError) as error:
        df.pay(member, JAN.replace(month=3), 2, "40.00", organiser)
    assert "2026年3月" in messages_of(error)
    assert list(DuesPayment.objects.all()) == [first]
    assert DuesMonth.objects.count() == 3


@pytest.mark.parametrize(
    ("amount", "words"),
    [("-20.00", "大于 0 元"), ("0", "大于 0 元"), ("99999.00", "最多")],
)
def test_negative_zero_and_absurd_amounts_are_refused(member, organiser, amount, words):
    with pytest.raises(ValidationError) as error:
        df.pay(member, JAN, 1, amount, organiser)
    assert words in messages_of(error)
    assert not DuesPayment.objects.exists()


def test_an_absurd_or_negative_monthly_amount_is_refused(member, organiser):
    for amount in ("-1.00", "12000.00", "1.005"):
        with pytest.raises(ValidationError):
            df.rate(member, amount, datetime.date(2026, 8, 1), by=organiser)
    assert DuesRate.objects.filter(member=member).count() == 1


def test_a_member_of_another_branch_is_refused(organiser):
    other = factories.member(factories.branch())
    df.rate(other, "20.00", JAN)
    with pytest.raises(ValidationError) as error:
        df.pay(other, JAN, 1, "20.00", organiser)
    assert "不属于" in messages_of(error)
    with pytest.raises(ValidationError):
        df.rate(other, "10.00", datetime.date(2026, 5, 1), by=organiser)


def test_months_without_an_amount_cannot_be_paid(member, organiser):
    with pytest.raises(ValidationError) as error:
        df.pay(member, datetime.date(2025, 11, 1), 3, "60.00", organiser)
    assert "2025年11月" in messages_of(error)


def test_paid_on_behalf_names_who_paid(member, organiser):
    with pytest.raises(ValidationError) as error:
        df.pay(member, JAN, 1, "20.00", organiser, method="on_behalf")
    assert "paid_by" in error.value.message_dict
    payment = df.pay(
        member, JAN, 1, "20.00", organiser, method="on_behalf", paid_by="张父"
    )
    assert payment.paid_by == "张父"


def test_a_payment_dated_in_the_future_is_refused(member, organiser):
    with pytest.raises(ValidationError):
        df.pay(
            member,
            JAN,
            1,
            "20.00",
            organiser,
            paid_on=datetime.date.today() + datetime.timedelta(days=2),
        )


def test_a_member_excused_from_dues_owes_nothing(member, organiser):
    df.rate(member, "0.00", datetime.date(2026, 2, 1), by=organiser)
    df.pay(member, JAN, 1, "20.00", organiser)
    year = member_dues_year(member, 2026, datetime.date(2026, 6, 1))
    assert year.owed_total == 0
    assert year.cells[1].state == State.EXCUSED
    with pytest.raises(ValidationError):
        services.dues_payment_record(
            member=member,
            paid_on=datetime.date(2026, 2, 2),
            first_month=datetime.date(2026, 2, 1),
            months=1,
            amount=Decimal("0.00"),
            method="in_person",
            by=organiser,
        )
