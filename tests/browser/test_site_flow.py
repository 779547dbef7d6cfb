"""The foundation's walk through the site on a phone: home → 在线学习 → a course
→ its audio lesson → search, on the demo content."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.pages import assert_no_horizontal_scroll


@pytest.mark.django_db(transaction=True)
def test_member_studies_an_audio_lesson_and_searches_on_a_phone(
    live_server, phone_page, screenshot
):
    call_command("seed_demo", stdout=io.StringIO())
    page = phone_page

    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("流动党员网上党校")
    assert_no_horizontal_scroll(page)
    screenshot(page, "flow-1-home")

    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="在线学习"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("在线学习")
    assert page.url == f"{live_server.url}/courses/"
    assert_no_horizontal_scroll(page)
    screenshot(page, "flow-2-courses")

    page.get_by_role("main").get_by_role("link", name="党章党规基础").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("党章党规基础")
    assert_no_horizontal_scroll(page)
    screenshot(page, "flow-3-course")

    page.get_by_role("link", name="音频微课：入党誓词里的承诺").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "音频微课：入党誓词里的承诺"
    )
    audio = page.locator("audio")
    expect(audio).to_be_visible()
    src = audio.evaluate("element => element.currentSrc || element.src")
    response = page.request.get(src)
    assert response.status == 200
    assert response.headers["content-type"].startswith("audio/")
    # Nothing is fetched before the member plays it (mobile data costs);
    # asked to, the browser itself loads and decodes the file: it knows its
    # length.
    assert audio.evaluate("element => element.readyState") == 0
    audio.evaluate("element => { element.preload = 'metadata'; element.load(); }")
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1")
    assert audio.evaluate("element => element.duration") > 2
    assert_no_horizontal_scroll(page)
    screenshot(page, "flow-4-audio-lesson")

    search_box = page.get_by_role("banner").get_by_role("searchbox")
    search_box.fill("党员")
    search_box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("搜索")
    results = page.locator(".search-result")
    expect(results.first).to_be_visible()
    assert results.count() >= 5
    expect(page.locator(".search-result mark").first).to_have_text("党员")
    assert_no_horizontal_scroll(page)
    screenshot(page, "flow-5-search")
