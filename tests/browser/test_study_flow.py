"""Issue 4's walk: a confirmed member studies a lesson with the page in front
of them, hiding the page stops the credit, "我已学完" completes the lesson, and
the minutes show on /me/study/."""

import time
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses.models import LessonProgress
from tests.browser.pages import (
    assert_no_horizontal_scroll,
    credited,
    logged_in_page,
    wait_for_credit,
)
from tests.courses import factories as f

SET_VISIBILITY = """state => {
  Object.defineProperty(document, "visibilityState", {
    value: state, configurable: true
  });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


@pytest.mark.django_db(transaction=True)
def test_visible_study_is_credited_hidden_is_not_and_completion_shows(
    live_server, browser, screenshot, settings
):
    settings.SCHOOL_STUDY_BEAT_SECONDS = 2
    settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS = 1
    member = f.member(name="王学习")
    _course, (lesson,) = f.course_with_lessons(
        1, minutes=1, title="新党章学习", required_minutes=Decimal("0.2")
    )
    page = logged_in_page(browser, live_server, member.user, phone=True)

    page.goto(f"{live_server.url}{lesson.url}")
    expect(page.get_by_role("heading", name="本课学习情况")).to_be_visible()

    # Pressing too early says what is still missing.
    page.get_by_role("button", name="我已学完").click()
    expect(page.get_by_text("本课尚未完成")).to_be_visible()
    expect(page.get_by_text("请在本页至少学习 0.2 分钟")).to_be_visible()

    # With the page in front of the member, the server credits the beats.
    wait_for_credit(page, 6)
    assert credited(member, lesson) >= 6

    # Hidden (another tab in front): no beats, no credit.
    page.evaluate(SET_VISIBILITY, "hidden")
    time.sleep(0.5)  # a beat already on its way may still land
    hidden_at = credited(member, lesson)
    time.sleep(3 * settings.SCHOOL_STUDY_BEAT_SECONDS + 1)
    assert credited(member, lesson) == hidden_at

    # Back in front: the credit resumes until the required time is reached.
    page.evaluate(SET_VISIBILITY, "visible")
    wait_for_credit(page, 12)
    assert credited(member, lesson) > hidden_at
    screenshot(page, "study-1-lesson-credited")

    page.get_by_role("button", name="我已学完").click()
    expect(page.get_by_text("本课已完成，学习时长已记入您的学习记录。")).to_be_visible()
    expect(page.get_by_text("本课已学完")).to_be_visible()
    screenshot(page, "study-2-lesson-complete")
    assert LessonProgress.objects.get(member=member, lesson=lesson).is_complete

    # The course page shows the lesson complete; the study page the minutes.
    page.get_by_role("link", name="新党章学习").first.click()
    expect(page.get_by_text("已完成 1/1 课")).to_be_visible()

    page.goto(f"{live_server.url}/me/study/")
    seconds = credited(member, lesson)
    minutes = f"{seconds / 60:.1f}".rstrip("0").rstrip(".")
    expect(page.locator("[data-total=month]")).to_have_text(minutes)
    history = page.locator(".study-history")
    expect(history.get_by_text("第1课")).to_be_visible()
    expect(history.get_by_text("在线学习")).to_be_visible()
    screenshot(page, "study-3-my-study")
    assert_no_horizontal_scroll(page)
