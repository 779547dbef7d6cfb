"""Organisational life (组织生活): the branch's meetings and who took part.

三会一课 and the monthly theme day: an organiser records each meeting and,
per member, present, on leave (with the reason) or absent; a member present
online or at the branch nearest them (就近参加) is marked so. What the branch
is expected to hold is set per kind (`MeetingRequirement`), with defaults.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.members.scope import BranchScopedQuerySet


class Kind(models.TextChoices):
    MEMBERS_MEETING = "members", _("Branch members' meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme party day")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every half year")
    YEARLY = "yearly", _("Every year")
    NONE = "none", _("Not required")


PERIODS_PER_YEAR = {
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.HALF_YEARLY: 2,
    Frequency.YEARLY: 1,
    Frequency.NONE: 0,
}
MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}

# 三会一课 and the theme day as the rules usually set them.
DEFAULT_FREQUENCIES = {
    Kind.MEMBERS_MEETING: Frequency.QUARTERLY,
    Kind.COMMITTEE: Frequency.MONTHLY,
    Kind.GROUP: Frequency.MONTHLY,
    Kind.LECTURE: Frequency.QUARTERLY,
    Kind.THEME_DAY: Frequency.MONTHLY,
}


class Meeting(models.Model):
    """One meeting or theme day a branch held (or will hold)."""

    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("meeting topic"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("held online"), default=False)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    branch_scope = "branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["branch", "held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"


class Attendance(models.Model):
    """Whether one member took part in one meeting, and how."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LEAVE = "leave", _("On leave")
        ABSENT = "absent", _("Absent")

    class Way(models.TextChoices):
        IN_PERSON = "in_person", _("At the meeting")
        ONLINE = "online", _("Online")
        NEARBY = "nearby", _("At the nearest branch (就近参加)")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    way = models.CharField(_("how"), max_length=10, choices=Way.choices, blank=True)
    nearby_branch = models.CharField(
        _("branch attended nearby"), max_length=100, blank=True
    )
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)

    branch_scope = "meeting__branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "member__real_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="unique_attendance_per_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(status="leave") | ~Q(leave_reason=""),
                name="attendance_leave_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_status_display()}"


class MeetingRequirement(models.Model):
    """How often a branch must hold a kind of meeting (else the default)."""

    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="meeting_requirements",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices
    )

    branch_scope = "branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "kind"]
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "kind"],
                name="unique_meeting_requirement",
                violation_error_message=_(
                    "This branch already has a requirement for this kind of "
                    "meeting; change that one."
                ),
            )
        ]

    def __str__(self):
        return f"{self.branch} {self.get_kind_display()} {self.get_frequency_display()}"
