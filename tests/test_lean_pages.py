"""Pages rendered without the page cache stay cheap: a fixed, small number of
queries however long their lists, and no database write for an anonymous
visitor (on the database cache, as `make run` has)."""

import io
import os
import re
import uuid
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import smart_split
from wagtail.images.models import Filter, Image
from wagtail.models import Page, get_page_models

from home import models as home
from school import renditions
from tests import factories
from tests.home.factories import image_bytes
from tests.salon import factories as salons

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN)", re.IGNORECASE)
WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)', re.I
)
BUDGET = 12
SEARCH_BUDGET = 10
SEARCH = "/search/?q=新闻"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
IMAGE_TAG = re.compile(r"{%\s*(image|srcset_image)\s+(.*?)%}", re.S)


@pytest.fixture(autouse=True)
def _rendered(settings, database_cache):
    settings.SCHOOL_PAGE_CACHE = False


def image(title="图"):
    return Image.objects.create(
        title=title, file=ImageFile(io.BytesIO(image_bytes()), name="photo.png")
    )


class Site:
    """One live page of every page type, each showing an image where it can."""

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
        self.standard = factories.add_child(
            root,
            home.StandardPage(
                title="关于我们",
                slug="about",
                body=[("image", {"image": image(), "alt": "", "caption": "图注"})],
            ),
        )
        self.guides = factories.add_child(
            root, home.GuideIndexPage(title="党务指南", slug="guides")
        )
        self.guide = factories.add_child(
            self.guides, home.GuidePage(title="转接组织关系", image=image())
        )
        self.faq = factories.add_child(
            self.guides, home.FaqPage(title="常见问题", slug="faq")
        )
        self.showcases = factories.add_child(
            root, home.ShowcaseIndexPage(title="支部风采", slug="showcase")
        )
        self.showcase = factories.add_child(
            self.showcases, home.ShowcasePage(title="城东支部", image=image())
        )

    def add_items(self, n):
        article = None
        for i in range(n):
            article = factories.news_page(self.news, title=f"新闻{i}", image=image())
            self.announcement = factories.add_child(
                self.announcements, home.AnnouncementPage(title=f"公告{i}")
            )
            self.voice = factories.add_child(
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
            factories.add_child(
                self.guides, home.GuidePage(title=f"指南{i}", image=image())
            )
            factories.add_child(
                self.showcases, home.ShowcasePage(title=f"风采{i}", image=image())
            )

    def pages(self):
        return {
            "home": self.root,
            "column index": self.news,
            "article": self.article,
            "announcement index": self.announcements,
            "announcement": self.announcement,
            "voice index": self.voices,
            "voice": self.voice,
            "course index": self.courses,
            "course": self.course,
            "lesson": self.lesson,
            "salon index": self.salons,
            "salon": self.salon,
            "standard page": self.standard,
            "guide index": self.guides,
            "guide": self.guide,
            "faq": self.faq,
            "showcase index": self.showcases,
            "showcase": self.showcase,
        }

    def urls(self):
        urls = {name: page.url for name, page in self.pages().items()}
        urls["home"] = "/"
        urls["column index, page 2"] = f"{self.news.url}?page=2"
        return urls

    def site_files(self):
        """Addresses the page cache also serves, besides pages."""
        return {
            "feed": f"{self.news.url}feed/",
            "sitemap": "/sitemap.xml",
            "robots": "/robots.txt",
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


def test_every_page_type_is_visited(site):
    visited = {type(page.specific) for page in site.pages().values()}
    assert visited == set(get_page_models()) - {Page}


def anonymous_addresses(site):
    return {**site.urls(), **site.site_files(), "search": SEARCH}


def written_tables(queries):
    return {
        match.group(1)
        for query in queries
        if (match := WRITTEN_TABLE.match(query["sql"]))
    }


def test_anonymous_pages_write_nothing(client, site):
    for name, url in anonymous_addresses(site).items():
        client.get(url)
        writes = [sql for sql in warm_queries(client, url) if WRITE.match(sql)]
        assert writes == [], name


@pytest.mark.parametrize("page_cache", [False, True], ids=["rendered", "page-cache"])
def test_first_anonymous_visit_writes_only_to_the_cache(
    client, site, settings, page_cache
):
    """`make run`'s configuration (the database cache): the very first visit
    of each page, on an empty cache, writes no row of the site's own (no image
    rendition, no session); only the cache table is filled."""
    settings.SCHOOL_PAGE_CACHE = page_cache
    for name, url in anonymous_addresses(site).items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        tables = written_tables(queries.captured_queries)
        assert tables <= {"school_cache"}, (name, tables)


@pytest.fixture
def redis_cache(settings):
    """The production configuration's shared cache: Redis (db 6 here), under a
    key prefix of this test's own, so nothing needs clearing."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-lean-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        },
        "renditions": settings.CACHES["renditions"],
    }


def test_no_anonymous_visit_writes_to_the_database_with_redis(
    client, site, settings, redis_cache
):
    """Production's configuration (Redis, the page cache on): neither the
    first nor a later visit of any page writes to the database."""
    settings.SCHOOL_PAGE_CACHE = True
    for name, url in anonymous_addresses(site).items():
        for visit in ("first", "second"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (name, visit)
            writes = [q["sql"] for q in queries if WRITE.match(q["sql"])]
            assert writes == [], (name, visit)


def test_every_template_size_is_made_in_advance():
    """Each {% image %} / {% srcset_image %} spec of the templates is one the
    image's save makes (school.renditions), so no page view makes one."""
    made = set(renditions.filter_specs())
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        for tag in IMAGE_TAG.finditer(template.read_text()):
            bits = list(smart_split(tag.group(2)))[1:]  # after the image
            if "as" in bits:
                bits = bits[: bits.index("as")]
            specs = [bit for bit in bits if "=" not in bit]
            used.update(Filter.expand_spec(specs))
    assert used, "no image tag found"
    assert used <= made, used - made


def test_make_renditions_makes_the_missing_ones(db):
    photo = image()
    photo.renditions.all().delete()
    call_command("make_renditions", verbosity=0)
    assert set(photo.renditions.values_list("filter_spec", flat=True)) == set(
        renditions.filter_specs()
    )


def test_query_counts_do_not_grow_with_items_listed(client, site):
    before = {name: len(warm_queries(client, url)) for name, url in site.urls().items()}
    site.add_more(25)
    after = {name: len(warm_queries(client, url)) for name, url in site.urls().items()}
    assert after == before


def test_search_stays_within_its_budget(client, site, settings):
    """However many results, of however many page types: the page of results
    is fetched in one query with each type's own fields."""
    searches = {
        "one word": "/search/?q=新闻",
        "every page type": "/search/?q="
        + "+".join(
            (
                "新闻",
                "公告",
                "来信",
                "课程",
                "课时",
                "指南",
                "风采",
                "沙龙",
                "关于",
                "问题",
            )
        ),
    }
    before = {name: len(warm_queries(client, url)) for name, url in searches.items()}
    site.add_more(25)
    after = {name: len(warm_queries(client, url)) for name, url in searches.items()}
    assert all(after[name] <= before[name] for name in searches), (before, after)
    assert max(before.values()) <= SEARCH_BUDGET, before
    content = client.get(searches["every page type"]).content.decode()
    assert content.count('class="search-result"') == settings.SITE_PAGE_SIZE


def test_a_cached_page_writes_nothing(client, site, settings):
    settings.SCHOOL_PAGE_CACHE = True
    for name, url in site.urls().items():
        client.get(url)
        queries = warm_queries(client, url)
        assert len(queries) == 1, name
        assert not WRITE.match(queries[0]), name
