"""The salon's part of a member's data download and of deleting an account."""

from django.utils import timezone

from . import services
from .models import Registration, TopicSuggestion


def _profile(user):
    return getattr(user, "profile", None)


def export_salon_data(user) -> dict:
    profile = _profile(user)
    if profile is None:
        return {"registrations": [], "topic_suggestions": []}
    registrations = Registration.objects.filter(member=profile).select_related("salon")
    suggestions = TopicSuggestion.objects.filter(member=profile).select_related("salon")
    return {
        "registrations": [
            {
                "salon": r.salon.title,
                "starts_at": r.salon.starts_at,
                "status": r.status,
                "signed_up_at": r.queued_at,
                "confirmed_at": r.confirmed_at,
                "cancelled_at": r.cancelled_at,
                "checked_in_at": r.checked_in_at,
                "walk_in": r.walk_in,
            }
            for r in registrations
        ],
        "topic_suggestions": [
            {"salon": s.salon.title, "text": s.text, "suggested_at": s.created_at}
            for s in suggestions
        ],
    }


def anonymise_salon_data(user) -> None:
    """Free the deleted member's seats to come (the next in line gets them) and
    remove their topic texts; past attendance stays as anonymous rows."""
    profile = _profile(user)
    if profile is None:
        return
    upcoming = Registration.objects.active().filter(
        member=profile, salon__starts_at__gt=timezone.now()
    )
    for registration in upcoming:
        services.registration_cancel(registration=registration, user=user)
    TopicSuggestion.objects.filter(member=profile).delete()
