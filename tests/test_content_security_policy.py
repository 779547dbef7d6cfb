import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from tests import factories
from tests.members import factories as people

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    """The response's policy as {directive: [sources]}."""
    policy = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@pytest.mark.django_db
def test_public_pages_get_a_strict_policy(client):
    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["media-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_account_pages_get_the_strict_policy(client):
    policy = directives(client.get("/accounts/login/"))

    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_wagtail_admin_gets_a_looser_policy(client):
    client.force_login(people.superuser())

    response = client.get("/admin/")

    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_a_wagtail_preview_may_be_framed_by_the_admin():
    # Wagtail renders previews through the middleware again, on a dummy
    # request for the page's public URL.
    news = factories.news_page(factories.news_index(), title="预览")

    policy = directives(news.make_preview_request())

    assert policy["frame-ancestors"] == ["'self'"]


def test_responsive_embeds_carry_no_style_attribute():
    embed = factories.video_embed()

    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})

    assert 'class="responsive-object"' in html
    assert "style=" not in html


INLINE = re.compile(
    r"<style|\sstyle=|\son[a-z]+=|javascript:"
    r"|<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")",
    re.IGNORECASE,
)


def test_site_templates_have_no_inline_script_or_style():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group()}"
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]

    assert found == []
