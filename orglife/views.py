"""The member's own organisational life: their meetings, nobody else's."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school.members.decorators import confirmed_member_required

from . import selectors


@require_GET
@confirmed_member_required
def my_meetings(request):
    member = request.user.confirmed_profile
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not today.year - 10 <= year <= today.year:
        year = today.year
    context = selectors.member_year(member, year)
    context.update(
        member=member,
        year=year,
        years=[today.year, today.year - 1, today.year - 2],
    )
    return render(request, "orglife/my_meetings.html", context)
