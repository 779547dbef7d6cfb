"""Point 3: the member profile, its completion with separate consent, /me/profile/."""

import pytest
from django.conf import settings

from school.members.models import MemberProfile

from . import factories

pytestmark = pytest.mark.django_db


def profile_data(branch, **overrides):
    data = {
        "real_name": "张三",
        "branch": str(branch.pk),
        "mobile": "13800138000",
        "moved_out_on": "2024-03-01",
        "move_reason": "work",
        "current_city": "深圳",
        "current_address": "南山区某街道 1 号",
        "employer": "某电子厂",
        "activity_card_number": "LD-2024-001",
        "card_reviewed_on": "2025-12-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(client):
    user = factories.user()
    client.force_login(user)
    return user


def test_a_new_account_completes_its_profile_before_anything_else(client, newcomer):
    factories.branch()

    for url in ["/", "/search/?q=党员"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/me/profile/complete/"
    assert client.get("/me/profile/")["Location"] == "/me/profile/complete/"
    # Account pages stay reachable (logout, password, MFA).
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/accounts/password/change/").status_code == 200


def test_anonymous_visitors_read_public_pages(client):
    assert client.get("/").status_code == 200
    assert client.get("/me/profile/")["Location"].startswith("/accounts/login/")


def test_staff_without_a_profile_are_not_sent_to_profile_completion(client):
    client.force_login(factories.editor())

    assert client.get("/").status_code == 200


def test_profile_then_separate_consent_creates_a_pending_profile(client, newcomer):
    branch = factories.branch(name="深圳流动党员党支部")

    page = client.get("/me/profile/complete/").content.decode()
    assert "完善党员资料" in page
    assert "深圳流动党员党支部" in page
    assert "身份证" in page  # says it never asks for one
    response = client.post("/me/profile/complete/", profile_data(branch))

    assert response["Location"] == "/me/consent/"
    assert not MemberProfile.objects.exists()  # nothing stored before consent
    page = client.get("/me/consent/").content.decode()
    assert "个人信息处理同意书" in page
    assert "敏感个人信息" in page
    assert settings.SCHOOL_CONSENT_VERSION in page

    response = client.post("/me/consent/", {"agree": "on"})

    assert response["Location"] == "/me/profile/"
    profile = MemberProfile.objects.get(user=newcomer)
    assert profile.status == MemberProfile.Status.PENDING
    assert profile.consent_version == settings.SCHOOL_CONSENT_VERSION
    assert profile.consented_at is not None
    assert profile.real_name == "张三"
    assert profile.activity_card_number == "LD-2024-001"
    page = client.get("/me/profile/").content.decode()
    assert "待确认" in page
    assert "资料已提交，等待党支部确认" in page


def test_consent_must_be_given_explicitly(client, newcomer):
    branch = factories.branch()
    client.post("/me/profile/complete/", profile_data(branch))

    response = client.post("/me/consent/", {})

    assert response.status_code == 200
    assert "请勾选表示同意" in response.content.decode()
    assert not MemberProfile.objects.exists()


def test_consent_page_without_a_profile_draft_goes_back_to_the_profile(
    client, newcomer
):
    assert client.get("/me/consent/")["Location"] == "/me/profile/complete/"


def test_going_back_from_consent_keeps_what_was_typed(client, newcomer):
    branch = factories.branch()
    client.post("/me/profile/complete/", profile_data(branch, real_name="李四"))

    page = client.get("/me/profile/complete/").content.decode()

    assert 'value="李四"' in page
    assert 'value="LD-2024-001"' in page


@pytest.mark.parametrize(
    "mobile", ["12345", "23800138000", "1380013800a", "138001380001"]
)
def test_invalid_mobile_is_refused_keeping_the_form(client, newcomer, mobile):
    branch = factories.branch()

    response = client.post("/me/profile/complete/", profile_data(branch, mobile=mobile))

    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入有效的中国大陆手机号码" in html
    assert 'value="张三"' in html
    assert f'value="{mobile}"' in html


@pytest.mark.parametrize("field", ["moved_out_on", "card_reviewed_on"])
def test_a_date_in_the_future_is_refused_keeping_the_form(client, newcomer, field):
    branch = factories.branch()

    response = client.post(
        "/me/profile/complete/", profile_data(branch, **{field: "2099-01-01"})
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "日期不能晚于今天" in html
    assert 'value="2099-01-01"' in html
    assert 'value="张三"' in html


def test_mobile_is_normalised(client, newcomer):
    branch = factories.branch()
    client.post(
        "/me/profile/complete/", profile_data(branch, mobile="+86 138-0013-8000")
    )
    client.post("/me/consent/", {"agree": "on"})

    assert MemberProfile.objects.get().mobile == "13800138000"


def test_duplicate_activity_card_in_the_branch_is_refused(client, newcomer):
    branch = factories.branch()
    factories.member(branch, activity_card_number="LD-2024-001")

    response = client.post("/me/profile/complete/", profile_data(branch))

    html = response.content.decode()
    assert "该流动党员活动证编号已在本支部登记过。" in html
    assert 'value="LD-2024-001"' in html
    assert 'value="深圳"' in html


def test_same_activity_card_in_another_branch_is_fine(client, newcomer):
    factories.member(factories.branch(), activity_card_number="LD-2024-001")
    branch = factories.branch()

    response = client.post("/me/profile/complete/", profile_data(branch))

    assert response["Location"] == "/me/consent/"


def test_card_taken_between_the_two_steps_is_reported(client, newcomer):
    branch = factories.branch()
    client.post("/me/profile/complete/", profile_data(branch))
    factories.member(branch, activity_card_number="LD-2024-001")

    response = client.post("/me/consent/", {"agree": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == "/me/profile/complete/"
    assert "该流动党员活动证编号已在本支部登记过。" in response.content.decode()
    assert not MemberProfile.objects.filter(user=newcomer).exists()


def test_required_fields_are_reported_in_chinese(client, newcomer):
    response = client.post("/me/profile/complete/", {})

    html = response.content.decode()
    assert html.count("这个字段是必填项") >= 3 or html.count("必需字段") >= 3


@pytest.mark.parametrize(
    ("status", "label"),
    [("pending", "待确认"), ("confirmed", "已确认"), ("rejected", "未通过")],
)
def test_profile_page_shows_the_status_in_chinese(client, status, label):
    profile = factories.member(status=status, rejection_reason="姓名与档案不符")
    client.force_login(profile.user)

    html = client.get("/me/profile/").content.decode()

    assert f'<strong class="profile-status__label">{label}</strong>' in html
    assert ("姓名与档案不符" in html) == (status == "rejected")


def test_me_leads_to_the_members_profile(client):
    client.force_login(factories.member().user)

    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"] == "/me/profile/"


def test_member_edits_their_profile(client):
    profile = factories.member()
    client.force_login(profile.user)

    response = client.post(
        "/me/profile/",
        profile_data(profile.branch, real_name=profile.real_name, current_city="东莞"),
    )

    assert response["Location"] == "/me/profile/"
    profile.refresh_from_db()
    assert profile.current_city == "东莞"
    assert profile.status == MemberProfile.Status.CONFIRMED


def test_changing_branch_sends_a_confirmed_profile_back_to_pending(client):
    profile = factories.member()
    other = factories.branch()
    client.force_login(profile.user)

    client.post("/me/profile/", profile_data(other, real_name=profile.real_name))

    profile.refresh_from_db()
    assert profile.branch == other
    assert profile.status == MemberProfile.Status.PENDING


def test_a_rejected_member_corrects_and_resubmits(client):
    profile = factories.member(status="rejected", rejection_reason="姓名有误")
    client.force_login(profile.user)

    client.post("/me/profile/", profile_data(profile.branch, real_name="王五"))

    profile.refresh_from_db()
    assert profile.status == MemberProfile.Status.PENDING
    assert profile.rejection_reason == ""
    assert "待确认" in client.get("/me/profile/").content.decode()


def test_bad_edit_keeps_what_was_typed_and_changes_nothing(client):
    profile = factories.member(current_city="深圳")
    client.force_login(profile.user)

    response = client.post(
        "/me/profile/",
        profile_data(profile.branch, mobile="999", current_city="广州"),
    )

    html = response.content.decode()
    assert "请输入有效的中国大陆手机号码" in html
    assert 'value="广州"' in html
    profile.refresh_from_db()
    assert profile.current_city == "深圳"


def test_a_member_cannot_ask_for_another_members_profile(client):
    mine, theirs = factories.member(), factories.member()
    client.force_login(mine.user)

    assert client.get(f"/me/profile/{theirs.pk}/").status_code == 404
    assert client.get(f"/me/profile/{mine.pk}/")["Location"] == "/me/profile/"
    # Nor through the admin.
    assert (
        client.get(f"/admin/members/profiles/inspect/{theirs.pk}/").status_code == 404
    )
    assert client.get(f"/admin/members/profiles/edit/{theirs.pk}/").status_code == 404
    assert client.get("/admin/").status_code == 404


def test_consent_is_recorded_and_can_be_renewed(client, settings):
    profile = factories.member(consent_version="2025-1")
    client.force_login(profile.user)

    assert "个人信息处理告知书已更新" in client.get("/me/profile/").content.decode()
    client.post("/me/consent/", {"agree": "on"})

    profile.refresh_from_db()
    assert profile.consent_version == settings.SCHOOL_CONSENT_VERSION
    html = client.get("/me/consent/").content.decode()
    assert "您已于" in html


def test_no_national_id_is_collected():
    names = {field.name for field in MemberProfile._meta.get_fields()}

    assert not {"id_number", "national_id", "id_card"} & names
