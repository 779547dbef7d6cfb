"""Mailbox rules: arrival with its deadline, assignment, answers, the member's one
reply, closing, and publishing an answer in the FAQ.

Who may handle an item: superusers and the mailbox staff group see every item;
branch organisers see the items of the branches they organise (with their
sub-branches).
"""

import datetime
import re
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from school.members.models import Branch, MemberProfile
from school.notices.services import notify, notify_many
from school.site import absolute_url

from ..voice.workflow import MAILBOX_STAFF_GROUP
from .deadlines import due_date
from .models import TEXT_MAX_LENGTH, CalendarDay, MailboxItem, MailboxMessage

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Extension → the file's first bytes: PDF, pictures, and Office documents (the
# OOXML formats are zip files, the old binary ones OLE compound files).
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".ppt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".wps": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def now() -> datetime.datetime:
    """The mailbox's clock. SCHOOL_MAILBOX_NOW (a datetime) freezes it for the
    browser tests, whose live server cannot have its time faked otherwise."""
    return getattr(settings, "SCHOOL_MAILBOX_NOW", None) or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


# --- Who sees what -----------------------------------------------------------


def is_mailbox_staff(user) -> bool:
    """Staff who see every item: superusers and the mailbox group."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_is_mailbox_staff"):
        user._is_mailbox_staff = (
            user.is_superuser or user.groups.filter(name=MAILBOX_STAFF_GROUP).exists()
        )
    return user._is_mailbox_staff


def can_handle_mailbox(user) -> bool:
    """Mailbox staff or an organiser of some branch."""
    if is_mailbox_staff(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_organises_a_branch"):
        user._organises_a_branch = Branch.objects.filter(organisers=user).exists()
    return user._organises_a_branch


def items_for_staff(user):
    """The items a staff member may see and handle."""
    if is_mailbox_staff(user):
        return MailboxItem.objects.all()
    if not can_handle_mailbox(user):
        return MailboxItem.objects.none()
    return MailboxItem.objects.visible_to(user)


def handlers_for(item: MailboxItem):
    """People an item can be assigned to: organisers of its branch or of a
    branch above it, and the mailbox group."""
    branch_ids, branch = [], item.branch
    while branch is not None:
        branch_ids.append(branch.pk)
        branch = branch.parent
    return (
        get_user_model()
        .objects.filter(
            Q(organised_branches__in=branch_ids)
            | Q(groups__name=MAILBOX_STAFF_GROUP)
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def member_profile(user) -> MemberProfile | None:
    """Members whose branch knows them (pending or confirmed) may write in."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.status not in (
        MemberProfile.Status.PENDING,
        MemberProfile.Status.CONFIRMED,
    ):
        return None
    return profile


# --- Checks ------------------------------------------------------------------


def check_attachment(upload) -> None:
    """PDF, pictures or Office documents, checked by name and first bytes."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The attachment is larger than %(size)s MB.")
            % {"size": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    signatures = ATTACHMENT_SIGNATURES.get(suffix)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not signatures or not head.startswith(signatures):
        raise ValidationError(
            _(
                "Attach a PDF, a picture (JPEG, PNG, GIF, WebP) or an Office "
                "document (Word, Excel, PowerPoint) only."
            )
        )


def _check_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        empty = {
            "text": _("Write your question or suggestion."),
            "answer": _("Write the answer."),
            "question": _("Write the question."),
        }
        raise ValidationError({field: empty.get(field, _("This cannot be empty."))})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {field: _("Write at most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}}
        )
    return text


CALENDAR_LOOKAHEAD_DAYS = 60


def calendar_needs_filling(*, on: datetime.date | None = None) -> bool:
    """True when no holiday or adjusted working day is entered for the coming
    60 days: deadlines would then count 元旦 or 春节 as working days."""
    start = on or today()
    end = start + datetime.timedelta(days=CALENDAR_LOOKAHEAD_DAYS)
    return not CalendarDay.objects.filter(date__range=(start, end)).exists()


# --- Member actions ----------------------------------------------------------


@transaction.atomic
def mailbox_item_create(
    *,
    member,
    category: str,
    text: str,
    attachment=None,
    faq_consent: bool = False,
    at: datetime.datetime | None = None,
) -> MailboxItem:
    """A member writes in; the item is due two working days after it arrived."""
    profile = member_profile(member)
    if profile is None:
        raise ValidationError(
            _("The mailbox is for members whose profile their branch has received.")
        )
    if category not in MailboxItem.Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    text = _check_text(text)
    if attachment:
        try:
            check_attachment(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from None
    arrived_at = at or now()
    item = MailboxItem(
        member=member,
        branch=profile.branch,
        category=category,
        text=text,
        faq_consent=faq_consent,
        arrived_at=arrived_at,
        due_on=due_date(arrived_at),
    )
    if attachment:
        item.attachment_name = PurePath(attachment.name).name[-200:]
        item.attachment.save(attachment.name, attachment, save=False)
    item.save()
    _tell_handlers(item, new=True)
    return item


@transaction.atomic
def mailbox_item_reply(
    *, item: MailboxItem, member, text: str, at: datetime.datetime | None = None
) -> MailboxItem:
    """The member's one follow-up reopens an answered item, with a new deadline."""
    item = MailboxItem.objects.select_for_update().get(pk=item.pk)
    if item.member_id != member.pk:
        raise ValidationError(_("This is not your question."))
    if item.reopened_at is not None:
        raise ValidationError(
            _(
                "You have already sent your one reply to this answer (perhaps "
                "from another window), so this one was not sent. Your text is "
                "kept below: you can send it as a new question."
            )
        )
    if not item.can_be_reopened:
        raise ValidationError(
            _(
                "Your question has not been answered yet: you can reply once "
                "the answer has come. Your text is kept below."
            )
        )
    text = _check_text(text)
    at = at or now()
    MailboxMessage.objects.create(
        item=item, from_member=True, author=member, text=text, created_at=at
    )
    item.status = MailboxItem.Status.OPEN
    item.reopened_at = at
    item.reply_due_on = due_date(at)
    item.closed_at = None
    item.save()
    _tell_handlers(item, new=False)
    return item


# --- Staff actions -----------------------------------------------------------


def _staff_item(item: MailboxItem, by) -> MailboxItem:
    locked = items_for_staff(by).select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise ValidationError(_("This item is not in your mailbox."))
    return locked


@transaction.atomic
def mailbox_item_assign(*, item: MailboxItem, by, to) -> MailboxItem:
    """Give an item to one of the people who may handle it."""
    item = _staff_item(item, by)
    if to is not None and not handlers_for(item).filter(pk=to.pk).exists():
        raise ValidationError(
            {"assigned_to": _("This person cannot handle this branch's mailbox.")}
        )
    item.assigned_to = to
    item.save(update_fields=["assigned_to"])
    return item


@transaction.atomic
def mailbox_item_answer(
    *, item: MailboxItem, by, text: str, at: datetime.datetime | None = None
) -> MailboxItem:
    """Answer an open item; the first answer decides whether it was on time."""
    item = _staff_item(item, by)
    if item.status != MailboxItem.Status.OPEN:
        raise ValidationError(_("This item has already been answered."))
    text = _check_text(text, field="answer")
    at = at or now()
    MailboxMessage.objects.create(
        item=item, from_member=False, author=by, text=text, created_at=at
    )
    if item.answered_at is None:
        item.answered_at = at
        item.answered_on_time = timezone.localdate(at) <= item.due_on
    item.status = MailboxItem.Status.ANSWERED
    if item.assigned_to_id is None:
        item.assigned_to = by
    item.save()
    if item.member is not None:
        notify(
            item.member,
            "mailbox_answered",
            {
                "item": item,
                "answer": text,
                "url": absolute_url(reverse("home:mailbox_detail", args=[item.pk])),
            },
        )
    return item


@transaction.atomic
def mailbox_item_close(
    *, item: MailboxItem, by, at: datetime.datetime | None = None
) -> MailboxItem:
    """Close an answered item (办结). The member may still reply once."""
    item = _staff_item(item, by)
    if item.status != MailboxItem.Status.ANSWERED:
        raise ValidationError(_("Answer the item before closing it."))
    item.status = MailboxItem.Status.CLOSED
    item.closed_at = at or now()
    item.save(update_fields=["status", "closed_at"])
    return item


def _tell_handlers(item: MailboxItem, *, new: bool) -> None:
    if item.assigned_to is not None:
        handlers = [item.assigned_to]
    else:
        handlers = item.branch.organisers.filter(is_active=True)
    url = reverse("mailbox_queue:handle", args=[item.pk])
    notify_many(
        handlers,
        "mailbox_new" if new else "mailbox_reply",
        {
            "item": item,
            "new": new,
            "due": f"{item.current_due_on:%Y-%m-%d}",
            "url": absolute_url(url),
        },
    )


# --- FAQ ---------------------------------------------------------------------


def asker_traces(item: MailboxItem) -> list[str]:
    """What identifies the asker and must not reach the FAQ: names, e-mail,
    phone, branch."""
    traces = [item.branch.name, item.branch.code]
    member = item.member
    if member is not None:
        traces += [member.email, member.email.split("@")[0], member.username]
        traces += [member.get_full_name(), member.first_name, member.last_name]
        profile = getattr(member, "profile", None)
        if profile is not None:
            traces += [profile.real_name, profile.mobile, profile.branch.name]
    return [t for t in dict.fromkeys(t.strip() for t in traces if t) if len(t) >= 2]


def anonymised(text: str, item: MailboxItem) -> str:
    """A first anonymised draft of `text` for staff to check before publishing."""
    for trace in sorted(asker_traces(item), key=len, reverse=True):
        text = re.sub(re.escape(trace), "××", text, flags=re.IGNORECASE)
    return text


@transaction.atomic
def faq_entry_publish(*, item: MailboxItem, by, question: str, answer: str):
    """Publish an answered question, anonymised, on the FAQ page.

    Only with the member's consent; refused while the text still names the
    asker, their e-mail, phone or branch. The page gets only the question and
    the answer, so neither it nor its revisions nor the search index can lead
    back to the asker.
    """
    from ..models import FaqPage

    item = _staff_item(item, by)
    if not item.faq_consent:
        raise ValidationError(
            _("The member did not agree to publish this question in the FAQ.")
        )
    if item.answered_at is None:
        raise ValidationError(_("Answer the question before publishing it."))
    if item.faq_published_at is not None:
        raise ValidationError(_("This question is already in the FAQ."))
    question = _check_text(question, field="question")
    answer = _check_text(answer, field="answer")
    errors = {}
    for field, text in (("question", question), ("answer", answer)):
        found = [t for t in asker_traces(item) if t.lower() in text.lower()]
        if found:
            errors[field] = _(
                "Remove what identifies the member before publishing: %(found)s"
            ) % {"found": "、".join(found)}
    if errors:
        raise ValidationError(errors)
    page = FaqPage.objects.first()
    if page is None:
        raise ValidationError(
            _("There is no FAQ page yet: an editor must add one under the guides.")
        )
    page = page.get_latest_revision_as_object()
    page.entries.append(("entry", {"question": question, "answer": answer}))
    # Staff handle the mailbox, not the page tree: the rule above, not their
    # page permissions, decides who publishes an entry.
    revision = page.save_revision(user=by, log_action=True)
    revision.publish(user=by, skip_permission_checks=True)
    item.faq_published_at = now()
    item.save(update_fields=["faq_published_at"])
    return page
