"""The issue's forbidden paths, for every role: nobody reaches a profile that
their role does not allow — they get a 404, never the data."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from school.members.models import MemberProfile

from . import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "pending", "confirmed", "rejected", "editor", "organiser_a"]


@pytest.fixture
def world():
    a = factories.branch(name="甲党支部", code="A")
    b = factories.branch(name="乙党支部", code="B")
    return {
        "a": a,
        "b": b,
        "target": factories.member(b, status="pending", real_name="乙党员"),
        "pending": factories.member(a, status="pending").user,
        "confirmed": factories.member(a).user,
        "rejected": factories.member(a, status="rejected").user,
        "editor": factories.editor(),
        "organiser_a": factories.organiser(a),
        "anonymous": AnonymousUser(),
    }


def login(client, user):
    if user.is_authenticated:
        client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_branch_b_reaches_a_member_of_branch_b(client, world, role):
    login(client, world[role])
    pk = world["target"].pk

    urls = [
        f"/me/profile/{pk}/",
        f"/admin/members/profiles/inspect/{pk}/",
        f"/admin/members/profiles/edit/{pk}/",
        f"/admin/members/profiles/reject/{pk}/",
    ]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 404, url
        assert "乙党员" not in response.content.decode()
    for url in (f"/admin/members/profiles/confirm/{pk}/",):
        assert client.post(url).status_code in (302, 404)
    world["target"].refresh_from_db()
    assert world["target"].status == MemberProfile.Status.PENDING


@pytest.mark.parametrize("role", ["pending", "confirmed", "rejected", "editor"])
def test_member_profiles_list_is_not_theirs(client, world, role):
    login(client, world[role])

    response = client.get("/admin/members/profiles/?q=乙党员")

    assert "乙党员" not in response.content.decode()
    assert response.status_code in (302, 404)


def test_organiser_of_b_and_superuser_do_reach_the_member(client, world):
    for user in (factories.organiser(world["b"]), factories.superuser()):
        client.force_login(user)
        url = f"/admin/members/profiles/inspect/{world['target'].pk}/"
        assert "乙党员" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["pending", "confirmed", "rejected", "editor"])
def test_own_data_download_never_has_another_members_data(client, world, role):
    login(client, world[role])

    content = client.get("/me/data.json").content.decode()

    assert "乙党员" not in content
    assert world["target"].user.email not in content


def test_sign_up_is_rate_limited(client):
    for n in range(30):
        client.post(
            "/accounts/signup/",
            {"email": f"x{n}@example.com", "password1": "1", "password2": "2"},
        )

    response = client.post(
        "/accounts/signup/",
        {"email": "late@example.com", "password1": "1", "password2": "2"},
    )

    # Said on the form, what was typed kept (not allauth's bare 429 page).
    page = response.content.decode()
    assert response.status_code == 200
    assert "尝试次数过多" in page and 'value="late@example.com"' in page


@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_branch_b_reaches_its_care_visits(client, world, role):
    from care import services as care_services
    from care.models import CareVisit

    target = factories.member(world["b"], real_name="乙走访对象")
    visit = care_services.care_visit_record(
        member=target,
        visited_on=timezone.localdate(),
        way="call",
        reason="illness",
        done="乙支部走访笔记",
        by=factories.organiser(world["b"]),
    )
    login(client, world[role])
    for url in (
        "/admin/care/visits/",
        "/admin/care/visits/?export=xlsx",
        "/admin/care/not-going-home/",
        "/admin/care/not-visited/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), url
        if not response.streaming:
            assert "乙走访对象" not in response.content.decode()
    urls = [
        f"/admin/care/visits/edit/{visit.pk}/",
        f"/admin/care/visits/delete/{visit.pk}/",
        f"/contact/members/{target.pk}/care/",
        f"/admin/members/profiles/file/{target.pk}/",
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403, 404, 405), (method, url)
            assert "乙支部走访笔记" not in response.content.decode()
    assert CareVisit.objects.filter(pk=visit.pk, done="乙支部走访笔记").exists()
