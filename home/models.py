"""The site's general pages: home, the content columns and plain pages."""

import re

from asgiref.local import Local
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import find_available_slug
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction, WorkflowState
from wagtail.search import index

from school.members.scope import RestrictedPageMixin

from .blocks import BodyBlock
from .mailbox.models import CalendarDay, MailboxItem, MailboxMessage  # noqa: F401
from .menu import main_menu
from .search import SegmentedSearchMixin, stream_text

HOME_LIST_LENGTH = 5


def paginate(request, queryset, per_page=None):
    """The requested page of `queryset`; out-of-range numbers give the nearest."""
    paginator = Paginator(queryset, per_page or settings.SITE_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


# Wagtail's `.public()` reads every view restriction again on each call (one
# query per list on a page); the restrictions are read once per request here.
_restrictions = Local()


def private_q() -> models.Q:
    """Pages in a private section (Wagtail's `private_q`), once per request."""
    q = getattr(_restrictions, "q", None)
    if q is None:
        q = _restrictions.q = Page.objects.all().private_q()
    return q


def forget_restrictions(**kwargs) -> None:
    _restrictions.q = None


class OneQueryViewRestrictions:
    """Page mixin: the view restrictions of a page and its ancestors in one
    query (Wagtail's `get_view_restrictions` takes two, on every view)."""

    def get_view_restrictions(self):
        steps = range(self.steplen, len(self.path) + 1, self.steplen)
        pages = Page.objects.filter(path__in=[self.path[:end] for end in steps])
        # An alias shares its original's restrictions (as in Wagtail).
        return PageViewRestriction.objects.filter(
            Q(page__in=pages.filter(alias_of__isnull=True))
            | Q(page__in=pages.filter(alias_of__isnull=False).values("alias_of"))
        )


def live_pages(model):
    """Published, publicly visible pages of `model`."""
    return model.objects.live().exclude(private_q())


class HomePage(OneQueryViewRestrictions, Page):
    """The school's front page: the newest of each column."""

    intro = models.TextField(_("welcome text"), blank=True, max_length=500)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("featured_courses", label=_("Featured courses"), max_num=6),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.NewsIndexPage",
        "home.GuideIndexPage",
        "home.AnnouncementIndexPage",
        "home.ShowcaseIndexPage",
        "home.VoiceIndexPage",
        "home.StandardPage",
        "courses.CourseIndexPage",
        "salon.SalonIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def featured_course_pages(self):
        # One query, in the editors' order (a string keeps `home` free of
        # imports from `courses`).
        course_model = apps.get_model("courses.CoursePage")
        order = HomeFeaturedCourse.objects.filter(home=self, course=OuterRef("pk"))
        return list(
            live_pages(course_model)
            .annotate(
                featured_id=Subquery(order.values("pk")[:1]),
                featured_sort=Subquery(order.values("sort_order")[:1]),
            )
            .filter(featured_id__isnull=False)
            .select_related("cover_image", "category")
            .order_by(F("featured_sort").asc(nulls_last=True), "featured_id")
        )

    def route(self, request, path_components):
        # Wagtail walks the tree one level at a time, two queries a level (a
        # lesson costs eight); the deepest page whose address starts the path
        # is found in one, and routes the rest itself (a feed, or a 404).
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:depth]) + "/"
            for depth in range(1, len(path_components) + 1)
        ]
        page = (
            Page.objects.descendant_of(self)
            .filter(url_path__in=prefixes)
            .order_by("-depth")
            .specific()
            .first()
        )
        if page is None:
            raise Http404
        return page.route(request, path_components[page.depth - self.depth :])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        latest = {
            "latest_news": NewsPage,
            "latest_announcements": AnnouncementPage,
            "latest_voices": VoicePage,
        }
        for name, model in latest.items():
            context[name] = (
                live_pages(model)
                .select_related("image")
                .order_by("-date", "-pk")[:HOME_LIST_LENGTH]
            )
        context["featured_courses"] = self.featured_course_pages()
        # The column index pages' addresses, for the "more" links.
        context["columns"] = main_menu(request)["columns"]
        return context


class HomeFeaturedCourse(Orderable):
    """A course the editors put on the front page, in their chosen order."""

    home = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_courses"
    )
    # A plain page key keeps `home` free of imports from `courses`.
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("course", "courses.CoursePage")]


class StandardPage(OneQueryViewRestrictions, SegmentedSearchMixin, Page):
    """A plain page, e.g. 关于我们."""

    intro = models.TextField(_("introduction"), blank=True, max_length=300)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + SegmentedSearchMixin.segmented_search_fields

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

    def search_text_parts(self):
        return [self.intro, *stream_text(self.body)]


class ArticlePage(OneQueryViewRestrictions, SegmentedSearchMixin, Page):
    """A dated article with a lead image and a rich body."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("summary"), blank=True, max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        *SegmentedSearchMixin.segmented_search_fields,
        index.FilterField("date"),
    ]
    subpage_types = []

    class Meta:
        abstract = True

    def search_text_parts(self):
        return [self.intro, *stream_text(self.body)]


class IndexPage(OneQueryViewRestrictions, Page):
    """A column's index: its articles newest first, 20 a page."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count = 1
    article_model = None

    class Meta:
        abstract = True

    def articles(self):
        return (
            live_pages(self.article_model)
            .child_of(self)
            .select_related("image")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(request, self.articles())
        return context


class NewsPage(ArticlePage):
    """A news item (党建动态)."""

    parent_page_types = ["home.NewsIndexPage"]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class NewsIndexPage(RoutablePageMixin, IndexPage):
    """The news column (党建动态), with an RSS feed."""

    subpage_types = ["home.NewsPage"]
    article_model = NewsPage

    class Meta:
        verbose_name = _("news index")

    @path("", name="index")
    def index_route(self, request):
        return self.render(request)

    @path("feed/", name="feed")
    def feed(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class GuidePage(ArticlePage):
    """A guide to party affairs (党务指南)."""

    parent_page_types = ["home.GuideIndexPage"]

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")


class GuideIndexPage(IndexPage):
    """The guides column (党务指南), with the FAQ page among its children."""

    subpage_types = ["home.GuidePage", "home.FaqPage"]
    article_model = GuidePage

    class Meta:
        verbose_name = _("guide index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["faq_page"] = live_pages(FaqPage).child_of(self).first()
        return context


class FaqEntryBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"), max_length=2000)
    answer = blocks.TextBlock(label=_("Answer"), max_length=4000)

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "blocks/faq_entry.html"


class FaqPage(OneQueryViewRestrictions, SegmentedSearchMixin, Page):
    """Frequently asked questions (常见问题), many of them taken, anonymised and
    with the asker's consent, from answered mailbox questions.

    Entries hold only the question and the answer: nothing that links back to
    the mailbox item or its asker is stored in the page or its revisions.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    entries = StreamField(
        [("entry", FaqEntryBlock())], verbose_name=_("entries"), blank=True
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("entries")]
    search_fields = Page.search_fields + SegmentedSearchMixin.segmented_search_fields

    parent_page_types = ["home.GuideIndexPage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("FAQ page")

    def search_text_parts(self):
        parts = [strip_tags(self.intro)]
        for block in self.entries:
            parts += [block.value["question"], block.value["answer"]]
        return parts


class AnnouncementPage(ArticlePage):
    """An announcement (公告通知)."""

    parent_page_types = ["home.AnnouncementIndexPage"]

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")


class AnnouncementIndexPage(IndexPage):
    """The announcements column (公告通知)."""

    subpage_types = ["home.AnnouncementPage"]
    article_model = AnnouncementPage

    class Meta:
        verbose_name = _("announcement index")


class ShowcasePage(ArticlePage):
    """A story of an outstanding member (党员风采)."""

    parent_page_types = ["home.ShowcaseIndexPage"]

    class Meta:
        verbose_name = _("showcase story")
        verbose_name_plural = _("showcase stories")


class ShowcaseIndexPage(IndexPage):
    """The member showcase column (党员风采)."""

    subpage_types = ["home.ShowcasePage"]
    article_model = ShowcasePage

    class Meta:
        verbose_name = _("showcase index")


class VoicePage(RestrictedPageMixin, ArticlePage):
    """An article by a member for the voice column (流动党员之声).

    Members write them on the site (home.voice): a draft page with the member as
    `author`, submitted to the editors' moderation workflow. Until it is first
    submitted the draft is the member's alone: no one sees it in the admin.
    """

    class Category(models.TextChoices):
        WORK = "work", _("At work")
        STUDY = "study", _("Studying")
        LIFE = "life", _("Daily life")

    author_name = models.CharField(_("author"), max_length=60)
    # The member who wrote it on the site; the byline stays in `author_name`.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voice_pages",
    )
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, blank=True
    )

    content_panels = ArticlePage.content_panels[:1] + [
        FieldPanel("author_name"),
        # Who wrote it on the site; editors see it but do not reassign it.
        FieldPanel("author", read_only=True),
        FieldPanel("category"),
        *ArticlePage.content_panels[1:],
    ]
    search_fields = ArticlePage.search_fields + [index.SearchField("author_name")]
    parent_page_types = ["home.VoiceIndexPage"]

    class Meta:
        verbose_name = _("voice article")
        verbose_name_plural = _("voice articles")

    def search_text_parts(self):
        return [self.author_name, *super().search_text_parts()]

    @staticmethod
    def slug_for(title: str) -> str:
        return slugify(title, allow_unicode=True)[:60] or "voice"

    def full_clean(self, *args, **kwargs):
        # A member's article is published at an address made from its final
        # title, not the first draft's; Wagtail's redirects app (auto-created
        # redirects on a slug change) keeps the old address working.
        if self.live and self.author_id and self.pk:
            wanted = self.slug_for(self.title)
            if self.slug != wanted and not re.fullmatch(
                rf"{re.escape(wanted)}-\d+", self.slug
            ):
                self.slug = find_available_slug(
                    self.get_parent(), wanted, ignore_page_id=self.pk
                )
        super().full_clean(*args, **kwargs)

    def hidden_in_admin_from(self, user) -> bool:
        return (
            self.author_id is not None
            and not self.live
            and self.first_published_at is None
            and not WorkflowState.objects.for_instance(self).exists()
        )

    @classmethod
    def pages_hidden_in_admin_from(cls, user):
        """Members' drafts never submitted to the editors' workflow."""
        submitted = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), models.CharField()),
        )
        return cls.objects.filter(
            author__isnull=False, live=False, first_published_at__isnull=True
        ).exclude(Exists(submitted))


class VoiceIndexPage(IndexPage):
    """The voice column (流动党员之声)."""

    subpage_types = ["home.VoicePage"]
    article_model = VoicePage

    class Meta:
        verbose_name = _("voice index")
