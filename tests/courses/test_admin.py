"""The organisers' study back office: offline records, declarations, plans."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import StudyPlan, StudyRecord
from school.members.models import MemberProfile
from tests.courses import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(branch):
    return [f.member(branch, name=name) for name in ("张一", "张二", "张三")]


def today():
    return timezone.localdate()


def add_record(client, member, **fields):
    """Post the one-member offline record form: 40 minutes of home-delivered
    study today unless ``fields`` say otherwise."""
    data = {
        "member": member.pk,
        "date": today().isoformat(),
        "minutes": "40",
        "mode": "home_delivered",
        "topic": "送学上门",
        **fields,
    }
    return client.post(reverse("study_records:add"), data)


def test_organiser_records_one_offline_study(admin_client, members):
    response = add_record(admin_client, members[0], topic="送学上门：学习党章", note="")
    assert response.status_code == 302
    record = StudyRecord.objects.get()
    assert (record.member, record.seconds, record.mode) == (
        members[0],
        2400,
        "home_delivered",
    )
    assert record.recorded_by.pk == record.confirmed_by.pk


def test_offline_record_with_a_future_date_shows_a_chinese_error(admin_client, members):
    response = add_record(
        admin_client,
        members[0],
        date=(today() + datetime.timedelta(days=2)).isoformat(),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "日期不能晚于今天" in page
    assert "送学上门" in page
    assert not StudyRecord.objects.exists()


def test_offline_record_of_zero_minutes_shows_a_chinese_error(admin_client, members):
    response = add_record(admin_client, members[0], minutes="0")
    assert response.status_code == 200
    assert "确保该值大于或等于1" in response.content.decode()
    assert not StudyRecord.objects.exists()


def test_offline_record_over_24_hours_shows_a_chinese_error(admin_client, members):
    response = add_record(admin_client, members[0], minutes=str(24 * 60 + 1))
    assert "确保该值小于或等于1440" in response.content.decode()

    assert add_record(admin_client, members[0], minutes="1000").status_code == 302
    response = add_record(admin_client, members[0], minutes="500")
    assert response.status_code == 200
    page = response.content.decode()
    assert "张一 在" in page
    assert "的学习时长将超过 24 小时（当天还可记 440 分钟）" in page
    assert StudyRecord.objects.get().seconds == 1000 * 60


def test_members_of_other_branches_cannot_be_chosen(admin_client):
    stranger = f.member(f.branch(), name="外人")
    response = add_record(admin_client, stranger, topic="学习")
    assert response.status_code == 200
    assert not StudyRecord.objects.exists()
    assert "外人" not in admin_client.get(reverse("study_records:add")).content.decode()


def test_group_session_is_entered_once_for_everyone_present(admin_client, members):
    absent = f.member(members[0].branch, name="缺席者")
    response = admin_client.post(
        reverse("study_records:group"),
        {
            "date": today().isoformat(),
            "minutes": "90",
            "mode": "group_session",
            "topic": "集中学习二十大报告",
            "members": [m.pk for m in members],
        },
    )
    assert response.status_code == 302
    for member in members:
        assert StudyRecord.objects.filter(member=member).total_seconds() == 5400
    assert StudyRecord.objects.filter(member=absent).total_seconds() == 0


def test_group_session_without_anyone_ticked_is_refused(admin_client, members):
    response = admin_client.post(
        reverse("study_records:group"),
        {
            "date": today().isoformat(),
            "minutes": "90",
            "mode": "group_session",
            "topic": "集中学习",
        },
    )
    assert response.status_code == 400
    assert "请至少勾选一名到场党员" in response.content.decode()
    assert "集中学习" in response.content.decode()


def test_an_organiser_sees_only_their_branchs_records(admin_client, organiser):
    other = f.member(f.branch(), name="别的支部党员")
    record = services.study_record_add_offline(
        member=other,
        date=today(),
        minutes=30,
        mode="home_delivered",
        recorded_by=None,
        topic="学习",
        check_permission=False,
    )
    index = admin_client.get(reverse("study_records:index")).content.decode()
    assert "别的支部党员" not in index
    assert (
        admin_client.get(reverse("study_records:inspect", args=[record.pk])).status_code
        == 404
    )
    assert (
        admin_client.post(
            reverse("study_records:confirm", args=[record.pk])
        ).status_code
        == 404
    )
    assert (
        admin_client.get(reverse("study_records:delete", args=[record.pk])).status_code
        == 404
    )


def test_members_cannot_enter_the_back_office(members):
    client = Client()
    client.force_login(members[0].user)
    for name in ("study_records:index", "study_coverage:index", "study_plans:index"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403, 404)


def declaration(member):
    return services.study_record_declare(
        member=member,
        date=today(),
        minutes=30,
        mode="nearest_branch",
        topic="在就近支部参加学习",
        note="在务工地就近的党支部参加了组织生活，学习了新党章。",
    )


def test_organiser_confirms_a_declaration(admin_client, members):
    record = declaration(members[0])
    page = admin_client.get(reverse("study_records:inspect", args=[record.pk]))
    assert "确认学习" in page.content.decode()

    admin_client.post(reverse("study_records:confirm", args=[record.pk]))

    record.refresh_from_db()
    assert record.status == "confirmed"


def test_organiser_rejects_a_declaration_with_a_reason(admin_client, members):
    record = declaration(members[0])
    empty = admin_client.post(
        reverse("study_records:reject", args=[record.pk]), {"rejection_reason": ""}
    )
    assert empty.status_code == 200
    admin_client.post(
        reverse("study_records:reject", args=[record.pk]),
        {"rejection_reason": "请附上学习材料"},
    )
    record.refresh_from_db()
    assert record.status == "rejected"
    assert record.rejection_reason == "请附上学习材料"


def test_online_records_cannot_be_deleted(admin_client, members):
    _course, (lesson,) = f.course_with_lessons(1)
    record = StudyRecord.objects.create(
        member=members[0],
        lesson=lesson,
        date=today(),
        seconds=600,
        source="online",
        mode="online",
    )
    response = admin_client.post(reverse("study_records:delete", args=[record.pk]))
    assert response.status_code == 404
    assert StudyRecord.objects.filter(pk=record.pk).exists()


def plan_data(branch, **overrides):
    course, _lessons = f.course_with_lessons(2)
    data = {
        "branch": branch.pk,
        "period": "quarter",
        "year": str(today().year),
        "number": str((today().month - 1) // 3 + 1),
        "title": "第四季度学习计划",
        "description": "学习党章和二十大报告。",
        "due_date": today().isoformat(),
        "credited_hours": "6",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-course": str(course.pk),
        "items-0-lesson": "",
        "items-0-ORDER": "1",
        "items-0-id": "",
        "items-0-DELETE": "",
    }
    data.update(overrides)
    return data


def test_a_new_plan_is_announced_to_the_branchs_confirmed_members(
    admin_client, branch, members, django_capture_on_commit_callbacks
):
    f.member(branch, status=MemberProfile.Status.PENDING)
    f.member(f.branch())  # another branch

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("study_plans:add"), plan_data(branch))

    assert response.status_code == 302, response.content.decode()[:2000]
    plan = StudyPlan.objects.get()
    assert plan.starts_on.month in (1, 4, 7, 10)
    assert plan.announced_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members)
    assert "第四季度学习计划" in mail.outbox[0].subject
    assert "/me/study/" in mail.outbox[0].body


def test_a_second_plan_for_the_same_period_is_refused(admin_client, branch, members):
    admin_client.post(reverse("study_plans:add"), plan_data(branch))
    response = admin_client.post(reverse("study_plans:add"), plan_data(branch))
    assert response.status_code == 200
    assert "已有这一周期的学习计划" in response.content.decode()
    assert StudyPlan.objects.count() == 1


def test_plans_only_for_own_branches(admin_client):
    other = f.branch()
    response = admin_client.post(reverse("study_plans:add"), plan_data(other))
    assert response.status_code == 200
    assert not StudyPlan.objects.exists()


def test_dashboard_counts_pending_declarations(admin_client, members):
    declaration(members[0])
    declaration(members[1])
    f.member(f.branch())  # another branch's declaration is not counted
    page = admin_client.get("/admin/").content.decode()
    assert "2 条学习申报等待确认" in page


def test_choosing_a_member_of_another_branch_says_why(admin_client):
    stranger = f.member(f.branch(), name="外人")
    response = add_record(admin_client, stranger, topic="学习")
    assert "请选择您所管理支部的已确认党员" in response.content.decode()


def test_a_mail_server_down_does_not_break_saving_a_plan(
    admin_client, branch, members, django_capture_on_commit_callbacks
):
    import smtplib
    from unittest import mock

    broken = mock.Mock()
    broken.send_messages.side_effect = smtplib.SMTPServerDisconnected("down")
    with (
        mock.patch("school.mail.get_connection", return_value=broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_client.post(reverse("study_plans:add"), plan_data(branch))

    assert response.status_code == 302
    assert StudyPlan.objects.count() == 1
    assert broken.send_messages.called


def test_completing_an_unpublished_lesson_is_404(members):
    _course, (lesson,) = f.course_with_lessons(1)
    lesson.unpublish()
    client = Client()
    client.force_login(members[0].user)
    response = client.post(reverse("courses:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 404
