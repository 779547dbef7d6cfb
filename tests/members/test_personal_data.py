"""Point 6: a member's own data download, account deletion, the access log."""

import json

import pytest
from django.test import RequestFactory

from school.members import registry
from school.members.decorators import confirmed_member_required
from school.members.models import MemberProfile, ProfileAccess, User

from . import factories

pytestmark = pytest.mark.django_db


def test_data_download_has_my_data_and_nobody_elses(client):
    mine = factories.member(real_name="张三", mobile="13800138000", current_city="深圳")
    theirs = factories.member(mine.branch, real_name="李四", mobile="13900139000")
    client.force_login(mine.user)

    response = client.get("/me/data.json")

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == mine.user.email
    assert data["profile"]["real_name"] == "张三"
    assert data["profile"]["mobile"] == "13800138000"
    assert data["profile"]["current_city"] == "深圳"
    assert data["profile"]["branch"]["code"] == mine.branch.code
    assert data["profile"]["consent_version"] == mine.consent_version
    text = response.content.decode()
    assert "李四" not in text
    assert "13900139000" not in text
    assert theirs.user.email not in text


def test_data_download_includes_what_other_apps_register(client, monkeypatch):
    monkeypatch.setitem(
        registry._exporters, "study_records", lambda user: [{"user": user.email}]
    )
    profile = factories.member()
    client.force_login(profile.user)

    data = json.loads(client.get("/me/data.json").content)

    assert data["study_records"] == [{"user": profile.user.email}]


def test_data_download_needs_login(client):
    assert client.get("/me/data.json")["Location"].startswith("/accounts/login/")


def test_account_deletion_needs_the_password(client):
    profile = factories.member(real_name="张三")
    client.force_login(profile.user)

    response = client.post("/me/delete/", {"password": "wrong"})

    assert "密码不正确" in response.content.decode()
    profile.refresh_from_db()
    assert profile.real_name == "张三"
    assert profile.user.is_active


def test_account_deletion_anonymises_the_profile_and_keeps_the_rows(
    client, monkeypatch
):
    anonymised = []
    monkeypatch.setattr(registry, "_anonymisers", [anonymised.append])
    profile = factories.member(
        real_name="张三",
        mobile="13800138000",
        current_city="深圳",
        current_address="某街道",
        employer="某厂",
        activity_card_number="LD-1",
    )
    user = profile.user
    email = user.email
    client.force_login(user)

    response = client.post("/me/delete/", {"password": factories.PASSWORD})

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    profile.refresh_from_db()
    user.refresh_from_db()
    assert anonymised == [user]
    assert profile.branch_id is not None  # still counts for the branch, nameless
    assert profile.real_name == "已注销党员"
    assert (profile.mobile, profile.current_city, profile.current_address) == (
        "",
        "",
        "",
    )
    assert (profile.employer, profile.activity_card_number) == ("", "")
    assert profile.anonymised_at is not None
    assert profile.status == MemberProfile.Status.LEFT
    assert not user.is_active
    assert email not in (user.email, user.username)
    assert not user.has_usable_password()
    assert not User.objects.filter(email=email).exists()
    response = client.post(
        "/accounts/login/", {"login": email, "password": factories.PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_the_same_email_can_sign_up_again_after_deletion(client):
    profile = factories.member()
    email = profile.user.email
    client.force_login(profile.user)
    client.post("/me/delete/", {"password": factories.PASSWORD})

    client.post(
        "/accounts/signup/",
        {
            "phone": "13800138000",
            "email": email,
            "password1": "New-pass-2026",
            "password2": "New-pass-2026",
        },
    )

    assert User.objects.filter(email=email, is_active=True).exists()


def test_access_log_keeps_whose_profile_after_deletion(client):
    branch = factories.branch()
    organiser = factories.organiser(branch)
    profile = factories.member(branch)
    client.force_login(organiser)
    client.get(f"/admin/members/profiles/inspect/{profile.pk}/")
    client.force_login(profile.user)
    client.post("/me/delete/", {"password": factories.PASSWORD})

    entry = ProfileAccess.objects.get()
    assert entry.profile_number == profile.pk
    assert entry.accessed_by_email == organiser.email


# Member-only actions ----------------------------------------------------------------


@confirmed_member_required
def member_only(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


@pytest.mark.parametrize(
    ("status", "code"),
    [("pending", 403), ("rejected", 403), ("left", 403), ("confirmed", 200)],
)
def test_only_confirmed_members_reach_member_only_actions(status, code):
    profile = factories.member(status=status)
    request = RequestFactory().get("/salon/1/sign-up/")
    request.user = profile.user

    response = member_only(request)

    assert response.status_code == code
    if code == 403:
        assert "仅限已确认党员" in response.content.decode()


def test_member_only_actions_send_visitors_to_login():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/salon/1/sign-up/")
    request.user = AnonymousUser()

    assert member_only(request)["Location"].startswith("/accounts/login/")


def test_staff_without_profile_are_not_members():
    request = RequestFactory().get("/x/")
    request.user = factories.editor()

    assert member_only(request).status_code == 403
