"""`seed_demo` builds the demo site once per module; each test reads it inside
its own savepoint, and the module's transaction is rolled back at the end."""

import io
import wave

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtailmedia.models import get_media_model

from courses.models import CourseCategory, CourseIndexPage, CoursePage, LessonPage
from home import models as home
from home.management.commands.seed_demo import demo_modules
from tests.factories import demo_seeded

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "demo-admin-2026"

COLUMNS = [
    # slug, title, index model, article model, minimum number of articles
    ("news", "党建动态", home.NewsIndexPage, home.NewsPage, 6),
    ("guides", "党务指南", home.GuideIndexPage, home.GuidePage, 3),
    ("announcements", "公告通知", home.AnnouncementIndexPage, home.AnnouncementPage, 2),
    ("showcase", "党员风采", home.ShowcaseIndexPage, home.ShowcasePage, 2),
    ("voice", "流动党员之声", home.VoiceIndexPage, home.VoicePage, 2),
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("seed-media")
    with demo_seeded(django_db_blocker, media_root) as seeded:
        yield seeded


@pytest.fixture
def demo(seeded, db, settings):
    settings.MEDIA_ROOT = seeded.media_root
    return seeded


def row_counts():
    models = [
        Page,
        Revision,
        get_image_model(),
        get_media_model(),
        get_document_model(),
        get_user_model(),
        CourseCategory,
        home.HomeFeaturedCourse,
    ]
    return {model.__name__: model.objects.count() for model in models}


def column(slug):
    return Page.objects.get(url_path=f"/home/{slug}/").specific


def test_apps_own_their_demo_data_in_installed_apps_order():
    names = [module.__name__ for module in demo_modules()]

    assert names[:3] == ["school.members.demo", "home.demo", "courses.demo"]


@pytest.mark.parametrize(
    ("slug", "title", "index_model", "article_model", "least"), COLUMNS
)
def test_each_column_lives_at_its_readable_address(
    demo, client, slug, title, index_model, article_model, least
):
    index = column(slug)

    assert isinstance(index, index_model)
    assert index.title == title
    assert index.show_in_menus
    articles = article_model.objects.child_of(index).live()
    assert articles.count() >= least
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    assert title in response.content.decode()


def test_articles_are_dated_over_several_months_newest_first(demo, client):
    response = client.get("/news/")

    dates = [article.date for article in response.context["articles"]]
    assert dates == sorted(dates, reverse=True)
    assert (dates[0] - dates[-1]).days >= 60


def test_voice_articles_name_their_authors(demo):
    assert all(page.author_name for page in home.VoicePage.objects.all())


def test_about_page_is_a_standard_page(demo, client):
    about = column("about")

    assert isinstance(about, home.StandardPage)
    assert about.title == "关于我们"
    assert client.get("/about/").status_code == 200


def test_every_demo_page_is_published_with_a_revision(demo):
    pages = Page.objects.filter(depth__gt=2)

    assert pages.count() >= 30
    # Members' voice submissions in moderation are drafts by design (issue 7).
    pages = pages.exclude(pk__in=home.VoicePage.objects.filter(author__isnull=False))
    assert not pages.filter(live=False).exists()
    assert not pages.filter(live_revision__isnull=True).exists()


def test_home_page_welcomes_and_features_the_courses(demo, client):
    homepage = home.HomePage.objects.get()
    featured = [item.course.specific for item in homepage.featured_courses.all()]

    assert homepage.intro
    assert len(featured) >= 2
    assert all(isinstance(course, CoursePage) for course in featured)
    response = client.get("/")
    assert [c.pk for c in response.context["featured_courses"]] == [
        c.pk for c in featured
    ]


def test_courses_come_second_in_the_menu(demo):
    menu = Page.objects.child_of(home.HomePage.objects.get()).live().in_menu()

    assert [page.slug for page in menu][:2] == ["news", "courses"]


def test_courses_have_covers_hours_categories_and_lessons(demo, client):
    index = column("courses")
    courses = CoursePage.objects.child_of(index).live()

    assert isinstance(index, CourseIndexPage)
    assert index.title == "在线学习"
    assert CourseCategory.objects.count() >= 2
    assert courses.count() >= 2
    for course in courses:
        assert course.cover_image is not None
        assert course.category is not None
        assert course.study_hours > 0
        lessons = LessonPage.objects.child_of(course).live()
        assert lessons.count() >= 3
        assert all(lesson.estimated_minutes > 0 for lesson in lessons)
    assert client.get("/courses/").status_code == 200


def test_one_lesson_plays_a_real_wav_file(demo, client):
    lessons = [
        lesson
        for lesson in LessonPage.objects.all()
        if any(block.block_type == "audio" for block in lesson.body)
    ]
    assert len(lessons) == 1
    lesson = lessons[0]
    media = next(b.value for b in lesson.body if b.block_type == "audio")["media"]

    assert media.type == "audio"
    with media.file.open("rb") as file, wave.open(file) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 2 <= seconds <= 10
    response = client.get(lesson.url)
    assert f'<audio controls preload="none" src="{media.url}"' in (
        response.content.decode()
    )
    served = client.get(media.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:4] == b"RIFF"


def test_search_finds_demo_pages_by_a_word_inside_sentences(demo, client):
    response = client.get("/search/", {"q": "党员"})

    assert response.context["results"].paginator.count >= 10
    assert "<mark>党员</mark>" in response.content.decode()


def test_second_run_changes_nothing(demo):
    before = row_counts()

    call_command("seed_demo", stdout=io.StringIO())

    assert row_counts() == before


def test_admin_logs_in_with_the_printed_password(demo, client):
    assert f"login: {ADMIN_EMAIL} / password: {ADMIN_PASSWORD}" in demo.output
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser

    assert client.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_admin_logs_in_through_the_login_form(demo, client):
    response = client.post(
        "/accounts/login/", {"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
