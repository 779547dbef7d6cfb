"""The top navigation is cached across requests and follows page changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from home import models as home
from tests import factories


@pytest.fixture
def news(db):
    return factories.news_index(title="党建动态", show_in_menus=True)


def nav_of(client, url="/"):
    html = client.get(url).content.decode()
    return html.split("site-nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
def test_menu_lists_live_menu_pages_and_marks_the_current_one(client, news):
    nav = nav_of(client, news.url)
    assert f'<a href="{news.url}" aria-current="page">党建动态</a>' in nav
    assert 'aria-current="page">首页' not in nav
    assert 'href="/" aria-current="page"' in nav_of(client, "/")


@pytest.mark.django_db
def test_menu_follows_publishing_renaming_unpublishing_moving_and_deleting(
    client, news
):
    assert "党建动态" in nav_of(client)  # now cached

    guides = factories.add_child(
        factories.home_page(), home.GuideIndexPage(title="学习指南", show_in_menus=True)
    )
    assert "学习指南" in nav_of(client)

    news.title = "新闻中心"
    news.save_revision().publish()
    assert "新闻中心" in nav_of(client)

    guides.unpublish()
    assert "学习指南" not in nav_of(client)

    news.move(Page.objects.get(pk=guides.pk), pos="last-child")
    assert "新闻中心" not in nav_of(client)

    Page.objects.get(pk=guides.pk).delete()
    assert "学习指南" not in nav_of(client)


@pytest.mark.django_db
def test_cached_menu_saves_the_site_and_menu_queries(client, news):
    client.get("/search/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/")
    sqls = " ".join(q["sql"] for q in queries)
    assert "wagtailcore_site" not in sqls
    assert "wagtailcore_page" not in sqls
