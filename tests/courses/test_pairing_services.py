"""The pairing rules: one active contact per member, nobody their own contact,
both in the organiser's branch; ending keeps history; contact logs and the
monthly report."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses import services as study_services
from courses.models import (
    ContactLog,
    LessonProgress,
    MonthlyReport,
    Pairing,
    StudyRecord,
)
from courses.pairing import selectors, services
from school.members.models import MemberProfile
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(branch):
    return f.member(branch, name="张党员")


def messages_of(error):
    return " ".join(error.value.messages)


# --- Pairing ----------


def test_organiser_pairs_a_contact_with_several_members(branch, organiser, contact):
    members = [f.member(branch, name=f"党员{i}") for i in range(3)]

    pairings = services.pairing_create_many(
        contact=contact, members=members, by=organiser, started_on=pf.days_ago(3)
    )

    assert [p.member for p in pairings] == members
    assert all(p.contact == contact and p.is_active for p in pairings)
    assert all(p.started_on == pf.days_ago(3) for p in pairings)
    assert all(p.created_by == organiser for p in pairings)


def test_a_member_already_paired_is_refused_with_a_clear_message(
    branch, organiser, contact, member
):
    services.pairing_create(contact=contact, member=member, by=organiser)
    other = f.member(branch, name="李联系")

    with pytest.raises(ValidationError) as error:
        services.pairing_create(contact=other, member=member, by=organiser)

    assert "张党员 已有帮学联系人：王联系" in messages_of(error)
    assert Pairing.objects.active().filter(member=member).count() == 1


def test_the_database_holds_one_active_contact_per_member(branch, contact, member):
    Pairing.objects.create(contact=contact, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(contact=f.member(branch), member=member)


def test_nobody_is_their_own_contact(organiser, contact):
    with pytest.raises(ValidationError) as error:
        services.pairing_create(contact=contact, member=contact, by=organiser)
    assert "不能与自己结对" in messages_of(error)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(contact=contact, member=contact)


def test_pairing_across_branches_is_refused(organiser, contact):
    elsewhere = f.member(f.branch(name="城西党支部"), name="赵外支")
    # Even an organiser of both branches may not pair across them.
    elsewhere.branch.organisers.add(organiser)

    with pytest.raises(ValidationError) as error:
        services.pairing_create(contact=contact, member=elsewhere, by=organiser)

    assert "不在同一党支部" in messages_of(error)
    assert not Pairing.objects.exists()


def test_an_organiser_of_another_branch_cannot_pair(contact, member):
    stranger = f.organiser(f.branch())
    with pytest.raises(ValidationError) as error:
        services.pairing_create(contact=contact, member=member, by=stranger)
    assert "不是您所管理支部的党员" in messages_of(error)


def test_only_confirmed_members_are_paired(branch, organiser, contact):
    pending = f.member(branch, name="待确认", status=MemberProfile.Status.PENDING)
    with pytest.raises(ValidationError) as error:
        services.pairing_create(contact=contact, member=pending, by=organiser)
    assert "不是已确认的党员" in messages_of(error)
    with pytest.raises(ValidationError):
        services.pairing_create(contact=pending, member=contact, by=organiser)


def test_a_future_start_date_is_refused(organiser, contact, member):
    with pytest.raises(ValidationError) as error:
        services.pairing_create(
            contact=contact,
            member=member,
            by=organiser,
            started_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "开始日期不能晚于今天" in messages_of(error)


def test_pairing_several_is_all_or_nothing(branch, organiser, contact, member):
    taken = f.member(branch, name="已结对")
    services.pairing_create(contact=f.member(branch), member=taken, by=organiser)
    with pytest.raises(ValidationError):
        services.pairing_create_many(
            contact=contact, members=[member, taken], by=organiser
        )
    assert not Pairing.objects.filter(member=member).exists()


def test_a_lost_race_becomes_a_clear_message(branch, organiser, contact, member):
    """Two organisers pass the check at once; the database refuses the second
    save and the organiser gets a message, not a 500."""
    Pairing.objects.create(contact=f.member(branch, name="先到"), member=member)
    with mock.patch.object(services, "_pairing_errors", return_value=[]):
        with pytest.raises(ValidationError) as error:
            services.pairing_create(contact=contact, member=member, by=organiser)
    assert "其他管理员刚刚为其中的党员安排了帮学联系人" in messages_of(error)
    assert Pairing.objects.filter(member=member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_organisers_saving_at_once_give_one_pairing():
    branch = f.branch()
    organisers = [f.organiser(branch), f.organiser(branch)]
    contacts = [f.member(branch), f.member(branch)]
    member = f.member(branch)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(i):
        try:
            barrier.wait()
            services.pairing_create(
                contact=contacts[i], member=member, by=organisers[i]
            )
            outcomes.append("paired")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("paired") == 1
    assert "帮学联系人" in [o for o in outcomes if o != "paired"][0]
    assert Pairing.objects.filter(member=member).count() == 1


def test_ending_keeps_the_history_and_frees_the_member(
    branch, organiser, contact, member
):
    pairing = services.pairing_create(
        contact=contact, member=member, by=organiser, started_on=pf.days_ago(30)
    )
    services.pairing_end(pairing=pairing, by=organiser, ended_on=pf.days_ago(1))

    pairing.refresh_from_db()
    assert pairing.ended_on == pf.days_ago(1)
    assert pairing.ended_by == organiser
    new = services.pairing_create(contact=f.member(branch), member=member, by=organiser)
    assert list(Pairing.objects.filter(member=member)) == [new, pairing]


def test_a_pairing_ends_once_and_not_before_it_starts(organiser, contact, member):
    pairing = services.pairing_create(
        contact=contact, member=member, by=organiser, started_on=pf.days_ago(5)
    )
    with pytest.raises(ValidationError) as error:
        services.pairing_end(pairing=pairing, by=organiser, ended_on=pf.days_ago(6))
    assert "结束日期不能早于开始日期" in messages_of(error)
    services.pairing_end(pairing=pairing, by=organiser)
    with pytest.raises(ValidationError) as error:
        services.pairing_end(pairing=pairing, by=organiser)
    assert "已经结束" in messages_of(error)


# --- Study rights of a contact ----------


def test_an_active_contact_may_record_study_and_an_ex_contact_may_not(
    organiser, contact, member
):
    pairing = pf.pair(contact, member)
    assert study_services.can_record_for(contact.user, member)
    assert member in study_services.members_recordable_by(contact.user)

    services.pairing_end(pairing=pairing, by=organiser)

    assert not study_services.can_record_for(contact.user, member)
    assert member not in study_services.members_recordable_by(contact.user)


def test_a_contact_confirms_their_members_declaration(contact, member):
    pf.pair(contact, member)
    record = study_services.study_record_declare(
        member=member,
        date=pf.days_ago(1),
        minutes=30,
        mode=StudyRecord.Mode.GAP_TIME,
        topic="学习党章",
        note="利用午休时间学习了党章总纲，收获很大。",
    )
    study_services.study_record_confirm(record=record, by=contact.user)
    record.refresh_from_db()
    assert record.status == StudyRecord.Status.CONFIRMED
    assert record.confirmed_by == contact.user


# --- Contact logs ----------


def test_home_delivered_study_credits_the_member_with_its_lessons(contact, member):
    pf.pair(contact, member)
    _course, (lesson,) = f.course_with_lessons(1)

    log = services.contact_log_create(
        member=member,
        by=contact.user,
        kind=ContactLog.Kind.HOME_DELIVERED,
        minutes=30,
        lessons=[lesson],
        note="在家中一起学习",
    )

    record = log.study_record
    assert record.mode == StudyRecord.Mode.HOME_DELIVERED
    assert record.seconds == 30 * 60
    assert record.status == StudyRecord.Status.CONFIRMED
    assert record.recorded_by == contact.user
    assert list(record.lessons.all()) == [lesson]
    assert LessonProgress.objects.get(member=member, lesson=lesson).is_complete
    assert StudyRecord.objects.filter(member=member).total_seconds() == 1800


def test_home_delivered_study_without_minutes_saves_nothing(contact, member):
    pf.pair(contact, member)
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(
            member=member,
            by=contact.user,
            kind=ContactLog.Kind.HOME_DELIVERED,
            topic="送学上门",
        )
    assert "minutes" in error.value.message_dict
    assert not ContactLog.objects.exists()
    assert not StudyRecord.objects.exists()


def test_only_the_active_contact_logs_contacts(branch, contact, member, organiser):
    pairing = pf.pair(contact, member)
    stranger = f.member(branch)
    with pytest.raises(ValidationError):
        services.contact_log_create(
            member=member, by=stranger.user, kind="guidance", note="……"
        )
    services.pairing_end(pairing=pairing, by=organiser)
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(
            member=member, by=contact.user, kind="guidance", note="……"
        )
    assert "您不是该党员的帮学联系人" in messages_of(error)


def test_notice_and_report_need_a_note_and_dates_are_checked(contact, member):
    pf.pair(contact, member, started_days_ago=10)
    for kind in ("notice", "report"):
        with pytest.raises(ValidationError) as error:
            services.contact_log_create(member=member, by=contact.user, kind=kind)
        assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(
            member=member, by=contact.user, kind="guidance", date=pf.days_ago(11)
        )
    assert "早于结对开始日期" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        services.contact_log_create(
            member=member, by=contact.user, kind="guidance", date=pf.days_ago(-1)
        )
    assert "日期不能晚于今天" in messages_of(error)


# --- Monthly reports ----------


def test_the_monthly_report_summarises_the_records(contact, member):
    pf.pair(contact, member, started_days_ago=90)
    today = timezone.localdate()
    pf.studied(member, ago=0, minutes=25)
    services.contact_log_create(
        member=member, by=contact.user, kind="home_delivered", minutes=35, topic="党史"
    )

    report = services.monthly_report_submit(
        member=member, by=contact.user, month=today, note="思想稳定，工作积极。"
    )

    assert report.month == today.replace(day=1)
    assert report.minutes == 60
    assert report.study_days == 1
    assert "学习 60 分钟，共 1 天" in report.summary
    assert "送学上门 1 次" in report.summary
    assert report.note == "思想稳定，工作积极。"


def test_one_report_per_member_and_month_resubmitting_revises_it(contact, member):
    pf.pair(contact, member, started_days_ago=90)
    month = selectors.previous_month(timezone.localdate())
    services.monthly_report_submit(
        member=member, by=contact.user, month=month, note="第一稿"
    )
    services.monthly_report_submit(
        member=member, by=contact.user, month=month, note="修改稿"
    )
    (report,) = MonthlyReport.objects.all()
    assert report.note == "修改稿"
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(
            pairing=report.pairing, month=month, summary="x", note="y"
        )


def test_reports_only_for_this_or_last_month_and_need_a_note(contact, member):
    pf.pair(contact, member, started_days_ago=200)
    old = selectors.previous_month(selectors.previous_month(timezone.localdate()))
    with pytest.raises(ValidationError) as error:
        services.monthly_report_submit(
            member=member, by=contact.user, month=old, note="太早"
        )
    assert "month" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.monthly_report_submit(
            member=member, by=contact.user, month=timezone.localdate(), note=" "
        )
    assert "note" in error.value.message_dict
