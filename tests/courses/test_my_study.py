"""The member's own study page, /me/study/."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.models import LessonProgress, StudyPlan, StudyPlanItem, StudyRecord
from courses.selectors import Period
from school.members.models import MemberProfile
from tests.courses import factories as f

pytestmark = pytest.mark.django_db

URL = "/me/study/"


@pytest.fixture
def organiser(branch):
    return f.organiser(branch, first_name="赵", last_name="")


@pytest.fixture
def member(branch):
    return f.member(branch, name="王五")


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member.user)
    return client


def online(member, lesson, date, seconds):
    return StudyRecord.objects.create(
        member=member,
        lesson=lesson,
        date=date,
        seconds=seconds,
        source="online",
        mode="online",
    )


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_pending_members_are_told_why(branch):
    pending = f.member(branch, status=MemberProfile.Status.PENDING)
    client = Client()
    client.force_login(pending.user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "经支部确认后" in response.content.decode()


def test_totals_count_online_and_offline_alike(member_client, member, organiser):
    today = timezone.localdate()
    _course, (lesson,) = f.course_with_lessons(1)
    online(member, lesson, today, 20 * 60)
    services.study_record_add_offline(
        member=member,
        date=today,
        minutes=30,
        mode="home_delivered",
        recorded_by=organiser,
        topic="送学上门：学习党章",
    )
    year_start = Period.of("year", today).start
    online(member, lesson, year_start, 10 * 60)
    in_quarter = Period.of("quarter", today).start <= year_start

    response = member_client.get(URL)

    totals = response.context["totals"]
    assert totals["month"] == 50 + (10 if year_start.month == today.month else 0)
    assert totals["quarter"] == 50 + (10 if in_quarter else 0)
    assert totals["year"] == 60
    page = response.content.decode()
    assert f'data-total="year">{totals["year"]:g}<' in page
    assert 'data-total-hours="year">1 学时<' in page


def test_records_of_an_hour_or_more_show_their_study_hours(
    member_client, member, organiser
):
    for minutes, topic in ((120, "红色沙龙"), (90, "集中学习"), (45, "送学上门")):
        services.study_record_add_offline(
            member=member,
            date=timezone.localdate(),
            minutes=minutes,
            mode="home_delivered",
            recorded_by=organiser,
            topic=topic,
        )

    page = member_client.get(URL).content.decode()

    assert '120<br><span class="meta">2 学时</span>' in page
    assert '90<br><span class="meta">1.5 学时</span>' in page
    assert "45</td>" in page


def test_history_shows_mode_source_and_who_recorded(member_client, member, organiser):
    services.study_record_add_offline(
        member=member,
        date=timezone.localdate(),
        minutes=45,
        mode="group_session",
        recorded_by=organiser,
        topic="集中学习二十大报告",
    )
    page = member_client.get(URL).content.decode()
    assert "集中学习二十大报告" in page
    assert "集中学习" in page
    assert "线下" in page
    assert "记录人：赵" in page
    assert ">45<" in page


def test_rejected_declaration_shows_the_reason(member_client, member, organiser):
    record = services.study_record_declare(
        member=member,
        date=timezone.localdate(),
        minutes=30,
        mode="periodic",
        topic="每周学习党史",
        note="本周学习了党史第二章，对党的奋斗历程有了更深理解。",
    )
    services.study_record_reject(record=record, by=organiser, reason="请补充学习材料")

    page = member_client.get(URL).content.decode()
    assert "未予确认" in page
    assert "理由：请补充学习材料" in page


def test_a_member_sees_only_their_own_records(member_client, branch, organiser):
    other = f.member(branch, name="赵六")
    services.study_record_add_offline(
        member=other,
        date=timezone.localdate(),
        minutes=30,
        mode="home_delivered",
        recorded_by=organiser,
        topic="别人的学习记录",
    )
    page = member_client.get(URL).content.decode()
    assert "别人的学习记录" not in page
    assert "还没有学习记录" in page


def test_declaring_study_leaves_it_pending(member_client, member):
    response = member_client.post(
        "/me/study/declare/",
        {
            "date": timezone.localdate().isoformat(),
            "minutes": "40",
            "mode": "gap_time",
            "topic": "午休学习党章",
            "note": "午休时学习了党章总纲，明确了党员的义务和权利。",
        },
        follow=True,
    )
    assert "经支部确认后计入" in response.content.decode()
    record = StudyRecord.objects.get(member=member)
    assert record.status == "pending"
    assert response.context["totals"]["month"] == 0


def test_bad_declaration_is_refused_and_keeps_what_was_typed(member_client, member):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = member_client.post(
        "/me/study/declare/",
        {
            "date": tomorrow.isoformat(),
            "minutes": "40",
            "mode": "gap_time",
            "topic": "午休学习党章",
            "note": "午休时学习了党章总纲，明确了党员的义务和权利。",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "日期不能晚于今天" in page
    assert "午休学习党章" in page
    assert "明确了党员的义务和权利" in page
    assert not StudyRecord.objects.exists()


def test_plan_progress_per_item_and_overall(member_client, member, branch):
    course, lessons = f.course_with_lessons(2)
    _other, (single,) = f.course_with_lessons(1)
    today = timezone.localdate()
    plan = StudyPlan(
        branch=branch,
        period="year",
        year=today.year,
        title="年度学习计划",
        due_date=Period.of("year", today).end,
        credited_hours=12,
    )
    plan.save()
    StudyPlanItem.objects.create(plan=plan, course=course)
    StudyPlanItem.objects.create(plan=plan, lesson=single)
    LessonProgress.objects.create(
        member=member, lesson=lessons[0], completed_at=timezone.now()
    )
    LessonProgress.objects.create(
        member=member, lesson=single, completed_at=timezone.now()
    )

    response = member_client.get(URL)

    (row,) = response.context["plans"]
    assert (row.done, row.required) == (1, 2)
    assert [percent for _item, _done, percent in row.items] == [50, 100]
    page = response.content.decode()
    assert "年度学习计划" in page
    assert "已完成 1/2 项" in page


def test_continue_where_i_left_off(member_client, member):
    _course, (first, second) = f.course_with_lessons(2)
    LessonProgress.objects.create(member=member, lesson=first, credited_seconds=30)
    LessonProgress.objects.create(member=member, lesson=second, credited_seconds=30)
    LessonProgress.objects.filter(lesson=second).update(
        updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    page = member_client.get(URL).content.decode()
    assert "继续上次的学习：第2课" in page


def test_chart_shows_the_last_twelve_months(member_client, member):
    _course, (lesson,) = f.course_with_lessons(1)
    online(member, lesson, timezone.localdate(), 25 * 60)
    response = member_client.get(URL)
    bars = response.context["chart"]["bars"]
    assert len(bars) == 12
    assert bars[-1]["value"] == 25
    assert bars[-1]["month"] == timezone.localdate().replace(day=1)
    assert "<svg" in response.content.decode()


def test_study_page_queries_do_not_grow(
    member_client, member, branch, organiser, django_assert_max_num_queries, settings
):
    # The database cache, as `make run` has: a page URL looked up without
    # the request would cost a cache query per link.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "school_cache",
        }
    }
    call_command("createcachetable")
    course, lessons = f.course_with_lessons(3)
    plan = StudyPlan(
        branch=branch,
        period="year",
        year=timezone.localdate().year,
        due_date=timezone.localdate(),
        credited_hours=4,
    )
    plan.save()

    def add_study(days):
        for day in range(days):
            date = timezone.localdate() - datetime.timedelta(days=day)
            for lesson in lessons:
                online(member, lesson, date, 300)
            services.study_record_add_offline(
                member=member,
                date=date,
                minutes=30,
                mode="group_session",
                recorded_by=organiser,
                lessons=lessons[:2],
            )

    StudyPlanItem.objects.create(plan=plan, lesson=lessons[0])
    StudyPlanItem.objects.create(plan=plan, course=course)
    add_study(1)
    member_client.get(URL)
    with CaptureQueriesContext(connection) as before:
        member_client.get(URL)

    for lesson in lessons[1:]:
        StudyPlanItem.objects.create(plan=plan, lesson=lesson)
    StudyRecord.objects.all().delete()
    add_study(30)
    with CaptureQueriesContext(connection) as after:
        response = member_client.get(URL)

    assert response.status_code == 200
    assert len(after) == len(before)
    with django_assert_max_num_queries(30):
        member_client.get(URL)


def test_declare_address_opened_by_get_shows_the_form(member_client):
    """Back from logging in after the session ran out, not a bare 405."""
    response = member_client.get("/me/study/declare/")
    assert response.status_code == 302
    assert response["Location"] == "/me/study/#declare"
