"""The public pages have no serious accessibility violations (axe-core)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

PAGES = [
    "/",
    "/news/",
    "/courses/",
    "/courses/party-constitution-basics/",
    "/courses/party-constitution-basics/oath-audio/",
    "/voice/",
    "/about/",
    "/search/?q=党员",
    "/no-such-page/",
]


@pytest.mark.django_db(transaction=True)
def test_public_pages_pass_axe(live_server, phone_page):
    call_command("seed_demo", stdout=io.StringIO())
    axe = Axe()
    problems = {}

    for path in PAGES:
        phone_page.goto(live_server.url + path)
        results = axe.run(phone_page)
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])})"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious

    assert problems == {}
