"""Offline study: recorded by organisers, declared by members."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import services
from courses.models import LessonProgress, StudyRecord
from school.members.models import MemberProfile
from tests.courses import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def branch():
    return f.branch()


@pytest.fixture
def organiser(branch):
    return f.organiser(branch)


@pytest.fixture
def member(branch):
    return f.member(branch, name="张三")


def add(member, organiser, **kwargs):
    values = {
        "member": member,
        "date": TODAY(),
        "minutes": 45,
        "mode": StudyRecord.Mode.HOME_DELIVERED,
        "recorded_by": organiser,
        "topic": "学习党章",
    }
    values.update(kwargs)
    return services.study_record_add_offline(**values)


def test_offline_record_counts_once_confirmed_by_its_recorder(member, organiser):
    record = add(member, organiser)

    assert record.status == StudyRecord.Status.CONFIRMED
    assert record.source == StudyRecord.Source.OFFLINE
    assert record.recorded_by == organiser
    assert record.confirmed_by == organiser
    assert StudyRecord.objects.filter(member=member).total_seconds() == 45 * 60


def test_future_date_is_refused(member, organiser):
    with pytest.raises(ValidationError) as error:
        add(member, organiser, date=TODAY() + datetime.timedelta(days=1))
    assert "日期不能晚于今天" in str(error.value.message_dict["date"])


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, "abc"])
def test_zero_negative_or_over_a_day_is_refused(member, organiser, minutes):
    with pytest.raises(ValidationError) as error:
        add(member, organiser, minutes=minutes)
    assert "minutes" in error.value.message_dict
    assert not StudyRecord.objects.exists()


def test_more_than_24_hours_in_a_day_for_one_member_is_refused(member, organiser):
    add(member, organiser, minutes=20 * 60)
    with pytest.raises(ValidationError) as error:
        add(member, organiser, minutes=5 * 60)
    assert "24" in str(error.value.message_dict["minutes"])
    add(member, organiser, minutes=4 * 60)  # exactly 24 hours is allowed


def test_member_outside_the_organisers_branch_is_refused(organiser):
    stranger = f.member(f.branch(), name="李四")
    with pytest.raises(ValidationError) as error:
        add(stranger, organiser)
    assert "李四" in str(error.value.message_dict["member"])
    assert not StudyRecord.objects.exists()


def test_sub_branch_members_may_be_recorded(branch, organiser):
    child = f.member(f.branch(parent=branch))
    assert add(child, organiser).pk


def test_unconfirmed_member_is_refused(branch, organiser):
    pending = f.member(branch, status=MemberProfile.Status.PENDING)
    with pytest.raises(ValidationError):
        add(pending, organiser)


def test_a_topic_or_lessons_are_required(member, organiser):
    with pytest.raises(ValidationError) as error:
        add(member, organiser, topic=" ")
    assert "topic" in error.value.message_dict


def test_online_mode_cannot_be_recorded_offline(member, organiser):
    with pytest.raises(ValidationError) as error:
        add(member, organiser, mode=StudyRecord.Mode.ONLINE)
    assert "mode" in error.value.message_dict


def test_salon_check_in_credits_mode_salon(member, organiser):
    record = add(member, organiser, mode=StudyRecord.Mode.SALON, minutes=120)
    assert record.mode == "salon"
    assert record.get_mode_display() == "红色沙龙"


def test_lessons_studied_offline_count_as_done(member, organiser):
    _course, lessons = f.course_with_lessons(2)

    record = add(member, organiser, topic="", lessons=[lessons[0]])

    assert list(record.lessons.all()) == [lessons[0]]
    progress = LessonProgress.objects.get(member=member, lesson=lessons[0])
    assert progress.completed_at is not None and progress.completed_offline


def test_group_session_credits_everyone_present(branch, organiser):
    present = [f.member(branch) for _ in range(3)]
    absent = f.member(branch)

    records = services.study_record_add_group(
        members=present,
        date=TODAY(),
        minutes=90,
        mode=StudyRecord.Mode.GROUP_SESSION,
        recorded_by=organiser,
        topic="集中学习二十大精神",
    )

    assert len(records) == 3
    for m in present:
        assert StudyRecord.objects.filter(member=m).total_seconds() == 90 * 60
    assert StudyRecord.objects.filter(member=absent).total_seconds() == 0


def test_group_session_with_one_stranger_credits_nobody(branch, organiser):
    present = [f.member(branch), f.member(f.branch(), name="外支部党员")]
    with pytest.raises(ValidationError) as error:
        services.study_record_add_group(
            members=present,
            date=TODAY(),
            minutes=60,
            mode=StudyRecord.Mode.GROUP_SESSION,
            recorded_by=organiser,
            topic="集中学习",
        )
    assert "外支部党员" in str(error.value)
    assert not StudyRecord.objects.exists()


def declare(member, **kwargs):
    values = {
        "member": member,
        "date": TODAY(),
        "minutes": 30,
        "mode": StudyRecord.Mode.GAP_TIME,
        "topic": "午休时学习党史",
        "note": "利用午休时间学习了党史第一章。体会到初心使命的分量。",
    }
    values.update(kwargs)
    return services.study_record_declare(**values)


def test_declaration_counts_only_once_confirmed(member, organiser):
    record = declare(member)
    assert record.status == StudyRecord.Status.PENDING
    assert StudyRecord.objects.filter(member=member).total_seconds() == 0

    services.study_record_confirm(record=record, by=organiser)

    assert StudyRecord.objects.filter(member=member).total_seconds() == 30 * 60
    record.refresh_from_db()
    assert record.confirmed_by == organiser


def test_rejection_needs_a_reason_and_keeps_it(member, organiser):
    record = declare(member)
    with pytest.raises(ValidationError):
        services.study_record_reject(record=record, by=organiser, reason=" ")

    services.study_record_reject(record=record, by=organiser, reason="时长与实际不符")

    record.refresh_from_db()
    assert record.status == StudyRecord.Status.REJECTED
    assert record.rejection_reason == "时长与实际不符"
    assert StudyRecord.objects.filter(member=member).total_seconds() == 0


def test_organiser_of_another_branch_cannot_confirm(member):
    record = declare(member)
    other = f.organiser(f.branch())
    with pytest.raises(ValidationError):
        services.study_record_confirm(record=record, by=other)


def test_member_may_declare_only_the_three_self_study_modes(member):
    with pytest.raises(ValidationError) as error:
        declare(member, mode=StudyRecord.Mode.GROUP_SESSION)
    assert "mode" in error.value.message_dict
    for mode in ("gap_time", "periodic", "nearest_branch"):
        declare(member, mode=mode)


def test_declaration_needs_a_reflection(member):
    with pytest.raises(ValidationError) as error:
        declare(member, note="学了")
    assert "note" in error.value.message_dict
