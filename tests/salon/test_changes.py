"""Issue 17, point 15: when a salon is published with another time, place or
online room, everyone signed up (seat or waiting list) is told once, by the
one notify(): in-site always, SMS and e-mail as they chose."""

import datetime

import pytest
from django.core import mail

from salon import services
from salon.models import SalonPage
from school import sms
from school.notices.models import Notice
from tests.members import factories as mf
from tests.salon import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def phone_member(n):
    user = mf.user(
        email=f"salon-change-{n}@example.com",
        phone=f"+86137{n:08d}",
        phone_verified=True,
    )
    return mf.member(user_=user)


def publish(salon, capture, **changes):
    """An organiser's edit, published as the admin does it: from the latest
    revision (which holds what was announced when it was saved)."""
    page = SalonPage.objects.get(pk=salon.pk).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    with capture(execute=True):
        page.save_revision().publish()
    return SalonPage.objects.get(pk=salon.pk)


def changed_notices():
    return Notice.objects.filter(kind="salon_changed")


@pytest.fixture
def full_salon(db):
    """A published salon with two seats taken, one waiting, one cancelled."""
    salon = f.salon(capacity=2, title="冬季红色沙龙")
    publish(salon, _no_capture)  # first publish: what is announced
    seated = [phone_member(1), phone_member(2)]
    for member in seated:
        services.registration_create(salon=salon, user=member.user)
    waiting = phone_member(3)
    services.registration_create(salon=salon, user=waiting.user)
    gone = phone_member(4)
    registration = f.services_sign_up(salon, gone)
    registration.status = "cancelled"
    registration.save()
    return salon, [*seated, waiting], gone


class _NoCapture:
    def __call__(self, execute=True):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_no_capture = _NoCapture()


def test_changing_the_time_tells_each_registrant_once(
    full_salon, django_capture_on_commit_callbacks
):
    salon, told, gone = full_salon
    later = salon.starts_at + datetime.timedelta(hours=2)

    publish(
        salon,
        django_capture_on_commit_callbacks,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
    )

    notices = list(changed_notices())
    assert sorted(n.user_id for n in notices) == sorted(m.user.pk for m in told)
    assert not changed_notices().filter(user=gone.user).exists()
    assert all(n.url == "/me/salons/" for n in notices)
    assert "新时间" in notices[0].body
    assert sorted(m.phone for m in sms.outbox) == sorted(m.user.phone for m in told)
    assert all("时间或地点有变动" in m.text for m in sms.outbox)

    # Publishing again (the same change, or another edit) tells nobody again.
    publish(salon, django_capture_on_commit_callbacks)
    publish(salon, django_capture_on_commit_callbacks, theme="新的主题")
    assert changed_notices().count() == 3
    assert len(sms.outbox) == 3


def test_edits_other_than_time_and_place_tell_nobody(
    full_salon, django_capture_on_commit_callbacks
):
    salon, _told, _gone = full_salon

    publish(
        salon,
        django_capture_on_commit_callbacks,
        title="冬季红色沙龙（第二期）",
        theme="另一个主题",
        capacity=5,
        study_hours=3,
    )

    assert not changed_notices().exists()
    assert not any("有变动" in m.text for m in sms.outbox)


@pytest.mark.parametrize(
    "change",
    [
        {"place": "城西新时代文明实践站"},
        {"online_link": "https://meeting.example.cn/room/2"},
        {"ends_at": "later"},
    ],
    ids=["place", "online room", "end time"],
)
def test_a_new_place_room_or_end_time_tells_them(
    full_salon, django_capture_on_commit_callbacks, change
):
    salon, told, _gone = full_salon
    if change.get("ends_at") == "later":
        change = {"ends_at": salon.ends_at + datetime.timedelta(minutes=30)}

    publish(salon, django_capture_on_commit_callbacks, **change)

    assert changed_notices().count() == len(told)
    body = changed_notices().first().body
    assert "meeting.example.cn" not in body  # the room link only on their page


def test_the_notice_goes_by_e_mail_only_to_those_who_chose_it(
    full_salon, django_capture_on_commit_callbacks
):
    salon, told, _gone = full_salon
    chooser = told[0].user
    chooser.notice_channels = {"salon": ["email"]}
    chooser.save()
    mail.outbox.clear()

    publish(salon, django_capture_on_commit_callbacks, place="城北党群服务中心")

    assert [m.to for m in mail.outbox] == [[chooser.email]]
    assert "时间或地点有变动" in mail.outbox[0].subject
    assert chooser.phone not in [m.phone for m in sms.outbox]
    assert len(sms.outbox) == len(told) - 1


def test_a_copys_first_publish_only_records_what_is_announced(
    full_salon, django_capture_on_commit_callbacks
):
    salon, _told, _gone = full_salon

    copy = services.salon_copy(
        salon=salon,
        year=salon.year + 1,
        quarter=salon.quarter,
        title="明年的沙龙",
        slug="next-year",
        user=mf.superuser(),
    )
    publish(copy, django_capture_on_commit_callbacks)

    assert not changed_notices().exists()
    assert SalonPage.objects.get(pk=copy.pk).announced["place"] == copy.place


def test_a_salon_that_is_over_tells_nobody(
    full_salon, django_capture_on_commit_callbacks
):
    salon, _told, _gone = full_salon
    f.day_over(salon, days=5)
    SalonPage.objects.filter(pk=salon.pk).update(
        announced=SalonPage.objects.get(pk=salon.pk).time_and_place()
    )

    publish(salon, django_capture_on_commit_callbacks, place="更正后的地点")

    assert not changed_notices().exists()
