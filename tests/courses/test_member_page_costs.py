"""A member's own pages cost the same number of queries with 5 items or 50
(on the database cache, as `make run` has), within the counts measured when
issue 12 was closed (the README's "Web benchmark" has the times): the user is
loaded with their profile, admin access and study-contact standing in one query
(school/members/backends.py)."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress
from courses.selectors import beat_token
from tests import factories
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.usefixtures("database_cache")

# Warm counts on the database cache (a session and the menu read from it).
BUDGET = {"/me/study/": 13, "/contact/": 10, "lesson": 15, "heartbeat": 9}


def logged_in(member):
    client = Client()
    client.force_login(member.user)
    return client


def count(client, url):
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_my_study_page_with_5_and_50_records(branch, organiser):
    member = f.member(branch)
    client = logged_in(member)
    _course, lessons = f.course_with_lessons(2)
    pf.overdue_plan(branch, lessons[0])
    for ago in range(5):
        pf.studied(member, ago=ago)
    few = count(client, "/me/study/")
    for ago in range(5, 50):
        pf.studied(member, ago=ago % 300)
    assert count(client, "/me/study/") == few <= BUDGET["/me/study/"]


def test_contact_page_with_5_and_50_members(branch, contact):
    client = logged_in(contact)
    _course, lessons = f.course_with_lessons(2)
    pf.overdue_plan(branch, lessons[0])

    def add(n):
        for _ in range(n):
            member = f.member(branch)
            pf.contacted(pf.pair(contact, member), ago=5)
            pf.studied(member, ago=2)

    add(5)
    few = count(client, "/contact/")
    add(45)
    assert count(client, "/contact/") == few <= BUDGET["/contact/"]


def test_lesson_page_logged_in_with_5_and_50_lessons(branch):
    member = f.member(branch)
    client = logged_in(member)
    course, lessons = f.course_with_lessons(5)
    for lesson in lessons:
        LessonProgress.objects.create(member=member, lesson=lesson, credited_seconds=30)
    few = count(client, lessons[0].url)
    for i in range(45):
        extra = factories.lesson(course, title=f"课{i}")
        LessonProgress.objects.create(member=member, lesson=extra, credited_seconds=30)
    assert count(client, lessons[0].url) == few <= BUDGET["lesson"]


def test_heartbeat_with_5_and_50_lessons_studied(branch, settings):
    settings.SCHOOL_STUDY_BEAT_SECONDS = 20
    member = f.member(branch)
    client = logged_in(member)
    course, (lesson, *others) = f.course_with_lessons(5, minutes=30)
    url = reverse("courses:beat", args=[lesson.pk])
    token = beat_token(member.pk, lesson.pk)
    start = timezone.now()

    def beat(seconds, kind="beat"):
        now = start + datetime.timedelta(seconds=seconds)
        with mock.patch("courses.services.timezone.now", return_value=now):
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, {"token": token, "kind": kind})
        assert response.status_code == 200
        return response.json(), len(queries)

    beat(0, kind="start")
    beat(20)
    for other in others:
        LessonProgress.objects.create(member=member, lesson=other, credited_seconds=30)
    credited, few = beat(40)
    assert credited["credited"]
    for i in range(45):
        extra = factories.lesson(course, title=f"课{i}")
        LessonProgress.objects.create(member=member, lesson=extra, credited_seconds=30)
    credited, many = beat(60)
    assert credited["credited"]
    assert many == few <= BUDGET["heartbeat"]
