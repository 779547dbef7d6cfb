"""Small helpers that build test data through the same code paths as editors."""

import contextlib
import datetime
import io
import itertools
from types import SimpleNamespace

from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.embeds.models import Embed
from wagtail.models import Page, Site

from courses.models import CourseIndexPage, CoursePage, LessonPage
from home import models as home

_counter = itertools.count(1)


@contextlib.contextmanager
def demo_seeded(django_db_blocker, media_root):
    """`seed_demo` run once for a test module, inside a transaction rolled back
    when the module is done; gives the media folder and the printed output."""
    output = io.StringIO()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=output)
            yield SimpleNamespace(media_root=media_root, output=output.getvalue())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # Nothing cached about rolled-back rows may leak into other modules.
            caches["default"].clear()


def home_page() -> home.HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


def add_child(parent: Page, page: Page, publish: bool = True) -> Page:
    """Add `page` under `parent` and publish it, as an editor would."""
    if not page.slug:
        page.slug = f"p{next(_counter)}"
    page.live = publish
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def paragraph(text: str) -> list:
    return [("paragraph", f"<p>{text}</p>")]


def news_index(parent=None, **kwargs) -> home.NewsIndexPage:
    kwargs.setdefault("title", "党建动态")
    kwargs.setdefault("slug", "news")
    return add_child(parent or home_page(), home.NewsIndexPage(**kwargs))


def news_page(index, title="新闻", body="正文", date=None, **kwargs) -> home.NewsPage:
    page = home.NewsPage(
        title=title,
        body=paragraph(body),
        date=date or datetime.date(2026, 1, 1),
        **kwargs,
    )
    return add_child(index, page)


def course_index(parent=None, **kwargs) -> CourseIndexPage:
    kwargs.setdefault("title", "在线学习")
    kwargs.setdefault("slug", "courses")
    return add_child(parent or home_page(), CourseIndexPage(**kwargs))


def course(index, title="课程", summary="课程简介", **kwargs) -> CoursePage:
    return add_child(index, CoursePage(title=title, summary=summary, **kwargs))


def lesson(course_page, title="课时", body="课时内容", minutes=10, **kwargs):
    page = LessonPage(
        title=title, body=paragraph(body), estimated_minutes=minutes, **kwargs
    )
    return add_child(course_page, page)


def video_embed() -> Embed:
    """A YouTube player as its oEmbed provider gives it (not saved)."""
    return Embed(
        url="https://www.youtube.com/watch?v=x",
        html='<iframe src="https://www.youtube.com/embed/x" width="480"'
        ' height="270"></iframe>',
        width=480,
        height=270,
    )
