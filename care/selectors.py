"""Reading care visits: a member's visits, and the members not going home at
New Year whom nobody has visited yet. Fixed query counts for any size."""

import datetime

from django.db.models import Exists, Max, OuterRef, Subquery

from courses.models import Pairing

from .models import CareVisit, NewYearStay, Reason

# The member file and the contact's page show this many visits.
VISITS_SHOWN = 30


def member_visits(member, limit: int = VISITS_SHOWN) -> list[CareVisit]:
    """The member's visits, newest first, with who recorded them (one query)."""
    return list(
        CareVisit.objects.filter(member=member)
        .select_related("recorded_by__profile")
        .order_by("-visited_on", "-pk")[:limit]
    )


def is_staying(member, festival_year: int) -> bool:
    return NewYearStay.objects.filter(
        member=member, festival_year=festival_year
    ).exists()


def new_year_visits(since: datetime.date):
    """Visits for "not going home at New Year" on or after `since`."""
    return CareVisit.objects.filter(reason=Reason.NEW_YEAR, visited_on__gte=since)


def with_contact(members):
    """Members annotated with their active study contact's name
    (`contact_name`) and mobile (`contact_mobile`)."""
    active = Pairing.objects.active().filter(member=OuterRef("pk"))
    return members.annotate(
        contact_name=Subquery(active.values("contact__real_name")[:1]),
        contact_mobile=Subquery(active.values("contact__mobile")[:1]),
    )


def not_visited(members, festival_year: int, since: datetime.date):
    """Of `members` (a MemberProfile queryset), those marked as not going home
    for the festival of `festival_year` with no New Year visit since `since`;
    annotated with their contact and their last New Year visit ever."""
    stays = NewYearStay.objects.filter(
        member=OuterRef("pk"), festival_year=festival_year
    )
    visited = new_year_visits(since).filter(member=OuterRef("pk"))
    last = (
        CareVisit.objects.filter(member=OuterRef("pk"), reason=Reason.NEW_YEAR)
        .values("member")
        .annotate(last=Max("visited_on"))
        .values("last")
    )
    return with_contact(
        members.filter(Exists(stays)).exclude(Exists(visited))
    ).annotate(last_new_year_visit=Subquery(last[:1]))
