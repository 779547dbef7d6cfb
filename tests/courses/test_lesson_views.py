"""The lesson page's study box, its heartbeat endpoint and "我已学完"."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress, StudyRecord
from courses.selectors import beat_token
from school.members.models import MemberProfile
from tests import factories
from tests.courses import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(settings):
    settings.SCHOOL_STUDY_BEAT_SECONDS = 20
    _course, (lesson,) = f.course_with_lessons(1, minutes=1)
    return lesson


@pytest.fixture
def member():
    return f.member(name="王五")


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member.user)
    return client


def post_beat(client, lesson, member, seconds_later=0, **data):
    data.setdefault("token", beat_token(member.pk, lesson.pk))
    now = timezone.now() + datetime.timedelta(seconds=seconds_later)
    with mock.patch("courses.services.timezone.now", return_value=now):
        return client.post(reverse("courses:beat", args=[lesson.pk]), data)


def credited(member, lesson):
    progress = LessonProgress.objects.filter(member=member, lesson=lesson).first()
    return progress.credited_seconds if progress else 0


def test_beats_credit_server_measured_time(member_client, member, lesson):
    # One fixed clock: the real seconds a loaded machine takes between the two
    # requests must not count.
    start = timezone.now()
    url = reverse("courses:beat", args=[lesson.pk])
    token = beat_token(member.pk, lesson.pk)
    with mock.patch("courses.services.timezone.now", return_value=start):
        member_client.post(url, {"token": token, "kind": "start"})
    later = start + datetime.timedelta(seconds=20)
    with mock.patch("courses.services.timezone.now", return_value=later):
        response = member_client.post(url, {"token": token, "kind": "beat"})

    assert response.status_code == 200
    assert response.json()["credited"] == 20
    assert response.json()["credited_seconds"] == 20


@pytest.mark.parametrize("claim", ["-500", "99999", "1e9", "abc"])
def test_claimed_durations_are_ignored(member_client, member, lesson, claim):
    post_beat(member_client, lesson, member, kind="start")
    response = post_beat(
        member_client, lesson, member, 20, seconds=claim, duration=claim, credit=claim
    )
    assert response.status_code == 200
    assert credited(member, lesson) == 20


def test_a_replayed_beat_earns_nothing(member_client, member, lesson):
    post_beat(member_client, lesson, member, kind="start")
    post_beat(member_client, lesson, member, 20)
    response = post_beat(member_client, lesson, member, 21)
    assert response.json()["credited"] == 0
    assert credited(member, lesson) == 20


def test_forged_token_earns_nothing(member_client, member, lesson):
    other_lesson = factories.lesson(lesson.get_parent(), title="另一课")
    for token in ["", "forged", beat_token(member.pk, other_lesson.pk)]:
        response = post_beat(member_client, lesson, member, token=token)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
    assert not LessonProgress.objects.exists()


def test_a_beat_without_csrf_token_earns_nothing(member, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    response = post_beat(client, lesson, member)
    assert response.status_code == 403
    assert response.json()["accepted"] is False
    assert not LessonProgress.objects.exists()


def test_anonymous_beats_earn_nothing(client, member, lesson):
    response = post_beat(client, lesson, member)
    assert response.status_code == 403
    assert response.json() == {"accepted": False, "credited": 0, "reason": "member"}
    assert not LessonProgress.objects.exists()


def test_pending_members_earn_nothing(lesson):
    pending = f.member(status=MemberProfile.Status.PENDING)
    client = Client()
    client.force_login(pending.user)
    response = post_beat(client, lesson, pending)
    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_beats_for_unpublished_lessons_earn_nothing(member_client, member, lesson):
    lesson.unpublish()
    response = post_beat(member_client, lesson, member)
    assert response.status_code == 404
    assert response.json()["accepted"] is False
    assert not StudyRecord.objects.exists()


def test_beats_only_by_post(member_client, lesson):
    response = member_client.get(reverse("courses:beat", args=[lesson.pk]))
    assert response.status_code == 405


def give_time(member, lesson, seconds):
    LessonProgress.objects.update_or_create(
        member=member, lesson=lesson, defaults={"credited_seconds": seconds}
    )


def complete(client, lesson, **data):
    return client.post(
        reverse("courses:lesson_complete", args=[lesson.pk]), data, follow=True
    )


def test_finishing_too_early_says_what_is_missing(member_client, member, lesson):
    give_time(member, lesson, 30)
    response = complete(member_client, lesson)

    assert "本课尚未完成" in response.content.decode()
    assert "至少学习 1 分钟" in response.content.decode()
    assert not LessonProgress.objects.get(member=member).is_complete


def test_finishing_after_the_required_time_completes(member_client, member, lesson):
    give_time(member, lesson, 60)
    response = complete(member_client, lesson)

    assert "本课已完成" in response.content.decode()
    assert LessonProgress.objects.get(member=member).is_complete


def test_required_minutes_default_to_estimated_minutes(lesson):
    assert lesson.required_seconds == 60
    lesson.required_minutes = "0.5"
    assert lesson.required_seconds == 30


def test_a_check_question_needs_the_right_answer(member_client, member, lesson):
    lesson.check_question = "党的最高理想是什么？"
    lesson.check_choices = "共产主义\n小康社会\n现代化"
    lesson.check_answer = 1
    lesson.save_revision().publish()
    give_time(member, lesson, 60)

    response = complete(member_client, lesson, answer="2")
    page = response.content.decode()
    assert "检测题的回答还不正确" in page
    assert 'value="2" checked' in page  # the choice made is kept
    assert not LessonProgress.objects.get(member=member).is_complete

    complete(member_client, lesson, answer="1")
    assert LessonProgress.objects.get(member=member).is_complete


def test_media_lessons_need_the_media_played_to_the_end(member_client, member, lesson):
    with mock.patch.object(type(lesson), "has_media", True):
        give_time(member, lesson, 60)
        response = complete(member_client, lesson)
        assert "音频或视频播放完" in response.content.decode()

        member_client.post(
            reverse("courses:media_ended", args=[lesson.pk]),
            {"token": beat_token(member.pk, lesson.pk)},
        )
        complete(member_client, lesson)
    assert LessonProgress.objects.get(member=member).is_complete


def test_lesson_page_shows_the_members_progress(member_client, member, lesson):
    give_time(member, lesson, 30)
    page = member_client.get(lesson.url).content.decode()

    assert "我已学完" in page
    assert "data-study-minutes>0.5</span>" in page
    assert "data-token=" in page
    assert "js/study.js" in page


def test_lesson_page_for_anonymous_visitors_invites_login(client, lesson):
    page = client.get(lesson.url).content.decode()
    assert "我已学完" not in page
    assert "data-study " not in page
    assert "登录" in page


def test_course_page_shows_progress_per_lesson(member_client, member, lesson):
    course = lesson.get_parent().specific
    second = factories.lesson(course, title="第二课")
    give_time(member, second, 120)
    LessonProgress.objects.filter(member=member, lesson=second).update(
        completed_at=timezone.now()
    )

    page = member_client.get(course.url).content.decode()

    assert "已完成 1/2 课" in page


def count_queries(client, url):
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_course_and_lesson_pages_queries_do_not_grow(
    member_client, member, lesson, django_assert_max_num_queries
):
    course = lesson.get_parent().specific
    give_time(member, lesson, 30)
    course_before = count_queries(member_client, course.url)
    lesson_before = count_queries(member_client, lesson.url)
    for i in range(20):
        extra = factories.lesson(course, title=f"课{i}")
        give_time(member, extra, 30)

    assert count_queries(member_client, course.url) == course_before
    assert count_queries(member_client, lesson.url) == lesson_before
    with django_assert_max_num_queries(30):
        member_client.get(lesson.url)


def test_finish_address_opened_by_get_returns_to_the_lesson(member_client, lesson):
    """Back from logging in after the session ran out, not a bare 405."""
    response = member_client.get(f"/study/lessons/{lesson.pk}/complete/")
    assert response.status_code == 302
    assert response["Location"] == lesson.url + "#study"
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def lesson_with_audio(seconds):
    """A 10-minute lesson with an audio of `seconds`, beats every 20 s."""
    from django.core.files.base import ContentFile
    from wagtailmedia.models import get_media_model

    audio = get_media_model().objects.create(
        title="讲解音频",
        type="audio",
        duration=seconds,
        file=ContentFile(b"RIFF", name="talk.wav"),
    )
    course, (lesson,) = f.course_with_lessons(1, minutes=10)
    lesson.body = [
        ("audio", {"media": audio, "title": "讲解", "transcript": ""}),
        *[(block.block_type, block.value) for block in lesson.body],
    ]
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def audio_lesson(settings):
    """A 10-minute lesson whose audio lasts 5 minutes (300 s)."""
    settings.SCHOOL_STUDY_BEAT_SECONDS = 20
    return lesson_with_audio(300)


def post_media_ended(client, lesson, member):
    return client.post(
        reverse("courses:media_ended", args=[lesson.pk]),
        {"token": beat_token(member.pk, lesson.pk)},
    )


def test_a_forged_media_ended_mark_right_after_opening_is_ignored(
    member_client, member, audio_lesson
):
    post_beat(member_client, audio_lesson, member)  # the page opens

    response = post_media_ended(member_client, audio_lesson, member)

    assert response.status_code == 200
    assert response.json()["media_finished"] is False
    assert response.json()["accepted"] is False
    progress = LessonProgress.objects.get(member=member, lesson=audio_lesson)
    assert not progress.media_finished
    give_time(member, audio_lesson, 600)  # enough time for the lesson itself
    page = complete(member_client, audio_lesson).content.decode()
    assert "音频或视频播放完" in page
    assert not LessonProgress.objects.get(pk=progress.pk).is_complete


def test_media_ended_counts_once_credited_time_covers_the_media(
    member_client, member, audio_lesson
):
    give_time(member, audio_lesson, 250)
    assert (
        post_media_ended(member_client, audio_lesson, member).json()["media_finished"]
        is False
    )

    # Within one beat and its slack of the audio's 300 seconds.
    give_time(member, audio_lesson, 280)
    response = post_media_ended(member_client, audio_lesson, member)

    assert response.json()["media_finished"] is True
    assert LessonProgress.objects.get(member=member, lesson=audio_lesson).media_finished


def test_a_forged_mark_is_ignored_for_a_clip_shorter_than_one_beat(
    member_client, member, settings
):
    # The demo's audio lasts 4 s, less than one 20 s beat and its slack.
    settings.SCHOOL_STUDY_BEAT_SECONDS = 20
    clip = lesson_with_audio(4)
    post_beat(member_client, clip, member, kind="start")  # the page opens

    forged = post_media_ended(member_client, clip, member).json()

    assert forged["media_finished"] is False
    assert forged["accepted"] is False
    # Played: the next beat credits its 20 s and the page sends the mark again.
    post_beat(member_client, clip, member, seconds_later=20)
    assert post_media_ended(member_client, clip, member).json()["media_finished"]


def test_a_heartbeat_costs_the_same_however_much_was_studied(
    member_client, member, lesson, database_cache
):
    """On the database cache, as `make run` has: a beat stays a handful of
    queries, with a long study history or none."""
    post_beat(member_client, lesson, member, kind="start")
    post_beat(member_client, lesson, member, 20, kind="beat")
    with CaptureQueriesContext(connection) as first:
        post_beat(member_client, lesson, member, 40, kind="beat")
    for i in range(20):
        give_time(member, factories.lesson(lesson.get_parent(), title=f"课{i}"), 30)
    with CaptureQueriesContext(connection) as later:
        assert post_beat(member_client, lesson, member, 60, kind="beat").json()[
            "credited"
        ]

    assert len(later) == len(first)
    assert len(first) <= 12
