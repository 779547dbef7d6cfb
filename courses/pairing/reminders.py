"""Study reminders: a weekly digest for each study contact of their red
and amber members, and a reminder for each member with an overdue plan item.

Run daily from cron (`manage.py send_study_reminders`). Each reminder is first
claimed in `ReminderSent` under a unique (kind, person, day) key, so running
twice in a day, or on two servers at once, sends nothing twice; a person gets
each kind at most once every REMINDER_INTERVAL_DAYS. Members who turned
reminders off on their profile get none. Each is a notice
(school.notices.notify): on the site, and by SMS or e-mail as the person chose.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from school.members.models import MemberProfile
from school.notices.services import notify
from school.site import absolute_url

from ..models import Pairing, ReminderSent, StudyPlan
from . import selectors

REMINDER_INTERVAL_DAYS = 7
CHUNK = 500


def _recently_sent(kind: str, today: datetime.date) -> set[int]:
    since = today - datetime.timedelta(days=REMINDER_INTERVAL_DAYS - 1)
    return set(
        ReminderSent.objects.filter(
            kind=kind, sent_on__gte=since, sent_on__lte=today
        ).values_list("user_id", flat=True)
    )


def _claim(kind: str, user_id: int, today: datetime.date, detail: str) -> bool:
    """Record the e-mail before sending it; False if already sent today."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                kind=kind, user_id=user_id, sent_on=today, detail=detail
            )
    except IntegrityError:
        return False
    return True


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ReminderCounts:
    digests: int = 0
    overdue: int = 0


def contact_digests_send(*, today: datetime.date) -> int:
    """The weekly digest of red and amber members for each study contact."""
    kind = ReminderSent.Kind.CONTACT_DIGEST
    skip = _recently_sent(kind, today)
    pairings = (
        Pairing.objects.active()
        .filter(contact__status=MemberProfile.Status.CONFIRMED)
        .filter(contact__study_reminders=True)
        .exclude(contact__user_id__in=skip)
        .select_related("member__branch", "contact__user")
        .order_by("contact_id", "pk")
    )
    by_contact = defaultdict(list)
    for chunk in _chunks(pairings):
        for card in selectors.cards_for(chunk, today):
            if card.flag:
                by_contact[card.pairing.contact].append(card)
    sent = 0
    dashboard_url = absolute_url(reverse("courses:contact_dashboard"))
    for contact, cards in by_contact.items():
        cards.sort(key=lambda card: card.sort_key)
        red = [card for card in cards if card.flag == selectors.RED]
        amber = [card for card in cards if card.flag == selectors.AMBER]
        detail = "、".join(card.member.real_name for card in cards)
        if not _claim(kind, contact.user_id, today, detail):
            continue
        notify(
            contact.user,
            "contact_digest",
            {
                "count": len(cards),
                "contact": contact,
                "red": red,
                "amber": amber,
                "url": dashboard_url,
                "no_study_days": selectors.NO_STUDY_DAYS,
                "no_contact_days": selectors.NO_CONTACT_DAYS,
            },
        )
        sent += 1
    return sent


def overdue_reminders_send(*, today: datetime.date) -> int:
    """A reminder for each member with an overdue plan item."""
    kind = ReminderSent.Kind.OVERDUE
    since = today - datetime.timedelta(days=selectors.OVERDUE_LOOKBACK_DAYS)
    branch_ids = set(
        StudyPlan.objects.filter(due_date__lt=today, due_date__gte=since).values_list(
            "branch_id", flat=True
        )
    )
    if not branch_ids:
        return 0
    members = (
        MemberProfile.objects.confirmed()
        .filter(branch_id__in=branch_ids, study_reminders=True)
        .exclude(user_id__in=_recently_sent(kind, today))
        .select_related("user")
        .order_by("pk")
    )
    study_url = absolute_url(reverse("courses:my_study"))
    sent = 0
    for chunk in _chunks(members):
        statuses = selectors.plan_status(chunk, today)
        for member in chunk:
            overdue = statuses[member.pk].overdue
            if not overdue:
                continue
            detail = "；".join(plan.title for plan, _missing in overdue)
            if not _claim(kind, member.user_id, today, detail):
                continue
            notify(
                member.user,
                "overdue_reminder",
                {"member": member, "overdue": overdue, "url": study_url},
            )
            sent += 1
    return sent


def reminders_send(*, today: datetime.date | None = None) -> ReminderCounts:
    """Both kinds of reminder for `today`; safe to run more than once a day."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return ReminderCounts(
            digests=contact_digests_send(today=today),
            overdue=overdue_reminders_send(today=today),
        )
