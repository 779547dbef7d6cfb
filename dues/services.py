"""Recording party dues: amounts and payments, each checked before it is kept."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.members import scope

from .models import (
    MAX_MONTHLY_AMOUNT,
    MAX_MONTHS,
    DuesMonth,
    DuesPayment,
    DuesRate,
    add_months,
    month_range_label,
    month_start,
)
from .selectors import due_in, rates_of

CENT = Decimal("0.01")


def _check_member(member, by) -> None:
    if not scope.can_see(by, member):
        raise ValidationError(
            {"member": _("This member does not belong to a branch you organise.")}
        )
    if not member.is_confirmed:
        raise ValidationError(
            {"member": _("Dues are kept for confirmed members of the branch only.")}
        )


def amount_check(amount: Decimal, *, field, limit, zero_ok: bool) -> None:
    """Yuan with two decimals, not negative (nor 0 unless `zero_ok`), not
    absurd (above `limit`, a monthly amount's limit by default)."""
    limit = limit if limit is not None else MAX_MONTHLY_AMOUNT

    def refuse(message):
        raise ValidationError({field: message} if field else message)

    if amount is None:
        refuse(_("Enter an amount."))
    if amount != amount.quantize(CENT):
        refuse(_("Amounts are in yuan with at most two decimals (fen)."))
    if amount < 0 or (amount == 0 and not zero_ok):
        refuse(
            _("The amount must be more than 0 yuan.")
            if not zero_ok
            else _("The amount cannot be negative.")
        )
    if amount > limit:
        refuse(
            _(
                "%(amount)s yuan is more than any member's dues "
                "(at most %(limit)s yuan); check the figure."
            )
            % {"amount": amount, "limit": limit}
        )


@transaction.atomic
def dues_rate_set(
    *,
    member,
    monthly_amount: Decimal,
    applies_from: datetime.date,
    by,
    note: str = "",
) -> DuesRate:
    """Set a member's monthly amount from a month on; earlier ones stay."""
    _check_member(member, by)
    amount_check(
        monthly_amount, field="monthly_amount", limit=MAX_MONTHLY_AMOUNT, zero_ok=True
    )
    applies_from = month_start(applies_from)
    if DuesRate.objects.filter(member=member, applies_from=applies_from).exists():
        raise ValidationError(
            {
                "applies_from": _(
                    "%(name)s already has an amount from %(month)s; change that "
                    "one instead."
                )
                % {"name": member.real_name, "month": f"{applies_from:%Y-%m}"}
            }
        )
    return DuesRate.objects.create(
        member=member,
        monthly_amount=monthly_amount,
        applies_from=applies_from,
        note=note,
        set_by=by,
    )


@transaction.atomic
def dues_payment_record(
    *,
    member,
    paid_on: datetime.date,
    first_month: datetime.date,
    months: int,
    amount: Decimal,
    method: str,
    by,
    paid_by: str = "",
    whole_year: bool = False,
    note: str = "",
) -> DuesPayment:
    """Record money paid for whole months; each month can be paid only once,
    and the amount must be the dues of the months it covers."""
    _check_member(member, by)
    if whole_year:
        # 年初一次交齐: January to December of the year named.
        first_month, months = datetime.date(first_month.year, 1, 1), 12
    first_month = month_start(first_month)
    if not 1 <= (months or 0) <= MAX_MONTHS:
        raise ValidationError({"months": _("A payment covers 1 to 12 months.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The date paid cannot be in the future.")})
    method = method or ""
    paid_by = (paid_by or "").strip()
    if method == DuesPayment.Method.ON_BEHALF and not paid_by:
        raise ValidationError(
            {"paid_by": _("Say who paid on the member's behalf (代缴).")}
        )
    if method != DuesPayment.Method.ON_BEHALF:
        paid_by = ""
    amount_check(
        amount, field="amount", limit=MAX_MONTHLY_AMOUNT * MAX_MONTHS, zero_ok=False
    )

    covered = [add_months(first_month, n) for n in range(months)]
    label = month_range_label(covered[0], covered[-1])
    rates = rates_of([member.pk], covered[-1]).get(member.pk, [])
    dues = {month: due_in(rates, month) for month in covered}
    unset = [month for month, due in dues.items() if due is None]
    if unset:
        raise ValidationError(
            {
                "first_month": _(
                    "No monthly amount is set for %(name)s for %(months)s: set "
                    "it first under 党费标准."
                )
                % {"name": member.real_name, "months": _months_list(unset)}
            }
        )
    already = list(
        DuesMonth.objects.filter(member=member, month__in=covered)
        .order_by("month")
        .values_list("month", flat=True)
    )
    if already:
        raise ValidationError(
            {
                "first_month": _(
                    "%(months)s already paid: a month's dues are recorded once."
                )
                % {"months": _months_list(already)}
            }
        )
    expected = sum(dues.values(), Decimal("0.00"))
    if amount != expected:
        raise ValidationError(
            {
                "amount": _(
                    "The dues for %(period)s are %(expected)s yuan; the amount "
                    "entered is %(amount)s yuan."
                )
                % {"period": label, "expected": expected, "amount": amount}
            }
        )
    payment = DuesPayment.objects.create(
        member=member,
        paid_on=paid_on,
        first_month=first_month,
        months=months,
        amount=amount,
        method=method,
        paid_by=paid_by,
        whole_year=whole_year,
        note=note,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            DuesMonth.objects.bulk_create(
                DuesMonth(payment=payment, member=member, month=month, amount=due)
                for month, due in dues.items()
            )
    except IntegrityError as error:
        # Another organiser recorded the same month at the same moment.
        raise ValidationError(
            {"first_month": _("Some of these months were just recorded as paid.")}
        ) from error
    return payment


def _months_list(months) -> str:
    return "、".join(f"{m.year}年{m.month}月" for m in months)
