"""Demo dues: a monthly amount for the demo branch's members from January, the
demo member's whole year paid at once (年初一次交齐), a few months paid in
person or on a member's behalf (代缴), and some members owing. Idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from school.members.models import Branch, MemberProfile

from . import services
from .models import DuesPayment, DuesRate

BRANCH_CODE = "SZBA-LD01"
MONTHLY = Decimal("20.00")


def seed(*, stdout):
    branch = Branch.objects.filter(code=BRANCH_CODE).first()
    if branch is None:
        return []
    by = (
        branch.organisers.order_by("pk").first()
        or get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    )
    if by is None:
        return []
    today = timezone.localdate()
    january = datetime.date(today.year, 1, 1)
    members = {
        m.real_name: m for m in MemberProfile.objects.confirmed().filter(branch=branch)
    }
    for member in members.values():
        if not DuesRate.objects.filter(member=member).exists():
            services.dues_rate_set(
                member=member, monthly_amount=MONTHLY, applies_from=january, by=by
            )
    plans = [
        # name, months from January, how, paid by, whole year
        ("张伟", 12, DuesPayment.Method.TRANSFER, "", True),
        ("李明", 6, DuesPayment.Method.IN_PERSON, "", False),
        ("王芳", 3, DuesPayment.Method.ON_BEHALF, "王建国（父亲）", False),
    ]
    added = 0
    for name, months, method, paid_by, whole_year in plans:
        member = members.get(name)
        if member is None or DuesPayment.objects.filter(member=member).exists():
            continue
        services.dues_payment_record(
            member=member,
            paid_on=min(january + datetime.timedelta(days=7), today),
            first_month=january,
            months=months,
            amount=MONTHLY * months,
            method=method,
            paid_by=paid_by,
            whole_year=whole_year,
            by=by,
        )
        added += 1
    stdout.write(
        f"dues: {len(members)} members with an amount, {added} payment(s) added"
    )
    return []
