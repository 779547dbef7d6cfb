"""The installable school offline: a course saved to the phone opens and plays
with the network off, a page never read shows the offline page, and study
done offline is credited, within the lesson's cap, once back online."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import LessonPage, OfflineStudy
from school.members.models import User
from tests.browser.pages import credited, logged_in_page

COURSE = "/courses/party-constitution-basics/"
OFFLINE_NOTICE = re.compile(r"离线学习 [\d.]+ 分钟，联网后记入")


def worker_ready(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


@pytest.fixture
def member_page(live_server, browser, settings):
    call_command("seed_demo", stdout=io.StringIO())
    settings.SCHOOL_STUDY_BEAT_SECONDS = 2
    settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS = 1
    member = User.objects.get(email="member@example.com")
    page = logged_in_page(browser, live_server, member, phone=True)
    yield page, member.profile
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_saved_course_opens_and_plays_offline_and_its_study_counts_online(
    live_server, member_page
):
    page, member = member_page
    lesson = LessonPage.objects.get(url_path__endswith="/oath-audio/")
    page.goto(f"{live_server.url}/me/study/")
    before = float(page.locator("[data-total=month]").inner_text())
    page.goto(f"{live_server.url}{COURSE}")
    worker_ready(page)

    page.get_by_role("button", name="保存到手机").click()
    expect(
        page.get_by_text(re.compile(r"已保存到这部手机：共 \d+ 课中的 \d+ 课"))
    ).to_be_visible(timeout=20_000)
    saved_tags = page.locator("[data-offline-lesson]:visible")
    assert saved_tags.count() == lesson.get_parent().get_children().live().count()
    expect(page.get_by_role("button", name="从手机上删除")).to_be_visible()

    page.context.set_offline(True)
    page.goto(f"{live_server.url}{lesson.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    played = page.locator("audio").evaluate(
        """audio => audio.play()
             .then(() => new Promise(done => setTimeout(done, 800)))
             .then(() => audio.currentTime > 0 && !audio.error)"""
    )
    assert played
    # Study goes on offline; the page says it will count once online.
    expect(page.get_by_text(OFFLINE_NOTICE)).to_be_visible(timeout=15_000)
    page.wait_for_timeout(4_000)
    assert credited(member, lesson) == 0

    # A page never read on this phone: the offline page, in Chinese.
    page.goto(f"{live_server.url}/guides/dues-while-away/")
    expect(page.get_by_role("heading", level=1)).to_have_text("您现在没有联网")

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/me/study/")
    page.wait_for_function(
        "() => !(JSON.parse(localStorage.getItem('school.offline-study')) || []).length"
    )
    record = OfflineStudy.objects.get(member=member, lesson=lesson)
    assert record.credited_seconds > 0
    assert credited(member, lesson) == record.credited_seconds <= lesson.cap_seconds
    page.reload()
    after = float(page.locator("[data-total=month]").inner_text())
    assert after - before == pytest.approx(record.credited_seconds / 60, abs=0.1)


@pytest.mark.django_db(transaction=True)
def test_log_out_clears_the_phones_copies_of_member_pages(live_server, member_page):
    page, _member = member_page
    page.goto(f"{live_server.url}/me/study/")
    worker_ready(page)
    page.reload()
    page.goto(f"{live_server.url}{COURSE}")
    page.get_by_role("button", name="保存到手机").click()
    expect(page.get_by_role("button", name="从手机上删除")).to_be_visible(
        timeout=20_000
    )

    page.goto(f"{live_server.url}/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_timeout(500)
    names = page.evaluate("caches.keys()")
    assert not [name for name in names if name == "pages" or name.startswith("course-")]

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/me/study/")
    expect(page.get_by_role("heading", level=1)).to_have_text("您现在没有联网")
