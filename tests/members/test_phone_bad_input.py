"""Issue 11, "Bad input and forbidden paths": on every form that takes a
mobile number or an SMS code — sign-up, login, login by code (and 忘记密码,
which is login by code), the code pages, the profile's change of number — an
invalid, landline or foreign number, a taken number, a wrong or expired code
and too many code requests get a clear Chinese message on the form, keep what
was typed, and never a 500 (nor allauth's bare 429 page).

Who learns what about a taken number: sign-up and the code page at sign-up
look the same for a free and a taken number (allauth's enumeration
protection; the owner is texted); login and login by code say nothing either.
The profile's change of number, for a logged-in member, says it is taken
(school.members.forms.ChangePhoneForm says why)."""

import re
import time
from unittest import mock

import pytest

from school import sms
from school.members.models import User

from . import factories
from .test_phone_accounts import last_code

pytestmark = pytest.mark.django_db

NUMBER = "+8613800138000"
OTHER = "+8613900139000"
PASSWORD = factories.PASSWORD

BAD_NUMBERS = [
    ("abc", "手机号码只能包含数字"),
    ("1380013800", "请输入有效的中国大陆手机号"),
    ("010-12345678", "座机号码"),
    ("+1 202 555 0100", "只能使用中国大陆手机号码"),
]


@pytest.fixture
def client(committing_client, sms_outbox):
    """A client whose after-commit SMS go out, into an empty outbox."""
    return committing_client


def texts_to(phone):
    return [m for m in sms.outbox if m.phone == phone]


def sign_up(client, phone="13800138000", email="", password=PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"phone": phone, "email": email, "password1": password, "password2": password},
    )


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def same_page(page, number):
    """The page with its number, CSRF token and CSP nonce taken out."""
    page = re.sub(r'(value|nonce)="[^"]{20,}"', "", page)
    return page.replace(number, "N")


def later(minutes):
    return mock.patch("time.time", return_value=time.time() + minutes * 60)


def phone_member(phone=NUMBER, verified=True, **kwargs):
    user = factories.user(phone=phone, phone_verified=verified, **kwargs)
    return factories.member(user_=user)


def log_in_by_email(client):
    profile = factories.member()
    client.force_login(profile.user)
    return profile


# --- Invalid, landline and foreign numbers, on each form -----------------


@pytest.mark.parametrize(("number", "message"), BAD_NUMBERS)
def test_sign_up_refuses_a_bad_number(client, number, message):
    page = html(sign_up(client, phone=number, email="keep@example.com"))

    assert message in page
    assert f'value="{number}"' in page
    assert 'value="keep@example.com"' in page
    assert not User.objects.exists() and not sms.outbox


@pytest.mark.parametrize(("number", "message"), BAD_NUMBERS[1:])
def test_login_refuses_a_bad_number(client, number, message):
    page = html(client.post("/accounts/login/", {"login": number, "password": "x1"}))

    assert message in page
    assert f'value="{number}"' in page


@pytest.mark.parametrize(("number", "message"), BAD_NUMBERS)
def test_login_by_code_refuses_a_bad_number(client, number, message):
    page = html(client.post("/accounts/login/code/", {"phone": number}))

    assert message in page
    assert f'value="{number}"' in page
    assert not sms.outbox


@pytest.mark.parametrize(("number", "message"), BAD_NUMBERS)
def test_forgotten_password_by_code_refuses_a_bad_number(client, number, message):
    page = html(
        client.post("/accounts/login/code/?next=/me/password/new/", {"phone": number})
    )

    assert message in page
    assert f'value="{number}"' in page


@pytest.mark.parametrize(("number", "message"), BAD_NUMBERS)
def test_profile_change_of_number_refuses_a_bad_number(client, number, message):
    log_in_by_email(client)

    page = html(client.post("/accounts/phone/change/", {"phone": number}))

    assert message in page
    assert f'value="{number}"' in page
    assert not sms.outbox


# --- A number already taken ----------------------------------------------


def test_sign_up_with_a_taken_number_looks_like_any_other(client):
    phone_member()

    taken = sign_up(client, phone="13800138000")
    taken_page = client.get(taken["Location"])
    client.logout()
    client.cookies.clear()
    free = sign_up(client, phone="13700137000")
    free_page = client.get(free["Location"])

    assert taken["Location"] == free["Location"] == "/accounts/phone/verify/"
    assert taken_page.status_code == free_page.status_code == 200
    # Only the number itself differs between the two pages.
    taken_lines = same_page(html(taken_page), "13800138000").splitlines()
    free_lines = same_page(html(free_page), "13700137000").splitlines()
    assert taken_lines == free_lines
    assert "已注册" in texts_to(NUMBER)[0].text
    assert User.objects.filter(phone=NUMBER).count() == 1


def test_profile_change_to_a_taken_number_says_it_is_taken(client):
    phone_member(phone=OTHER)
    log_in_by_email(client)

    page = html(client.post("/accounts/phone/change/", {"phone": "139 0013 9000"}))

    assert "该手机号码已注册" in page
    assert 'value="139 0013 9000"' in page
    # Nobody is texted: not a code to the other account's owner.
    assert not sms.outbox


def test_the_sign_up_code_page_offers_no_change_of_number(client):
    """allauth would offer one for a free number only, and take a posted one
    for a free number only: both would tell a stranger which is taken."""
    phone_member(phone=OTHER)
    answers = []
    for number in ("13900139000", "13700137000"):
        client.logout()
        client.cookies.clear()
        sign_up(client, phone=number)
        page = html(client.get("/accounts/phone/verify/"))
        assert 'value="change"' not in page
        assert "没有收到验证码？" in page
        answers.append(
            client.post(
                "/accounts/phone/verify/", {"action": "change", "phone": "13600136000"}
            )["Location"]
        )

    assert answers == ["/accounts/phone/verify/"] * 2
    assert not texts_to("+8613600136000")


# --- A wrong or expired code ----------------------------------------------


def test_a_wrong_code_at_sign_up_is_refused_on_the_form(client):
    sign_up(client)

    page = html(client.post("/accounts/phone/verify/", {"code": "000000"}))

    assert "验证码不正确" in page
    assert 'value="000000"' in page


def test_an_expired_code_at_sign_up_says_so(client):
    sign_up(client)
    code = last_code()

    with later(11):
        response = client.post("/accounts/phone/verify/", {"code": code}, follow=True)

    assert "验证码已过期" in html(response)
    assert "10 分钟" in html(response)
    assert not User.objects.get(phone=NUMBER).phone_verified


def test_a_wrong_login_code_is_refused_on_the_form(client):
    phone_member()
    client.post("/accounts/login/code/", {"phone": "13800138000"})

    page = html(client.post("/accounts/login/code/confirm/", {"code": "000000"}))

    assert "验证码不正确" in page
    assert "_auth_user_id" not in client.session


def test_an_expired_login_code_says_so(client):
    phone_member()
    client.post("/accounts/login/code/", {"phone": "13800138000"})
    code = last_code()

    with later(6):
        response = client.post(
            "/accounts/login/code/confirm/", {"code": code}, follow=True
        )

    page = html(response)
    assert "验证码已过期" in page and "5 分钟" in page
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_for_a_new_number_on_the_profile_is_refused(client):
    profile = log_in_by_email(client)
    client.post("/accounts/phone/change/", {"phone": "13900139000"})

    page = html(client.post("/accounts/phone/verify/", {"code": "000000"}))

    assert "验证码不正确" in page
    profile.user.refresh_from_db()
    assert profile.user.phone != OTHER or not profile.user.phone_verified


def test_an_expired_code_for_a_new_number_on_the_profile_says_so(client):
    profile = log_in_by_email(client)
    client.post("/accounts/phone/change/", {"phone": "13900139000"})
    code = last_code(OTHER)

    with later(11):
        response = client.post("/accounts/phone/verify/", {"code": code}, follow=True)

    assert "验证码已过期" in html(response)
    profile.user.refresh_from_db()
    assert not profile.user.phone_verified


# --- Too many code requests -------------------------------------------------

WAIT = "秒后再获取新的验证码"


def test_password_login_of_an_unverified_number_soon_after_a_code_says_wait(client):
    """The bug: allauth raised RateLimited (a 500) when a correct password of
    an unverified number came within a minute of the number's last code."""
    sign_up(client)
    client.logout()
    client.cookies.clear()

    response = client.post(
        "/accounts/login/", {"login": "138 0013 8000", "password": PASSWORD}
    )

    page = html(response)
    assert WAIT in page
    assert 'value="138 0013 8000"' in page
    assert f'value="{PASSWORD}"' in page
    assert "_auth_user_id" not in client.session
    assert len(sms.outbox) == 1


def test_password_login_of_an_unverified_number_later_sends_a_code(client):
    sign_up(client)
    client.logout()
    client.cookies.clear()

    with mock.patch("time.time", return_value=time.time() + 61):
        response = client.post(
            "/accounts/login/", {"login": "13800138000", "password": PASSWORD}
        )

    assert response["Location"] == "/accounts/phone/verify/"
    assert len(texts_to(NUMBER)) == 2


def test_sign_up_again_soon_after_a_code_says_wait_and_saves_nothing(client):
    phone_member()  # taken or not, the answer is the same
    sign_up(client, phone="13800138000")
    client.logout()
    client.cookies.clear()

    page = html(sign_up(client, phone="138 0013 8000", email="keep@example.com"))

    assert WAIT in page
    assert 'value="138 0013 8000"' in page and 'value="keep@example.com"' in page
    assert User.objects.count() == 1


def test_sign_up_soon_after_a_free_numbers_code_says_the_same(client):
    sign_up(client, phone="13700137000")
    client.logout()
    client.cookies.clear()

    page = html(sign_up(client, phone="13700137000", email="keep@example.com"))

    assert WAIT in page
    assert User.objects.count() == 1


def test_resend_on_the_sign_up_code_page_too_soon_says_how_long(client):
    sign_up(client)

    response = client.post("/accounts/phone/verify/", {"action": "resend"}, follow=True)

    page = html(response)
    assert WAIT in page
    assert len(sms.outbox) == 1


def test_login_code_resend_too_soon_says_how_long(client):
    phone_member()
    client.post("/accounts/login/code/", {"phone": "13800138000"})

    response = client.post(
        "/accounts/login/code/confirm/", {"action": "resend"}, follow=True
    )

    assert WAIT in html(response)
    assert len(sms.outbox) == 1


def test_login_code_resend_after_a_minute_sends_a_new_code(client):
    phone_member()
    client.post("/accounts/login/code/", {"phone": "13800138000"})

    with mock.patch("time.time", return_value=time.time() + 61):
        client.post("/accounts/login/code/confirm/", {"action": "resend"})

    assert len(sms.outbox) == 2


def test_forgotten_password_code_again_too_soon_says_wait(client):
    phone_member()
    url = "/accounts/login/code/?next=/me/password/new/"
    client.post(url, {"phone": "13800138000"})
    client.cookies.clear()

    page = html(client.post(url, {"phone": "13800138000"}))

    assert WAIT in page
    assert 'value="13800138000"' in page


def test_profile_change_to_a_number_just_texted_says_wait(client):
    log_in_by_email(client)
    client.post("/accounts/phone/change/", {"phone": "13900139000"})

    page = html(client.post("/accounts/phone/change/", {"phone": "139 0013 9000"}))

    assert WAIT in page
    assert 'value="139 0013 9000"' in page
    assert len(sms.outbox) == 1


def test_profile_resend_for_an_unverified_number_too_soon_says_wait(client):
    """ "Re-send verification" on the profile, for a number not verified yet
    (an account made by the number whose code never came back)."""
    sign_up(client)
    client.force_login(User.objects.get(phone=NUMBER))

    page = html(client.post("/accounts/phone/change/", {"action": "verify"}))

    assert WAIT in page
    assert len(sms.outbox) == 1


# --- The view-wide limits: on the form, not a bare 429 page ------------------


def test_too_many_changes_of_number_on_the_profile_are_said_on_the_form(client):
    log_in_by_email(client)
    for n in range(3):
        client.post("/accounts/phone/change/", {"phone": f"1370013700{n}"})

    page = html(client.post("/accounts/phone/change/", {"phone": "13600136000"}))

    assert "尝试次数过多" in page and "秒后再试" in page
    assert 'value="13600136000"' in page


def test_too_many_logins_from_one_address_are_said_on_the_form(client, settings):
    settings.SCHOOL_FORM_RATE_LIMITS = {
        **settings.SCHOOL_FORM_RATE_LIMITS,
        "login": "2/m/ip",
    }
    for _ in range(2):
        client.post("/accounts/login/", {"login": "13800138000", "password": "x"})

    page = html(
        client.post("/accounts/login/", {"login": "13800138000", "password": "y1"})
    )

    assert "尝试次数过多" in page
    assert 'value="13800138000"' in page
