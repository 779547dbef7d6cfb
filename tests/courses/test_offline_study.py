"""Study noted on the phone offline is credited by the live beats' rules:
the lesson's cap, no overlap with other credited time, a limit on age, each
record once; forged, replayed or too-old records earn nothing, quietly."""

import datetime
import json
import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import LessonProgress, OfflineStudy, StudyRecord
from courses.selectors import beat_token
from tests.courses import factories as f

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def lesson(settings):
    settings.SCHOOL_STUDY_BEAT_SECONDS = 20
    settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS = 5
    settings.SCHOOL_STUDY_OFFLINE_MAX_AGE_DAYS = 7
    _course, (lesson,) = f.course_with_lessons(1, minutes=10)
    return lesson


@pytest.fixture
def member():
    return f.member(name="李离线")


def token_at(member, lesson, when):
    with mock.patch("django.core.signing.time.time", return_value=when.timestamp()):
        return beat_token(member.pk, lesson.pk)


def record(member, lesson, *, start, beats, every=20, token=None, **extra):
    """A record of `beats` beats `every` seconds apart from `start`, made on a
    page rendered a minute before."""
    moments = [start + datetime.timedelta(seconds=every * n) for n in range(beats)]
    return {
        "id": str(uuid.uuid4()),
        "lesson": lesson.pk,
        "token": token
        or token_at(member, lesson, start - datetime.timedelta(minutes=1)),
        "beats": [int(moment.timestamp() * 1000) for moment in moments],
        "starts": [int(moments[0].timestamp() * 1000)] if moments else [],
        **extra,
    }


def send(member, data, now=NOW):
    return services.lesson_progress_offline(member=member, record=data, now=now)


def credited(member, lesson):
    progress = LessonProgress.objects.filter(member=member, lesson=lesson).first()
    return progress.credited_seconds if progress else 0


def test_offline_beats_earn_what_live_beats_would(member, lesson):
    start = NOW - datetime.timedelta(hours=1)
    result = send(member, record(member, lesson, start=start, beats=5))

    assert result.credited == 80
    assert credited(member, lesson) == 80
    row = StudyRecord.objects.get(member=member, lesson=lesson)
    assert row.seconds == 80 and row.source == StudyRecord.Source.ONLINE


def test_a_gap_longer_than_a_beat_earns_only_one_beat(member, lesson):
    start = NOW - datetime.timedelta(hours=1)
    data = record(member, lesson, start=start, beats=2, every=600)

    assert send(member, data).credited == 25


def test_the_same_record_sent_twice_counts_once(member, lesson):
    data = record(member, lesson, start=NOW - datetime.timedelta(hours=1), beats=4)

    first, second = send(member, data), send(member, data)

    assert (first.credited, second.credited) == (60, 0)
    assert second.settled and second.refused == "seen"
    assert credited(member, lesson) == 60


def test_a_record_with_another_members_token_earns_nothing(member, lesson):
    other = f.member()
    start = NOW - datetime.timedelta(hours=1)
    forged = record(
        member, lesson, start=start, beats=4, token=token_at(other, lesson, start)
    )

    result = send(member, forged)

    assert (result.credited, result.refused, result.settled) == (0, "token", True)
    assert credited(member, lesson) == 0


def test_beats_from_before_the_page_was_rendered_earn_nothing(member, lesson):
    start = NOW - datetime.timedelta(hours=5)
    late_token = token_at(member, lesson, NOW - datetime.timedelta(hours=1))

    result = send(
        member, record(member, lesson, start=start, beats=4, token=late_token)
    )

    assert (result.credited, result.refused) == (0, "forged")


def test_beats_in_the_future_earn_nothing(member, lesson):
    result = send(
        member, record(member, lesson, start=NOW + datetime.timedelta(hours=1), beats=4)
    )

    assert result.credited == 0


def test_a_record_older_than_the_limit_earns_nothing(member, lesson):
    start = NOW - datetime.timedelta(days=8)

    result = send(member, record(member, lesson, start=start, beats=4))

    assert (result.credited, result.refused) == (0, "too_old")


def test_a_record_overlapping_credited_offline_study_earns_nothing(member, lesson):
    _course, (other_lesson,) = f.course_with_lessons(1, minutes=10)
    start = NOW - datetime.timedelta(hours=1)
    send(member, record(member, lesson, start=start, beats=6))

    later = start + datetime.timedelta(seconds=30)
    result = send(member, record(member, other_lesson, start=later, beats=6))

    assert (result.credited, result.refused) == (0, "overlap")
    assert credited(member, other_lesson) == 0


def test_a_record_overlapping_a_live_beat_earns_nothing(member, lesson):
    start = NOW - datetime.timedelta(hours=1)
    services.lesson_progress_beat(
        member=member, lesson=lesson, now=start + datetime.timedelta(seconds=30)
    )

    result = send(member, record(member, lesson, start=start, beats=6))

    assert (result.credited, result.refused) == (0, "overlap")


def test_offline_study_stops_at_the_lessons_cap(member, lesson):
    start = NOW - datetime.timedelta(hours=3)
    result = send(member, record(member, lesson, start=start, beats=200))

    assert result.credited == lesson.cap_seconds
    assert credited(member, lesson) == lesson.cap_seconds


def test_media_played_to_the_end_offline_is_kept(member, lesson):
    data = record(member, lesson, start=NOW - datetime.timedelta(hours=1), beats=3)
    with mock.patch.object(type(lesson), "has_media", True):
        send(member, {**data, "media_ended": True})

    assert LessonProgress.objects.get(member=member, lesson=lesson).media_finished


def test_the_endpoint_settles_records_and_never_shows_an_error_page(member, lesson):
    client = Client()
    client.force_login(member.user)
    good = record(
        member, lesson, start=timezone.now() - datetime.timedelta(hours=1), beats=3
    )
    body = {
        "records": [
            good,
            {"id": "x"},
            "nonsense",
            {**good, "id": str(uuid.uuid4()), "token": "bad"},
        ]
    }

    response = client.post(
        reverse("courses:offline_study"),
        json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == 200
    data = response.json()
    assert data["credited_seconds"] == 40
    assert good["id"] in data["settled"] and len(data["settled"]) == 3
    assert data["lessons"][str(lesson.pk)]["credited_seconds"] == 40
    garbage = client.post(
        reverse("courses:offline_study"), "{not json", content_type="application/json"
    )
    assert garbage.status_code == 400 and garbage.json()["accepted"] is False
    assert OfflineStudy.objects.filter(member=member).count() == 1


def test_a_visitor_cannot_send_offline_study(lesson):
    response = Client().post(
        reverse("courses:offline_study"), "{}", content_type="application/json"
    )

    assert response.status_code == 403
