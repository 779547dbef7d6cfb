"""The dues app's known of the member file (一人一档): this year's months paid
and owed, the monthly amount and the last payment."""

from django.utils.translation import gettext_lazy as _

from school.members.member_file import KNOWNS_SLOT, FileSection

from . import selectors
from .models import DuesPayment

VIEW_PAYMENTS = "dues.view_duespayment"


def dues_context(member, *, user, today):
    """Three queries whatever the member has paid: the rates, the months of
    the year and the newest payment."""
    if not user.has_perm(VIEW_PAYMENTS):
        return None
    year = selectors.member_dues_year(member, today.year, today)
    last = (
        DuesPayment.objects.filter(member=member)
        .order_by("-paid_on", "-pk")
        .only("paid_on", "first_month", "months", "amount", "method", "paid_by")
        .first()
    )
    return {
        "year": today.year,
        "dues": year,
        "paid_months": year.paid_months,
        "owed_months": len(year.owed_months),
        "owed_total": year.owed_total,
        "monthly_amount": year.cells[today.month - 1].due,
        "last_payment": last,
    }


SECTIONS = [
    FileSection(
        key="dues",
        slot=KNOWNS_SLOT,
        title=_("Party dues"),
        template_name="dues/admin/file_dues.html",
        get_context=dues_context,
    ),
]
