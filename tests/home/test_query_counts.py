"""Pages render in a fixed number of queries, however long their lists grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import models as home
from tests import factories


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def site(db):
    root = factories.home_page()
    news = factories.news_index()
    factories.news_page(news)
    for model in (home.AnnouncementIndexPage, home.VoiceIndexPage):
        index = factories.add_child(root, model(title=model.__name__))
        article = model.article_model
        extra = {"author_name": "李四"} if article is home.VoicePage else {}
        factories.add_child(index, article(title="一篇", **extra))
    course = factories.course(factories.course_index(), title="课程")
    factories.lesson(course, title="课时")
    root.featured_courses.create(course=course)
    return {"home": root, "news": news, "course": course}


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_news(client, site):
    before = count_queries(client, "/")
    for i in range(50):
        factories.news_page(site["news"], title=f"新闻{i}")

    assert count_queries(client, "/") == before


@pytest.mark.django_db
def test_course_and_lesson_queries_do_not_grow_with_lessons(client, site):
    course = site["course"]
    lesson_url = course.get_children().first().url
    course_before = count_queries(client, course.url)
    lesson_before = count_queries(client, lesson_url)
    for i in range(50):
        factories.lesson(course, title=f"课时{i}")

    assert count_queries(client, course.url) == course_before
    assert count_queries(client, lesson_url) == lesson_before


@pytest.mark.django_db
def test_page_query_budgets(client, site, django_assert_max_num_queries):
    """Absolute budgets, so that a new per-page query is a conscious choice."""
    lesson_url = site["course"].get_children().first().url
    for url in ("/", site["course"].url, lesson_url, site["news"].url):
        client.get(url)
    with django_assert_max_num_queries(20):
        client.get("/")
    with django_assert_max_num_queries(20):
        client.get(site["course"].url)
    with django_assert_max_num_queries(20):
        client.get(lesson_url)
