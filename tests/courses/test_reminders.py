"""The reminder command: a weekly digest of red and amber members for each
contact, overdue reminders for members, in Chinese, never twice a day, none
for those who turned reminders off."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from courses.models import ReminderSent
from courses.pairing.reminders import reminders_send
from school.members.models import MemberProfile
from tests.courses import factories as f
from tests.courses import pairing_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(branch, contact):
    """A contact with one red, one amber and one member on track."""
    red = f.member(branch, name="红色甲")
    amber = f.member(branch, name="黄色乙")
    fine = f.member(branch, name="正常丙")
    for member, last_contact in ((red, 2), (amber, 35), (fine, 2)):
        pf.contacted(pf.pair(contact, member), ago=last_contact)
    pf.studied(red, ago=20)
    pf.studied(amber, ago=1)
    pf.studied(fine, ago=1)
    return red, amber, fine


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the reminders as cron does, outside a transaction: the e-mail
    leaves once each reminder is recorded."""

    def send(today=None):
        with django_capture_on_commit_callbacks(execute=True):
            if today is None:
                call_command("send_study_reminders")
            else:
                reminders_send(today=today)

    return send


def digests():
    return [m for m in mail.outbox if "本周结对帮学" in m.subject]


def test_weekly_digest_lists_exactly_the_red_and_amber_members(contact, team, send):
    send()

    (message,) = digests()
    assert message.to == [contact.user.email]
    assert message.subject == "本周结对帮学：2 名党员需要您关注"
    assert "红色甲" in message.body and "已 20 天未学习" in message.body
    assert "黄色乙" in message.body and "已 35 天未联系" in message.body
    assert "正常丙" not in message.body
    assert message.body.index("红色甲") < message.body.index("黄色乙")
    assert "http://testserver/contact/" in message.body


def test_links_in_reminders_use_the_one_site_address(contact, team, send, settings):
    # Cron runs the command with the production settings' SITE_URL, as the web
    # server has it: no development port.
    settings.SITE_URL = "https://dangxiao.example.cn"

    send()

    (message,) = digests()
    assert "https://dangxiao.example.cn/contact/" in message.body
    assert ":8000" not in message.body


def test_nothing_is_sent_twice_in_a_day_nor_the_digest_twice_a_week(
    contact, team, send
):
    send()
    send()
    assert len(digests()) == 1
    assert ReminderSent.objects.filter(kind="contact_digest").count() == 1

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    send(today=tomorrow)
    assert len(digests()) == 1

    next_week = timezone.localdate() + datetime.timedelta(days=7)
    send(today=next_week)
    assert len(digests()) == 2


def test_no_digest_when_every_member_is_on_track(branch, contact, send):
    member = f.member(branch)
    pf.contacted(pf.pair(contact, member), ago=1)
    pf.studied(member, ago=1)
    send()
    assert digests() == []


def test_a_contact_who_turned_reminders_off_gets_no_digest(contact, team, send):
    MemberProfile.objects.filter(pk=contact.pk).update(study_reminders=False)
    send()
    assert digests() == []


def test_members_with_an_overdue_plan_item_get_a_reminder(branch, send):
    _course, (lesson,) = f.course_with_lessons(1, title="党章学习")
    pf.overdue_plan(branch, lesson)
    behind = f.member(branch, name="落后")
    done = f.member(branch, name="完成")
    done.lesson_progress.create(lesson=lesson, completed_at=timezone.now())
    off = f.member(branch, name="不要提醒", study_reminders=False)

    send()
    send()

    overdue = [m for m in mail.outbox if m.subject.startswith("学习提醒")]
    assert [m.to for m in overdue] == [[behind.user.email]]
    (message,) = overdue
    assert message.subject == "学习提醒：您的学习计划有逾期未完成的内容"
    assert "落后 同志：" in message.body
    assert "第1课" in message.body
    assert "http://testserver/me/study/" in message.body
    assert off.user.email not in [address for m in mail.outbox for address in m.to]


def test_member_turns_reminders_off_on_their_profile(branch):
    member = f.member(branch, name="张党员")
    client = Client()
    client.force_login(member.user)
    page = client.get("/me/profile/").content.decode()
    assert "接收学习提醒邮件" in page
    data = {
        "real_name": member.real_name,
        "branch": member.branch_id,
        "mobile": member.mobile,
        "move_reason": "",
        "current_city": "",
        "current_address": "",
        "employer": "",
        "activity_card_number": "",
    }
    client.post("/me/profile/", data)  # checkbox left unticked
    member.refresh_from_db()
    assert member.study_reminders is False
    assert member.status == MemberProfile.Status.CONFIRMED
    client.post("/me/profile/", {**data, "study_reminders": "on"})
    member.refresh_from_db()
    assert member.study_reminders is True
