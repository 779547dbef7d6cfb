"""One way to tell a person something: `notify`.

Every notice is kept on the site (消息, /me/notices/); it also goes by SMS
and/or e-mail, as the person chose for its topic and as far as they have a
verified number and a usable address. Security codes go only to the number
they verify, and are never kept.
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from school import mail, sms
from school.members import scope
from school.members.models import MemberProfile, User
from school.site import absolute_url

from .kinds import CHANNELS, KINDS, TOPIC_CHOICES, Topic
from .models import BranchMessage, Notice

CHOOSABLE_TOPICS = {topic for topic, _label in TOPIC_CHOICES}


def short_link(notice: Notice) -> str:
    """The notice's own address, short enough for an SMS."""
    return absolute_url(reverse("notice_open", args=[notice.pk]))


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def has_phone(user) -> bool:
    return bool(user.phone and user.phone_verified)


def _email_usable(users) -> dict[int, bool]:
    """Whether each user's e-mail address may carry notices: not when allauth
    knows it as unverified (accounts made by staff have no such record)."""
    known: dict[tuple[int, str], bool] = {}
    rows = EmailAddress.objects.filter(user__in=[u.pk for u in users]).values_list(
        "user_id", "email", "verified"
    )
    for user_id, email, verified in rows:
        key = (user_id, email.lower())
        known[key] = known.get(key, False) or verified
    return {
        u.pk: bool(u.email) and known.get((u.pk, u.email.lower()), True) for u in users
    }


def default_channels(user, *, email_usable: bool) -> list[str]:
    """A person who chose nothing gets SMS when their number is verified, else
    e-mail: every notice reaches them once outside the site."""
    if has_phone(user):
        return ["sms"]
    return ["email"] if email_usable else []


def channels_for(user, topic: str, *, email_usable: bool) -> list[str]:
    chosen = (user.notice_channels or {}).get(topic)
    if chosen is None:
        chosen = default_channels(user, email_usable=email_usable)
    usable = {"sms": has_phone(user), "email": email_usable}
    return [channel for channel in CHANNELS if channel in chosen and usable[channel]]


def _render(kind, context: dict[str, Any]) -> tuple[str, str]:
    subject = " ".join((str(kind.subject) % context).split())
    body = render_to_string(kind.template, context) if kind.template else ""
    return subject, body


def _sms_text(kind, context: dict[str, Any], link: str) -> tuple[str, list[str]]:
    values = {**context, "link": link}
    return str(kind.sms) % values, [str(values[name]) for name in kind.sms_params]


def send_code(*, phone: str, code: str, minutes: int) -> None:
    """A verification or login code, by SMS to the number it is for."""
    kind = KINDS["phone_code"]
    with translation.override(settings.LANGUAGE_CODE):
        text, params = _sms_text(kind, {"code": code, "minutes": minutes}, "")
    sms.send(phone, text, kind="phone_code", params=params)


def send_account_exists(*, phone: str) -> None:
    """Tell a number's owner that someone signed up with it (allauth's
    enumeration protection keeps the form itself silent)."""
    kind = KINDS["phone_taken"]
    with translation.override(settings.LANGUAGE_CODE):
        text, params = _sms_text(kind, {}, absolute_url(reverse("account_login")))
    sms.send(phone, text, kind="phone_taken", params=params)


def notify(person, kind: str, context: dict[str, Any]) -> Notice | None:
    """Tell one person: on the site always, by SMS/e-mail as they chose.

    `context` fills the kind's texts; its "url" (a path or an absolute
    address) is where the notice leads.
    """
    if person is None or not person.is_active:
        return None
    notices = notify_many([person], kind, context)
    return notices[0] if notices else None


def notify_many(
    people: Iterable, kind: str, context: dict[str, Any], **notice_fields
) -> list[Notice]:
    """Tell each person once the same thing (one rendering, a constant number
    of queries); returns the notices kept on the site."""
    spec = KINDS[kind]
    people = list({p.pk: p for p in people if p is not None and p.is_active}.values())
    if not people:
        return []
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render(spec, context)
        usable = _email_usable(people)
        notices = []
        for person in people:
            channels = channels_for(person, spec.topic, email_usable=usable[person.pk])
            notices.append(
                Notice(
                    user=person,
                    kind=kind,
                    title=subject[:200],
                    body=body,
                    url=context.get("url", ""),
                    channels=",".join(channels),
                    **notice_fields,
                )
            )
        Notice.objects.bulk_create(notices)
        emails = [n.user.email for n in notices if n.sent_by_email]
        if emails:
            mail.send(subject, body, emails)
        for notice in notices:
            if notice.sent_by_sms:
                text, params = _sms_text(spec, context, short_link(notice))
                sms.send(notice.user.phone, text, kind=kind, params=params)
    return notices


# --- Reading ------------------------------------------------------------------


def unread_count(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notice_open(*, notice: Notice, user) -> Notice:
    """The person opens their own notice: it counts as read from now on."""
    if notice.user_id != user.pk:
        raise PermissionDenied
    if notice.read_at is None:
        notice.read_at = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=notice.read_at
        )
    return notice


def notices_mark_all_read(*, user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_set(*, user, choices: dict[str, list[str]]) -> None:
    """Which channels a person wants for each topic; security codes cannot be
    chosen away (they are not a topic here)."""
    clean = {
        topic: [c for c in CHANNELS if c in channels]
        for topic, channels in choices.items()
        if topic in CHOOSABLE_TOPICS and topic != Topic.SECURITY
    }
    user.notice_channels = {**(user.notice_channels or {}), **clean}
    user.save(update_fields=["notice_channels"])


# --- The branch's message to its members -------------------------------------


def longest_short_link() -> str:
    """The longest short link the coming notices can have: the site's address
    and a notice number with room for 100,000 more."""
    last = Notice.objects.aggregate(last=Max("pk"))["last"] or 0
    digits = len(str(last + 100_000))
    return absolute_url(reverse("notice_open", args=[int("9" * digits)]))


def branch_message_sms(text: str, link: str) -> str:
    """The branch message as the phone shows it, with its signature."""
    return sms.signed_text(
        str(KINDS["branch_message"].sms) % {"text": text, "link": link}
    )


def branch_message_max_length() -> int:
    """Room left for the organiser's text in one SMS (70 characters) after the
    signature, the template's fixed words and the link to the notice."""
    return 70 - len(branch_message_sms("", longest_short_link()))


def branch_message_recipients(*, branches):
    """Each confirmed, active member of the branches, once."""
    return (
        User.objects.filter(
            is_active=True,
            profile__status=MemberProfile.Status.CONFIRMED,
            profile__branch__in=branches,
            profile__anonymised_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def branch_message_preview(*, branches) -> dict[str, int]:
    """How many would get the message by SMS, by e-mail and on the site."""
    people = list(branch_message_recipients(branches=branches))
    usable = _email_usable(people)
    counts = {"site": len(people), "sms": 0, "email": 0}
    for person in people:
        for channel in channels_for(
            person, Topic.BRANCH, email_usable=usable[person.pk]
        ):
            counts[channel] += 1
    return counts


def _check_branch_message(*, text: str, branches, by) -> str:
    text = " ".join((text or "").split())
    errors = {}
    if not text:
        errors["text"] = _("Write the message.")
    elif len(text) > branch_message_max_length():
        errors["text"] = _(
            "Keep the message to %(max)s characters so that it fits in one SMS "
            "(it has %(count)s)."
        ) % {"max": branch_message_max_length(), "count": len(text)}
    branches = list(branches)
    if not branches:
        errors["branches"] = _("Choose at least one branch.")
    allowed = set(scope.visible_branch_ids(by))
    if any(branch.pk not in allowed for branch in branches):
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def branch_message_send(*, text: str, branches, by) -> BranchMessage:
    """An organiser's message to every confirmed member of their branches, by
    each member's channels; its notices are the record of who got it how."""
    text = _check_branch_message(text=text, branches=branches, by=by)
    branches = list(branches)
    message = BranchMessage.objects.create(text=text, sent_by=by)
    message.branches.set(branches)
    people = list(branch_message_recipients(branches=branches))
    names = "、".join(branch.name for branch in branches)
    if len(branches) > 1:
        names = _("your branch")
    notices = notify_many(
        people,
        "branch_message",
        {"text": text, "branch": names, "url": ""},
        branch_message=message,
    )
    message.recipient_count = len(notices)
    message.save(update_fields=["recipient_count"])
    return message
