"""Study data: online progress per lesson, the study ledger and study plans."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    PageChooserPanel,
)
from wagtail.models import Orderable

from school.members.scope import BranchScopedQuerySet

MAX_SECONDS_PER_DAY = 24 * 60 * 60


class LessonProgress(models.Model):
    """A member's online progress on one lesson; one row per member and lesson.

    `last_beat_at` is the single clock that every tab of the member shares for
    this lesson, which is what keeps two tabs from counting twice.
    """

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    credited_seconds = models.PositiveIntegerField(_("credited seconds"), default=0)
    last_beat_at = models.DateTimeField(_("last accepted beat"), null=True, blank=True)
    media_finished = models.BooleanField(_("media played to the end"), default=False)
    answered_correctly = models.BooleanField(_("answered correctly"), default=False)
    last_answer = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_offline = models.BooleanField(_("completed offline"), default=False)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "lesson"], name="one_progress_per_member_lesson"
            )
        ]
        indexes = [
            models.Index(fields=["member", "-updated_at"], name="progress_recent"),
            models.Index(
                fields=["lesson", "member"],
                condition=Q(completed_at__isnull=False),
                name="progress_completed",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.lesson_id}"

    @property
    def credited_minutes(self) -> int:
        return self.credited_seconds // 60

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class OfflineStudy(models.Model):
    """Study a lesson page noted on the phone while the network was down, as
    sent once it was back: each record (its id made on the phone) is taken
    once, credited or refused, and its span is what later records may not
    overlap."""

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="offline_study",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    record_id = models.CharField(_("record id"), max_length=64)
    started_at = models.DateTimeField(_("started at"), null=True)
    ended_at = models.DateTimeField(_("ended at"), null=True)
    credited_seconds = models.PositiveIntegerField(_("credited seconds"), default=0)
    refused = models.CharField(_("refused because"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline study")
        verbose_name_plural = _("offline study")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "record_id"], name="offline_study_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["member", "started_at"],
                condition=Q(credited_seconds__gt=0),
                name="offline_study_credited",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.record_id}"


class StudyRecordQuerySet(BranchScopedQuerySet):
    def counted(self):
        """Records that count in totals: everything except pending or rejected
        declarations. Online and offline records count alike."""
        return self.filter(status=StudyRecord.Status.CONFIRMED)

    def total_seconds(self) -> int:
        return self.counted().aggregate(total=Sum("seconds"))["total"] or 0


class StudyRecord(models.Model):
    """One line of the study ledger (学习台账): study credited to a member on a day.

    Online study accumulates into one row per member, lesson and day; offline
    study is one row per session and member, recorded by an organiser (or
    study contact), or declared by the member and confirmed before it counts.
    """

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online study")
        HOME_DELIVERED = "home_delivered", _("Home-delivered study")
        GROUP_SESSION = "group_session", _("Group session")
        THEME_DAY = "theme_day", _("Theme party day")
        GAP_TIME = "gap_time", _("Gap-time study")
        PERIODIC = "periodic", _("Periodic study")
        NEAREST_BRANCH = "nearest_branch", _("Nearest-branch study")
        SALON = "salon", _("Red salon")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    # Modes a member may declare for themselves on their study page.
    DECLARABLE_MODES = (Mode.GAP_TIME, Mode.PERIODIC, Mode.NEAREST_BRANCH)
    # Modes an organiser (or study contact) records by hand.
    RECORDABLE_MODES = (
        Mode.HOME_DELIVERED,
        Mode.GROUP_SESSION,
        Mode.THEME_DAY,
        Mode.GAP_TIME,
        Mode.PERIODIC,
        Mode.NEAREST_BRANCH,
    )

    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="study_records",
    )
    date = models.DateField(_("date"))
    seconds = models.PositiveIntegerField(
        _("seconds"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SECONDS_PER_DAY)],
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.CONFIRMED,
    )
    # The lesson studied online (one row per member, lesson and day).
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Lessons covered by an offline session.
    lessons = models.ManyToManyField(
        "courses.LessonPage",
        verbose_name=_("lessons"),
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    note = models.TextField(_("note or reflection"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(
        _("confirmed or rejected at"), null=True, blank=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    branch_scope = "member__branch"
    objects = StudyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("study record")
        verbose_name_plural = _("study records")
        constraints = [
            models.CheckConstraint(
                condition=Q(seconds__gt=0, seconds__lte=MAX_SECONDS_PER_DAY),
                name="study_record_seconds_in_a_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        source="online",
                        mode="online",
                        lesson__isnull=False,
                        status="confirmed",
                    )
                    | (Q(source="offline") & ~Q(mode="online"))
                ),
                name="study_record_source_matches_mode",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="study_record_rejection_has_reason",
            ),
            models.UniqueConstraint(
                fields=["member", "lesson", "date"],
                condition=Q(source="online"),
                name="one_online_record_per_member_lesson_day",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "date"], name="study_record_member_date"),
            models.Index(fields=["date"], name="study_record_date"),
            models.Index(
                fields=["status"],
                condition=Q(status="pending"),
                name="study_record_pending",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.date} · {self.minutes}"

    @property
    def minutes(self) -> int:
        """Whole minutes, rounded to the nearest (online time is in seconds)."""
        return (self.seconds + 30) // 60

    @property
    def minutes_display(self) -> str:
        """Minutes with at most one decimal, for pages."""
        return f"{self.seconds / 60:.1f}".rstrip("0").rstrip(".")

    @property
    def hours_display(self) -> str:
        """Study hours (学时) for records of an hour or more, else empty."""
        if self.seconds < 3600:
            return ""
        return f"{self.seconds / 3600:.1f}".rstrip("0").rstrip(".")

    @property
    def is_online(self) -> bool:
        return self.source == self.Source.ONLINE

    @property
    def counts(self) -> bool:
        return self.status == self.Status.CONFIRMED


class StudyPlan(ClusterableModel):
    """A branch's study plan (学习计划) for a month, quarter or year."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="study_plans",
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveSmallIntegerField(
        _("month or quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1–12 for a month, 1–4 for a quarter; empty for a year."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("requirements"), blank=True)
    due_date = models.DateField(_("due date"))
    credited_hours = models.DecimalField(
        _("credited study hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    starts_on = models.DateField(_("starts on"), editable=False)
    ends_on = models.DateField(_("ends on"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("branch"),
        FieldRowPanel(
            [FieldPanel("period"), FieldPanel("year"), FieldPanel("number")],
            heading=_("Period"),
        ),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("due_date"), FieldPanel("credited_hours")]),
        InlinePanel("items", label=_("Required lessons or courses"), min_num=1),
    ]

    branch_scope = "branch"
    objects = BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "branch"]
        verbose_name = _("study plan")
        verbose_name_plural = _("study plans")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "period", "starts_on"],
                name="one_study_plan_per_branch_period",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="study_plan_period_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    @staticmethod
    def period_bounds(period, year, number=None):
        """First and last day of a month, quarter or year."""
        if period == StudyPlan.Period.YEAR:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if period == StudyPlan.Period.QUARTER:
            first_month = 3 * (number - 1) + 1
            last_month = first_month + 2
        else:
            first_month = last_month = number
        last_day = calendar.monthrange(year, last_month)[1]
        return (
            datetime.date(year, first_month, 1),
            datetime.date(year, last_month, last_day),
        )

    @property
    def period_label(self) -> str:
        if self.period == self.Period.YEAR:
            return _("%(year)s") % {"year": self.year}
        if self.period == self.Period.QUARTER:
            return _("Q%(number)s %(year)s") % {
                "year": self.year,
                "number": self.number,
            }
        return _("%(month)s/%(year)s") % {"year": self.year, "month": self.number}

    def clean(self):
        super().clean()
        if not self.period or not self.year:
            return
        if self.period == self.Period.YEAR:
            self.number = None
        elif self.period == self.Period.QUARTER and not (
            self.number and 1 <= self.number <= 4
        ):
            raise ValidationError({"number": _("Give the quarter, 1 to 4.")})
        elif self.period == self.Period.MONTH and not (
            self.number and 1 <= self.number <= 12
        ):
            raise ValidationError({"number": _("Give the month, 1 to 12.")})
        self.starts_on, self.ends_on = self.period_bounds(
            self.period, self.year, self.number
        )
        duplicate = StudyPlan.objects.filter(
            branch_id=self.branch_id, period=self.period, starts_on=self.starts_on
        ).exclude(pk=self.pk)
        if self.branch_id and duplicate.exists():
            raise ValidationError(
                _("This branch already has a study plan for this period.")
            )
        if self.due_date and self.due_date < self.starts_on:
            raise ValidationError(
                {"due_date": _("The due date cannot be before the period starts.")}
            )
        if not self.title:
            self.title = _("Study plan %(period)s") % {"period": self.period_label}

    def save(self, *args, **kwargs):
        self.starts_on, self.ends_on = self.period_bounds(
            self.period, self.year, self.number
        )
        super().save(*args, **kwargs)


class StudyPlanItem(Orderable):
    """One required lesson or whole course of a study plan."""

    plan = ParentalKey(StudyPlan, on_delete=models.CASCADE, related_name="items")
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("course"), PageChooserPanel("lesson")]

    class Meta(Orderable.Meta):
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=Q(lesson__isnull=True, course__isnull=False)
                | Q(lesson__isnull=False, course__isnull=True),
                name="plan_item_is_lesson_or_course",
            )
        ]

    def __str__(self):
        return str(self.course or self.lesson)

    def clean(self):
        super().clean()
        if bool(self.lesson_id) == bool(self.course_id):
            raise ValidationError(_("Choose either a course or a single lesson."))
