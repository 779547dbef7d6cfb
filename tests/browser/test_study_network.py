"""The study heartbeat on a phone's bad network: a calm notice while study
time is not being recorded, no burst of beats when the network comes back,
recording that carries on by itself (an audio finished offline counts once back
online); and no audio fetched before it is played."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import LessonPage, LessonProgress
from school.members.models import User
from tests.browser.pages import credited, logged_in_page, wait_for_credit
from tests.courses import factories as f

OFFLINE_NOTICE = "网络连接已中断，学习时长先记在手机上"
STOPPED_NOTICE = "本页已停止记录学习时长"


@pytest.fixture
def studying(live_server, browser, settings):
    settings.SCHOOL_STUDY_BEAT_SECONDS = 2
    settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS = 1
    member = f.member(name="王在线")
    _course, (lesson,) = f.course_with_lessons(
        1, minutes=10, title="断网学习", required_minutes=Decimal("5")
    )
    page = logged_in_page(browser, live_server, member.user, phone=True)
    page.goto(f"{live_server.url}{lesson.url}")
    wait_for_credit(page, 2)
    yield page, member, lesson
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_offline_shows_a_calm_notice_and_recording_resumes_online(studying):
    page, member, lesson = studying
    notice = page.get_by_text(OFFLINE_NOTICE)
    expect(notice).to_be_hidden()

    page.context.set_offline(True)
    # At once, not only when the next beat fails.
    expect(notice).to_be_visible(timeout=1_500)
    offline_at = credited(member, lesson)
    page.wait_for_timeout((3 * 2 + 1) * 1000)
    assert credited(member, lesson) == offline_at
    # No raw error reaches the member, and the study box is all still there.
    body = page.locator("body").inner_text()
    assert "Failed to fetch" not in body and "TypeError" not in body
    expect(page.get_by_role("button", name="我已学完")).to_be_visible()

    page.context.set_offline(False)
    expect(notice).to_be_hidden()
    wait_for_credit(page, offline_at + 2)
    assert credited(member, lesson) > offline_at


@pytest.mark.django_db(transaction=True)
def test_beats_stuck_on_a_dead_connection_never_pile_up(studying):
    """A beat that hangs is given up before the next is due: when the
    connection comes back the server does not get a burst it would refuse."""
    page, member, lesson = studying
    in_flight = []
    most_in_flight = []
    held = []

    def hold(route):
        held.append(route)

    def finished(request):
        if "/beat/" in request.url and request in in_flight:
            in_flight.remove(request)

    def sent(request):
        if "/beat/" in request.url:
            in_flight.append(request)
            most_in_flight.append(len(in_flight))

    page.on("request", sent)
    page.on("requestfinished", finished)
    page.on("requestfailed", finished)
    page.route("**/beat/", hold)
    expect(page.get_by_text(OFFLINE_NOTICE)).to_be_visible(timeout=10_000)
    page.wait_for_timeout(3 * 2 * 1000)
    assert len(held) >= 2
    assert max(most_in_flight) == 1

    page.unroute("**/beat/")
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001, S110 - the page gave this beat up
            pass
    stuck_at = credited(member, lesson)
    wait_for_credit(page, stuck_at + 2)
    expect(page.get_by_text(OFFLINE_NOTICE)).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_a_refused_page_says_to_reload_instead_of_failing_silently(studying):
    page, member, lesson = studying
    page.context.clear_cookies()  # the session ran out

    expect(page.get_by_text(STOPPED_NOTICE)).to_be_visible(timeout=10_000)
    expect(page.get_by_text(OFFLINE_NOTICE)).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_audio_is_not_downloaded_before_it_is_played(live_server, phone_page):
    call_command("seed_demo", stdout=io.StringIO())
    fetched = []
    phone_page.on(
        "request",
        lambda request: (
            fetched.append(request.url) if "/media/media/" in request.url else None
        ),
    )
    phone_page.goto(
        f"{live_server.url}/courses/party-constitution-basics/oath-audio/",
        wait_until="load",
    )
    expect(phone_page.locator("audio")).to_be_visible()
    phone_page.wait_for_timeout(1000)
    assert fetched == []


@pytest.mark.django_db(transaction=True)
def test_audio_played_to_the_end_offline_counts_once_back_online(
    live_server, browser, settings
):
    call_command("seed_demo", stdout=io.StringIO())
    settings.SCHOOL_STUDY_BEAT_SECONDS = 2  # after the demo's simulated study
    member = User.objects.get(email="member@example.com")
    lesson = LessonPage.objects.get(url_path__endswith="/oath-audio/")
    page = logged_in_page(browser, live_server, member, phone=True)
    page.goto(f"{live_server.url}{lesson.url}")
    expect(page.get_by_text("请把上方的音频或视频播放完")).to_be_visible()

    page.context.set_offline(True)
    page.locator("audio").dispatch_event("ended")
    page.wait_for_timeout(500)
    assert not LessonProgress.objects.get(
        member=member.profile, lesson=lesson
    ).media_finished

    # Back online, the mark counts once the beats have credited the clip's
    # length (the demo's audio lasts 4 s): never before.
    page.context.set_offline(False)
    expect(page.get_by_text("音频或视频已播放完")).to_be_visible(timeout=20_000)
    progress = LessonProgress.objects.get(member=member.profile, lesson=lesson)
    assert progress.media_finished
    assert progress.credited_seconds >= lesson.media_seconds
    page.context.close()
