"""Point 7: seed_demo's branches and one demo account per role."""

import io

import pytest

from school.members import demo
from school.members.models import Branch, MemberProfile, User
from school.members.roles import EDITORS_GROUP, ORGANISERS_GROUP

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    lines = demo.seed(stdout=out)
    return lines


def test_demo_branches_and_accounts_for_each_role():
    lines = seed()

    assert Branch.objects.count() == 2
    first = Branch.objects.get(code=demo.BRANCHES[0][0])
    organiser = User.objects.get(email=demo.ORGANISER.email)
    editor = User.objects.get(email=demo.EDITOR.email)
    assert organiser.groups.filter(name=ORGANISERS_GROUP).exists()
    assert list(first.organisers.all()) == [organiser]
    assert editor.groups.filter(name=EDITORS_GROUP).exists()
    member = MemberProfile.objects.get(user__email=demo.MEMBER.email)
    pending = MemberProfile.objects.get(user__email=demo.PENDING_MEMBER.email)
    assert member.status == MemberProfile.Status.CONFIRMED
    assert member.decided_by == organiser
    assert pending.status == MemberProfile.Status.PENDING
    assert pending.branch == first
    for account in demo.ACCOUNTS:
        assert any(account.email in line and account.password in line for line in lines)


def test_seeding_twice_changes_nothing():
    seed()
    counts = (
        User.objects.count(),
        Branch.objects.count(),
        MemberProfile.objects.count(),
    )

    lines = seed()

    assert counts == (
        User.objects.count(),
        Branch.objects.count(),
        MemberProfile.objects.count(),
    )
    assert len(lines) == len(demo.ACCOUNTS)


@pytest.mark.parametrize(
    ("account", "landing"),
    [
        (demo.MEMBER, "/me/profile/"),
        (demo.PENDING_MEMBER, "/me/profile/"),
        (demo.ORGANISER, "/admin/"),
        (demo.EDITOR, "/admin/"),
        (demo.ADMIN, "/admin/"),
    ],
)
def test_every_demo_login_works_with_its_printed_password(client, account, landing):
    seed()

    response = client.post(
        "/accounts/login/", {"login": account.email, "password": account.password}
    )

    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_the_demo_whereabouts_ledger_has_members_in_several_cities(client):
    seed()
    client.force_login(User.objects.get(email=demo.ORGANISER.email))
    html = client.get("/admin/members/whereabouts/").content.decode()
    for city in ("深圳", "东莞", "惠州", "广州"):
        assert f'data-city-group="{city}"' in html
    moved = MemberProfile.objects.get(real_name="周建华")
    assert moved.current_city == "东莞"
    assert [e.current_city for e in moved.whereabouts.order_by("recorded_at")] == [
        "深圳",
        "东莞",
    ]
