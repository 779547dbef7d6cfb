"""What a member's phone downloads: pages gzipped, static files hashed,
gzipped or brotli-compressed and cached for a year (in production and on
`make run` alike), audio and video only when played, embedded
players only when scrolled near."""

import gzip
import re
from types import SimpleNamespace

import brotli
import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from school.middleware import TextGZipMiddleware
from tests import factories
from tests.test_deploy import production_setting
from tests.test_dev_settings import dev_setting


@pytest.mark.django_db
def test_pages_are_gzipped_for_browsers_that_accept_it(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert 'name="login"' in html
    assert len(response.content) < len(html) / 2


def test_files_compressed_already_are_not_gzipped_again():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    picture = HttpResponse(b"\x89PNG" + b"\0" * 2000, content_type="image/png")

    response = TextGZipMiddleware(lambda r: picture)(request)

    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"\x89PNG")


def collected_as(settings_module, tmp_path):
    """Settings that collect and serve static files as `settings_module`
    (production, or dev for `make run`) does, into a folder of the test's."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": setting_of(settings_module, "STORAGES['staticfiles']['BACKEND']")
        },
    }
    return override_settings(
        STORAGES=storages,
        STATIC_ROOT=tmp_path,
        # The project's own files are enough (collecting the admin's is slow).
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )


def setting_of(settings_module, expression):
    if settings_module == "production":
        return production_setting(expression)
    return dev_setting(expression)


@pytest.mark.parametrize("settings_module", ["production", "dev"])
@pytest.mark.django_db
def test_static_files_are_hashed_compressed_and_cached_for_a_year(
    tmp_path, settings_module
):
    with collected_as(settings_module, tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        page = Client().get("/")
        for name in ["css/site.css", "js/mode.js", "js/site.js"]:
            url = static(name)
            stem, suffix = name.rsplit(".", 1)
            assert re.fullmatch(rf"/static/{stem}\.[0-9a-f]{{12}}\.{suffix}", url)
            assert url in page.content.decode()
            for encoding in ("br", "gzip"):
                response = Client().get(
                    url, HTTP_ACCEPT_ENCODING=f"{encoding}, deflate"
                )
                assert response.status_code == 200, url
                assert response["Content-Encoding"] == encoding, url
                assert response["Cache-Control"] == (
                    "max-age=31536000, public, immutable"
                ), url
                assert "Accept-Encoding" in response["Vary"]
            original = (tmp_path / name).read_bytes()
            body = b"".join(response.streaming_content)
            assert gzip.decompress(body) == original
            brotli_body = b"".join(
                Client().get(url, HTTP_ACCEPT_ENCODING="br").streaming_content
            )
            assert brotli.decompress(brotli_body) == original
            assert len(brotli_body) < len(original) / 2


@pytest.mark.parametrize("block", ["audio", "video"])
def test_audio_and_video_wait_for_the_member_to_press_play(block):
    media = SimpleNamespace(url=f"/media/media/lesson.{block}", thumbnail=None)
    value = {"media": media, "title": "", "transcript": ""}

    html = render_to_string(f"blocks/{block}.html", {"value": value})

    assert 'preload="none"' in html


def test_embedded_players_load_only_when_scrolled_near():
    embed = factories.video_embed()

    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})

    assert '<iframe loading="lazy" src="https://www.youtube.com/embed/x"' in html
