"""The credit rules for online study: the server measures, the page only beats."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from courses import services
from courses.models import LessonProgress, StudyRecord
from tests.courses import factories as f

T0 = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
def beat_settings(settings):
    settings.SCHOOL_STUDY_BEAT_SECONDS = 20
    settings.SCHOOL_STUDY_BEAT_SLACK_SECONDS = 5
    settings.SCHOOL_STUDY_CAP_FACTOR = 2
    return settings


@pytest.fixture
def setup(db, beat_settings):
    _course, (lesson, *_rest) = f.course_with_lessons(1, minutes=10)
    return f.member(), lesson


def beat(member, lesson, seconds, start=False):
    return services.lesson_progress_beat(
        member=member, lesson=lesson, start=start, now=at(seconds)
    )


def credited(member, lesson):
    return LessonProgress.objects.get(member=member, lesson=lesson).credited_seconds


def test_the_first_beat_starts_the_clock_without_credit(setup):
    member, lesson = setup
    result = beat(member, lesson, 0, start=True)
    assert result.accepted and result.credited == 0
    assert credited(member, lesson) == 0


def test_a_beat_earns_the_time_since_the_previous_accepted_beat(setup):
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    assert beat(member, lesson, 20).credited == 20
    assert beat(member, lesson, 41).credited == 21
    assert credited(member, lesson) == 41


def test_a_late_beat_earns_at_most_interval_plus_slack(setup):
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    assert beat(member, lesson, 600).credited == 25


def test_a_too_early_beat_earns_nothing_and_moves_no_clock(setup):
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    early = beat(member, lesson, 5)
    assert not early.accepted and early.credited == 0
    assert beat(member, lesson, 20).credited == 20  # measured from 0, not 5


def test_a_replayed_beat_earns_nothing(setup):
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    beat(member, lesson, 20)
    assert beat(member, lesson, 20).credited == 0
    assert beat(member, lesson, 21).credited == 0
    assert credited(member, lesson) == 20


def test_a_beat_from_the_past_earns_nothing(setup):
    member, lesson = setup
    beat(member, lesson, 100, start=True)
    assert beat(member, lesson, 50).credited == 0


def test_reopening_the_page_after_a_pause_does_not_earn_the_pause(setup):
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    beat(member, lesson, 20)
    assert beat(member, lesson, 3600, start=True).credited == 0
    assert beat(member, lesson, 3620).credited == 20
    assert credited(member, lesson) == 40


def test_credit_never_exceeds_the_lessons_cap(setup):
    member, lesson = setup  # 10 minutes, cap factor 2: 1200 s
    beat(member, lesson, 0, start=True)
    for i in range(1, 100):
        beat(member, lesson, i * 20)
    assert lesson.cap_seconds == 1200
    assert credited(member, lesson) == 1200


def test_two_tabs_on_one_lesson_do_not_double_count(setup):
    """Two tabs beating every 20 s, 7 s apart, for ten minutes earn ten minutes."""
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    beat(member, lesson, 7, start=True)
    beats = sorted(list(range(20, 601, 20)) + [t + 7 for t in range(20, 594, 20)])
    for t in beats:
        beat(member, lesson, t)
    assert credited(member, lesson) <= 600


def test_credit_goes_into_one_online_ledger_row_per_lesson_and_day(setup):
    member, lesson = setup
    beat(member, lesson, 0, start=True)
    beat(member, lesson, 20)
    beat(member, lesson, 40)

    record = StudyRecord.objects.get(member=member)
    assert record.seconds == 40
    assert record.source == "online" and record.mode == "online"
    assert record.lesson == lesson
    assert record.date == datetime.date(2026, 3, 2)


def test_each_member_has_their_own_clock(setup):
    member, lesson = setup
    other = f.member()
    beat(member, lesson, 0, start=True)
    beat(other, lesson, 10, start=True)
    assert beat(member, lesson, 20).credited == 20
    assert beat(other, lesson, 30).credited == 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_beats_are_credited_once(beat_settings):
    """Ten tabs beating at the same instant earn one beat's time."""
    _course, (lesson,) = f.course_with_lessons(1, minutes=10)
    member = f.member()
    beat(member, lesson, 0, start=True)
    barrier = threading.Barrier(10)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(beat(member, lesson, 20).credited)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [0] * 9 + [20]
    assert credited(member, lesson) == 20
    assert StudyRecord.objects.get(member=member).seconds == 20
