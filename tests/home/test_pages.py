"""Every page type renders, and the tree only accepts sensible parents."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CourseIndexPage, CoursePage, LessonPage
from home import models as home
from tests import factories

ARTICLE_COLUMNS = [
    (home.NewsIndexPage, home.NewsPage),
    (home.GuideIndexPage, home.GuidePage),
    (home.AnnouncementIndexPage, home.AnnouncementPage),
    (home.ShowcaseIndexPage, home.ShowcasePage),
    (home.VoiceIndexPage, home.VoicePage),
]


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_takes_the_columns(self):
        self.assertAllowedSubpageTypes(
            home.HomePage,
            {
                home.NewsIndexPage,
                home.GuideIndexPage,
                home.AnnouncementIndexPage,
                home.ShowcaseIndexPage,
                home.VoiceIndexPage,
                home.StandardPage,
                CourseIndexPage,
                *self._later_columns(),
            },
        )

    def _later_columns(self):
        # Other apps add their own columns to the home page (salon index …).
        allowed = set(home.HomePage.allowed_subpage_models())
        ours = {model for pair in ARTICLE_COLUMNS for model in pair}
        ours |= {home.StandardPage, CourseIndexPage}
        return {model for model in allowed - ours if model._meta.app_label != "home"}

    def test_each_index_takes_its_articles_and_no_other_column_s(self):
        for index_model, article_model in ARTICLE_COLUMNS:
            with self.subTest(index=index_model.__name__):
                self.assertCanCreateAt(index_model, article_model)
                self.assertAllowedParentPageTypes(article_model, {index_model})
                self.assertAllowedSubpageTypes(article_model, set())
                for _, other in ARTICLE_COLUMNS:
                    if other is not article_model:
                        self.assertCanNotCreateAt(index_model, other)

    def test_articles_cannot_go_under_another_column(self):
        self.assertCanNotCreateAt(home.GuideIndexPage, home.NewsPage)
        self.assertCanNotCreateAt(home.HomePage, home.NewsPage)

    def test_courses_nest_course_then_lesson(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {home.HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(home.HomePage, CoursePage)

    def test_standard_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(
            home.StandardPage, {home.HomePage, home.StandardPage}
        )

    def test_home_page_cannot_be_created_twice(self):
        self.assertFalse(home.HomePage.can_create_at(Page.get_first_root_node()))


@pytest.fixture
def tree(db):
    root = factories.home_page()
    pages = {"home": root}
    for index_model, article_model in ARTICLE_COLUMNS:
        index = factories.add_child(root, index_model(title=index_model.__name__))
        kwargs = {"author_name": "张三"} if article_model is home.VoicePage else {}
        pages[article_model] = factories.add_child(
            index,
            article_model(
                title=f"{article_model.__name__}标题",
                body=factories.paragraph("正文内容"),
                **kwargs,
            ),
        )
        pages[index_model] = index
    pages[home.StandardPage] = factories.add_child(
        root, home.StandardPage(title="关于我们", slug="about")
    )
    course_index = factories.course_index()
    course = factories.course(course_index, title="党章学习")
    pages[CourseIndexPage] = course_index
    pages[CoursePage] = course
    pages[LessonPage] = factories.lesson(course, title="第一课")
    factories.lesson(course, title="第二课")
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [
        "home",
        *[m for pair in ARTICLE_COLUMNS for m in pair],
        home.StandardPage,
        CourseIndexPage,
        CoursePage,
        LessonPage,
    ],
    ids=lambda m: m if isinstance(m, str) else m.__name__,
)
def test_each_page_type_renders(client, tree, model):
    page = tree[model]

    response = client.get(page.url)

    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.django_db
def test_article_shows_date_and_breadcrumbs(client, tree):
    article = tree[home.NewsPage]
    article.date = factories.datetime.date(2026, 1, 1)
    article.save_revision().publish()

    html = client.get(article.url).content.decode()

    assert '<time datetime="2026-01-01">2026年1月1日</time>' in html
    assert 'aria-label="当前位置"' in html
    assert f">{tree[home.NewsIndexPage].title}</a>" in html


@pytest.mark.django_db
def test_voice_article_shows_its_author(client, tree):
    response = client.get(tree[home.VoicePage].url)

    assert "作者：张三" in response.content.decode()


@pytest.mark.django_db
def test_lesson_links_to_its_neighbours(client, tree):
    response = client.get(tree[LessonPage].url)

    assert response.context["previous_lesson"] is None
    assert response.context["next_lesson"].title == "第二课"
    assert "下一课" in response.content.decode()


@pytest.mark.django_db
def test_index_paginates_twenty_newest_first(client):
    index = factories.news_index()
    for day in range(1, 26):
        factories.news_page(
            index, title=f"新闻{day}", date=factories.datetime.date(2026, 3, day)
        )

    first = client.get(index.url)
    second = client.get(index.url, {"page": 2})

    assert [p.title for p in first.context["articles"]][:2] == ["新闻25", "新闻24"]
    assert len(first.context["articles"]) == 20
    assert [p.title for p in second.context["articles"]][-1] == "新闻1"
    assert client.get(index.url, {"page": "abc"}).status_code == 200
