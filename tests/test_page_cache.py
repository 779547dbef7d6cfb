"""Anonymous visitors get pages from the shared cache; nothing personal is
ever stored or served from it, and a change shows at once."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import ResolverMatch
from wagtail.models import PageViewRestriction

from home import models as home
from school import pagecache
from school.pagecache import HEADER, PageCacheMiddleware
from tests import factories
from tests.members import factories as people
from tests.salon import factories as salons

pytestmark = pytest.mark.usefixtures("database_cache")


@pytest.fixture
def news(db):
    index = factories.news_index(show_in_menus=True)
    article = factories.news_page(index, title="支部换届通知")
    return index, article


def visit(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_second_anonymous_visit_is_served_from_the_cache(client, news):
    _index, article = news
    first = visit(client, article.url)
    with CaptureQueriesContext(connection) as queries:
        second = visit(client, article.url)

    assert first[HEADER] == "miss"
    assert second[HEADER] == "hit"
    assert second.content == first.content
    # One round trip to the shared cache (the token and the page together).
    assert len(queries) == 1
    assert "支部换届通知" in second.content.decode()


@pytest.mark.parametrize("path", ["/", "/sitemap.xml", "/robots.txt"])
def test_site_files_and_home_are_cached(client, news, path):
    visit(client, path)
    assert visit(client, path)[HEADER] == "hit"


def test_column_pages_and_feed_are_cached_by_page_number(client, news):
    index, _article = news
    for i in range(25):
        factories.news_page(index, title=f"新闻{i}")
    for url in (index.url, f"{index.url}?page=2", f"{index.url}feed/"):
        visit(client, url)
        assert visit(client, url)[HEADER] == "hit", url
    assert (
        visit(client, index.url).content != visit(client, f"{index.url}?page=2").content
    )


def test_other_query_strings_are_not_stored(client, news):
    index, _article = news
    visit(client, f"{index.url}?utm=1")
    assert visit(client, f"{index.url}?utm=1").get(HEADER) != "hit"


def test_salon_index_is_cached(client):
    salon = salons.salon()
    index = salon.get_parent()
    visit(client, index.url)
    assert visit(client, index.url)[HEADER] == "hit"


def test_anonymous_pages_may_be_kept_briefly_by_a_proxy(client, news):
    response = visit(client, news[1].url)
    control = response["Cache-Control"]
    assert "public" in control and "max-age=60" in control
    assert "Cookie" in response["Vary"]


# Invalidation: each event shows on the next visit.


def test_publishing_a_change_shows_at_once(client, news):
    _index, article = news
    visit(client, article.url)
    article.title = "支部换届结果"
    article.save_revision().publish()

    response = visit(client, article.url)
    assert response[HEADER] == "miss"
    assert "支部换届结果" in response.content.decode()


def test_unpublished_page_disappears_at_once(client, news):
    _index, article = news
    visit(client, article.url)
    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_page_made_private_disappears_at_once(client, news):
    _index, article = news
    visit(client, article.url)
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_moved_page_leaves_its_old_address(client, news):
    index, article = news
    old_url = article.url
    visit(client, old_url)
    other = factories.add_child(
        factories.home_page(), home.GuideIndexPage(title="党务指南", slug="guides")
    )
    article.move(other, pos="last-child")
    response = client.get(old_url)
    # Wagtail leaves a redirect to the new address.
    assert response.status_code in (301, 404)
    assert response.get(HEADER) != "hit"


def test_deleted_page_disappears(client, news):
    _index, article = news
    url = article.url
    visit(client, url)
    article.delete()
    assert client.get(url).status_code == 404


def test_a_new_article_shows_on_the_home_page_and_its_column(client, news):
    index, _article = news
    visit(client, "/")
    visit(client, index.url)
    factories.news_page(index, title="新学期课程上线")
    assert "新学期课程上线" in visit(client, "/").content.decode()
    assert "新学期课程上线" in visit(client, index.url).content.decode()


def test_a_new_menu_entry_shows_on_every_page(client, news):
    _index, article = news
    visit(client, article.url)
    factories.add_child(
        factories.home_page(),
        home.StandardPage(title="关于我们", slug="about", show_in_menus=True),
    )
    assert "关于我们" in visit(client, article.url).content.decode()


def test_a_seat_taken_shows_on_the_salon_page(client):
    salon = salons.salon(capacity=10)
    assert "10" in visit(client, salon.url).content.decode()
    salons.services_sign_up(salon, salons.member())
    content = visit(client, salon.url).content.decode()
    assert "9" in content.split("salon-seats")[1][:40]


# Nothing personal in the cache.


def test_log_in_visit_log_out_visit(client, news):
    _index, article = news
    member = people.member(real_name="王小明")
    client.force_login(member.user)
    as_member = visit(client, article.url)
    assert as_member.get(HEADER) != "hit"
    assert "private" in as_member["Cache-Control"]
    assert "/accounts/logout/" in as_member.content.decode()

    client.logout()
    visit(client, article.url)
    anonymous = visit(client, article.url)
    assert anonymous[HEADER] == "hit"
    assert "/accounts/logout/" not in anonymous.content.decode()


def test_two_members_in_turn_never_get_a_cached_page(client, news):
    _index, article = news
    visit(client, article.url)  # an anonymous copy is now stored
    organiser = people.organiser()
    member = people.member().user
    for user in (organiser, member, organiser):
        client.force_login(user)
        response = visit(client, article.url)
        assert response.get(HEADER) != "hit"
        content = response.content.decode()
        assert "/accounts/logout/" in content
        assert ("/admin/" in content) == (user == organiser)
        client.logout()


def test_a_member_page_is_never_stored_for_anonymous_visitors(client, news):
    _index, article = news
    client.force_login(people.member().user)
    visit(client, article.url)
    client.logout()
    first = visit(client, article.url)
    assert first[HEADER] == "miss"
    assert "/accounts/logout/" not in first.content.decode()


def test_a_visitor_with_a_session_bypasses_the_cache(client, news):
    _index, article = news
    visit(client, article.url)
    client.cookies["sessionid"] = "whatever"
    assert visit(client, article.url).get(HEADER) != "hit"


class NameForm(forms.Form):
    name = forms.CharField()


class TestWhatIsNeverStored:
    """The middleware's rules, on responses a Wagtail page could give."""

    def serve(self, respond):
        request = RequestFactory().get("/news/x/")
        request.resolver_match = ResolverMatch(
            lambda r: None, (), {}, url_name="wagtail_serve"
        )
        request.session = SessionStore()
        request._messages = FallbackStorage(request)

        def get_response(request):
            return respond(request)

        response = PageCacheMiddleware(get_response)(request)
        return response

    def stored(self, respond, db):
        self.serve(respond)
        return self.serve(respond).get(HEADER) == "hit"

    def test_a_plain_page_is_stored(self, db):
        assert self.stored(lambda request: HttpResponse("ok"), db)

    def test_a_response_setting_a_cookie(self, db):
        def respond(request):
            response = HttpResponse("ok")
            response.set_cookie("seen", "1")
            return response

        assert not self.stored(respond, db)

    def test_a_response_with_a_message(self, db):
        def respond(request):
            messages.info(request, "已保存")
            return HttpResponse("ok")

        assert not self.stored(respond, db)

    def test_a_response_with_a_csrf_token(self, db):
        def respond(request):
            return HttpResponse(get_token(request))

        assert not self.stored(respond, db)

    def test_a_response_with_a_form_error(self, db):
        def respond(request):
            form = NameForm(data={})
            template = engines["django"].from_string("{{ form }}")
            return TemplateResponse(request, template, {"form": form}).render()

        assert not self.stored(respond, db)

    def test_a_private_response(self, db):
        def respond(request):
            response = HttpResponse("ok")
            response["Cache-Control"] = "private"
            return response

        assert not self.stored(respond, db)


# A shared cache that does not answer (Redis away) is a miss, not an error.


class CacheAway:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

        return fail


class CacheThatCannotStore:
    def get_many(self, keys):
        return {}

    def __getattr__(self, name):
        return CacheAway().__getattr__(name)


def test_a_page_cache_away_is_a_miss(client, news, monkeypatch):
    _index, article = news
    monkeypatch.setattr(pagecache, "cache", CacheAway())
    for _visit in range(2):
        response = visit(client, article.url)
        assert HEADER not in response
        assert "支部换届通知" in response.content.decode()


def test_a_page_the_cache_cannot_store_is_still_served(client, news, monkeypatch):
    _index, article = news
    monkeypatch.setattr(pagecache, "cache", CacheThatCannotStore())
    response = visit(client, article.url)
    assert HEADER not in response
    assert "支部换届通知" in response.content.decode()


def test_a_change_is_not_saved_while_the_token_cannot_be_renewed(news, monkeypatch):
    """Else the pages stored before would come back stale with the cache."""
    _index, article = news
    monkeypatch.setattr(pagecache, "cache", CacheAway())
    article.title = "支部换届结果"
    with pytest.raises(ConnectionError):
        article.save_revision().publish()
