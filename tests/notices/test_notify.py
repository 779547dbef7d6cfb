"""notify(): in-site always, SMS and/or e-mail by preference and by what is
verified; the bell, /me/notices/ and the short link; the SMS texts."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from salon import services as salon_services
from school import sms
from school.notices import services
from school.notices.kinds import KINDS, Topic
from school.notices.models import Notice
from tests.members import factories as mf
from tests.salon import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def phone_user(n=1, email_verified=True, **kwargs):
    user = mf.user(
        phone=f"+86139{n:08d}", phone_verified=True, verified=email_verified, **kwargs
    )
    return user


def test_a_freed_salon_seat_reaches_the_member_in_site_and_by_sms(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "school.sms.ConsoleBackend"
    salon = sf.salon(capacity=1)
    first = sf.services_sign_up(salon, sf.member())
    waiting = mf.member(user_=phone_user(7))
    salon_services.registration_create(salon=salon, user=waiting.user)

    with django_capture_on_commit_callbacks(execute=True):
        salon_services.registration_cancel(registration=first, user=first.member.user)

    notice = Notice.objects.get(user=waiting.user)
    assert notice.kind == "salon_promoted"
    assert notice.url == "/me/salons/"
    assert salon.title in notice.body
    out = capsys.readouterr().out
    assert (
        f"SMS to +8613900000007: 【网上党校】候补成功，您已获得红色沙龙座位：http://testserver/n/{notice.pk}"
        in out
    )
    # E-mail only when chosen: this member has a verified address but did not.
    assert mail.outbox == []


def test_a_freed_salon_seat_comes_by_e_mail_too_when_chosen(
    django_capture_on_commit_callbacks,
):
    salon = sf.salon(capacity=1)
    first = sf.services_sign_up(salon, sf.member())
    user = phone_user(8, notice_channels={Topic.SALON: ["sms", "email"]})
    waiting = mf.member(user_=user)
    salon_services.registration_create(salon=salon, user=user)

    with django_capture_on_commit_callbacks(execute=True):
        salon_services.registration_cancel(registration=first, user=first.member.user)

    assert [m.phone for m in sms.outbox] == [user.phone]
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert Notice.objects.get(user=waiting.user).channels == "sms,email"


def test_channels_follow_what_is_verified():
    unverified_phone = mf.user(phone="+8613900000001", phone_verified=False)
    unverified_email = mf.user(verified=False)
    e_mail_only = mf.user()

    for user in (unverified_phone, unverified_email, e_mail_only):
        services.notify(user, "profile_confirmed", _profile_context(user))

    channels = dict(Notice.objects.values_list("user_id", "channels"))
    assert channels == {
        unverified_phone.pk: "email",
        unverified_email.pk: "",
        e_mail_only.pk: "email",
    }


def _profile_context(user):
    return {"profile": mf.member(user_=user), "url": "/me/profile/"}


def test_a_topic_turned_off_leaves_only_the_site(django_capture_on_commit_callbacks):
    user = phone_user(3, notice_channels={Topic.ACCOUNT: []})

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user, "profile_confirmed", _profile_context(user))

    assert Notice.objects.get(user=user).channels == ""
    assert not sms.outbox
    assert not mail.outbox


def test_security_codes_go_to_the_number_and_are_not_kept(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_code(phone="+8613900000009", code="123456", minutes=5)

    (message,) = sms.outbox
    assert message.params == ["123456", "5"]
    assert not Notice.objects.exists()


def test_preferences_cannot_turn_off_security_codes(client):
    user = phone_user(4)
    client.force_login(user)
    page = client.get("/me/notices/settings/").content.decode()
    assert "security__" not in page

    client.post("/me/notices/settings/", {"salon__sms": "on", "security__sms": ""})

    user.refresh_from_db()
    assert Topic.SECURITY not in user.notice_channels
    assert user.notice_channels[Topic.SALON] == ["sms"]
    assert user.notice_channels[Topic.REMINDERS] == []


def test_unverified_channels_cannot_be_chosen(client):
    user = mf.user(verified=False)
    client.force_login(user)

    client.post("/me/notices/settings/", {"salon__sms": "on", "salon__email": "on"})

    services.notify(user, "salon_message", _salon_message_context())
    assert Notice.objects.get(user=user).channels == ""


def _salon_message_context():
    salon = sf.salon()
    return {"salon": salon, "subject": "带身份证", "message": "请带身份证", "url": "/"}


def test_the_bell_counts_unread_notices_for_the_logged_in_only(client):
    user = mf.member().user
    for _ in range(3):
        services.notify(user, "salon_message", _salon_message_context())
    client.force_login(user)

    html = client.get("/search/").content.decode()
    assert "3 条未读" in html
    assert 'href="/me/notices/"' in html

    anonymous = Client().get("/search/").content.decode()
    assert "条未读" not in anonymous
    assert "/me/notices/" not in anonymous


def test_opening_a_notice_marks_it_read_and_leads_to_its_link(client):
    user = mf.member().user
    notice = services.notify(user, "salon_message", _salon_message_context())
    client.force_login(user)

    response = client.get(f"/n/{notice.pk}")

    assert response["Location"] == "/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "条未读" not in client.get("/me/notices/").content.decode()


def test_nobody_opens_another_persons_notice(client):
    notice = services.notify(
        mf.member().user, "salon_message", _salon_message_context()
    )
    client.force_login(mf.member().user)

    assert client.get(f"/n/{notice.pk}").status_code == 404
    assert client.get(f"/me/notices/{notice.pk}/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_anonymous_short_link_asks_to_log_in_and_writes_nothing(client):
    notice = services.notify(
        mf.member().user, "salon_message", _salon_message_context()
    )

    response = client.get(f"/n/{notice.pk}")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_notice_list_is_newest_first_without_javascript(client):
    user = mf.member().user
    context = _salon_message_context()
    for subject in ("一", "二", "三"):
        services.notify(user, "salon_message", {**context, "subject": subject})
    client.force_login(user)

    html = client.get("/me/notices/").content.decode()

    titles = re.findall(r"红色沙龙消息：(.)", html)
    assert titles == ["三", "二", "一"]
    assert '<form method="post" action="/me/notices/read/">' in html


@pytest.mark.parametrize("count", [1, 15])
def test_notice_list_queries_do_not_grow(client, django_assert_max_num_queries, count):
    user = mf.member().user
    context = _salon_message_context()
    for _ in range(count):
        services.notify(user, "salon_message", context)
    client.force_login(user)

    with django_assert_max_num_queries(14):
        assert client.get("/me/notices/").status_code == 200


def test_notify_many_queries_do_not_grow(django_assert_max_num_queries):
    people = [phone_user(100 + n) for n in range(20)]
    context = _salon_message_context()

    with django_assert_max_num_queries(4):
        services.notify_many(people, "salon_message", context)

    assert Notice.objects.count() == 20


LONGEST_SITE_URL = "https://dangxiao.example.gov.cn"


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "branch_message"])
def test_every_sms_fits_in_one_message(settings, kind):
    settings.SITE_URL = LONGEST_SITE_URL
    link = f"{LONGEST_SITE_URL}/n/9999999"
    values = {"code": "123456", "minutes": 10, "link": link}

    with translation.override("zh-hans"):
        text = sms.signed_text(str(KINDS[kind].sms) % values)

    assert len(text) <= 70, text


def test_sms_never_carries_another_persons_data():
    for kind in KINDS.values():
        assert "name" not in kind.sms and "real_name" not in kind.sms
        assert set(kind.sms_params) <= {"code", "minutes", "link", "text"}
