"""The dues part of a member's data download."""

from .models import DuesPayment, DuesRate


def export_dues(user) -> dict:
    profile = getattr(user, "profile", None)
    if profile is None:
        return {"monthly_amounts": [], "payments": []}
    rates = DuesRate.objects.filter(member=profile).order_by("applies_from")
    payments = (
        DuesPayment.objects.filter(member=profile)
        .prefetch_related("covered_months")
        .order_by("paid_on", "pk")
    )
    return {
        "monthly_amounts": [
            {"applies_from": r.applies_from, "monthly_amount": r.monthly_amount}
            for r in rates
        ],
        "payments": [
            {
                "paid_on": p.paid_on,
                "months": [m.month.strftime("%Y-%m") for m in p.covered_months.all()],
                "amount": p.amount,
                "method": p.method,
                "paid_by": p.paid_by,
                "whole_year": p.whole_year,
            }
            for p in payments
        ],
    }
