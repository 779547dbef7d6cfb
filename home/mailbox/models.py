"""Mailbox questions, their answers and the working-day calendar."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.members.scope import BranchScopedQuerySet

from .storage import private_storage

TEXT_MAX_LENGTH = 2000


class CalendarDay(models.Model):
    """A date off the Monday-to-Friday rule: a public holiday, or a weekend day
    that is worked (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        WORKDAY = "workday", _("Adjusted working day")

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("This date is already in the calendar.")},
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=50, blank=True, help_text=_("For example 国庆节.")
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("holiday or adjusted working day")
        verbose_name_plural = _("holidays and adjusted working days")

    def __str__(self):
        label = self.name or self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {label}"


def attachment_path(instance, filename):
    # A random name: the original one may hold personal details.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"mailbox/{uuid.uuid4().hex}{suffix}"


class MailboxItem(models.Model):
    """A member's question or suggestion, due two working days after it arrived.

    `due_on` is the deadline of the question as sent; after the member's one
    reply, `reply_due_on` is the deadline of the reopened item. The on-time share
    counts the first answer against `due_on`.
    """

    class Category(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation relations")
        DUES = "dues", _("Party dues")
        STUDY = "study", _("Studies")
        RIGHTS = "rights", _("Rights and help")
        SUGGESTION = "suggestion", _("Suggestion")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="mailbox_items",
    )
    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="mailbox_items",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("question or suggestion"), max_length=TEXT_MAX_LENGTH)
    attachment = models.FileField(
        _("attachment"),
        storage=private_storage,
        upload_to=attachment_path,
        blank=True,
        max_length=200,
    )
    attachment_name = models.CharField(
        _("attachment file name"), max_length=200, blank=True
    )
    faq_consent = models.BooleanField(
        _("may be published anonymously in the FAQ"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
    )
    arrived_at = models.DateTimeField(_("arrived at"), db_index=True)
    due_on = models.DateField(_("answer by"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_mailbox_items",
    )
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    answered_on_time = models.BooleanField(
        _("answered within the deadline"), null=True, blank=True
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reply_due_on = models.DateField(_("reply to answer by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    faq_published_at = models.DateTimeField(
        _("published in the FAQ at"), null=True, blank=True
    )

    branch_scope = "branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at", "-pk"]
        verbose_name = _("mailbox item")
        verbose_name_plural = _("mailbox items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(answered_at__isnull=False),
                name="mailbox_answered_or_closed_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True)
                | Q(answered_on_time__isnull=False),
                name="mailbox_answer_is_on_time_or_late",
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | Q(reply_due_on__isnull=False),
                name="mailbox_reopened_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(faq_published_at__isnull=True) | Q(faq_consent=True),
                name="mailbox_faq_needs_consent",
            ),
        ]

    @classmethod
    def sees_every_branch(cls, user) -> bool:
        """The mailbox group handles every branch's items."""
        from .services import is_mailbox_staff

        return is_mailbox_staff(user)

    def __str__(self):
        return f"#{self.pk} {self.get_category_display()}"

    @property
    def current_due_on(self):
        """The deadline that applies now: the reply's once the item was reopened."""
        return self.reply_due_on if self.reopened_at else self.due_on

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and today > self.current_due_on

    @property
    def can_be_reopened(self) -> bool:
        return self.status != self.Status.OPEN and self.reopened_at is None


class MailboxMessage(models.Model):
    """An answer by staff or the member's one follow-up, in the item's thread."""

    item = models.ForeignKey(
        MailboxItem,
        verbose_name=_("mailbox item"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    from_member = models.BooleanField(_("from the member"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mailbox message")
        verbose_name_plural = _("mailbox messages")
        constraints = [
            # The member may reply once to reopen an answered item.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(from_member=True),
                name="mailbox_one_member_reply",
            )
        ]

    def __str__(self):
        return self.text[:40]
