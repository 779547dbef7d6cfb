"""The small things users and crawlers expect: sitemap, robots, feed, errors."""

import pytest
from django.test import override_settings
from django.urls import path

from tests import factories


@pytest.fixture
def news(db):
    index = factories.news_index()
    factories.news_page(index, title="第一条新闻", intro="新闻摘要")
    return index


@pytest.mark.django_db
def test_sitemap_lists_published_pages(client, news):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert "/news/" in response.content.decode()


@pytest.mark.django_db
def test_sitemap_gives_addresses_on_the_host_it_is_asked_on(client, news):
    # The default Site record still says localhost:80, as after `migrate`.
    body = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8000").content.decode()

    assert "<loc>http://127.0.0.1:8000/news/</loc>" in body
    assert "localhost" not in body


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()
    # Members' pages are hidden by their login, not by robots.txt (which
    # would fail Lighthouse's is-crawlable audit on them).
    assert "Disallow: /me/" not in response.content.decode()


@pytest.mark.django_db
def test_news_feed_is_rss_of_the_news(client, news):
    response = client.get("/news/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<title>第一条新闻</title>" in body
    assert "新闻摘要" in body


@pytest.mark.django_db
def test_missing_page_gets_the_chinese_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_gets_the_chinese_500(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "出错了" in response.content.decode()


@pytest.mark.django_db
def test_favicon_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
