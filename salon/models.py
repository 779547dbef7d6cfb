"""The quarterly red salon (红色沙龙): its pages, registrations and topics."""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock, DocumentBlock
from home.models import OneQueryViewRestrictions, live_pages
from home.search import SegmentedSearchMixin, stream_text
from school.members import scope


def quarter_of(moment: datetime.datetime | datetime.date) -> tuple[int, int]:
    """(year, quarter) of a local date or an aware datetime."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return moment.year, (moment.month - 1) // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return _("Q%(number)s %(year)s") % {"year": year, "number": quarter}


def quarters_after(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """The `count` quarters that follow (year, quarter), in order."""
    index = year * 4 + quarter - 1
    pairs = (divmod(index + n, 4) for n in range(1, count + 1))
    return [(y, q + 1) for y, q in pairs]


def shift_by_quarters(moment: datetime.datetime, quarters: int) -> datetime.datetime:
    """The same local day and time `quarters` quarters later (the day kept
    within the month: 31 May + 1 quarter is 31 August, 30 November → 28
    February)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + local.month - 1 + 3 * quarters
    year, month = divmod(month_index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


class SalonIndexPage(OneQueryViewRestrictions, Page):
    """All salons: upcoming first (soonest first), then past ones."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["salon.SalonPage"]
    max_count = 1

    class Meta:
        verbose_name = _("salon index")

    def salons(self):
        return live_pages(SalonPage).child_of(self).select_related("branch")

    def grant_organisers(self) -> None:
        """Branch organisers may add and publish salons under this index."""
        from django.contrib.auth.models import Group, Permission
        from wagtail.models import GroupPagePermission

        from school.members.roles import ORGANISERS_GROUP

        group = Group.objects.filter(name=ORGANISERS_GROUP).first()
        if group is None:
            return
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=self,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        salons = self.salons()
        context["upcoming"] = salons.filter(ends_at__gte=now).order_by("starts_at")
        context["past"] = salons.filter(ends_at__lt=now).order_by("-starts_at")
        return context


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(label=_("Time"), required=False, max_length=30)
    item = blocks.CharBlock(label=_("Item"), max_length=200)

    class Meta:
        icon = "time"
        label = _("Agenda item")


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Link text"), max_length=120)
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        label = _("Link")


class SalonPageForm(WagtailAdminPageForm):
    """Organisers pick among their own branches only, so that a salon cannot
    be moved to a branch they do not organise."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            from school.members.admin_scope import narrow_choices

            narrow_choices(self.fields, for_user)


class SalonPage(
    scope.BranchScopedPageMixin, OneQueryViewRestrictions, SegmentedSearchMixin, Page
):
    """One quarter's salon of one branch, with its limited seats.

    Only the organisers of its branch (and superusers) see it in the admin.
    """

    branch_scope = "branch"

    branch = models.ForeignKey(
        "members.Branch",
        verbose_name=_("organising branch"),
        on_delete=models.PROTECT,
        related_name="salons",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        choices=[(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))],
    )
    theme = models.CharField(_("theme"), max_length=120)
    description = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(
        _("online room link"),
        blank=True,
        help_text=_("Shown only to members with a confirmed seat."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    # Seats taken, kept by salon.services only (see save() and with_content_json()).
    taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    # The time and place those signed up were last told of, kept by
    # salon.services only (like `taken`): publishing other ones tells them once.
    announced = models.JSONField(
        _("time and place announced"), default=dict, blank=True, editable=False
    )
    signup_opens_at = models.DateTimeField(_("sign-up opens at"))
    signup_closes_at = models.DateTimeField(_("sign-up closes at"))
    waiting_list = models.BooleanField(
        _("keep a waiting list"),
        default=True,
        help_text=_("When the seats are taken, further members join a waiting list."),
    )
    study_hours = models.DecimalField(
        _("credited study hours"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.0")), MaxValueValidator(24)],
    )
    agenda = StreamField(
        [("item", AgendaItemBlock())], verbose_name=_("agenda"), blank=True
    )
    materials = StreamField(
        [("document", DocumentBlock()), ("link", LinkBlock())],
        verbose_name=_("materials"),
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("branch"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("quarter")]),
        FieldPanel("theme"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("place"),
                FieldPanel("online_link"),
            ],
            heading=_("Time and place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]
                ),
                FieldPanel("waiting_list"),
                FieldPanel("study_hours"),
            ],
            heading=_("Sign-up"),
        ),
        FieldPanel("agenda"),
        FieldPanel("materials"),
    ]
    search_fields = Page.search_fields + [
        *SegmentedSearchMixin.segmented_search_fields,
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["salon.SalonIndexPage"]
    subpage_types = []
    base_form_class = SalonPageForm

    class Meta:
        verbose_name = _("salon")
        verbose_name_plural = _("salons")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year", "quarter"],
                name="salon_one_per_quarter_per_branch",
                violation_error_message=_(
                    "This branch already has a salon in that quarter."
                ),
            ),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")),
                name="salon_taken_within_capacity",
                violation_error_message=_(
                    "The seats cannot be fewer than the seats already taken."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="salon_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="salon_ends_after_start",
                violation_error_message=_("The salon must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(signup_closes_at__gt=F("signup_opens_at")),
                name="salon_signup_closes_after_opening",
                violation_error_message=_("Sign-up must close after it opens."),
            ),
        ]

    # Written by salon.services only, never from a page form or a revision.
    SERVICE_FIELDS = ("taken", "announced")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.year and self.quarter:
            if quarter_of(self.starts_at) != (self.year, self.quarter):
                errors["starts_at"] = _(
                    "The start time must fall within the salon's year and quarter."
                )
        if self.signup_closes_at and self.starts_at:
            if self.signup_closes_at > self.starts_at:
                errors["signup_closes_at"] = _(
                    "Sign-up must close no later than the salon starts."
                )
        if self.pk and self.capacity is not None:
            taken = SalonPage.objects.filter(pk=self.pk).values_list("taken", flat=True)
            if taken and self.capacity < taken[0]:
                errors["capacity"] = _(
                    "%(taken)s seats are already taken: the seats cannot be fewer."
                ) % {"taken": taken[0]}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # An editor's copy of the page may hold a stale seat count: only the
        # sign-up services write `taken`, with conditional updates.
        if self.pk is not None and kwargs.get("update_fields") is None:
            if type(self).objects.filter(pk=self.pk).exists():
                kwargs["update_fields"] = [
                    field.name
                    for field in self._meta.concrete_fields
                    if not field.primary_key and field.name not in self.SERVICE_FIELDS
                ]
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        # Revisions store the seat count (and what was announced) of their
        # day; the live values win.
        page = super().with_content_json(content)
        for name in self.SERVICE_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    def time_and_place(self) -> dict[str, str]:
        """What members are told when it changes: the times, the place, the room."""
        return {
            "starts_at": self.starts_at.astimezone(datetime.UTC).isoformat(),
            "ends_at": self.ends_at.astimezone(datetime.UTC).isoformat(),
            "place": self.place,
            "online_link": self.online_link,
        }

    @property
    def days(self) -> tuple[datetime.date, datetime.date]:
        """The local days the salon runs on (one, unless it runs past midnight)."""
        return timezone.localdate(self.starts_at), timezone.localdate(self.ends_at)

    @property
    def check_in_period(self) -> str:
        """ "before" the salon's day, on "the_day", or "after" it (corrections)."""
        first, last = self.days
        today = timezone.localdate()
        if today < first:
            return "before"
        return "the_day" if today <= last else "after"

    def search_text_parts(self):
        return [self.theme, self.place, *stream_text(self.description)]

    def get_context(self, request, *args, **kwargs):
        from .forms import TopicSuggestionForm

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        profile = getattr(user, "profile", None) if user.is_authenticated else None
        registration = None
        if profile is not None:
            registration = self.registrations.active().filter(member=profile).first()
        is_organiser = self.is_organised_by(user)
        context.update(
            profile=profile,
            member=user.confirmed_profile if profile else None,
            registration=registration,
            waiting_position=registration.waiting_position() if registration else None,
            is_organiser=is_organiser,
        )
        if is_organiser:
            context["topic_suggestions"] = self.topic_suggestions.select_related(
                "member"
            )
        context.setdefault("topic_form", TopicSuggestionForm())
        return context

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def signup_state(self) -> str:
        """ "started", "not_open", "closed" or "open"."""
        now = timezone.now()
        if now >= self.starts_at:
            return "started"
        if now < self.signup_opens_at:
            return "not_open"
        if now >= self.signup_closes_at:
            return "closed"
        return "open"

    @property
    def study_minutes(self) -> int:
        return int(self.study_hours * 60)

    def is_organised_by(self, user) -> bool:
        return user.is_authenticated and scope.can_see(user, self)


class RegistrationQuerySet(scope.BranchScopedQuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def waiting_in_order(self):
        return self.filter(status=Registration.Status.WAITING).order_by(
            "queued_at", "pk"
        )


class Registration(models.Model):
    """A member's seat or waiting-list place at a salon."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    salon = models.ForeignKey(
        SalonPage,
        verbose_name=_("salon"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="salon_registrations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, db_index=True
    )
    queued_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("seat confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # The salon's study hours credited by the check-in, withdrawn by its undo.
    study_record = models.ForeignKey(
        "courses.StudyRecord",
        verbose_name=_("credited study"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    branch_scope = "salon__branch"
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["salon", "queued_at", "pk"]
        verbose_name = _("salon registration")
        verbose_name_plural = _("salon registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["salon", "member"],
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_member",
                violation_error_message=_("This member is already signed up."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checked_in_only_if_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.salon}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    def waiting_position(self) -> int | None:
        """1 for the first on the waiting list; None when not waiting."""
        if self.status != self.Status.WAITING:
            return None
        earlier = Registration.objects.filter(
            salon_id=self.salon_id, status=self.Status.WAITING
        ).filter(
            Q(queued_at__lt=self.queued_at)
            | Q(queued_at=self.queued_at, pk__lt=self.pk)
        )
        return earlier.count() + 1


class TopicSuggestion(models.Model):
    """A topic or question a member proposes for the salon's deliberation (集中议事)."""

    salon = models.ForeignKey(
        SalonPage,
        verbose_name=_("salon"),
        on_delete=models.CASCADE,
        related_name="topic_suggestions",
    )
    member = models.ForeignKey(
        "members.MemberProfile",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="salon_topic_suggestions",
    )
    text = models.TextField(_("topic or question"), max_length=1000)
    created_at = models.DateTimeField(_("suggested at"), auto_now_add=True)

    branch_scope = "salon__branch"
    objects = scope.BranchScopedQuerySet.as_manager()

    class Meta:
        ordering = ["salon", "created_at", "pk"]
        verbose_name = _("topic suggestion")
        verbose_name_plural = _("topic suggestions")

    def __str__(self):
        return self.text[:40]
