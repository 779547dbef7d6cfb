"""Care visits in a member's data download, and what account deletion does
to them.

What a contact or organiser wrote after a visit is their note to the branch
about the member, like a thinking report: the download lists each visit by
date, way, reason and visitor (the member knows they were visited, and by
whom), without those notes. Deleting the account blanks the notes (health
and hardship are sensitive facts) and keeps the dated rows for the branch's
count of visits made.
"""

from .models import CareVisit, NewYearStay


def export_care(user) -> dict:
    profile = getattr(user, "profile", None)
    if profile is None:
        return {"visits": [], "not_going_home_at_new_year": []}
    visits = (
        CareVisit.objects.filter(member=profile)
        .select_related("recorded_by__profile")
        .order_by("visited_on", "pk")
    )
    return {
        "visits": [
            {
                "date": visit.visited_on,
                "way": visit.way,
                "reason": visit.reason,
                "visited_by": visit.recorded_by_text,
            }
            for visit in visits
        ],
        "not_going_home_at_new_year": list(
            NewYearStay.objects.filter(member=profile)
            .order_by("festival_year")
            .values_list("festival_year", flat=True)
        ),
    }


def anonymise_care(user) -> None:
    CareVisit.objects.filter(member__user=user).update(done="—", still_open="")
    NewYearStay.objects.filter(member__user=user).update(note="")
