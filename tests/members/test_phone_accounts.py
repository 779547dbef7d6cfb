"""Issue 11 point 1: accounts are mobile numbers, through allauth's own phone
support — sign-up and verification by SMS code, login by password or code,
忘记密码 by code, a number added on the profile, limits on code requests."""

import time
from unittest import mock

import pytest
from django.core import mail

from school import sms
from school.members.models import User

from . import factories

pytestmark = pytest.mark.django_db

NUMBER = "+8613800138000"


@pytest.fixture
def client(committing_client, sms_outbox):
    """A client whose after-commit SMS go out, into an empty outbox."""
    return committing_client


def last_code(phone=NUMBER):
    messages = [m for m in sms.outbox if m.phone == phone]
    assert messages, f"no SMS to {phone}"
    return messages[-1].params[0]


def sign_up(client, phone="138 0013 8000", email="", password=factories.PASSWORD):
    return client.post(
        "/accounts/signup/",
        {"phone": phone, "email": email, "password1": password, "password2": password},
    )


def test_sign_up_with_a_number_verifies_it_by_sms_code(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"
    user = User.objects.get(phone=NUMBER)
    assert not user.phone_verified
    assert user.email == ""
    message = sms.outbox[-1]
    assert message.kind == "phone_code"
    assert message.text.startswith(f"您的验证码是{message.params[0]}，10分钟内有效")
    assert len(sms.signed_text(message.text)) <= 70

    response = client.post("/accounts/phone/verify/", {"code": last_code()})

    assert response["Location"] == "/me/profile/complete/"
    user.refresh_from_db()
    assert user.phone_verified
    assert int(client.session["_auth_user_id"]) == user.pk
    # The profile starts from the number the member signed up with.
    page = client.get("/me/profile/complete/").content.decode()
    assert 'value="13800138000"' in page


def test_e_mail_is_optional_but_verified_when_given(client):
    sign_up(client, email="new@example.com")
    client.post("/accounts/phone/verify/", {"code": last_code()})

    user = User.objects.get(phone=NUMBER)
    assert user.email == "new@example.com"
    assert not user.emailaddress_set.get().verified
    assert "confirm-email" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("010-62345678", "座机号码"),
        ("02162345678", "座机号码"),
        ("+1 202 555 0100", "只能使用中国大陆手机号码"),
        ("+44 7700 900123", "只能使用中国大陆手机号码"),
        ("1380013800", "请输入有效的中国大陆手机号"),
        ("12800138000", "请输入有效的中国大陆手机号"),
        ("138OO138OOO", "手机号码只能包含数字"),
    ],
)
def test_bad_numbers_are_refused_in_chinese_keeping_what_was_typed(
    client, number, message
):
    response = sign_up(client, phone=number, email="keep@example.com")

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'value="{number}"' in html
    assert 'value="keep@example.com"' in html
    assert not User.objects.exists()
    assert not sms.outbox


def test_a_taken_number_tells_a_stranger_nothing_and_its_owner_is_told(client):
    factories.user(phone=NUMBER, phone_verified=True)

    taken = sign_up(client, phone="13800138000", email="other@example.com")
    client.logout()
    fresh = sign_up(client, phone="13900139000", email="fresh@example.com")

    # Both go on to "enter the code"; the owner of the taken number gets a
    # text saying so, nobody gets a code for it (enumeration protection).
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(phone=NUMBER).count() == 1
    to_owner = [m for m in sms.outbox if m.phone == NUMBER]
    assert len(to_owner) == 1 and "已注册" in to_owner[0].text


def test_a_wrong_code_is_refused_and_the_number_stays_unverified(client):
    sign_up(client)

    response = client.post("/accounts/phone/verify/", {"code": "000000"})

    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not User.objects.get(phone=NUMBER).phone_verified


def test_an_expired_code_is_refused(client):
    sign_up(client)
    code = last_code()

    later = time.time() + 11 * 60
    with mock.patch(
        "allauth.account.internal.flows.code_verification.time.time",
        return_value=later,
    ):
        response = client.post("/accounts/phone/verify/", {"code": code}, follow=True)

    assert "_auth_user_id" not in client.session
    assert not User.objects.get(phone=NUMBER).phone_verified
    assert response.status_code == 200


def phone_member(**kwargs):
    user = factories.user(phone=NUMBER, phone_verified=True, **kwargs)
    return factories.member(user_=user)


def test_log_in_with_number_and_password(client):
    profile = phone_member()

    response = client.post(
        "/accounts/login/", {"login": "138-0013-8000", "password": factories.PASSWORD}
    )

    assert response["Location"] == "/me/profile/"
    assert int(client.session["_auth_user_id"]) == profile.user.pk


def test_log_in_with_a_wrong_password_names_the_number(client):
    phone_member()

    response = client.post(
        "/accounts/login/", {"login": "13800138000", "password": "wrong-pass"}
    )

    assert "手机号码或密码不正确" in response.content.decode()


def test_log_in_by_sms_code(client):
    profile = phone_member()

    response = client.post("/accounts/login/code/", {"phone": "13800138000"})

    assert response["Location"].startswith("/accounts/login/code/confirm/")
    code = last_code()
    assert sms.outbox[-1].text.startswith(f"您的验证码是{code}，5分钟内有效")
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert int(client.session["_auth_user_id"]) == profile.user.pk


def test_a_second_code_within_a_minute_says_how_long_to_wait(client):
    phone_member()
    client.post("/accounts/login/code/", {"phone": "13800138000"})
    client.cookies.clear()  # back to the start, as on another phone

    response = client.post("/accounts/login/code/", {"phone": "138 0013 8000"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "秒后再获取新的验证码" in html
    assert 'value="138 0013 8000"' in html
    assert len(sms.outbox) == 1


def test_forgot_password_by_sms_code_then_a_new_password(client):
    profile = phone_member()
    page = client.get("/accounts/password/reset/").content.decode()
    assert "/accounts/login/code/?next=/me/password/new/" in page

    response = client.post(
        "/accounts/login/code/?next=/me/password/new/", {"phone": "13800138000"}
    )
    response = client.post(response["Location"], {"code": last_code()})
    assert response["Location"] == "/me/password/new/"
    response = client.post(
        "/me/password/new/",
        {"password1": "Brand-new-pass-7", "password2": "Brand-new-pass-7"},
    )

    assert response["Location"] == "/me/profile/"
    profile.user.refresh_from_db()
    assert profile.user.check_password("Brand-new-pass-7")
    # Used once: the page now asks for a fresh code.
    assert client.get("/me/password/new/")["Location"].startswith(
        "/accounts/login/code/"
    )


def test_new_password_page_needs_a_login_by_code(client):
    profile = phone_member()
    client.post(
        "/accounts/login/", {"login": "13800138000", "password": factories.PASSWORD}
    )

    response = client.post(
        "/me/password/new/",
        {"password1": "Other-pass-77", "password2": "Other-pass-77"},
    )

    assert response.status_code == 302
    profile.user.refresh_from_db()
    assert profile.user.check_password(factories.PASSWORD)


def test_an_e_mail_account_adds_and_verifies_a_number_on_the_profile(client):
    profile = factories.member()
    client.post(
        "/accounts/login/",
        {"login": profile.user.email, "password": factories.PASSWORD},
    )
    assert "/accounts/phone/change/" in client.get("/me/profile/").content.decode()

    response = client.post("/accounts/phone/change/", {"phone": "139 0013 9000"})

    assert response.status_code == 302
    code = last_code("+8613900139000")
    client.post(response["Location"], {"code": code})
    profile.user.refresh_from_db()
    assert profile.user.phone == "+8613900139000"
    assert profile.user.phone_verified


def test_existing_e_mail_accounts_still_log_in_by_e_mail(client):
    profile = factories.member()

    response = client.post(
        "/accounts/login/",
        {"login": profile.user.email, "password": factories.PASSWORD},
    )

    assert response["Location"] == "/me/profile/"
