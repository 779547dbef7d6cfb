""" "1+1" paired study (结对帮学): who helps whom, what the contact did, and the
monthly reports to the branch."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from school.members.scope import BranchScopedQuerySet


class PairingQuerySet(BranchScopedQuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def of_contact_user(self, user):
        """Active pairings in which `user` is the contact, while their own
        membership stands confirmed."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.standing().filter(contact__user=user)

    def standing(self):
        """Active pairings whose contact and member both stand confirmed."""
        return self.active().filter(
            contact__status="confirmed", member__status="confirmed"
        )


class Pairing(models.Model):
    """A study contact (帮学联系人) paired with one member from a start date.

    Ending a pairing keeps the row (history); a member has at most one active
    contact and nobody is their own contact, both held by the database.
    """

    class EndReason(models.TextChoices):
        MEMBER_LEFT = "member_left", _("The member left the branch")
        CONTACT_LEFT = "contact_left", _("The study contact left the branch")

    # Pairings ended because someone left owe no report for that month.
    LEFT_REASONS = (EndReason.MEMBER_LEFT, EndReason.CONTACT_LEFT)

    contact = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("study contact"),
        on_delete=models.PROTECT,
        related_name="pairings_as_contact",
    )
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=EndReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paired by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    branch_scope = "member__branch"
    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="one_active_contact_per_member",
                violation_error_message=_("This member already has a study contact."),
            ),
            models.CheckConstraint(
                condition=~Q(contact=F("member")),
                name="pairing_not_with_oneself",
                violation_error_message=_("Nobody can be their own study contact."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="pairing_ends_after_it_starts",
                violation_error_message=_("A pairing cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["contact"],
                condition=Q(ended_on__isnull=True),
                name="pairing_active_by_contact",
            ),
        ]

    def __str__(self):
        return f"{self.contact} → {self.member}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def state(self) -> str:
        return _("Active") if self.is_active else _("Ended")


class ContactLog(models.Model):
    """One contact between a study contact and their member.

    A home-delivered session (送学上门) also credits the member's study: its
    offline study record hangs on the log. Thinking reports are read only by
    the contact who wrote them and the branch's organisers.
    """

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice of study requirements")
        GUIDANCE = "guidance", _("Guidance on self-study")
        HOME_DELIVERED = "home_delivered", _("Home-delivered study")
        REPORT = "report", _("Thinking and study report")

    # Kinds the member sees on their own study page.
    MEMBER_VISIBLE = (Kind.NOTICE,)
    # Kinds whose note must say something.
    NOTE_REQUIRED = (Kind.NOTICE, Kind.REPORT)

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.PROTECT,
        related_name="logs",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    study_record = models.OneToOneField(
        "courses.StudyRecord",
        verbose_name=_("study record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_log",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    branch_scope = "pairing__member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contact log")
        verbose_name_plural = _("contact logs")
        constraints = [
            models.CheckConstraint(
                condition=Q(study_record__isnull=True) | Q(kind="home_delivered"),
                name="contact_log_record_only_for_home_study",
            ),
        ]
        indexes = [
            models.Index(fields=["pairing", "-date"], name="contact_log_pairing_date"),
        ]

    def __str__(self):
        return f"{self.pairing} · {self.date} · {self.get_kind_display()}"


class MonthlyReport(models.Model):
    """The contact's monthly report to the branch on one paired member: a study
    summary taken from the records, and a note on the member's thinking."""

    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("pairing"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    minutes = models.PositiveIntegerField(_("minutes studied"), default=0)
    study_days = models.PositiveSmallIntegerField(_("days with study"), default=0)
    lessons_completed = models.PositiveIntegerField(_("lessons completed"), default=0)
    summary = models.TextField(_("study summary"))
    note = models.TextField(_("thinking and situation"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    branch_scope = "pairing__member__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "pairing"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "month"],
                name="one_monthly_report_per_pairing",
                violation_error_message=_(
                    "This month's report on this member is already submitted."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_report_month_is_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.pairing.member} · {self.month:%Y-%m}"


class ReminderSent(models.Model):
    """One reminder e-mail sent to one person on one day; the unique key makes
    the reminder command idempotent (a second run that day sends nothing)."""

    class Kind(models.TextChoices):
        CONTACT_DIGEST = "contact_digest", _("Weekly digest for a study contact")
        OVERDUE = "overdue", _("Overdue study plan reminder")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"))
    detail = models.TextField(_("what was listed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "sent_on"], name="one_reminder_per_kind_day"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "kind", "-sent_on"], name="reminder_recent"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.user_id} · {self.sent_on}"
