"""The branch's coverage ledger (学习台账) in the Wagtail admin."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from courses import services
from courses.models import LessonProgress, StudyPlan, StudyPlanItem, StudyRecord
from courses.selectors import Period
from school.members.models import MemberProfile
from tests.courses import factories as f

pytestmark = pytest.mark.django_db

URL = "/admin/study/coverage/"


def today():
    return timezone.localdate()


def this_month():
    return Period.of("month", today()).key


def group_session(members, organiser, minutes=90):
    return services.study_record_add_group(
        members=members,
        date=today(),
        minutes=minutes,
        mode="group_session",
        recorded_by=organiser,
        topic="集中学习二十大报告",
    )


def online(member, lesson, seconds, date=None):
    StudyRecord.objects.create(
        member=member,
        lesson=lesson,
        date=date or today(),
        seconds=seconds,
        source="online",
        mode="online",
    )


def rows_by_name(response):
    return {row.real_name: row for row in response.context["object_list"]}


def test_group_session_shows_in_each_members_row_and_in_the_export(
    admin_client, branch, organiser
):
    members = [f.member(branch, name=n) for n in ("甲", "乙", "丙")]
    f.member(branch, name="丁")
    _course, (lesson,) = f.course_with_lessons(1)
    group_session(members, organiser, minutes=90)
    online(members[0], lesson, 1800)

    response = admin_client.get(URL, {"period": this_month()})

    assert response.status_code == 200
    rows = rows_by_name(response)
    assert rows["甲"].offline_hours == Decimal("1.5")
    assert rows["甲"].online_hours == Decimal("0.5")
    assert rows["甲"].total_hours == Decimal("2.0")
    assert rows["乙"].offline_hours == Decimal("1.5")
    assert rows["丙"].total_hours == Decimal("1.5")
    # A member with no study is listed with zero, not left out.
    assert rows["丁"].total_hours == Decimal("0.0")
    assert rows["丁"].last_study is None
    page = response.content.decode()
    for name in ("甲", "乙", "丙", "丁"):
        assert name in page

    export = admin_client.get(URL, {"period": this_month(), "export": "xlsx"})
    assert export.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    sheet = workbook.active
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("姓名", "党支部", "线上学时", "线下学时", "合计学时")
    exported = {line[0]: line for line in lines}
    assert set(exported) == {"甲", "乙", "丙", "丁"}
    for name, row in rows.items():
        assert Decimal(str(exported[name][2])) == row.online_hours
        assert Decimal(str(exported[name][3])) == row.offline_hours
        assert Decimal(str(exported[name][4])) == row.total_hours
        assert str(row.total_hours) in page
    assert exported["丁"][4] == 0


def test_csv_export_has_the_same_rows(admin_client, branch, organiser):
    members = [f.member(branch, name=n) for n in ("甲", "乙", "丙")]
    group_session(members, organiser, minutes=60)

    export = admin_client.get(URL, {"period": this_month(), "export": "csv"})

    text = b"".join(export.streaming_content).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "姓名"
    assert sorted(line[0] for line in lines[1:]) == ["丙", "乙", "甲"]
    assert all(line[4] == "1.0" for line in lines[1:])


def test_only_confirmed_members_of_the_organisers_branches(
    admin_client, branch, organiser
):
    f.member(branch, name="本支部党员")
    f.member(f.branch(parent=branch), name="下级支部党员")
    f.member(branch, name="待确认者", status=MemberProfile.Status.PENDING)
    f.member(f.branch(), name="外支部党员")

    names = set(rows_by_name(admin_client.get(URL)))

    assert names == {"本支部党员", "下级支部党员"}


def test_period_filter_counts_only_that_period(admin_client, branch, organiser):
    member = f.member(branch, name="甲")
    _course, (lesson,) = f.course_with_lessons(1)
    last_year = today().replace(year=today().year - 1, day=1)
    online(member, lesson, 3600, date=last_year)
    online(member, lesson, 1800)

    this_year = rows_by_name(admin_client.get(URL, {"period": str(today().year)}))
    that_year = rows_by_name(admin_client.get(URL, {"period": str(today().year - 1)}))

    assert this_year["甲"].online_hours == Decimal("0.5")
    assert that_year["甲"].online_hours == Decimal("1.0")
    assert that_year["甲"].last_study == last_year


def make_plan(branch, lessons, period="quarter"):
    start = Period.of(period, today())
    plan = StudyPlan.objects.create(
        branch=branch,
        period=period,
        year=start.year,
        number=start.number,
        title="本季度学习计划",
        due_date=start.end,
        credited_hours=4,
    )
    for lesson in lessons:
        StudyPlanItem.objects.create(plan=plan, lesson=lesson)
    return plan


def complete(member, lesson):
    LessonProgress.objects.create(
        member=member, lesson=lesson, completed_at=timezone.now()
    )


def test_coverage_and_plan_items_per_member(admin_client, branch):
    _course, lessons = f.course_with_lessons(2)
    make_plan(branch, lessons)
    done, half, none = (f.member(branch, name=n) for n in ("全", "半", "无"))
    for lesson in lessons:
        complete(done, lesson)
    complete(half, lessons[0])

    quarter = Period.of("quarter", today()).key
    response = admin_client.get(URL, {"period": quarter})

    rows = rows_by_name(response)
    assert (rows["全"].items_done, rows["全"].items_required) == (2, 2)
    assert (rows["半"].items_done, rows["半"].items_required) == (1, 2)
    assert rows["无"].plan_items == "0/2"
    coverage = response.context["coverage"]
    assert (coverage["complete"], coverage["members"], coverage["percent"]) == (
        1,
        3,
        33,
    )
    assert "data-coverage-percent>33%<" in response.content.decode()

    complete_only = rows_by_name(
        admin_client.get(URL, {"period": quarter, "status": "complete"})
    )
    assert set(complete_only) == {"全"}
    incomplete = rows_by_name(
        admin_client.get(URL, {"period": quarter, "status": "incomplete"})
    )
    assert set(incomplete) == {"半", "无"}


def test_status_filter_no_study(admin_client, branch, organiser):
    studied = f.member(branch, name="学了")
    f.member(branch, name="没学")
    group_session([studied], organiser)

    rows = rows_by_name(
        admin_client.get(URL, {"period": this_month(), "status": "no_study"})
    )

    assert set(rows) == {"没学"}


def test_ledger_queries_do_not_grow_with_members_or_records(
    admin_client, branch, organiser, django_assert_max_num_queries
):
    _course, lessons = f.course_with_lessons(2)
    make_plan(branch, lessons, period="month")

    def add_members(n):
        members = [f.member(branch) for _ in range(n)]
        group_session(members, organiser, minutes=30)
        for member in members:
            complete(member, lessons[0])
            online(member, lessons[1], 600)

    def count(params):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        admin_client.get(URL, params)
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(URL, params)
        if "export" in params:
            b"".join(response.streaming_content)
        return len(queries)

    add_members(3)
    page_before = count({"period": this_month()})
    export_before = count({"period": this_month(), "export": "xlsx"})
    add_members(30)
    assert count({"period": this_month()}) == page_before
    assert count({"period": this_month(), "export": "xlsx"}) == export_before
    with django_assert_max_num_queries(40):
        admin_client.get(URL, {"period": this_month(), "status": "incomplete"})


def test_period_parsing():
    day = datetime.date(2026, 5, 17)
    assert Period.parse("2026", day).start == datetime.date(2026, 1, 1)
    assert Period.parse("2026-Q2", day).end == datetime.date(2026, 6, 30)
    assert Period.parse("2026-02", day).end == datetime.date(2026, 2, 28)
    assert Period.parse("nonsense", day).key == "2026-05"
    assert Period.parse("2026-13", day).key == "2026-05"
