"""Reading member profiles for the branch ledgers, in a fixed number of queries
whatever the number of members."""

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Subquery, When

from .models import WhereaboutsEntry


def with_last_whereabouts_change(members):
    """Members annotated with the time of their latest whereabouts entry
    (`last_whereabouts_change`, None if none was ever kept)."""
    latest = (
        WhereaboutsEntry.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(last=Max("recorded_at"))
        .values("last")
    )
    return members.annotate(last_whereabouts_change=Subquery(latest[:1]))


def _city_unknown_last():
    return Case(When(current_city="", then=1), default=0, output_field=IntegerField())


def by_city(members):
    """Members ordered by current city, members with no city given last."""
    return members.order_by(
        _city_unknown_last(), "current_city", "branch__code", "real_name", "pk"
    )


def city_counts(members) -> list[tuple[str, int]]:
    """(city, number of members) for the cities of `members`, in `by_city`'s
    order ("" for members with no city given); one query."""
    rows = (
        members.order_by()
        .values("current_city")
        .annotate(count=Count("pk"), unknown=_city_unknown_last())
        .order_by("unknown", "current_city")
    )
    return [(row["current_city"], row["count"]) for row in rows]
