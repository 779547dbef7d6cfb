"""The member's own dues page: their months paid and owed, nobody else's."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school.members.decorators import confirmed_member_required

from . import selectors


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if today.year - 10 <= year <= today.year + 1 else today.year


@require_GET
@confirmed_member_required
def my_dues(request):
    member = request.user.confirmed_profile
    today = timezone.localdate()
    year = _year(request, today)
    dues = selectors.member_dues_year(member, year, today)
    return render(
        request,
        "dues/my_dues.html",
        {
            "member": member,
            "year": year,
            "dues": dues,
            "payments": list(selectors.member_payments(member, year)),
            "years": [today.year + 1, today.year, today.year - 1, today.year - 2],
            "current_rate": selectors.rates_of([member.pk], today).get(member.pk),
        },
    )
