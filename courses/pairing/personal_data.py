"""Pairings in a member's data download, and what account deletion does to
them. Thinking reports and monthly reports are the contact's notes to the
branch about the member: they are never given to the member themself."""

from ..models import ContactLog, MonthlyReport, Pairing
from . import services


def export_pairings(user) -> dict:
    as_member = Pairing.objects.filter(member__user=user).select_related("contact")
    as_contact = Pairing.objects.filter(contact__user=user).select_related("member")
    return {
        "my_study_contacts": [
            {
                "contact": pairing.contact.real_name,
                "started_on": pairing.started_on,
                "ended_on": pairing.ended_on,
            }
            for pairing in as_member.order_by("started_on", "pk")
        ],
        "members_i_helped": [
            {
                "member": pairing.member.real_name,
                "started_on": pairing.started_on,
                "ended_on": pairing.ended_on,
            }
            for pairing in as_contact.order_by("started_on", "pk")
        ],
    }


def export_contacts(user) -> list[dict]:
    """Contacts logged with the member: notices in full, other contacts by
    date and kind only; thinking reports not at all."""
    logs = (
        ContactLog.objects.filter(pairing__member__user=user)
        .exclude(kind=ContactLog.Kind.REPORT)
        .select_related("pairing__contact")
        .order_by("date", "pk")
    )
    return [
        {
            "date": log.date,
            "kind": log.kind,
            "contact": log.pairing.contact.real_name,
            "note": log.note if log.kind in ContactLog.MEMBER_VISIBLE else None,
        }
        for log in logs
    ]


def anonymise_pairings(user) -> None:
    # What contacts wrote about the member goes; dates and minutes stay for the
    # branch's statistics.
    ContactLog.objects.filter(pairing__member__user=user).update(note="")
    MonthlyReport.objects.filter(pairing__member__user=user).update(note="", summary="")
    # A contact who leaves can no longer help: their members become unpaired.
    profile = getattr(user, "profile", None)
    if profile is not None:
        services.pairings_end_for_contact(contact=profile)
