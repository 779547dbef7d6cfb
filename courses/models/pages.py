"""Course and lesson pages (在线学习)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.blocks import BodyBlock
from home.models import OneQueryViewRestrictions, live_pages, paginate
from home.search import SegmentedSearchMixin, stream_text

MEDIA_BLOCKS = ("audio", "video")


@register_snippet
class CourseCategory(models.Model):
    """A topic that groups courses (theory, policy, skills …)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")

    def __str__(self):
        return self.name


class CourseIndexPage(OneQueryViewRestrictions, Page):
    """The online study column: every published course."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course index")

    def courses(self):
        return (
            live_pages(CoursePage)
            .child_of(self)
            .select_related("cover_image", "category")
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = self.courses()
        category = request.GET.get("category")
        if category and category.isdigit():
            courses = courses.filter(category_id=int(category))
            context["current_category"] = int(category)
        context["categories"] = CourseCategory.objects.all()
        context["courses"] = paginate(request, courses)
        return context


class CoursePage(OneQueryViewRestrictions, SegmentedSearchMixin, Page):
    """A course: a summary and an ordered series of lessons."""

    summary = models.TextField(_("summary"), max_length=500)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        CourseCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    study_hours = models.DecimalField(
        _("credited study hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.0")), MaxValueValidator(500)],
    )
    body = StreamField(BodyBlock(), verbose_name=_("introduction"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("category"),
        FieldPanel("study_hours"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        *SegmentedSearchMixin.segmented_search_fields,
        index.FilterField("category"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def search_text_parts(self):
        return [self.summary, *stream_text(self.body)]

    def lessons(self):
        """Published lessons in the order editors gave them in the page tree."""
        return live_pages(LessonPage).child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_progress

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = list(self.lessons())
        context["total_minutes"] = sum(
            lesson.estimated_minutes for lesson in context["lessons"]
        )
        context["progress"] = course_progress(request.user, context["lessons"])
        for lesson in context["lessons"]:
            lesson.study = context["progress"].get("by_lesson", {}).get(lesson.pk)
        return context


class LessonPage(OneQueryViewRestrictions, SegmentedSearchMixin, Page):
    """One lesson of a course, with the rules a member meets to complete it."""

    intro = models.TextField(_("summary"), blank=True, max_length=300)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    # Decimal so that a short test lesson (0.1 min) is possible; empty means the
    # estimated minutes.
    required_minutes = models.DecimalField(
        _("required study minutes"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(600)],
        help_text=_(
            "Time a member must spend on the page before the lesson can be "
            "completed. Leave empty to use the estimated minutes."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    check_question = models.CharField(
        _("check question"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional: one short question the member must answer correctly "
            "to complete the lesson."
        ),
    )
    check_choices = models.TextField(
        _("answers to choose from"),
        blank=True,
        help_text=_("One answer per line, two to six answers."),
    )
    check_answer = models.PositiveSmallIntegerField(
        _("number of the right answer"),
        null=True,
        blank=True,
        help_text=_("1 for the first line, 2 for the second, and so on."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required_minutes"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("check_question"),
                FieldPanel("check_choices"),
                FieldPanel("check_answer"),
            ],
            heading=_("Check question"),
        ),
    ]
    search_fields = Page.search_fields + SegmentedSearchMixin.segmented_search_fields
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def search_text_parts(self):
        return [self.intro, *stream_text(self.body)]

    @property
    def required_seconds(self) -> int:
        minutes = Decimal(self.required_minutes or self.estimated_minutes)
        return int(minutes * 60)

    @property
    def cap_seconds(self) -> int:
        """Most online time one lesson can earn: a multiple of its length."""
        length = max(self.required_seconds, self.estimated_minutes * 60)
        return int(length * settings.SCHOOL_STUDY_CAP_FACTOR)

    @property
    def choices(self) -> list[str]:
        return [
            line.strip() for line in self.check_choices.splitlines() if line.strip()
        ]

    @property
    def has_check_question(self) -> bool:
        return bool(self.check_question)

    @property
    def has_media(self) -> bool:
        """Audio or video the member must play to the end."""
        return any(block.block_type in MEDIA_BLOCKS for block in self.body)

    @property
    def media_seconds(self) -> int:
        """Length of the lesson's audio and video together, as the editor
        gave it on the media (0 where unknown)."""
        return int(
            sum(
                getattr(block.value.get("media"), "duration", 0) or 0
                for block in self.body
                if block.block_type in MEDIA_BLOCKS
            )
        )

    @property
    def has_audio(self) -> bool:
        return any(block.block_type == "audio" for block in self.body)

    def clean(self):
        super().clean()
        errors = {}
        choices = self.choices
        if self.check_question:
            if not 2 <= len(choices) <= 6:
                errors["check_choices"] = _("Give two to six answers, one per line.")
            elif not self.check_answer or self.check_answer > len(choices):
                errors["check_answer"] = _(
                    "Give the number of the right answer (1 to %(count)s)."
                ) % {"count": len(choices)}
        elif choices or self.check_answer:
            errors["check_question"] = _(
                "Write the question, or clear the answers too."
            )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from courses.selectors import lesson_study_context

        context["study"] = lesson_study_context(request.user, self)
        # The course in one query (get_parent().specific takes two).
        course = CoursePage.objects.get(path=self.path[: -self.steplen])
        lessons = list(course.lessons().only("pk", "title", "url_path", "path"))
        position = next(
            (i for i, lesson in enumerate(lessons) if lesson.pk == self.pk), None
        )
        context["course"] = course
        if position is not None:
            context["lesson_number"] = position + 1
            context["lesson_count"] = len(lessons)
            context["previous_lesson"] = lessons[position - 1] if position else None
            context["next_lesson"] = (
                lessons[position + 1] if position + 1 < len(lessons) else None
            )
        return context
