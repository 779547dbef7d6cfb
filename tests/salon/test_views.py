import datetime

import pytest
from django.utils import timezone

from salon import services
from salon.models import Registration, SalonPage
from school.members.models import MemberProfile
from tests.salon import factories as f

Status = Registration.Status
pytestmark = pytest.mark.django_db


def sign_up(salon, member):
    return services.registration_create(salon=salon, user=member.user)


def text(response):
    return response.content.decode()


def test_the_index_lists_upcoming_salons_first_then_past(client):
    now = timezone.now()
    index = f.salon_index()
    later = f.salon(
        index, title="下月沙龙", starts_at=now + datetime.timedelta(days=20)
    )
    soon = f.salon(index, title="本周沙龙", starts_at=now + datetime.timedelta(days=2))
    past = f.salon(
        index,
        title="上季沙龙",
        starts_at=now - datetime.timedelta(days=40),
        signup_opens_at=now - datetime.timedelta(days=60),
        signup_closes_at=now - datetime.timedelta(days=41),
    )

    html = text(client.get("/salons/"))

    assert "即将举办" in html and "往期沙龙" in html
    assert html.index(soon.title) < html.index(later.title) < html.index(past.title)


def test_the_salon_page_shows_seats_left_and_a_sign_up_button(client, salon):
    client.force_login(f.member().user)
    html = text(client.get(salon.url))
    assert f"剩余名额 {salon.capacity} / {salon.capacity}" in html
    assert "报名</button>" in html


def test_one_click_sign_up_confirms_a_seat(client, salon, member):
    client.force_login(member.user)

    response = client.post(f"/salons/{salon.pk}/sign-up/", follow=True)

    html = text(response)
    assert "报名成功" in html
    assert "您的状态：已确认名额" in html
    assert f"剩余名额 {salon.capacity - 1} / {salon.capacity}" in html
    assert Registration.objects.get().member == member


def test_the_waiting_member_sees_their_position(client):
    salon = f.salon(capacity=1)
    sign_up(salon, f.member())
    sign_up(salon, f.member())
    member = f.member()
    client.force_login(member.user)

    html = text(client.post(f"/salons/{salon.pk}/sign-up/", follow=True))

    assert "候补名单第 2 位" in html
    assert "您的状态：候补第 2 位" in html


@pytest.mark.parametrize(
    "case, message",
    [
        ("twice", "不能重复报名"),
        ("closed", "报名已截止"),
        ("not_open", "报名将于"),
        ("past", "已经举办"),
        ("unconfirmed", "只有经所在支部确认身份的党员才能报名"),
    ],
)
def test_refused_sign_ups_say_why_and_create_nothing(client, case, message):
    now = timezone.now()
    member = f.member()
    salon = f.salon()
    if case == "twice":
        sign_up(salon, member)
    elif case == "closed":
        salon = f.salon(signup_closes_at=now - datetime.timedelta(minutes=1))
    elif case == "not_open":
        salon = f.salon(signup_opens_at=now + datetime.timedelta(hours=1))
    elif case == "past":
        salon = f.salon(
            starts_at=now - datetime.timedelta(hours=1),
            signup_opens_at=now - datetime.timedelta(days=5),
            signup_closes_at=now - datetime.timedelta(days=1),
        )
    elif case == "unconfirmed":
        member = f.member(status=MemberProfile.Status.PENDING)
    before = Registration.objects.count()
    client.force_login(member.user)

    response = client.post(f"/salons/{salon.pk}/sign-up/", follow=True)

    assert response.status_code == 200
    assert message in text(response)
    assert Registration.objects.count() == before


def test_visitors_are_sent_to_log_in(client, salon):
    assert "登录后报名" in text(client.get(salon.url))
    response = client.post(f"/salons/{salon.pk}/sign-up/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_back_from_logging_in_a_sign_up_link_leads_to_the_salon(client, salon, member):
    response = client.post(f"/salons/{salon.pk}/sign-up/")
    assert response.status_code == 302
    next_url = f"/salons/{salon.pk}/sign-up/"
    assert response["Location"].endswith("?next=" + next_url)
    client.force_login(member.user)

    assert client.get(next_url).url == salon.url
    assert client.get(f"/salons/{salon.pk}/suggest/").url == salon.url
    assert client.get("/me/salons/1/cancel/").url == "/me/salons/"
    assert not Registration.objects.exists()


def test_my_salons_shows_only_my_registrations_with_a_qr_code(
    client, salon, member, django_assert_max_num_queries
):
    mine = sign_up(salon, member)
    other = f.salon(capacity=1)
    sign_up(other, f.member(real_name="别人"))
    sign_up(other, member)
    theirs = sign_up(f.salon(title="别人的沙龙"), f.member())
    client.force_login(member.user)

    with django_assert_max_num_queries(12):
        response = client.get("/me/salons/")

    html = text(response)
    assert salon.title in html and other.title in html
    assert "别人的沙龙" not in html
    assert html.count("<svg") == 1  # the confirmed seat has a code, the waiting not
    assert "候补第 1 位" in html
    assert services.check_in_url(mine) in html
    assert services.check_in_url(theirs) not in html


def test_a_member_cannot_touch_anothers_registration(client, salon, member):
    theirs = sign_up(salon, f.member())
    client.force_login(member.user)

    assert client.post(f"/me/salons/{theirs.pk}/cancel/").status_code == 404
    assert client.get(f"/me/salons/{theirs.pk}/calendar.ics").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.CONFIRMED


def test_cancelling_from_my_salons(client, salon, member):
    registration = sign_up(salon, member)
    client.force_login(member.user)

    html = text(client.post(f"/me/salons/{registration.pk}/cancel/", follow=True))

    assert "您的报名已取消" in html
    assert SalonPage.objects.get(pk=salon.pk).taken == 0


def test_a_checked_in_member_is_told_they_cannot_cancel(
    client, salon, member, monkeypatch
):
    registration = sign_up(salon, member)
    f.the_day_before_it_starts(monkeypatch)
    services.registration_check_in(
        registration=registration, by=f.organiser(salon.branch)
    )
    client.force_login(member.user)

    assert "取消报名" not in text(client.get("/me/salons/"))
    assert "取消报名" not in text(client.get(salon.url))
    response = client.post(f"/me/salons/{registration.pk}/cancel/", follow=True)

    assert response.status_code == 200
    assert "您已签到，不能再取消报名。" in text(response)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_the_calendar_file(client, salon, member):
    registration = sign_up(salon, member)
    client.force_login(member.user)

    response = client.get(f"/me/salons/{registration.pk}/calendar.ics")

    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    start = salon.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in body
    assert "SUMMARY:" + salon.title in body
    assert "LOCATION:城东社区党群服务中心" in body


def test_only_a_confirmed_seats_calendar_file_holds_the_online_room(client):
    salon = f.salon(capacity=1)
    room = "https://meeting.example.com/salon-room"
    SalonPage.objects.filter(pk=salon.pk).update(place="", online_link=room)
    seated = sign_up(salon, f.member())
    waiting = sign_up(salon, f.member())

    client.force_login(seated.member.user)
    assert room in client.get(f"/me/salons/{seated.pk}/calendar.ics").content.decode()
    client.force_login(waiting.member.user)
    body = client.get(f"/me/salons/{waiting.pk}/calendar.ics").content.decode()
    assert "BEGIN:VEVENT" in body
    assert room not in body


@pytest.fixture
def checked_salon(db, monkeypatch):
    f.the_day_before_it_starts(monkeypatch)
    salon = f.salon()
    registration = sign_up(salon, f.member("王小明", mobile="13912345678"))
    return salon, registration, f.organiser(salon.branch)


def test_an_organiser_opens_the_qr_link_and_checks_in_with_one_tap(
    client, checked_salon
):
    salon, registration, organiser = checked_salon
    url = services.check_in_url(registration)
    client.force_login(organiser)

    page = client.get(url)
    assert "王小明" in text(page) and "签到</button>" in text(page)
    response = client.post(url, follow=True)

    assert "王小明 签到成功" in text(response)
    registration.refresh_from_db()
    assert registration.checked_in_by == organiser


def test_a_reused_check_in_link_is_refused(client, checked_salon):
    salon, registration, organiser = checked_salon
    url = services.check_in_url(registration)
    client.force_login(organiser)
    client.post(url)
    registration.refresh_from_db()
    first = registration.checked_in_at

    response = client.post(url)

    assert response.status_code == 409
    assert "不能重复签到" in text(response)
    registration.refresh_from_db()
    assert registration.checked_in_at == first


def test_a_link_of_a_cancelled_registration_is_refused(client, checked_salon):
    salon, registration, organiser = checked_salon
    url = services.check_in_url(registration)
    services.registration_cancel(
        registration=registration, user=registration.member.user
    )
    client.force_login(organiser)

    assert client.post(url).status_code == 409
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_forged_check_in_link_is_refused(client, checked_salon):
    salon, registration, organiser = checked_salon
    from django.core import signing

    token = services.check_in_token(registration)
    payload, signature = token.rsplit(":", 1)
    other = sign_up(salon, f.member())
    other_payload = services.check_in_token(other).rsplit(":", 1)[0]
    wrong_key = signing.Signer(key="not-the-site-key", salt=services.CHECK_IN_SALT)
    forged = [
        f"{other_payload}:{signature}",  # another registration, this signature
        wrong_key.sign_object({"r": registration.pk, "s": salon.pk}),
        payload + ":" + signature[::-1],
        "1:2:3",
    ]
    client.force_login(organiser)

    for bad in forged:
        response = client.post(f"/salons/check-in/{bad}/")
        assert response.status_code == 400
        assert "签到链接无效" in text(response)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_non_organiser_cannot_use_a_check_in_link(client, checked_salon):
    salon, registration, organiser = checked_salon
    url = services.check_in_url(registration)
    for person in [registration.member.user, f.organiser(f.branch())]:
        client.force_login(person)
        response = client.post(url)
        assert response.status_code == 403
        assert "只有本期沙龙的组织者" in text(response)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_get_on_the_check_in_buttons_returns_to_the_check_in_page(
    client, checked_salon
):
    salon, registration, organiser = checked_salon
    client.force_login(organiser)
    page = f"/salons/{salon.pk}/check-in/"

    assert client.get(f"{page}{registration.pk}/").url == page
    assert client.get(f"/salons/{salon.pk}/walk-in/").url == page
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_no_floating_userbar_covers_the_check_in_buttons(client, checked_salon):
    salon, registration, organiser = checked_salon
    client.force_login(organiser)
    assert "<wagtail-userbar" in text(client.get(salon.url))

    for url in [f"/salons/{salon.pk}/check-in/", services.check_in_url(registration)]:
        assert "<wagtail-userbar" not in text(client.get(url))


def test_the_check_in_page_lists_those_still_to_check_in_first(client, checked_salon):
    salon, registration, organiser = checked_salon
    later = sign_up(salon, f.member("赵大海"))
    services.registration_check_in(registration=registration, by=organiser)
    client.force_login(organiser)

    html = text(client.get(f"/salons/{salon.pk}/check-in/"))

    assert html.index(later.member.real_name) < html.index("王小明")


def test_the_check_in_page_finds_members_by_name_or_phone(client, checked_salon):
    salon, registration, organiser = checked_salon
    sign_up(salon, f.member("李四", mobile="13700000000"))
    sign_up(salon, f.member("陈红", salon.branch, mobile="13655556666"))
    client.force_login(organiser)

    by_name = text(client.get(f"/salons/{salon.pk}/check-in/?q=小明"))
    by_number = text(client.get(f"/salons/{salon.pk}/check-in/?q=13912345678"))
    by_digits = text(client.get(f"/salons/{salon.pk}/check-in/?q=5555"))

    for html in (by_name, by_number):
        assert "王小明" in html and "李四" not in html
    # 王小明 comes from another branch: a masked number, found by the whole
    # number only; the branch's own members are found by a few digits too.
    assert "139****5678" in by_name and "13912345678" not in by_name
    assert "王小明" not in text(client.get(f"/salons/{salon.pk}/check-in/?q=2345"))
    assert "陈红" in by_digits and "13655556666" in by_digits
    response = client.post(
        f"/salons/{salon.pk}/check-in/{registration.pk}/", {"q": "小明"}, follow=True
    )
    assert "王小明 签到成功" in text(response)
    assert "已于" in text(response)


def test_the_check_in_page_is_for_organisers_only(client, checked_salon):
    salon, registration, organiser = checked_salon
    client.force_login(registration.member.user)
    assert client.get(f"/salons/{salon.pk}/check-in/").status_code == 404
    assert (
        client.post(f"/salons/{salon.pk}/check-in/{registration.pk}/").status_code
        == 404
    )
    assert client.get(f"/salons/{salon.pk}/topics/").status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_check_in_page_query_count_does_not_grow(
    client, checked_salon, django_assert_max_num_queries
):
    salon, registration, organiser = checked_salon
    client.force_login(organiser)
    with django_assert_max_num_queries(20) as few:
        client.get(f"/salons/{salon.pk}/check-in/")
    for i in range(8):
        sign_up(salon, f.member(f"成员{i}"))
    with django_assert_max_num_queries(len(few)):
        response = client.get(f"/salons/{salon.pk}/check-in/")
    assert "成员7" in text(response)


def test_a_walk_in_is_added_at_the_door(client, checked_salon):
    salon, registration, organiser = checked_salon
    walker = f.member("赵六", the_branch=salon.branch, mobile="13600000000")
    client.force_login(organiser)

    html = text(client.get(f"/salons/{salon.pk}/check-in/?q=赵六"))
    assert "现场加入" in html and "加入并签到" in html
    response = client.post(
        f"/salons/{salon.pk}/walk-in/", {"member": walker.pk, "q": "赵六"}, follow=True
    )

    assert "赵六 已现场加入并签到" in text(response)
    walk_in = Registration.objects.get(member=walker)
    assert walk_in.walk_in and walk_in.checked_in_at


def test_members_suggest_topics_and_organisers_see_them(client, checked_salon):
    salon, registration, organiser = checked_salon
    client.force_login(registration.member.user)

    empty = client.post(f"/salons/{salon.pk}/suggest/", {"text": " "})
    assert empty.status_code == 400
    assert "请填写议题或问题" in text(empty)
    long_text = "议" * 1001
    too_long = client.post(f"/salons/{salon.pk}/suggest/", {"text": long_text})
    assert too_long.status_code == 400
    assert long_text in text(too_long)  # nothing typed is lost
    ok = client.post(
        f"/salons/{salon.pk}/suggest/",
        {"text": "如何在外地参加组织生活？"},
        follow=True,
    )
    assert "议题已提交" in text(ok)

    client.force_login(organiser)
    assert "如何在外地参加组织生活？" in text(client.get(f"/salons/{salon.pk}/topics/"))
    assert "议题建议 1 条" in text(client.get(salon.url))


def test_the_home_page_shows_the_current_quarters_salon(client):
    now = timezone.now()
    # Within this quarter, whatever the day.
    year, quarter = (now.year, (timezone.localtime(now).month - 1) // 3 + 1)
    first_day = datetime.datetime(year, 3 * quarter - 2, 1, 9, 0)
    start = timezone.make_aware(first_day) + datetime.timedelta(days=1)
    f.salon(
        title="本季度的红色沙龙",
        starts_at=start,
        signup_opens_at=start - datetime.timedelta(days=20),
        signup_closes_at=start - datetime.timedelta(hours=1),
    )

    html = text(client.get("/"))

    assert "本季度红色沙龙" in html
    assert "本季度的红色沙龙" in html


@pytest.mark.django_db
def test_my_salons_is_in_the_members_account_menu(client):
    client.force_login(f.member().user)
    html = client.get("/me/study/").content.decode()
    menu = html[html.index('class="site-account"') :]
    menu = menu[: menu.index("</nav>")]
    assert 'href="/me/salons/"' in menu and "我的沙龙" in menu
