"""Points 2, 4 and 5: branches, confirmation by the branch, roles — in the admin."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import GroupPagePermission, Site

from school.members.models import Branch, MemberProfile, ProfileAccess
from school.members.roles import EDITORS_GROUP, ORGANISERS_GROUP

from . import factories

pytestmark = pytest.mark.django_db

INSPECT = "/admin/members/profiles/inspect/{}/"
EDIT = "/admin/members/profiles/edit/{}/"
CONFIRM = "/admin/members/profiles/confirm/{}/"
REJECT = "/admin/members/profiles/reject/{}/"
LEFT = "/admin/members/profiles/left/{}/"
INDEX = "/admin/members/profiles/"
ACCESS_LOG = "/admin/members/access-log/"


@pytest.fixture
def branch_a():
    return factories.branch(name="甲党支部", code="A")


@pytest.fixture
def branch_b():
    return factories.branch(name="乙党支部", code="B")


@pytest.fixture
def organiser_a(branch_a):
    return factories.organiser(branch_a)


# Roles --------------------------------------------------------------------------


def test_roles_are_groups_made_by_a_migration():
    editors = Group.objects.get(name=EDITORS_GROUP)
    organisers = Group.objects.get(name=ORGANISERS_GROUP)
    home = Site.objects.get(is_default_site=True).root_page

    editor_page_perms = set(
        GroupPagePermission.objects.filter(group=editors, page=home).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= editor_page_perms
    assert editors.permissions.filter(codename="access_admin").exists()
    # Other apps add their own permissions to the organisers' group.
    assert {
        "access_admin",
        "view_memberprofile",
        "change_memberprofile",
        "view_branch",
        "change_branch",
    } <= set(organisers.permissions.values_list("codename", flat=True))
    assert not organisers.permissions.filter(
        codename__in=["add_memberprofile", "delete_memberprofile", "delete_branch"]
    ).exists()
    assert not Group.objects.filter(name__contains="帮学").exists()


def test_editor_can_edit_pages_but_not_members(client):
    editor = factories.editor()
    client.force_login(editor)
    home = Site.objects.get(is_default_site=True).root_page

    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get(INDEX).status_code == 302  # Wagtail's "no permission"
    assert not editor.has_perm("members.view_memberprofile")


# Pending list and scope --------------------------------------------------------------


def test_organiser_sees_the_pending_members_of_their_branches_only(
    client, branch_a, branch_b, organiser_a
):
    sub_branch = factories.branch(name="甲一小组", parent=branch_a)
    factories.member(branch_a, status="pending", real_name="甲待确认")
    factories.member(sub_branch, status="pending", real_name="甲下级待确认")
    factories.member(branch_a, status="confirmed", real_name="甲已确认")
    factories.member(branch_b, status="pending", real_name="乙待确认")
    client.force_login(organiser_a)

    html = client.get(INDEX + "?status=pending").content.decode()

    assert "甲待确认" in html
    assert "甲下级待确认" in html
    assert "甲已确认" not in html
    assert "乙待确认" not in html
    assert "待确认党员" in client.get("/admin/").content.decode()


def test_pending_list_query_count_does_not_grow(
    client, branch_a, organiser_a, django_assert_max_num_queries
):
    client.force_login(organiser_a)
    for _ in range(3):
        factories.member(branch_a, status="pending")
    client.get(INDEX + "?status=pending")
    with django_assert_max_num_queries(40) as few:
        client.get(INDEX + "?status=pending")
    for _ in range(20):
        factories.member(branch_a, status="pending")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INDEX + "?status=pending")
    assert response.status_code == 200


def test_organiser_of_a_gets_404_for_a_member_of_b(client, branch_b, organiser_a):
    other = factories.member(branch_b, status="pending")
    client.force_login(organiser_a)

    for url in (INSPECT, EDIT, REJECT):
        assert client.get(url.format(other.pk)).status_code == 404
    for url in (CONFIRM, REJECT, LEFT):
        assert client.post(url.format(other.pk), {"reason": "x"}).status_code == 404
    other.refresh_from_db()
    assert other.status == MemberProfile.Status.PENDING
    assert not ProfileAccess.objects.exists()


def test_editor_gets_404_for_any_member(client, branch_a):
    profile = factories.member(branch_a, status="pending")
    client.force_login(factories.editor())

    for url in (INSPECT, EDIT, CONFIRM, REJECT, LEFT):
        assert client.get(url.format(profile.pk)).status_code in (404, 405)
        assert client.post(url.format(profile.pk)).status_code == 404


def test_pending_member_cannot_enter_the_admin(client, branch_a):
    pending = factories.member(branch_a, status="pending")
    other = factories.member(branch_a, status="pending")
    client.force_login(pending.user)

    assert client.get("/admin/").status_code == 404
    assert client.get(INSPECT.format(other.pk)).status_code == 404
    assert client.post(CONFIRM.format(pending.pk)).status_code == 404
    pending.refresh_from_db()
    assert pending.status == MemberProfile.Status.PENDING


def test_superuser_sees_every_branch(client, branch_a, branch_b):
    profile = factories.member(branch_b, status="pending")
    client.force_login(factories.superuser())

    assert client.get(INSPECT.format(profile.pk)).status_code == 200


# Confirm and reject ----------------------------------------------------------------


def test_organiser_views_details_and_the_view_is_logged(client, branch_a, organiser_a):
    profile = factories.member(
        branch_a, status="pending", real_name="赵六", activity_card_number="LD-9"
    )
    client.force_login(organiser_a)

    html = client.get(INSPECT.format(profile.pk)).content.decode()

    assert "赵六" in html
    assert "LD-9" in html
    assert "确认" in html
    entry = ProfileAccess.objects.get()
    assert entry.accessed_by == organiser_a
    assert entry.accessed_by_email == organiser_a.email
    assert entry.profile == profile
    assert entry.action == ProfileAccess.Action.VIEW
    assert entry.accessed_at is not None


def test_profile_details_show_times_in_the_schools_time_zone(
    client, branch_a, organiser_a
):
    consented_at = datetime.datetime(2026, 3, 2, 1, 30, tzinfo=datetime.UTC)
    profile = factories.member(branch_a, status="pending", consented_at=consented_at)
    client.force_login(organiser_a)

    html = client.get(INSPECT.format(profile.pk)).content.decode()

    # 01:30 UTC is 09:30 in Beijing.
    assert "2026年3月2日 09:30" in html
    assert "01:30" not in html


def test_profile_details_name_who_decided(client, branch_a):
    organiser = factories.organiser(branch_a, username="u81723", first_name="李建国")
    profile = factories.member(branch_a, status="pending")
    client.force_login(organiser)
    client.post(CONFIRM.format(profile.pk))

    html = client.get(INSPECT.format(profile.pk)).content.decode()

    assert "李建国" in html
    assert "u81723" not in html


def test_organiser_confirms_and_the_member_is_told(
    client, branch_a, organiser_a, django_capture_on_commit_callbacks
):
    profile = factories.member(branch_a, status="pending", real_name="赵六")
    client.force_login(organiser_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM.format(profile.pk), follow=True)

    profile.refresh_from_db()
    assert profile.status == MemberProfile.Status.CONFIRMED
    assert profile.decided_by == organiser_a
    assert profile.decided_at is not None
    assert "已确认 赵六 为甲党支部党员" in response.content.decode()
    assert mail.outbox[-1].to == [profile.user.email]
    assert "党支部已确认您的党员身份" in mail.outbox[-1].subject
    client.force_login(profile.user)
    assert "已确认" in client.get("/me/profile/").content.decode()


def test_organiser_rejects_with_a_reason_the_member_sees(
    client, branch_a, organiser_a, django_capture_on_commit_callbacks
):
    profile = factories.member(branch_a, status="pending", real_name="赵六")
    client.force_login(organiser_a)

    assert "拒绝 赵六 的资料" in client.get(REJECT.format(profile.pk)).content.decode()
    response = client.post(REJECT.format(profile.pk), {"reason": ""})
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REJECT.format(profile.pk), {"reason": "本支部无此党员"})

    profile.refresh_from_db()
    assert profile.status == MemberProfile.Status.REJECTED
    assert profile.rejection_reason == "本支部无此党员"
    assert "本支部无此党员" in mail.outbox[-1].body
    client.force_login(profile.user)
    html = client.get("/me/profile/").content.decode()
    assert "未通过" in html
    assert "本支部无此党员" in html


def test_new_profile_notifies_the_branch_organisers(
    client, branch_a, organiser_a, django_capture_on_commit_callbacks
):
    user = factories.user()
    client.force_login(user)
    client.post(
        "/me/profile/complete/",
        {"real_name": "钱七", "branch": branch_a.pk, "mobile": "13900139000"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/consent/", {"agree": "on"})

    assert mail.outbox[-1].to == [organiser_a.email]
    assert "钱七" in mail.outbox[-1].subject


def test_organiser_marks_a_member_as_left(client, branch_a, organiser_a):
    profile = factories.member(branch_a)
    client.force_login(organiser_a)

    client.post(LEFT.format(profile.pk))

    profile.refresh_from_db()
    assert profile.status == MemberProfile.Status.LEFT
    assert profile.user.confirmed_profile is None


def test_organiser_edit_is_logged_and_keeps_members_in_scope(
    client, branch_a, branch_b, organiser_a
):
    profile = factories.member(branch_a, real_name="孙八", mobile="13700137000")
    client.force_login(organiser_a)

    html = client.get(EDIT.format(profile.pk)).content.decode()
    assert "乙党支部" not in html  # cannot move members out of their branches
    data = {
        "real_name": "孙八",
        "branch": branch_a.pk,
        "mobile": "abc",
        "move_reason": "",
    }
    response = client.post(EDIT.format(profile.pk), data)
    assert "请输入有效的中国大陆手机号码" in response.content.decode()
    data["mobile"] = "13700137001"
    client.post(EDIT.format(profile.pk), data)

    profile.refresh_from_db()
    assert profile.mobile == "13700137001"
    actions = list(ProfileAccess.objects.values_list("action", flat=True))
    assert "edit" in actions and "view" in actions


def test_export_is_logged_for_every_exported_profile(client, branch_a, organiser_a):
    profiles = [factories.member(branch_a) for _ in range(3)]
    factories.member(factories.branch())  # another branch: not exported
    client.force_login(organiser_a)

    response = client.get(INDEX + "?export=csv")

    content = b"".join(response.streaming_content).decode()
    assert all(p.real_name in content for p in profiles)
    exported = ProfileAccess.objects.filter(action="export")
    assert {e.profile_id for e in exported} == {p.pk for p in profiles}


# Access log -------------------------------------------------------------------------


def test_access_log_is_visible_to_superusers_only(client, branch_a, organiser_a):
    profile = factories.member(branch_a, real_name="周九")
    client.force_login(organiser_a)
    client.get(INSPECT.format(profile.pk))

    assert client.get(ACCESS_LOG).status_code == 302  # no permission
    client.force_login(factories.editor())
    assert client.get(ACCESS_LOG).status_code == 302

    client.force_login(factories.superuser())
    html = client.get(ACCESS_LOG).content.decode()
    assert organiser_a.email in html
    assert "周九" in html
    entry = ProfileAccess.objects.filter(accessed_by=organiser_a).get()
    # Read-only, even for superusers.
    assert client.get(f"{ACCESS_LOG}edit/{entry.pk}/").status_code == 302
    assert client.post(f"{ACCESS_LOG}delete/{entry.pk}/").status_code == 302
    assert ProfileAccess.objects.filter(pk=entry.pk).exists()


# Branches ------------------------------------------------------------------------


def test_superuser_creates_a_branch_with_organisers(client):
    organiser = factories.organiser()
    client.force_login(factories.superuser())

    response = client.post(
        "/admin/members/branches/new/",
        {
            "name": "东莞流动党员党支部",
            "code": "DG01",
            "parent": "",
            "location": "东莞",
            "organisers": [organiser.pk],
        },
    )

    assert response.status_code == 302
    branch = Branch.objects.get(code="DG01")
    assert list(branch.organisers.all()) == [organiser]


def test_organiser_edits_only_their_branchs_details(
    client, branch_a, branch_b, organiser_a
):
    client.force_login(organiser_a)

    html = client.get("/admin/members/branches/").content.decode()
    assert "甲党支部" in html and "乙党支部" not in html
    assert client.get(f"/admin/members/branches/edit/{branch_b.pk}/").status_code == 404
    assert client.get("/admin/members/branches/new/").status_code == 302
    response = client.post(
        f"/admin/members/branches/edit/{branch_a.pk}/",
        {"name": "甲党支部", "code": "A", "location": "广州天河"},
    )
    assert response.status_code == 302
    branch_a.refresh_from_db()
    assert branch_a.location == "广州天河"
    assert list(branch_a.organisers.all()) == [organiser_a]


def test_branch_cannot_sit_under_its_own_sub_branch(client, branch_a):
    child = factories.branch(parent=branch_a)
    client.force_login(factories.superuser())

    response = client.post(
        f"/admin/members/branches/edit/{branch_a.pk}/",
        {"name": branch_a.name, "code": "A", "parent": child.pk, "location": ""},
    )

    assert "党支部不能隶属于自身或其下级支部" in response.content.decode()


def test_branch_form_offers_every_active_account_as_a_checkbox(client, branch_a):
    organiser = factories.organiser(branch_a)
    newcomer = factories.member(branch_a, real_name="周新人").user
    client.force_login(factories.superuser())

    html = client.get(f"/admin/members/branches/edit/{branch_a.pk}/").content.decode()

    assert f'name="organisers" value="{organiser.pk}"' in html
    assert f'name="organisers" value="{newcomer.pk}"' in html
    assert f"周新人 &lt;{newcomer.email}&gt;" in html
    assert "data-choice-filter" in html


def test_an_unrelated_branch_edit_keeps_its_organisers(client, branch_a, organiser_a):
    second = factories.organiser(branch_a)
    client.force_login(factories.superuser())
    page = client.get(f"/admin/members/branches/edit/{branch_a.pk}/").content.decode()
    # Post back exactly what the form shows ticked, as a browser would.
    ticked = [
        int(pk)
        for pk in re.findall(r'name="organisers" value="(\d+)"[^>]*checked', page)
    ]

    response = client.post(
        f"/admin/members/branches/edit/{branch_a.pk}/",
        {"name": "甲党支部", "code": "A", "location": "东莞", "organisers": ticked},
    )

    assert response.status_code == 302
    branch_a.refresh_from_db()
    assert branch_a.location == "东莞"
    assert set(branch_a.organisers.all()) == {organiser_a, second}


def test_ticking_an_account_makes_it_an_organiser(client, branch_a):
    account = factories.member(branch_a).user
    client.force_login(factories.superuser())

    client.post(
        f"/admin/members/branches/edit/{branch_a.pk}/",
        {"name": "甲党支部", "code": "A", "location": "", "organisers": [account.pk]},
    )

    assert list(branch_a.organisers.all()) == [account]
    assert account.groups.filter(name=ORGANISERS_GROUP).exists()
