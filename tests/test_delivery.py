"""What a member's phone downloads: pages gzipped, static files gzipped and
cached for good in production, audio and video only when played, embedded
players only when scrolled near."""

import gzip
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from school.middleware import TextGZipMiddleware
from tests import factories
from tests.test_deploy import production_setting


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


def test_production_static_files_are_gzipped_and_cached_for_good(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": production_setting("STORAGES['staticfiles']['BACKEND']")
        },
    }
    with override_settings(
        STORAGES=storages,
        STATIC_ROOT=tmp_path,
        # The project's own files are enough (collecting the admin's is slow).
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        whitenoise = WhiteNoiseMiddleware(lambda r: HttpResponse(status=404))
        for name in ["css/site.css", "js/study.js"]:
            url = static(name)
            assert url != f"/static/{name}", "no content hash in the name"
            request = RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip")
            response = whitenoise(request)
            assert response.status_code == 200, url
            assert response["Content-Encoding"] == "gzip", url
            assert "immutable" in response["Cache-Control"], url
            assert "max-age=315360000" in response["Cache-Control"], url


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
