"""一人一档: the whereabouts history (流向台账) and the member file page."""

import json

import pytest
from django.utils import timezone

from courses.models import MonthlyReport
from school.members import services
from school.members.models import ProfileAccess, WhereaboutsEntry
from tests.courses import pairing_factories as pf

from . import factories

pytestmark = pytest.mark.django_db

EDIT = "/admin/members/profiles/edit/{}/"
FILE = "/admin/members/profiles/file/{}/"


@pytest.fixture
def branch_a():
    return factories.branch(name="甲党支部", code="A")


@pytest.fixture
def organiser_a(branch_a):
    return factories.organiser(branch_a)


def _profile_data(profile, **changes):
    data = {name: getattr(profile, name) or "" for name in services.PROFILE_FIELDS}
    data["branch"] = profile.branch
    data.update(changes)
    return data


def _admin_form(profile, **changes):
    data = _profile_data(profile, **changes)
    data["branch"] = profile.branch_id
    return {k: ("" if v is None else v) for k, v in data.items()}


# --- The history, kept in one place ----------


def test_a_new_profile_starts_its_history_with_the_member_as_source(branch_a):
    user = factories.user()
    profile = services.profile_create(
        user=user,
        data={
            "real_name": "王芳",
            "branch": branch_a,
            "mobile": "13700001111",
            "current_city": "深圳",
        },
        consent_version="1",
    )
    (entry,) = WhereaboutsEntry.objects.filter(member=profile)
    assert entry.current_city == "深圳" and entry.mobile == "13700001111"
    assert set(entry.changed) == {"current_city", "mobile"}
    assert entry.source == "member" and entry.recorded_by == user


def test_member_changing_city_on_the_profile_page_adds_a_dated_entry(client, branch_a):
    profile = factories.member(branch_a, current_city="深圳", employer="电子厂")
    client.force_login(profile.user)
    data = _admin_form(profile, current_city="东莞", current_address="长安镇1号")
    response = client.post("/me/profile/", data)
    assert response.status_code == 302

    entry = WhereaboutsEntry.objects.get(member=profile)
    assert entry.current_city == "东莞" and entry.employer == "电子厂"
    assert entry.changed == ["current_city", "current_address"]
    assert entry.source == "member" and entry.recorded_by == profile.user


def test_saving_the_profile_unchanged_adds_no_entry(client, branch_a):
    profile = factories.member(branch_a, current_city="深圳")
    client.force_login(profile.user)
    client.post("/me/profile/", _admin_form(profile))
    assert not WhereaboutsEntry.objects.exists()


def test_organiser_edit_in_the_admin_is_recorded_as_the_organisers(
    client, branch_a, organiser_a
):
    profile = factories.member(branch_a, mobile="13700137000", employer="电子厂")
    client.force_login(organiser_a)
    client.post(EDIT.format(profile.pk), _admin_form(profile, mobile="13700137009"))

    entry = WhereaboutsEntry.objects.get(member=profile)
    assert entry.changed == ["mobile"] and entry.mobile == "13700137009"
    assert entry.source == "organiser" and entry.recorded_by == organiser_a


def test_a_refused_admin_edit_records_nothing(client, branch_a, organiser_a):
    profile = factories.member(branch_a, current_city="深圳")
    client.force_login(organiser_a)
    response = client.post(
        EDIT.format(profile.pk), _admin_form(profile, current_city="广州", mobile="1")
    )
    assert "请输入有效的中国大陆手机号码" in response.content.decode()
    assert not WhereaboutsEntry.objects.exists()


def test_whereabouts_history_is_in_the_members_data_download(client, branch_a):
    profile = factories.member(branch_a, current_city="深圳")
    client.force_login(profile.user)
    client.post("/me/profile/", _admin_form(profile, current_city="惠州"))

    data = json.loads(client.get("/me/data.json").content)
    (entry,) = data["whereabouts"]
    assert entry["current_city"] == "惠州" and entry["changed"] == ["current_city"]


def test_deleting_the_account_deletes_the_whereabouts_history(branch_a):
    profile = factories.member(branch_a, current_city="深圳")
    services.profile_update(
        profile=profile, data=_profile_data(profile, current_city="珠海")
    )
    services.account_delete(user=profile.user)
    assert not WhereaboutsEntry.objects.exists()


# --- The file page ----------


def _full_member(branch):
    return factories.member(
        branch,
        real_name="张伟",
        moved_out_on=timezone.localdate().replace(day=1),
        move_reason="work",
        current_city="深圳",
        current_address="宝安区西乡街道1号",
        employer="电子厂",
    )


def test_file_page_shows_the_six_facts_complete_and_logs_the_view(
    client, branch_a, organiser_a
):
    profile = _full_member(branch_a)
    client.force_login(organiser_a)
    html = client.get(FILE.format(profile.pk)).content.decode()

    assert 'data-six-facts="complete"' in html
    assert "宝安区西乡街道1号" in html and "电子厂" in html
    entry = ProfileAccess.objects.get(profile=profile)
    assert entry.action == "view" and entry.detail == "member file"


def test_file_page_says_which_of_the_six_facts_are_missing(
    client, branch_a, organiser_a
):
    profile = factories.member(branch_a, current_city="深圳")
    client.force_login(organiser_a)
    html = client.get(FILE.format(profile.pk)).content.decode()

    assert 'data-six-facts="incomplete"' in html
    missing = html.split("data-missing-facts>")[1].split("</p>")[0]
    for label in ("流动时间", "流动原因", "流动地点", "从业情况"):
        assert label in missing
    assert "联系方式" not in missing


def test_file_page_shows_timeline_study_pairing_and_thinking(
    client, branch_a, organiser_a
):
    profile = _full_member(branch_a)
    services.profile_update(
        profile=profile, data=_profile_data(profile, current_city="东莞")
    )
    contact = factories.member(branch_a, real_name="李娜")
    pairing = pf.pair(contact, profile)
    pf.studied(profile, minutes=90)
    MonthlyReport.objects.create(
        pairing=pairing,
        month=timezone.localdate().replace(day=1),
        summary="学习正常",
        note="思想稳定，工作积极",
    )
    client.force_login(organiser_a)
    html = client.get(FILE.format(profile.pk)).content.decode()

    assert html.count("data-whereabouts-entry") == 1 and "东莞" in html
    assert "思想稳定，工作积极" in html
    assert "李娜" in html
    assert "data-study-summary" in html
    # Dues and participation are kept by their own apps once they land.
    assert 'data-known="dues"' in html and 'data-known="participation"' in html


def test_file_page_query_count_does_not_grow_with_history(
    client, branch_a, organiser_a, django_assert_max_num_queries
):
    profile = _full_member(branch_a)
    contact = factories.member(branch_a)
    pairing = pf.pair(contact, profile)
    client.force_login(organiser_a)

    def grow(n):
        for i in range(n):
            services.profile_update(
                profile=profile, data=_profile_data(profile, current_city=f"城市{i}")
            )
            pf.studied(profile, ago=i + 1)
            pf.contacted(pairing, ago=i + 1)

    grow(2)
    client.get(FILE.format(profile.pk))  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(FILE.format(profile.pk))
    grow(10)
    with django_assert_max_num_queries(len(few)):
        response = client.get(FILE.format(profile.pk))
    assert response.content.decode().count("data-whereabouts-entry") == 12


def test_organiser_of_another_branch_gets_404_for_the_file(client, branch_a):
    profile = _full_member(branch_a)
    other = factories.organiser(factories.branch(name="乙党支部"))
    client.force_login(other)
    assert client.get(FILE.format(profile.pk)).status_code == 404
    assert not ProfileAccess.objects.filter(profile=profile).exists()


def test_member_list_and_profile_details_link_to_the_file(
    client, branch_a, organiser_a
):
    profile = _full_member(branch_a)
    client.force_login(organiser_a)
    assert (
        FILE.format(profile.pk)
        in client.get("/admin/members/profiles/").content.decode()
    )
    inspect = client.get(f"/admin/members/profiles/inspect/{profile.pk}/")
    assert FILE.format(profile.pk) in inspect.content.decode()
