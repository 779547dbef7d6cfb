"""Pages rendered without the page cache stay cheap: a fixed, small number of
queries however long their lists, and no database write for an anonymous
visitor (on the database cache, as `make run` has)."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image

from home import models as home
from tests import factories
from tests.home.factories import image_bytes
from tests.salon import factories as salons

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN)", re.IGNORECASE)
BUDGET = 12


@pytest.fixture(autouse=True)
def _rendered(settings, database_cache):
    settings.SCHOOL_PAGE_CACHE = False


def image(title="图"):
    return Image.objects.create(
        title=title, file=ImageFile(io.BytesIO(image_bytes()), name="photo.png")
    )


class Site:
    def __init__(self):
        root = factories.home_page()
        self.root = root
        self.news = factories.news_index(show_in_menus=True)
        self.announcements = factories.add_child(
            root, home.AnnouncementIndexPage(title="公告通知", slug="notices")
        )
        self.voices = factories.add_child(
            root, home.VoiceIndexPage(title="流动党员之声", slug="voice")
        )
        self.courses = factories.course_index(show_in_menus=True)
        self.salons = salons.salon_index()
        self.article = self.add_items(1)
        self.course = factories.course(self.courses, title="课程", cover_image=image())
        self.lesson = factories.lesson(self.course, title="课时")
        self.salon = salons.salon(self.salons)
        home.HomeFeaturedCourse.objects.create(home=root, course=self.course)

    def add_items(self, n):
        article = None
        for i in range(n):
            article = factories.news_page(self.news, title=f"新闻{i}", image=image())
            factories.add_child(
                self.announcements, home.AnnouncementPage(title=f"公告{i}")
            )
            factories.add_child(
                self.voices, home.VoicePage(title=f"来信{i}", author_name="李四")
            )
        return article

    def add_more(self, n):
        self.add_items(n)
        for i in range(n):
            course = factories.course(
                self.courses, title=f"课程{i}", cover_image=image()
            )
            home.HomeFeaturedCourse.objects.create(home=self.root, course=course)
            factories.lesson(self.course, title=f"课时{i}")
            salons.salon(self.salons)

    def urls(self):
        return {
            "home": "/",
            "column index": self.news.url,
            "column index, page 2": f"{self.news.url}?page=2",
            "article": self.article.url,
            "course index": self.courses.url,
            "course": self.course.url,
            "lesson": self.lesson.url,
            "salon index": self.salons.url,
            "salon": self.salon.url,
        }


@pytest.fixture
def site(db):
    return Site()


def warm_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, renditions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries.captured_queries]


def test_the_home_page_shows_every_list(client, site):
    content = client.get("/").content.decode()
    for text in ("课程", "新闻0", "公告0", "来信0", site.salon.title, "card__image"):
        assert text in content


def test_anonymous_pages_stay_within_the_query_budget(client, site):
    for name, url in site.urls().items():
        queries = warm_queries(client, url)
        assert len(queries) <= BUDGET, (name, len(queries), queries)


def test_anonymous_pages_write_nothing(client, site):
    for name, url in site.urls().items():
        client.get(url)
        writes = [sql for sql in warm_queries(client, url) if WRITE.match(sql)]
        assert writes == [], name


@pytest.mark.xfail(
    "postgres" in __import__("os").environ.get("DATABASE_URL", ""),
    reason="a rendition missing on PostgreSQL is made on the first visit (open)",
    strict=False,
)
def test_first_anonymous_visit_writes_nothing(client, site):
    """Not even the first: image renditions are not stored again per view."""
    warm_queries(client, "/news/")  # renditions exist
    for name, url in site.urls().items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
        assert writes == [], name


def test_query_counts_do_not_grow_with_items_listed(client, site):
    before = {name: len(warm_queries(client, url)) for name, url in site.urls().items()}
    site.add_more(25)
    after = {name: len(warm_queries(client, url)) for name, url in site.urls().items()}
    assert after == before


def test_a_cached_page_writes_nothing(client, site, settings):
    settings.SCHOOL_PAGE_CACHE = True
    for name, url in site.urls().items():
        client.get(url)
        queries = warm_queries(client, url)
        assert len(queries) == 1, name
        assert not WRITE.match(queries[0]), name
